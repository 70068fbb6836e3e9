package model

import (
	"strings"

	"github.com/kgraph/telegraph/index"
)

// Resource is any node of the quad store.
type Resource struct {
	V     *index.View
	Node  string // IRI or blank node id, as stored
	Blank bool
}

// ResourceOf returns the resource named by iri ("_:id" for a blank node), or nil when no quad
// mentions it.
func ResourceOf(v *index.View, iri string) *Resource {
	r := &Resource{V: v, Node: iri}
	if id, ok := strings.CutPrefix(iri, "_:"); ok {
		r.Node, r.Blank = id, true
	}
	if !v.HasNode(r.Node) {
		return nil
	}
	return r
}

// Iri returns the IRI, or "_:id" for a blank node.
func (r *Resource) Iri() string {
	if r.Blank {
		return "_:" + r.Node
	}
	return r.Node
}

func (r *Resource) OutPredicates() []string { return nonNil(r.V.Predicates(r.Node, true)) }
func (r *Resource) InPredicates() []string  { return nonNil(r.V.Predicates(r.Node, false)) }

// Out pages the statements the resource is the subject of.
func (r *Resource) Out(predicate *string, first *int, after *string) (*StatementConnection, error) {
	return r.statements(true, predicate, first, after)
}

// In pages the statements the resource is the object of.
func (r *Resource) In(predicate *string, first *int, after *string) (*StatementConnection, error) {
	return r.statements(false, predicate, first, after)
}

func (r *Resource) statements(out bool, predicate *string, first *int, after *string) (*StatementConnection, error) {
	p := ""
	if predicate != nil {
		p = *predicate
	}
	list := r.V.Statements(r.Node, out, p)
	c := &StatementConnection{TotalCount: len(list), Edges: []*StatementEdge{}}
	var err error
	c.PageInfo, err = page(list, first, after, 100, MaxPage, func(cur string, q index.Quad) {
		c.Edges = append(c.Edges, &StatementEdge{cur, &Statement{r.V, q}})
	})
	return c, err
}

// Objects pages the distinct nodes its statements with the predicate point to.
func (r *Resource) Objects(predicate *string, first *int, after *string) (*ResourceConnection, error) {
	return r.hop(true, predicate, first, after)
}

// Subjects pages the distinct subjects of the statements with the predicate that point to it.
func (r *Resource) Subjects(predicate *string, first *int, after *string) (*ResourceConnection, error) {
	return r.hop(false, predicate, first, after)
}

func (r *Resource) hop(out bool, predicate *string, first *int, after *string) (*ResourceConnection, error) {
	p := ""
	if predicate != nil {
		p = *predicate
	}
	var nodes []index.Term
	seen := map[index.Term]bool{}
	for _, q := range r.V.Statements(r.Node, out, p) {
		t := q.Subject
		if out {
			t = q.Object
		}
		if (t.IRI || t.BNode) && !seen[t] {
			seen[t] = true
			nodes = append(nodes, t)
		}
	}
	return ResourceConnectionOf(r.V, nodes, first, after)
}

// Values returns the literal objects of its statements with the predicate (any when nil).
func (r *Resource) Values(predicate *string) []string {
	out := []string{}
	for _, q := range r.V.Statements(r.Node, true, "") {
		if (predicate == nil || q.Predicate.Value == *predicate) && !q.Object.IRI && !q.Object.BNode {
			out = append(out, q.Object.Value)
		}
	}
	return out
}

// Entity returns the entity the resource stands for, or nil.
func (r *Resource) Entity() Entity {
	if e := r.V.Entity(r.Node); !r.Blank && r.V.EntityVisible(e) {
		return EntityOf(r.V, e)
	}
	return nil
}

// Statement is one quad.
type Statement struct {
	V *index.View
	Q index.Quad
}

func (s *Statement) Subject() *Resource {
	return &Resource{V: s.V, Node: s.Q.Subject.Value, Blank: s.Q.Subject.BNode}
}
func (s *Statement) Predicate() string { return s.Q.Predicate.Value }
func (s *Statement) Object() *Value    { return &Value{s.V, s.Q.Object} }
func (s *Statement) Label() *string    { return ptr(s.Q.Label.Value) }

// Value is a statement's object.
type Value struct {
	V *index.View
	T index.Term
}

// Value returns the IRI, "_:id" or literal text.
func (v *Value) Value() string {
	if v.T.BNode {
		return "_:" + v.T.Value
	}
	return v.T.Value
}

// Resource returns the node when the value is one.
func (v *Value) Resource() *Resource {
	if !v.T.IRI && !v.T.BNode {
		return nil
	}
	return &Resource{V: v.V, Node: v.T.Value, Blank: v.T.BNode}
}

func (v *Value) Datatype() *string { return ptr(v.T.Datatype) }
func (v *Value) Language() *string { return ptr(v.T.Lang) }

// StatementConnection is a page of statements.
type StatementConnection struct {
	Edges      []*StatementEdge
	PageInfo   *PageInfo
	TotalCount int
}

// StatementEdge is one statement of a page.
type StatementEdge struct {
	Cursor string
	Node   *Statement
}

// Nodes returns the page's statements.
func (c *StatementConnection) Nodes() []*Statement {
	out := make([]*Statement, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node
	}
	return out
}

// ResourceConnection is a page of resources.
type ResourceConnection struct {
	Edges      []*ResourceEdge
	PageInfo   *PageInfo
	TotalCount int
}

// ResourceEdge is one resource of a page.
type ResourceEdge struct {
	Cursor string
	Node   *Resource
}

// Nodes returns the page's resources.
func (c *ResourceConnection) Nodes() []*Resource {
	out := make([]*Resource, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node
	}
	return out
}

// ResourceConnectionOf pages the nodes.
func ResourceConnectionOf(v *index.View, nodes []index.Term, first *int, after *string) (*ResourceConnection, error) {
	c := &ResourceConnection{TotalCount: len(nodes), Edges: []*ResourceEdge{}}
	var err error
	c.PageInfo, err = page(nodes, first, after, 100, MaxPage, func(cur string, n index.Term) {
		c.Edges = append(c.Edges, &ResourceEdge{cur, &Resource{V: v, Node: n.Value, Blank: n.BNode}})
	})
	return c, err
}
