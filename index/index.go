// Package index is the read side of the graph: an immutable in-memory picture of every quad in
// the store, with entities, relationships and articles resolved into linked structs.
//
// The store rebuilds an Index after every write and swaps it in whole, so a reader always sees
// one consistent state and never waits on the quad store's iterators. Queries go through a View,
// which applies the as-of date a request asks for.
package index

import (
	"slices"
	"strings"
)

// Term is one node or literal of a quad.
type Term struct {
	Value    string // IRI, blank node id or literal text
	IRI      bool
	BNode    bool
	Datatype string // datatype IRI of a typed literal
	Lang     string // language of a language-tagged literal
}

// Quad is one stored fact. Label is the IRI of the article it comes from, or of the file a
// foreign N-Quads set came from.
type Quad struct {
	Subject, Predicate, Object, Label Term
}

// Article is a source article.
type Article struct {
	IRI, ID, Title, Date, Heading, URL string
	Notes                              []string
}

// Evidence is a verbatim quote from one article.
type Evidence struct {
	Quote   string
	Article *Article
}

// Attr is one attribute of an entity or relationship: its key and the text of its value.
type Attr struct{ Key, Value string }

// Attrs are attributes ordered by key, one per key: a short sorted list costs a fraction of a
// map on each of millions of relationships, and is as quick to search at this size.
type Attrs []Attr

// Lookup returns the value of the attribute with the key and whether there is one.
func (a Attrs) Lookup(key string) (string, bool) {
	i, ok := slices.BinarySearchFunc(a, key, func(at Attr, k string) int { return strings.Compare(at.Key, k) })
	if !ok {
		return "", false
	}
	return a[i].Value, true
}

// Get returns the value of the attribute with the key, or "".
func (a Attrs) Get(key string) string {
	v, _ := a.Lookup(key)
	return v
}

// set gives the key a value unless it has one.
func (a *Attrs) set(key, value string) {
	i, ok := slices.BinarySearchFunc(*a, key, func(at Attr, k string) int { return strings.Compare(at.Key, k) })
	if !ok {
		*a = slices.Insert(*a, i, Attr{key, value})
	} else if (*a)[i].Value == "" {
		(*a)[i].Value = value
	}
}

// facts are what entities and relationships both carry.
type facts struct {
	Attrs    Attrs
	Notes    []string
	Evidence []Evidence
	Sources  []*Article // articles that state them, oldest first
}

// Entity is a resolved entity.
type Entity struct {
	facts
	IRI, ID, Kind, Name string
	Aliases             []string
	Former              []string
	Edges               []*Edge // drawn edges it is an end of
	Relations           []*Relation

	sortKey     string                 // Name lower-cased, what entityLess compares
	byKind      map[string][]*Relation // Relations by kind, for entities in many (see kindDegree)
	byNeighbour map[*Entity][]*Edge    // Edges by the other end, for hubs only (see hubDegree)
}

// Participant is one entity in one role of a relationship.
type Participant struct {
	Role   string
	Entity *Entity
}

// Relation is a resolved relationship node.
type Relation struct {
	facts
	IRI, ID, Kind string
	Participants  []Participant
	Edges         []*Edge
}

// Edge is one drawn edge of a relationship: from a source-role participant to a target-role one,
// or between two parties.
type Edge struct {
	Relation         *Relation
	From, To         *Entity
	FromRole, ToRole string
	rank             uint32 // the edge's place among all edges (see rankEdges)
}

// ID is the edge's stable identifier: the relationship's id and its two ends' ids. It is made
// when asked for, not kept: most edges are never named in an answer.
func (e *Edge) ID() string { return e.Relation.ID + "|" + e.From.ID + "|" + e.To.ID }

// edgeLess orders edges by their rank.
func edgeLess(a, b *Edge) bool { return a.rank < b.rank }

// Other returns the end of the edge that is not e, and whether x is the From end.
func (e *Edge) Other(x *Entity) (*Entity, bool) {
	if e.From == x {
		return e.To, true
	}
	return e.From, false
}

// Index is an immutable picture of the graph.
type Index struct {
	tab *Table
	// nodes numbers each IRI or blank node that is a subject, an object or a label, by value;
	// out, in and byLabel give each node's quads as positions in tab.Rows.
	nodes            map[string]uint32
	nodeTerm         []uint32        // a term of each node: the first quad's, in table order
	preds            map[Term]uint32 // the term of each predicate
	out, in, byLabel csr
	// ents, rels and arts are the entity, relationship and article each node is, if any.
	ents    []*Entity
	rels    []*Relation
	arts    []*Article
	ordered []*Entity // by name
	byName  map[string][]*Entity
	// relOrdered is every relationship by id; byArticle what each article states.
	relOrdered []*Relation
	byArticle  map[*Article]*stated
	search     searchIndex  // built on first use
	facts      factIndex    // built on first use
	literals   literalIndex // built on first use
}

// Entity returns the entity with the IRI, or nil.
func (x *Index) Entity(iri string) *Entity {
	if n, ok := x.nodes[iri]; ok {
		return x.ents[n]
	}
	return nil
}

// Relation returns the relationship with the IRI, or nil.
func (x *Index) Relation(iri string) *Relation {
	if n, ok := x.nodes[iri]; ok {
		return x.rels[n]
	}
	return nil
}

// Article returns the article with the IRI, or nil.
func (x *Index) Article(iri string) *Article {
	if n, ok := x.nodes[iri]; ok {
		return x.arts[n]
	}
	return nil
}

// Entities returns every entity, ordered by name.
func (x *Index) Entities() []*Entity { return x.ordered }

// Articles returns every article, oldest first.
func (x *Index) Articles() []*Article {
	var out []*Article
	for _, a := range x.arts {
		if a != nil {
			out = append(out, a)
		}
	}
	sortArticles(out)
	return out
}

// QuadCount returns the number of quads in the index.
func (x *Index) QuadCount() int { return len(x.tab.Rows) }

// LabelQuads returns the quads stored under label.
func (x *Index) LabelQuads(label string) []Quad { return x.pick(x.positions(&x.byLabel, label)) }

// SubjectQuads returns the quads whose subject is the node.
func (x *Index) SubjectQuads(node string) []Quad { return x.pick(x.positions(&x.out, node)) }

// ObjectQuads returns the quads whose object is the node (an IRI or blank node).
func (x *Index) ObjectQuads(node string) []Quad { return x.pick(x.positions(&x.in, node)) }

// positions returns the node's quad positions in c, none when the value is no node.
func (x *Index) positions(c *csr, node string) []uint32 {
	n, ok := x.nodes[node]
	if !ok {
		return nil
	}
	return c.of(n)
}

func (x *Index) pick(pos []uint32) []Quad {
	out := make([]Quad, len(pos))
	for i, p := range pos {
		out[i] = x.tab.At(int(p))
	}
	return out
}

// Normalize folds a name for lookup: lower case, single spaces, curly apostrophes made straight.
func Normalize(s string) string {
	s = strings.ReplaceAll(s, "’", "'")
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

func sortArticles(a []*Article) {
	if len(a) < 2 {
		return
	}
	slices.SortFunc(a, func(x, y *Article) int {
		if x.Date != y.Date {
			return strings.Compare(x.Date, y.Date)
		}
		return strings.Compare(x.IRI, y.IRI)
	})
}

// Names returns the entity's canonical name, aliases and former names.
func (e *Entity) Names() []string {
	out := append([]string{e.Name}, e.Aliases...)
	return append(out, e.Former...)
}

// Role returns the participants in role.
func (r *Relation) Role(role string) []*Entity {
	var out []*Entity
	for _, p := range r.Participants {
		if p.Role == role {
			out = append(out, p.Entity)
		}
	}
	return out
}

// HasParticipant reports whether e takes part in r in any of the roles (any role when none given).
func (r *Relation) HasParticipant(e *Entity, roles ...string) bool {
	for _, p := range r.Participants {
		if p.Entity == e && (len(roles) == 0 || slices.Contains(roles, p.Role)) {
			return true
		}
	}
	return false
}
