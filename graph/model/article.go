package model

import (
	"slices"
	"sort"
	"unicode/utf8"

	"github.com/kgraph/telegraph/index"
	"github.com/kgraph/telegraph/kg"
	"github.com/kgraph/telegraph/loader"
)

// Article is a source article.
type Article struct {
	V *index.View
	A *index.Article
}

// ArticleOf wraps a.
func ArticleOf(v *index.View, a *index.Article) *Article { return &Article{v, a} }

// Articles wraps each article of list.
func Articles(v *index.View, list []*index.Article) []*Article {
	out := make([]*Article, len(list))
	for i, a := range list {
		out[i] = ArticleOf(v, a)
	}
	return out
}

func (Article) IsNode()            {}
func (a Article) GetID() string    { return GlobalID(a.A.IRI) }
func (a Article) ID() string       { return GlobalID(a.A.IRI) }
func (a Article) Iri() string      { return a.A.IRI }
func (a Article) Key() string      { return a.A.ID }
func (a Article) Title() string    { return a.A.Title }
func (a Article) Date() Date       { return Date(a.A.Date) }
func (a Article) Heading() *string { return ptr(a.A.Heading) }
func (a Article) URL() *string     { return ptr(a.A.URL) }
func (a Article) Notes() []string  { return nonNil(a.A.Notes) }
func (a Article) FactCount() int   { return factCount(a.V, a.A) }

// Entities pages the entities the article names, by name.
func (a Article) Entities(first *int, after *string) (*EntityConnection, error) {
	return EntityConnectionOf(a.V, a.V.ArticleEntities(a.A), first, after, 50, 500)
}

// Relationships pages the relationships the article states, by key.
func (a Article) Relationships(first *int, after *string) (*RelationshipConnection, error) {
	return RelationshipConnectionOf(a.V, a.V.ArticleRelations(a.A), first, after)
}

// factCount counts the quads the article states, its text aside: the text is not a fact.
func factCount(v *index.View, a *index.Article) int {
	n := 0
	for _, q := range v.LabelQuads(a.IRI) {
		if q.Predicate.Value != kg.PredText {
			n++
		}
	}
	return n
}

// Text returns the article's full text, or nil when it was stored without one.
func (a Article) Text() *string { return ptr(articleText(a.V, a.A)) }

// HasText reports whether the article was stored with its text.
func (a Article) HasText() bool { return articleText(a.V, a.A) != "" }

// articleText returns the text stored with the article: the kg:text quad its own label states.
func articleText(v *index.View, a *index.Article) string {
	for _, q := range v.SubjectQuads(a.IRI) {
		if q.Predicate.Value == kg.PredText && q.Label.Value == a.IRI {
			return q.Object.Value
		}
	}
	return ""
}

// QuoteSpan is where one quote of an article's facts sits in its text.
type QuoteSpan struct {
	Quote         string
	Start, End    int // Unicode code points
	Relationships []Relationship
	Entities      []Entity
}

// QuoteSpans locates each distinct quote of the facts the article states in its text, in text
// order; quotes the text does not hold (none, when the store checked them) are left out.
func (a Article) QuoteSpans() []*QuoteSpan {
	out := []*QuoteSpan{}
	text := articleText(a.V, a.A)
	if text == "" {
		return out
	}
	t := loader.NewText(text)
	byQuote := map[string]*QuoteSpan{}
	span := func(quote string) *QuoteSpan {
		if sp, ok := byQuote[quote]; ok {
			return sp
		}
		var sp *QuoteSpan
		if at, ok := t.Locate(quote); ok {
			start := utf8.RuneCountInString(text[:at.Start])
			sp = &QuoteSpan{Quote: quote, Start: start, End: start + utf8.RuneCountInString(text[at.Start:at.End]),
				Relationships: []Relationship{}, Entities: []Entity{}}
			out = append(out, sp)
		}
		byQuote[quote] = sp
		return sp
	}
	for _, r := range a.V.ArticleRelations(a.A) {
		for _, ev := range r.Evidence {
			if ev.Article != a.A {
				continue
			}
			if sp := span(ev.Quote); sp != nil {
				sp.Relationships = append(sp.Relationships, RelationshipOf(a.V, r))
			}
		}
	}
	for _, e := range a.V.ArticleEntities(a.A) {
		for _, ev := range e.Evidence {
			if ev.Article != a.A {
				continue
			}
			if sp := span(ev.Quote); sp != nil {
				sp.Entities = append(sp.Entities, EntityOf(a.V, e))
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// Evidence is a quote with its article.
type Evidence struct {
	Quote   string
	Article *Article
}

// EvidenceOf wraps the evidence the view sees.
func EvidenceOf(v *index.View, ev []index.Evidence) []*Evidence {
	var out []*Evidence
	for _, e := range v.Evidence(ev) {
		if e.Article != nil {
			out = append(out, &Evidence{Quote: e.Quote, Article: ArticleOf(v, e.Article)})
		}
	}
	if out == nil {
		out = []*Evidence{}
	}
	return out
}

// Edge is one drawn edge.
type Edge struct {
	V *index.View
	E *index.Edge
	// source and target are the global IDs of E's ends when the edge's graph computed them.
	source, target string
}

func (e *Edge) ID() string                 { return GlobalID(kg.EdgeIRI(e.E.Relation.ID, e.E.From.ID, e.E.To.ID)) }
func (e *Edge) Source() string             { return orID(e.source, e.E.From) }
func (e *Edge) Target() string             { return orID(e.target, e.E.To) }
func (e *Edge) Kind() string               { return e.E.Relation.Kind }
func (e *Edge) RelationKind() string       { return e.E.Relation.Kind }
func (e *Edge) SourceRole() string         { return e.E.FromRole }
func (e *Edge) TargetRole() string         { return e.E.ToRole }
func (e *Edge) Relationship() Relationship { return RelationshipOf(e.V, e.E.Relation) }

// orID returns id, or the global ID of e when id was not computed.
func orID(id string, e *index.Entity) string {
	if id != "" {
		return id
	}
	return GlobalID(e.IRI)
}

// Hop is one step of a path.
type Hop struct {
	V *index.View
	H index.Hop
}

func (h *Hop) From() Entity               { return EntityOf(h.V, h.H.From) }
func (h *Hop) To() Entity                 { return EntityOf(h.V, h.H.To) }
func (h *Hop) Kind() string               { return h.H.Edge.Relation.Kind }
func (h *Hop) RelationKind() string       { return h.H.Edge.Relation.Kind }
func (h *Hop) Relationship() Relationship { return RelationshipOf(h.V, h.H.Edge.Relation) }
func (h *Hop) Evidence() []*Evidence      { return EvidenceOf(h.V, h.H.Edge.Relation.Evidence) }

// FromRole returns the role the hop's From plays in the relationship walked; the edge may be
// drawn the other way.
func (h *Hop) FromRole() string {
	if h.H.Edge.From == h.H.From {
		return h.H.Edge.FromRole
	}
	return h.H.Edge.ToRole
}

// ToRole returns the role the hop's To plays in the relationship walked.
func (h *Hop) ToRole() string {
	if h.H.Edge.From == h.H.From {
		return h.H.Edge.ToRole
	}
	return h.H.Edge.FromRole
}

// Relationships returns every relationship between the hop's ends, the one walked first.
func (h *Hop) Relationships() []Relationship {
	var rels []*index.Relation
	for _, ed := range h.V.Parallel(h.H, nil) {
		if !slices.Contains(rels, ed.Relation) {
			rels = append(rels, ed.Relation)
		}
	}
	return Relationships(h.V, rels)
}
