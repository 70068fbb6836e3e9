// Package index is the read side of the graph: an immutable in-memory picture of every quad in
// the store, with entities, relationships and articles resolved into linked structs.
//
// The store rebuilds an Index after every write and swaps it in whole, so a reader always sees
// one consistent state and never waits on the quad store's iterators. Queries go through a View,
// which applies the as-of date a request asks for.
package index

import (
	"slices"
	"sort"
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

// facts are what entities and relationships both carry.
type facts struct {
	Attrs    map[string]string
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
	byKind      map[string][]*Relation // Relations by kind
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
	id               string
}

// ID is the edge's stable identifier: the relationship's id and its two ends' ids.
func (e *Edge) ID() string { return e.id }

// Other returns the end of the edge that is not e, and whether x is the From end.
func (e *Edge) Other(x *Entity) (*Entity, bool) {
	if e.From == x {
		return e.To, true
	}
	return e.From, false
}

// Index is an immutable picture of the graph.
type Index struct {
	quads     []Quad
	out, in   map[string][]int32 // node value -> positions in quads
	entities  map[string]*Entity // by IRI
	relations map[string]*Relation
	articles  map[string]*Article
	ordered   []*Entity // by name
	byName    map[string][]*Entity
	// relOrdered is every relationship by id; byArticle what each article states.
	relOrdered []*Relation
	byArticle  map[*Article]*stated
	byLabel    map[string][]int32 // label -> positions in quads
	search     searchIndex        // built on first use
	facts      factIndex          // built on first use
	literals   literalIndex       // built on first use
}

// Entity returns the entity with the IRI, or nil.
func (x *Index) Entity(iri string) *Entity { return x.entities[iri] }

// Relation returns the relationship with the IRI, or nil.
func (x *Index) Relation(iri string) *Relation { return x.relations[iri] }

// Article returns the article with the IRI, or nil.
func (x *Index) Article(iri string) *Article { return x.articles[iri] }

// Entities returns every entity, ordered by name.
func (x *Index) Entities() []*Entity { return x.ordered }

// Articles returns every article, oldest first.
func (x *Index) Articles() []*Article {
	out := make([]*Article, 0, len(x.articles))
	for _, a := range x.articles {
		out = append(out, a)
	}
	sortArticles(out)
	return out
}

// QuadCount returns the number of quads in the index.
func (x *Index) QuadCount() int { return len(x.quads) }

// LabelQuads returns the quads stored under label.
func (x *Index) LabelQuads(label string) []Quad { return x.pick(x.byLabel[label]) }

// SubjectQuads returns the quads whose subject is the node.
func (x *Index) SubjectQuads(node string) []Quad { return x.pick(x.out[node]) }

// ObjectQuads returns the quads whose object is the node (an IRI or blank node).
func (x *Index) ObjectQuads(node string) []Quad { return x.pick(x.in[node]) }

func (x *Index) pick(pos []int32) []Quad {
	out := make([]Quad, len(pos))
	for i, p := range pos {
		out[i] = x.quads[p]
	}
	return out
}

// Normalize folds a name for lookup: lower case, single spaces, curly apostrophes made straight.
func Normalize(s string) string {
	s = strings.ReplaceAll(s, "’", "'")
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

func sortArticles(a []*Article) {
	sort.Slice(a, func(i, j int) bool {
		if a[i].Date != a[j].Date {
			return a[i].Date < a[j].Date
		}
		return a[i].IRI < a[j].IRI
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
