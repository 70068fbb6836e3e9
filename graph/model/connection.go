package model

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/kgraph/telegraph/index"
	"github.com/kgraph/telegraph/kg"
)

// PageInfo is the paging state of a connection.
type PageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	StartCursor     *string
	EndCursor       *string
}

// MaxPage is the largest page a connection returns, unless the field states a smaller bound;
// a larger first is INVALID.
const MaxPage = 1000

func cursor(i int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o:" + strconv.Itoa(i)))
}

// offset returns the index of the first item after the cursor in a list of length items.
// A cursor this server did not give out, or one that points past the end of the list (a list
// that shrank, or a forged offset), is an INVALID error.
func offset(after *string, length int) (int, error) {
	if after == nil || *after == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*after)
	n, err2 := strconv.Atoi(strings.TrimPrefix(string(b), "o:"))
	if err != nil || err2 != nil || !strings.HasPrefix(string(b), "o:") || n < 0 {
		return 0, kg.Errorf(kg.EInvalid, "after: %q is not a cursor this server gave out", *after)
	}
	// n < length also keeps n+1 from overflowing.
	if n >= length {
		return 0, kg.Errorf(kg.EInvalid, "after: cursor %q points past the end of the list (%d items)", *after, length)
	}
	return n + 1, nil
}

// page cuts list to the page after the cursor: first items at most (def when nil). It calls edge
// for each item with its cursor. A first below 0 or above max, or a cursor that is not one of
// list's, is an INVALID error.
func page[T any](list []T, first *int, after *string, def, max int, edge func(cursor string, item T)) (*PageInfo, error) {
	n := def
	if first != nil {
		if *first < 0 || *first > max {
			return nil, kg.Errorf(kg.EInvalid, "first must be between 0 and %d, got %d: page with after for more", max, *first)
		}
		n = *first
	}
	start, err := offset(after, len(list))
	if err != nil {
		return nil, err
	}
	// start <= len(list), so len(list)-start does not overflow where start+n could.
	end := start + min(n, len(list)-start)
	info := &PageInfo{HasNextPage: end < len(list), HasPreviousPage: start > 0}
	for i := start; i < end; i++ {
		edge(cursor(i), list[i])
	}
	if end > start {
		s, e := cursor(start), cursor(end-1)
		info.StartCursor, info.EndCursor = &s, &e
	}
	return info, nil
}

// EntityConnection is a page of entities.
type EntityConnection struct {
	Edges      []*EntityEdge
	PageInfo   *PageInfo
	TotalCount int
	// Unplaced is, for a list a country narrows, what the view places in no country.
	Unplaced []Entity
}

// EntityEdge is one entity of a page.
type EntityEdge struct {
	Cursor string
	Node   Entity
}

// Nodes returns the page's entities.
func (c *EntityConnection) Nodes() []Entity {
	out := make([]Entity, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node
	}
	return out
}

// EntityConnectionOf pages the visible entities of list.
func EntityConnectionOf(v *index.View, list []*index.Entity, first *int, after *string, def, max int) (*EntityConnection, error) {
	all := Entities(v, list)
	c := &EntityConnection{TotalCount: len(all), Edges: []*EntityEdge{}}
	var err error
	c.PageInfo, err = page(all, first, after, def, max, func(cur string, e Entity) {
		c.Edges = append(c.Edges, &EntityEdge{cur, e})
	})
	return c, err
}

// RelationshipConnection is a page of relationships.
type RelationshipConnection struct {
	Edges      []*RelationshipEdge
	PageInfo   *PageInfo
	TotalCount int
}

// RelationshipEdge is one relationship of a page.
type RelationshipEdge struct {
	Cursor string
	Node   Relationship
}

// Nodes returns the page's relationships.
func (c *RelationshipConnection) Nodes() []Relationship {
	out := make([]Relationship, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node
	}
	return out
}

// RelationshipConnectionOf pages list (at most 500 a page).
func RelationshipConnectionOf(v *index.View, list []*index.Relation, first *int, after *string) (*RelationshipConnection, error) {
	c := &RelationshipConnection{TotalCount: len(list), Edges: []*RelationshipEdge{}}
	var err error
	c.PageInfo, err = page(list, first, after, 50, 500, func(cur string, r *index.Relation) {
		c.Edges = append(c.Edges, &RelationshipEdge{cur, RelationshipOf(v, r)})
	})
	return c, err
}

// ArticleConnection is a page of articles.
type ArticleConnection struct {
	Edges      []*ArticleEdge
	PageInfo   *PageInfo
	TotalCount int
}

// ArticleEdge is one article of a page.
type ArticleEdge struct {
	Cursor string
	Node   *Article
}

// Nodes returns the page's articles.
func (c *ArticleConnection) Nodes() []*Article {
	out := make([]*Article, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node
	}
	return out
}

// ArticleConnectionOf pages the articles the view sees (at most 500 a page).
func ArticleConnectionOf(v *index.View, list []*index.Article, first *int, after *string) (*ArticleConnection, error) {
	all := Articles(v, v.Sources(list))
	c := &ArticleConnection{TotalCount: len(all), Edges: []*ArticleEdge{}}
	var err error
	c.PageInfo, err = page(all, first, after, 50, 500, func(cur string, a *Article) {
		c.Edges = append(c.Edges, &ArticleEdge{cur, a})
	})
	return c, err
}

// SearchConnection is a page of search results.
type SearchConnection struct {
	Edges      []*SearchEdge
	PageInfo   *PageInfo
	TotalCount int
}

// SearchEdge is one search result.
type SearchEdge struct {
	Cursor string
	Score  float64
	Node   Entity
}

// Nodes returns the page's entities.
func (c *SearchConnection) Nodes() []Entity {
	out := make([]Entity, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node
	}
	return out
}

// SearchConnectionOf pages search hits (at most 100 a page).
func SearchConnectionOf(v *index.View, hits []index.Hit, first *int, after *string) (*SearchConnection, error) {
	c := &SearchConnection{TotalCount: len(hits), Edges: []*SearchEdge{}}
	var err error
	c.PageInfo, err = page(hits, first, after, 20, 100, func(cur string, h index.Hit) {
		c.Edges = append(c.Edges, &SearchEdge{cur, h.Score, EntityOf(v, h.Entity)})
	})
	return c, err
}

// Count is one group of an aggregate.
type Count struct {
	Key   string
	Count int
}

// Counts converts index counts.
func Counts(list []index.Count) []*Count {
	out := make([]*Count, len(list))
	for i, c := range list {
		out[i] = &Count{c.Key, c.Count}
	}
	return out
}

// LookupCountry resolves an optional country name; nil when name is nil.
func LookupCountry(v *index.View, name *string) (*index.Entity, error) {
	if name == nil {
		return nil, nil
	}
	c, err := v.Lookup(*name)
	if err != nil {
		return nil, err
	}
	if c.Kind != "Country" {
		return nil, kg.Errorf(kg.EInvalid, "%q is a %s, not a Country", *name, c.Kind)
	}
	return c, nil
}

// ToFilter resolves a GraphQL filter against the view; nil keeps everything. An unknown country
// is a NOT_FOUND error; an unknown kind or a negative minSources is INVALID.
func ToFilter(v *index.View, f *Filter) (*index.Filter, error) {
	if f == nil {
		return nil, nil
	}
	c, err := LookupCountry(v, f.Country)
	if err != nil {
		return nil, err
	}
	for _, k := range f.EntityKinds {
		if !kg.IsEntityKind(k) {
			return nil, kg.Errorf(kg.EInvalid, "filter.entityKinds: %q is not an entity kind (see the dataset's README for the vocabulary)", k)
		}
	}
	if err := CheckRelationKinds("filter.relationKinds", f.RelationKinds); err != nil {
		return nil, err
	}
	out := &index.Filter{EntityKinds: f.EntityKinds, RelationKinds: f.RelationKinds, Country: c, Since: f.Since.String(), Until: f.Until.String(),
		Unplaced: f.IncludeUnplaced != nil && *f.IncludeUnplaced}
	for i, c := range f.Attributes {
		if c.Key == "" {
			return nil, kg.Errorf(kg.EInvalid, "filter.attributes[%d]: key must not be empty", i)
		}
		out.Attrs = append(out.Attrs, index.AttrCond{Key: c.Key, Equals: c.Equals, Contains: c.Contains, AtLeast: c.AtLeast, AtMost: c.AtMost,
			After: c.After.String(), Before: c.Before.String(), Status: c.Status.vocabulary()})
	}
	if f.MinSources != nil {
		if *f.MinSources < 0 {
			return nil, kg.Errorf(kg.EInvalid, "filter.minSources must not be negative")
		}
		out.MinSources = *f.MinSources
	}
	return out, nil
}

// RelationKinds returns the relationship kinds an argument gives under its name relationKinds
// and under the older, deprecated name (kinds, via, relations): both count.
func RelationKinds(relationKinds, older []string) []string {
	return append(append([]string{}, relationKinds...), older...)
}

// CheckRelationKinds returns an INVALID error naming the argument when a kind is not a
// relationship kind of the vocabulary.
func CheckRelationKinds(arg string, kinds []string) error {
	for _, k := range kinds {
		if _, ok := kg.LookupRelation(k); !ok {
			return kg.Errorf(kg.EInvalid, "%s: %q is not a relationship kind; known kinds: %s", arg, k, strings.Join(kg.SortedRelationNames(), ", "))
		}
	}
	return nil
}
