package index

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/kgraph/telegraph/kg"
)

// View is the graph as one request sees it: the index, cut to the facts of articles published on
// or before AsOf when AsOf is set (YYYY-MM-DD).
type View struct {
	*Index
	AsOf string
}

// At returns a view of the index as of the date; an empty date means all facts.
func (x *Index) At(asOf string) *View { return &View{Index: x, AsOf: asOf} }

// visible reports whether facts from these sources count in the view. Facts with no article
// (foreign N-Quads) have no date and always count.
func (v *View) visible(sources []*Article) bool {
	if v.AsOf == "" || len(sources) == 0 {
		return true
	}
	return sources[0].Date <= v.AsOf // sources are sorted oldest first
}

// EntityVisible reports whether the entity exists in the view.
func (v *View) EntityVisible(e *Entity) bool { return e != nil && v.visible(e.Sources) }

// RelationVisible reports whether the relationship exists in the view. A relationship no article
// states (reference data, foreign N-Quads) has no date: it exists as soon as all its
// participants do, so that GeoNames' Washington DC part_of United States waits for an article to
// name Washington DC.
func (v *View) RelationVisible(r *Relation) bool {
	if r == nil || !v.visible(r.Sources) {
		return false
	}
	if len(r.Sources) == 0 && v.AsOf != "" {
		for _, p := range r.Participants {
			if !v.EntityVisible(p.Entity) {
				return false
			}
		}
	}
	return true
}

// ArticleVisible reports whether the article is published on or before the view's date.
func (v *View) ArticleVisible(a *Article) bool {
	return a != nil && (v.AsOf == "" || a.Date <= v.AsOf)
}

// Evidence returns the quotes of ev whose articles are in the view.
func (v *View) Evidence(ev []Evidence) []Evidence {
	if v.AsOf == "" {
		return ev
	}
	var out []Evidence
	for _, e := range ev {
		if e.Article == nil || v.ArticleVisible(e.Article) {
			out = append(out, e)
		}
	}
	return out
}

// Sources returns the articles of list that are in the view.
func (v *View) Sources(list []*Article) []*Article {
	var out []*Article
	for _, a := range list {
		if v.ArticleVisible(a) {
			out = append(out, a)
		}
	}
	return out
}

// Lookup finds the entity called name: a canonical name first, then an alias or former name,
// case-insensitively. Names identify entities whatever the view's date, so an entity first
// mentioned after it is still found (and has no facts in the view). It returns a NOT_FOUND error
// naming what was asked for.
func (v *View) Lookup(name string) (*Entity, error) {
	cands := v.byName[Normalize(name)]
	var best *Entity
	for _, e := range cands {
		if Normalize(e.Name) == Normalize(name) {
			return e, nil
		}
		if best == nil || len(e.Relations) > len(best.Relations) {
			best = e
		}
	}
	if best == nil {
		return nil, kg.Errorf(kg.ENotFound, "no entity is called %q: try search(text: %q) to find its name", name, name)
	}
	return best, nil
}

// MaxSuggestions is how many near names a NOT_FOUND error of Find suggests.
const MaxSuggestions = 3

// Find is Lookup for a name a user typed: when no entity is called name, its NOT_FOUND error
// suggests the names a fuzzy search ranks best (see Search), so the caller can say which one
// was meant. The search stops with ctx.
func (v *View) Find(ctx context.Context, name string) (*Entity, error) {
	e, err := v.Lookup(name)
	if err == nil {
		return e, nil
	}
	var ke *kg.Error
	if !errors.As(err, &ke) || ke.Code != kg.ENotFound || CheckSearchText(name) != nil {
		return nil, err
	}
	hits, serr := v.Search(ctx, name, nil, nil)
	if serr != nil {
		return nil, err
	}
	out := &kg.Error{Code: ke.Code, Message: ke.Message}
	for _, h := range hits[:min(len(hits), MaxSuggestions)] {
		// A match far behind the best is a description's word, not a near name.
		if h.Score >= hits[0].Score/4 {
			out.Suggestions = append(out.Suggestions, h.Entity.Name)
		}
	}
	if len(out.Suggestions) > 0 {
		out.Message = fmt.Sprintf("no entity is called %q; did you mean %s?", name, quoteList(out.Suggestions))
	}
	return nil, out
}

// quoteList writes names as "a", "b" or "c".
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// Relations returns the visible relationships e takes part in, of the kinds (all when none).
func (v *View) Relations(e *Entity, kinds ...string) []*Relation {
	var out []*Relation
	if len(kinds) == 1 && e.byKind != nil {
		// A country takes part in one located_in fact per entity placed in it: asking for its
		// part_of facts must not walk them all.
		for _, r := range e.byKind[kinds[0]] {
			if v.RelationVisible(r) {
				out = append(out, r)
			}
		}
		return out
	}
	for _, r := range e.Relations {
		if (len(kinds) == 0 || slices.Contains(kinds, r.Kind)) && v.RelationVisible(r) {
			out = append(out, r)
		}
	}
	return out
}

// Places returns the places a located_in fact puts e in, nearest first.
func (v *View) Places(e *Entity) []*Entity {
	var out []*Entity
	for _, r := range v.Relations(e, kg.LocatedIn) {
		if r.HasParticipant(e, "entity") {
			out = append(out, r.Role("place")...)
		}
	}
	return out
}

// Enclosing returns the place p and every place a chain of part_of facts puts it in.
func (v *View) Enclosing(p *Entity) []*Entity {
	seen := map[*Entity]bool{p: true}
	out := []*Entity{p}
	for i := 0; i < len(out); i++ {
		for _, r := range v.Relations(out[i], kg.PartOf) {
			if !r.HasParticipant(out[i], "part") {
				continue
			}
			for _, w := range r.Role("whole") {
				if !seen[w] {
					seen[w] = true
					out = append(out, w)
				}
			}
		}
	}
	return out
}

// Countries returns the countries e is in: those a located_in fact names, directly or through
// part_of chains (a company located in Shanghai, which is part of China, is in China). A country
// is in itself.
func (v *View) Countries(e *Entity) []*Entity {
	return v.placesOfKind(e, "Country")
}

// Cities returns the cities e is located in.
func (v *View) Cities(e *Entity) []*Entity { return v.placesOfKind(e, "City") }

func (v *View) placesOfKind(e *Entity, kind string) []*Entity {
	var out []*Entity
	seen := map[*Entity]bool{}
	starts := v.Places(e)
	if e.Kind == kind || kg.IsPlace(e.Kind) {
		starts = append([]*Entity{e}, starts...)
	}
	for _, p := range starts {
		for _, q := range v.Enclosing(p) {
			if q.Kind == kind && !seen[q] {
				seen[q] = true
				out = append(out, q)
			}
		}
	}
	return out
}

// InCountry reports whether e is in the country called name (see Countries).
func (v *View) InCountry(e *Entity, country *Entity) bool {
	for _, c := range v.Countries(e) {
		if c == country {
			return true
		}
	}
	return false
}

// Edges returns the visible drawn edges at e.
func (v *View) Edges(e *Entity) []*Edge {
	var out []*Edge
	for _, ed := range e.Edges {
		if v.RelationVisible(ed.Relation) {
			out = append(out, ed)
		}
	}
	return out
}

// Degree returns the number of visible relationships e takes part in.
func (v *View) Degree(e *Entity) int { return len(v.Relations(e)) }

// VisibleEntities returns the entities in the view, ordered by name.
func (v *View) VisibleEntities() []*Entity {
	if v.AsOf == "" {
		return v.ordered
	}
	var out []*Entity
	for _, e := range v.ordered {
		if v.EntityVisible(e) {
			out = append(out, e)
		}
	}
	return out
}

func sortEntities(list []*Entity) {
	sort.Slice(list, func(i, j int) bool { return entityLess(list[i], list[j]) })
}
