package index

import (
	"slices"
	"sort"
	"strings"

	"github.com/kgraph/telegraph/kg"
)

// Build resolves quads into an Index. It never fails: facts in our vocabulary become entities,
// relationships and articles; every quad, ours or foreign, stays reachable as a resource.
func Build(quads []Quad) *Index { return BuildTable(Encode(quads)) }

// BuildTable is Build for quads already in a Table, which the index keeps: the table must not be
// changed afterwards.
func BuildTable(t *Table) *Index {
	x := &Index{
		tab:       t,
		nodes:     map[string]uint32{},
		entities:  map[string]*Entity{},
		relations: map[string]*Relation{},
		articles:  map[string]*Article{},
		byName:    map[string][]*Entity{},
	}
	x.number()
	// Articles first: every other fact refers to its article through the label.
	each(t, func(q *Quad) {
		if q.Predicate.Value == kg.PredKind && q.Object.Value == kg.ArticleKind && strings.HasPrefix(q.Subject.Value, kg.ArticlePrefix) {
			x.articles[q.Subject.Value] = &Article{IRI: q.Subject.Value, ID: kg.LocalID(q.Subject.Value)}
		}
	})
	each(t, func(q *Quad) {
		if a := x.articles[q.Subject.Value]; a != nil {
			switch q.Predicate.Value {
			case kg.PredName:
				a.Title = q.Object.Value
			case kg.PredDate:
				a.Date = q.Object.Value
			case kg.PredHeading:
				a.Heading = q.Object.Value
			case kg.PredURL:
				a.URL = q.Object.Value
			case kg.PredNote:
				a.Notes = append(a.Notes, q.Object.Value)
			}
		}
	})
	edited := applyEdits(t)
	x.resolveEntities(edited)
	x.resolveRelations(edited)
	x.finish()
	return x
}

// each calls f with every quad of the list in turn; q is reused between calls.
func each(l QuadList, f func(q *Quad)) {
	var q Quad
	for i := range l.Len() {
		q = l.At(i)
		f(&q)
	}
}

// number gives each IRI or blank node that is a subject, an object or a label a node number,
// and lists each node's quads as subject, as object and as label.
func (x *Index) number() {
	t := x.tab
	const none = ^uint32(0)
	node := make([]uint32, len(t.Terms)) // term -> node, none when not (yet) one
	for i := range node {
		node[i] = none
	}
	of := func(term uint32) uint32 {
		if n := node[term]; n != none {
			return n
		}
		v := t.Terms[term].Value
		n, ok := x.nodes[v]
		if !ok {
			n = uint32(len(x.nodes))
			x.nodes[v] = n
		}
		node[term] = n
		return n
	}
	for _, r := range t.Rows {
		of(r[0])
		if o := &t.Terms[r[2]]; o.IRI || o.BNode {
			of(r[2])
		}
		of(r[3])
	}
	n := len(x.nodes)
	x.out.fill(n, len(t.Rows), func(i int) (uint32, bool) { return node[t.Rows[i][0]], true })
	x.in.fill(n, len(t.Rows), func(i int) (uint32, bool) {
		if o := &t.Terms[t.Rows[i][2]]; o.IRI || o.BNode {
			return node[t.Rows[i][2]], true
		}
		return 0, false
	})
	x.byLabel.fill(n, len(t.Rows), func(i int) (uint32, bool) { return node[t.Rows[i][3]], true })
}

func (x *Index) resolveEntities(quads QuadList) {
	each(quads, func(q *Quad) {
		if q.Predicate.Value == kg.PredKind && strings.HasPrefix(q.Subject.Value, kg.EntityPrefix) && x.entities[q.Subject.Value] == nil {
			x.entities[q.Subject.Value] = &Entity{IRI: q.Subject.Value, ID: kg.LocalID(q.Subject.Value), Kind: q.Object.Value}
		}
	})
	each(quads, func(q *Quad) {
		e := x.entities[q.Subject.Value]
		if e == nil {
			return
		}
		if x.shared(&e.facts, q) {
			return
		}
		v := q.Object.Value
		switch p := q.Predicate.Value; {
		case p == kg.PredName:
			if e.Name == "" || v < e.Name { // stable choice should files ever disagree
				if e.Name != "" {
					e.Aliases = appendUnique(e.Aliases, e.Name)
				}
				e.Name = v
			} else if v != e.Name {
				e.Aliases = appendUnique(e.Aliases, v)
			}
		case p == kg.PredAlias:
			e.Aliases = appendUnique(e.Aliases, v)
		case p == kg.PredFormer:
			e.Former = appendUnique(e.Former, v)
		}
	})
}

func (x *Index) resolveRelations(quads QuadList) {
	each(quads, func(q *Quad) {
		if q.Predicate.Value == kg.PredRelation && x.relations[q.Subject.Value] == nil {
			x.relations[q.Subject.Value] = &Relation{IRI: q.Subject.Value, ID: kg.LocalID(q.Subject.Value), Kind: q.Object.Value}
		}
	})
	each(quads, func(q *Quad) {
		r := x.relations[q.Subject.Value]
		if r == nil {
			return
		}
		if x.shared(&r.facts, q) {
			return
		}
		if p := q.Predicate.Value; strings.HasPrefix(p, kg.RolePrefix) {
			role := p[len(kg.RolePrefix):]
			if e := x.entities[q.Object.Value]; e != nil && !r.HasParticipant(e, role) {
				r.Participants = append(r.Participants, Participant{role, e})
			}
		}
	})
}

// shared records a quad's article as a source and, when the quad states a quote, a note or an
// attribute (facts entities and relationships both carry), records that too and returns true.
func (x *Index) shared(f *facts, q *Quad) bool {
	art := x.articles[q.Label.Value]
	if art != nil && !containsArticle(f.Sources, art) {
		f.Sources = append(f.Sources, art)
	}
	v := q.Object.Value
	switch p := q.Predicate.Value; {
	case p == kg.PredQuote:
		f.Evidence = append(f.Evidence, Evidence{v, art})
	case p == kg.PredNote:
		f.Notes = appendUnique(f.Notes, v)
	case strings.HasPrefix(p, kg.AttrPrefix):
		f.Attrs.set(p[len(kg.AttrPrefix):], v)
	default:
		return false
	}
	return true
}

// finish sorts everything into a stable order and draws each relationship's edges.
func (x *Index) finish() {
	for _, a := range x.articles {
		if a.Title == "" {
			a.Title = a.ID
		}
	}
	for _, e := range x.entities {
		if e.Name == "" {
			e.Name = e.ID
		}
		e.sortKey = strings.ToLower(e.Name)
		sortArticles(e.Sources)
		sortEvidence(e.Evidence)
		x.ordered = append(x.ordered, e)
		for _, n := range e.Names() {
			k := Normalize(n)
			if !containsEntity(x.byName[k], e) {
				x.byName[k] = append(x.byName[k], e)
			}
		}
	}
	sort.Slice(x.ordered, func(i, j int) bool { return entityLess(x.ordered[i], x.ordered[j]) })
	rels := make([]*Relation, 0, len(x.relations))
	for _, r := range x.relations {
		rels = append(rels, r)
	}
	sort.Slice(rels, func(i, j int) bool { return rels[i].ID < rels[j].ID })
	for _, r := range rels {
		sortArticles(r.Sources)
		sortEvidence(r.Evidence)
		sort.SliceStable(r.Participants, func(i, j int) bool {
			a, b := r.Participants[i], r.Participants[j]
			if a.Role != b.Role {
				return roleOrder(r.Kind, a.Role) < roleOrder(r.Kind, b.Role)
			}
			return a.Entity.ID < b.Entity.ID
		})
		x.draw(r)
		for _, p := range r.Participants {
			if len(p.Entity.Relations) == 0 || p.Entity.Relations[len(p.Entity.Relations)-1] != r {
				p.Entity.Relations = append(p.Entity.Relations, r)
			}
		}
	}
	for _, n := range x.byName {
		sort.Slice(n, func(i, j int) bool { return entityLess(n[i], n[j]) })
	}
	x.indexArticles(rels)
	for _, e := range x.entities {
		e.index()
	}
}

// hubDegree is the number of drawn edges above which an entity keeps its edges by neighbour, so
// that the edges between two hubs are found without walking either's list.
const hubDegree = 256

// kindDegree is the number of relationships above which an entity keeps them by kind, so that
// asking a country for its few part_of facts does not walk its located_in facts by the
// thousand. Below it a walk costs less than a map.
const kindDegree = 64

// index groups the entity's relationships by kind when it has many, and a hub's edges by
// neighbour.
func (e *Entity) index() {
	if len(e.Relations) > kindDegree {
		e.byKind = map[string][]*Relation{}
		for _, r := range e.Relations {
			e.byKind[r.Kind] = append(e.byKind[r.Kind], r)
		}
	}
	if len(e.Edges) > hubDegree {
		e.byNeighbour = map[*Entity][]*Edge{}
		for _, ed := range e.Edges {
			o, _ := ed.Other(e)
			e.byNeighbour[o] = append(e.byNeighbour[o], ed)
		}
	}
}

// draw computes the edges a relationship is drawn as (see kg.Position).
func (x *Index) draw(r *Relation) {
	kind, known := kg.LookupRelation(r.Kind)
	pos := func(role string) kg.Position {
		if !known {
			return kg.Party
		}
		if ro, ok := kind.Role(role); ok {
			return ro.Position
		}
		return kg.Target
	}
	seen := map[[2]*Entity]bool{}
	ps := r.Participants
	for i, a := range ps {
		for j, b := range ps {
			if i == j || a.Entity == b.Entity {
				continue
			}
			pa, pb := pos(a.Role), pos(b.Role)
			ok := (pa == kg.Source && pb == kg.Target) || (pa == kg.Party && pb == kg.Target) ||
				(pa == kg.Party && pb == kg.Party && i < j)
			if !ok {
				continue
			}
			key := [2]*Entity{a.Entity, b.Entity}
			if seen[key] || (pa == kg.Party && pb == kg.Party && seen[[2]*Entity{b.Entity, a.Entity}]) {
				continue
			}
			seen[key] = true
			e := &Edge{Relation: r, From: a.Entity, To: b.Entity, FromRole: a.Role, ToRole: b.Role}
			r.Edges = append(r.Edges, e)
			a.Entity.Edges = append(a.Entity.Edges, e)
			b.Entity.Edges = append(b.Entity.Edges, e)
		}
	}
}

func roleOrder(kind, role string) int {
	if k, ok := kg.LookupRelation(kind); ok {
		for i, r := range k.Roles {
			if r.Name == role {
				return i
			}
		}
	}
	return 1 << 20
}

func entityLess(a, b *Entity) bool {
	na, nb := a.key(), b.key()
	if na != nb {
		return na < nb
	}
	return a.IRI < b.IRI
}

// key returns the name entities sort by: lower-cased once, when the index is built, since
// sorting a hub's partners compares each name many times.
func (e *Entity) key() string {
	if e.sortKey == "" {
		return strings.ToLower(e.Name)
	}
	return e.sortKey
}

func sortEvidence(ev []Evidence) {
	sort.SliceStable(ev, func(i, j int) bool {
		a, b := ev[i].Article, ev[j].Article
		if a == nil || b == nil {
			return a != nil
		}
		if a.Date != b.Date {
			return a.Date < b.Date
		}
		return a.IRI < b.IRI
	})
}

func appendUnique(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

func containsArticle(list []*Article, a *Article) bool {
	for _, x := range list {
		if x == a {
			return true
		}
	}
	return false
}

func containsEntity(list []*Entity, e *Entity) bool {
	for _, x := range list {
		if x == e {
			return true
		}
	}
	return false
}
