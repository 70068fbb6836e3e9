package index

import (
	"sort"
	"strings"

	"github.com/agnivade/levenshtein"

	"github.com/kgraph/telegraph/kg"
)

// Partners returns the organisations linked to e by a partnership (as fellow parties) or by
// co-owning a joint venture, ordered by name. With a country, only partners the view places in it
// (see Countries) are kept.
func (v *View) Partners(e *Entity, country *Entity) []*Entity {
	var out []*Entity
	seen := map[*Entity]bool{e: true}
	add := func(p *Entity) {
		if seen[p] || !kg.IsOrganization(p.Kind) || !v.EntityVisible(p) {
			return
		}
		if country != nil && !v.InCountry(p, country) {
			return
		}
		seen[p] = true
		out = append(out, p)
	}
	for _, r := range v.Relations(e, kg.Partnership) {
		if r.HasParticipant(e, "party") {
			for _, p := range r.Role("party") {
				add(p)
			}
		}
	}
	for _, r := range v.Relations(e, kg.Stake) {
		if !r.HasParticipant(e, "owner") {
			continue
		}
		for _, jv := range r.Role("company") {
			if jv.Kind != "JointVenture" {
				continue
			}
			for _, s := range v.Relations(jv, kg.Stake) {
				if s.HasParticipant(jv, "company") {
					for _, p := range s.Role("owner") {
						add(p)
					}
				}
			}
		}
	}
	sortEntities(out)
	return out
}

// LocatedIn returns the entities a located_in fact places in p or in a place part_of facts put
// inside p, ordered by name.
func (v *View) LocatedIn(p *Entity) []*Entity {
	inside := []*Entity{p}
	seen := map[*Entity]bool{p: true}
	for i := 0; i < len(inside); i++ {
		for _, r := range v.Relations(inside[i], kg.PartOf) {
			if r.HasParticipant(inside[i], "whole") {
				for _, part := range r.Role("part") {
					if !seen[part] {
						seen[part] = true
						inside = append(inside, part)
					}
				}
			}
		}
	}
	var out []*Entity
	found := map[*Entity]bool{}
	for _, place := range inside {
		for _, r := range v.Relations(place, kg.LocatedIn) {
			if !r.HasParticipant(place, "place") {
				continue
			}
			for _, e := range r.Role("entity") {
				if !found[e] {
					found[e] = true
					out = append(out, e)
				}
			}
		}
	}
	sortEntities(out)
	return out
}

// MaxDepth bounds neighborhood and traversal depth.
const MaxDepth = 4

// Subgraph is a set of entities and the drawn edges among them.
type Subgraph struct {
	Nodes     []*Entity
	Edges     []*Edge
	Truncated bool
}

// Neighborhood returns every entity within depth hops of e (one hop is one relationship) and
// every edge among them, breadth first, with at most limit nodes.
func (v *View) Neighborhood(e *Entity, depth, limit int) Subgraph {
	if depth > MaxDepth {
		depth = MaxDepth
	}
	in := map[*Entity]bool{e: true}
	g := Subgraph{Nodes: []*Entity{e}}
	frontier := []*Entity{e}
	for d := 0; d < depth && len(frontier) > 0 && !g.Truncated; d++ {
		var next []*Entity
		for _, n := range frontier {
			for _, ed := range v.Edges(n) {
				o, _ := ed.Other(n)
				if in[o] || !v.EntityVisible(o) {
					continue
				}
				if len(g.Nodes) >= limit {
					g.Truncated = true
					break
				}
				in[o] = true
				g.Nodes = append(g.Nodes, o)
				next = append(next, o)
			}
		}
		frontier = next
	}
	seen := map[*Edge]bool{}
	for _, n := range g.Nodes {
		for _, ed := range v.Edges(n) {
			if !seen[ed] && in[ed.From] && in[ed.To] {
				seen[ed] = true
				g.Edges = append(g.Edges, ed)
			}
		}
	}
	sort.SliceStable(g.Edges, func(i, j int) bool { return g.Edges[i].ID() < g.Edges[j].ID() })
	return g
}

// Hit is one search result.
type Hit struct {
	Entity *Entity
	Score  float64
}

// Search ranks the entities matching text by their names, aliases, former names and
// description: an exact name scores highest, then a name starting with the text, then names
// containing all its words, then names within a small edit distance (typos).
func (v *View) Search(text string, kinds []string, country *Entity, limit int) []Hit {
	q := Normalize(text)
	if q == "" {
		return nil
	}
	words := strings.Fields(q)
	var hits []Hit
	for _, e := range v.VisibleEntities() {
		if len(kinds) > 0 && !contains(kinds, e.Kind) {
			continue
		}
		if country != nil && !v.InCountry(e, country) {
			continue
		}
		best := 0.0
		for i, n := range e.Names() {
			s := score(q, words, Normalize(n))
			if i > 0 {
				s *= 0.95 // a canonical name beats an alias that matches as well
			}
			if s > best {
				best = s
			}
		}
		if d := Normalize(e.Attrs["description"]); d != "" {
			if s := 0.3 * score(q, words, d); s > best {
				best = s
			}
		}
		if best > 0 {
			best += 0.001 * float64(min(len(e.Relations), 100)) // better-connected first on ties
			hits = append(hits, Hit{e, best})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return entityLess(hits[i].Entity, hits[j].Entity)
	})
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	return hits
}

func score(q string, words []string, name string) float64 {
	switch {
	case name == q:
		return 10
	case strings.HasPrefix(name, q):
		return 8 - 2*float64(len(name)-len(q))/float64(len(name))
	}
	nw := strings.Fields(name)
	matched, fuzzy := 0, 0
	for _, w := range words {
		ok := false
		for _, n := range nw {
			if n == w || (len(w) >= 3 && strings.HasPrefix(n, w)) {
				ok = true
				break
			}
		}
		if !ok {
			for _, n := range nw {
				if len(w) >= 4 && levenshtein.ComputeDistance(w, n) <= maxTypos(w) {
					ok = true
					fuzzy++
					break
				}
			}
		}
		if ok {
			matched++
		}
	}
	if matched == len(words) {
		s := 6 - 2*float64(len(nw)-len(words))/float64(len(nw)+1)
		return s - 1.5*float64(fuzzy)
	}
	if strings.Contains(name, q) {
		return 3
	}
	if matched > 0 && len(words) > 1 {
		return float64(matched) / float64(len(words))
	}
	return 0
}

func maxTypos(w string) int {
	if len(w) >= 8 {
		return 2
	}
	return 1
}

// MaxHops bounds path searches.
const MaxHops = 8

// Hop is one step of a path: a relationship's edge walked from one entity to the next.
type Hop struct {
	From, To *Entity
	Edge     *Edge
}

// Path returns a shortest chain of relationships from a to b of at most maxHops hops, walking
// only relationships of the kinds in via (all when empty), or nil when there is none. It stops
// with ctx's error when ctx is done.
func (v *View) Path(ctx interface{ Err() error }, a, b *Entity, maxHops int, via []string) ([]Hop, error) {
	if a == b {
		return []Hop{}, nil
	}
	maxHops = max(0, min(maxHops, MaxHops))
	prev := map[*Entity]Hop{a: {}}
	frontier := []*Entity{a}
	for d := 0; d < maxHops && len(frontier) > 0; d++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var next []*Entity
		for _, n := range frontier {
			for _, ed := range v.Edges(n) {
				if len(via) > 0 && !contains(via, ed.Relation.Kind) {
					continue
				}
				o, _ := ed.Other(n)
				if _, seen := prev[o]; seen || !v.EntityVisible(o) {
					continue
				}
				prev[o] = Hop{From: n, To: o, Edge: ed}
				if o == b {
					var hops []Hop
					for x := b; x != a; x = prev[x].From {
						hops = append([]Hop{prev[x]}, hops...)
					}
					return hops, nil
				}
				next = append(next, o)
			}
		}
		frontier = next
	}
	return nil, nil
}
