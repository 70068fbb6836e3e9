package index

import (
	"cmp"
	"runtime"
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
	x := &Index{tab: t, nodes: map[string]uint32{}, byName: map[string][]*Entity{}}
	node := x.number()
	x.ents = make([]*Entity, len(x.nodes))
	x.rels = make([]*Relation, len(x.nodes))
	x.arts = make([]*Article, len(x.nodes))
	// Articles first: every other fact refers to its article through the label.
	b := newResolver(x, t, node)
	b.articles()
	if e := applyEdits(t, x.LabelQuads(kg.EditsLabel)); e != t {
		b = newResolver(x, e, x.nodesOf(e))
	}
	b.entities()
	b.relations()
	x.finish()
	return x
}

// number gives each IRI or blank node that is a subject, an object or a label a node number,
// lists each node's quads as subject, as object and as label, and returns each term's node
// (none when it is not one).
func (x *Index) number() []uint32 {
	t := x.tab
	node := make([]uint32, len(t.Terms))
	for i := range node {
		node[i] = none
	}
	eachNode(t, func(term uint32) {
		if node[term] != none {
			return
		}
		v := t.Terms[term].Value
		n, ok := x.nodes[v]
		if !ok {
			n = uint32(len(x.nodes))
			x.nodes[v] = n
			x.nodeTerm = append(x.nodeTerm, term)
		}
		node[term] = n
	})
	// The predicates, few and in every write, are found by their terms too (see Next).
	x.preds = map[Term]uint32{}
	seen := make([]bool, len(t.Terms))
	for _, r := range t.Rows {
		if !seen[r[1]] {
			seen[r[1]] = true
			if _, ok := x.preds[t.Terms[r[1]]]; !ok {
				x.preds[t.Terms[r[1]]] = r[1]
			}
		}
	}
	n := len(x.nodes)
	x.out.fill(n, len(t.Rows), func(i int) (uint32, bool) { return node[t.Rows[i][0]], true })
	x.in.fill(n, len(t.Rows), func(i int) (uint32, bool) {
		o := node[t.Rows[i][2]]
		return o, o != none && isNode(&t.Terms[t.Rows[i][2]])
	})
	x.byLabel.fill(n, len(t.Rows), func(i int) (uint32, bool) { return node[t.Rows[i][3]], true })
	return node
}

// yield lets other goroutines run every few thousand steps of a build's long loops. A build
// takes its core for hundreds of milliseconds at a million quads; without it, a query that
// arrives while the build and another heavy response hold every core waits for Go's 10 ms
// time slice at each of its steps.
func yield(i int) {
	if i&(yieldEvery-1) == yieldEvery-1 {
		runtime.Gosched()
	}
}

const yieldEvery = 4096

// none is the node of a term that is no node.
const none = ^uint32(0)

func isNode(t *Term) bool { return t.IRI || t.BNode }

// eachNode calls f with the term of every quad's subject, label and, when it is an IRI or a
// blank node, object.
func eachNode(t *Table, f func(term uint32)) {
	for i, r := range t.Rows {
		yield(i)
		f(r[0])
		if isNode(&t.Terms[r[2]]) {
			f(r[2])
		}
		f(r[3])
	}
}

// nodesOf returns the node of each term of t, a table of quads whose nodes x has numbered.
func (x *Index) nodesOf(t *Table) []uint32 {
	node := make([]uint32, len(t.Terms))
	for i := range node {
		node[i] = none
	}
	eachNode(t, func(term uint32) {
		if n, ok := x.nodes[t.Terms[term].Value]; ok {
			node[term] = n
		}
	})
	return node
}

// A resolver resolves the quads of a table into x's entities, relationships and articles,
// looking each quad's nodes up by number and its predicate by a class worked out once per
// predicate term.
type resolver struct {
	x     *Index
	t     *Table
	node  []uint32 // term -> node
	class []predClass
}

type predClass uint8

const (
	pUnknown predClass = iota // not worked out yet
	pOther
	pKind
	pName
	pAlias
	pFormer
	pRelation
	pQuote
	pNote
	pDate
	pHeading
	pURL
	pAttr // kg.AttrPrefix + key
	pRole // kg.RolePrefix + role
)

// predClasses are the classes of the predicates the resolver reads by name.
var predClasses = map[string]predClass{
	kg.PredKind: pKind, kg.PredName: pName, kg.PredAlias: pAlias, kg.PredFormer: pFormer,
	kg.PredRelation: pRelation, kg.PredQuote: pQuote, kg.PredNote: pNote, kg.PredDate: pDate,
	kg.PredHeading: pHeading, kg.PredURL: pURL,
}

func newResolver(x *Index, t *Table, node []uint32) *resolver {
	return &resolver{x: x, t: t, node: node, class: make([]predClass, len(t.Terms))}
}

// pred returns the class of the row's predicate.
func (b *resolver) pred(r *Row) predClass {
	c := b.class[r[1]]
	if c != pUnknown {
		return c
	}
	p := b.t.Terms[r[1]].Value
	switch c = predClasses[p]; {
	case c != pUnknown:
	case strings.HasPrefix(p, kg.AttrPrefix):
		c = pAttr
	case strings.HasPrefix(p, kg.RolePrefix):
		c = pRole
	default:
		c = pOther
	}
	b.class[r[1]] = c
	return c
}

func (b *resolver) value(term uint32) string { return b.t.Terms[term].Value }

// object returns the node of the row's object, none when it is a literal.
func (b *resolver) object(r *Row) uint32 {
	if !isNode(&b.t.Terms[r[2]]) {
		return none
	}
	return b.node[r[2]]
}

func (b *resolver) articles() {
	x := b.x
	for i := range b.t.Rows {
		yield(i)
		r := &b.t.Rows[i]
		if b.pred(r) == pKind && b.value(r[2]) == kg.ArticleKind && x.arts[b.node[r[0]]] == nil {
			if s := b.value(r[0]); strings.HasPrefix(s, kg.ArticlePrefix) {
				x.arts[b.node[r[0]]] = &Article{IRI: s, ID: kg.LocalID(s)}
			}
		}
	}
	for i := range b.t.Rows {
		yield(i)
		r := &b.t.Rows[i]
		a := x.arts[b.node[r[0]]]
		if a == nil {
			continue
		}
		switch v := b.value(r[2]); b.pred(r) {
		case pName:
			a.Title = v
		case pDate:
			a.Date = v
		case pHeading:
			a.Heading = v
		case pURL:
			a.URL = v
		case pNote:
			a.Notes = append(a.Notes, v)
		}
	}
}

func (b *resolver) entities() {
	x := b.x
	for i := range b.t.Rows {
		yield(i)
		r := &b.t.Rows[i]
		if b.pred(r) == pKind && x.ents[b.node[r[0]]] == nil {
			if s := b.value(r[0]); strings.HasPrefix(s, kg.EntityPrefix) {
				x.ents[b.node[r[0]]] = &Entity{IRI: s, ID: kg.LocalID(s), Kind: b.value(r[2])}
			}
		}
	}
	for i := range b.t.Rows {
		yield(i)
		r := &b.t.Rows[i]
		e := x.ents[b.node[r[0]]]
		if e == nil || b.shared(&e.facts, r) {
			continue
		}
		switch v := b.value(r[2]); b.pred(r) {
		case pName:
			if e.Name == "" || v < e.Name { // stable choice should files ever disagree
				if e.Name != "" {
					e.Aliases = appendUnique(e.Aliases, e.Name)
				}
				e.Name = v
			} else if v != e.Name {
				e.Aliases = appendUnique(e.Aliases, v)
			}
		case pAlias:
			e.Aliases = appendUnique(e.Aliases, v)
		case pFormer:
			e.Former = appendUnique(e.Former, v)
		}
	}
}

func (b *resolver) relations() {
	x := b.x
	for i := range b.t.Rows {
		yield(i)
		r := &b.t.Rows[i]
		if b.pred(r) == pRelation && x.rels[b.node[r[0]]] == nil {
			s := b.value(r[0])
			x.rels[b.node[r[0]]] = &Relation{IRI: s, ID: kg.LocalID(s), Kind: b.value(r[2])}
		}
	}
	for i := range b.t.Rows {
		yield(i)
		r := &b.t.Rows[i]
		rel := x.rels[b.node[r[0]]]
		if rel == nil || b.shared(&rel.facts, r) || b.pred(r) != pRole {
			continue
		}
		if o := b.object(r); o != none {
			role := b.value(r[1])[len(kg.RolePrefix):]
			if e := x.ents[o]; e != nil && !rel.HasParticipant(e, role) {
				rel.Participants = append(rel.Participants, Participant{role, e})
			}
		}
	}
}

// shared records a quad's article as a source and, when the quad states a quote, a note or an
// attribute (facts entities and relationships both carry), records that too and returns true.
func (b *resolver) shared(f *facts, r *Row) bool {
	art := b.x.arts[b.node[r[3]]]
	if art != nil && !containsArticle(f.Sources, art) {
		f.Sources = append(f.Sources, art)
	}
	v := b.value(r[2])
	switch b.pred(r) {
	case pQuote:
		f.Evidence = append(f.Evidence, Evidence{v, art})
	case pNote:
		f.Notes = appendUnique(f.Notes, v)
	case pAttr:
		f.Attrs.set(b.value(r[1])[len(kg.AttrPrefix):], v)
	default:
		return false
	}
	return true
}

// finish sorts everything into a stable order and draws each relationship's edges.
func (x *Index) finish() {
	for _, a := range x.arts {
		if a != nil && a.Title == "" {
			a.Title = a.ID
		}
	}
	for i, e := range x.ents {
		yield(i)
		if e == nil {
			continue
		}
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
	var rels []*Relation
	for _, r := range x.rels {
		if r != nil {
			rels = append(rels, r)
		}
	}
	slices.SortFunc(rels, func(a, b *Relation) int { return strings.Compare(a.ID, b.ID) })
	for i, r := range rels {
		yield(i)
		sortArticles(r.Sources)
		sortEvidence(r.Evidence)
		if len(r.Participants) > 1 {
			slices.SortStableFunc(r.Participants, func(a, b Participant) int {
				if a.Role != b.Role {
					return cmp.Compare(roleOrder(r.Kind, a.Role), roleOrder(r.Kind, b.Role))
				}
				return strings.Compare(a.Entity.ID, b.Entity.ID)
			})
		}
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
	x.rankEdges(rels)
	x.indexArticles(rels)
	for i, e := range x.ordered {
		yield(i)
		e.index()
	}
}

// rankEdges numbers every edge in a stable order, so that answers sort edges by comparing two
// integers: by relationship id, then as the relationship draws them (see draw).
func (x *Index) rankEdges(rels []*Relation) {
	n := uint32(0)
	for _, r := range rels {
		for _, e := range r.Edges {
			e.rank = n
			n++
		}
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
	if len(ev) < 2 {
		return
	}
	slices.SortStableFunc(ev, func(x, y Evidence) int {
		a, b := x.Article, y.Article
		switch {
		case a == nil || b == nil:
			return cmp.Compare(nilArticle(a), nilArticle(b))
		case a.Date != b.Date:
			return strings.Compare(a.Date, b.Date)
		}
		return strings.Compare(a.IRI, b.IRI)
	})
}

// nilArticle orders evidence without an article after evidence with one.
func nilArticle(a *Article) int {
	if a == nil {
		return 1
	}
	return 0
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
