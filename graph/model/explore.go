package model

import (
	"fmt"
	"strings"

	"github.com/kgraph/telegraph/index"
	"github.com/kgraph/telegraph/render"
)

// Graph is a subgraph for drawing.
type Graph struct {
	V *index.View
	G index.Subgraph
}

// Nodes returns the subgraph's entities.
func (g *Graph) Nodes() []Entity { return Entities(g.V, g.G.Nodes) }

// Edges returns the subgraph's drawn edges. A node's global ID is computed once for all its
// edges rather than once per end of each edge, and the edges share one allocation.
func (g *Graph) Edges() []*Edge {
	ids := make(map[*index.Entity]string, len(g.G.Nodes))
	id := func(e *index.Entity) string {
		s, ok := ids[e]
		if !ok {
			s = GlobalID(e.IRI)
			ids[e] = s
		}
		return s
	}
	all := make([]Edge, len(g.G.Edges))
	out := make([]*Edge, len(g.G.Edges))
	for i, e := range g.G.Edges {
		all[i] = Edge{V: g.V, E: e, source: id(e.From), target: id(e.To)}
		out[i] = &all[i]
	}
	return out
}

// Truncated reports whether the node cap cut the subgraph short.
func (g *Graph) Truncated() bool { return g.G.Truncated }

// Cytoscape returns the subgraph as Cytoscape.js elements JSON.
func (g *Graph) Cytoscape() map[string]any { return render.Cytoscape(g.V, g.G) }

// Graphml returns the subgraph as a GraphML document.
func (g *Graph) Graphml() (string, error) {
	var b strings.Builder
	err := render.GraphML(&b, g.V, g.G)
	return b.String(), err
}

// Path is a chain of relationships.
type Path struct {
	V    *index.View
	Hops []*Hop
}

// PathOf wraps the hops of a path.
func PathOf(v *index.View, hops []index.Hop) *Path {
	p := &Path{V: v, Hops: []*Hop{}}
	for _, h := range hops {
		p.Hops = append(p.Hops, &Hop{V: v, H: h})
	}
	return p
}

// Length returns the number of hops.
func (p *Path) Length() int { return len(p.Hops) }

// Graph returns the path's entities, in order, and its edges.
func (p *Path) Graph() *Graph {
	g := index.Subgraph{}
	for i, h := range p.Hops {
		if i == 0 {
			g.Nodes = append(g.Nodes, h.H.From)
		}
		g.Nodes = append(g.Nodes, h.H.To)
		g.Edges = append(g.Edges, h.H.Edge)
	}
	return &Graph{V: p.V, G: g}
}

// PartnerLink says why an organisation is a partner.
type PartnerLink struct {
	V *index.View
	L index.PartnerLink
}

func (l *PartnerLink) Partner() Entity            { return EntityOf(l.V, l.L.Partner) }
func (l *PartnerLink) Relationship() Relationship { return RelationshipOf(l.V, l.L.Relation) }
func (l *PartnerLink) Inferred() bool             { return l.L.Inferred() }
func (l *PartnerLink) Basis() []Relationship      { return Relationships(l.V, l.L.Basis) }

// Through returns the subsidiary or branch the link goes through, or nil.
func (l *PartnerLink) Through() Entity {
	if l.L.Through == nil {
		return nil
	}
	return EntityOf(l.V, l.L.Through)
}

// JointVenture returns the joint venture both own, or nil.
func (l *PartnerLink) JointVenture() Entity {
	if l.L.JointVenture == nil {
		return nil
	}
	return EntityOf(l.V, l.L.JointVenture)
}

// Explanation says the link in one sentence, naming the facts (by relationship id) it rests on.
func (l *PartnerLink) Explanation() string {
	k := l.L
	var b strings.Builder
	self := k.Partner.Name
	counterpart := k.Of.Name
	if k.Through != nil {
		counterpart = k.Through.Name
	}
	if k.JointVenture != nil {
		fmt.Fprintf(&b, "%s and %s both hold stakes in the joint venture %s (stake %s and stake %s)",
			self, counterpart, k.JointVenture.Name, k.Basis[len(k.Basis)-1].ID, k.Basis[len(k.Basis)-2].ID)
	} else {
		fmt.Fprintf(&b, "%s and %s are parties to a partnership (partnership %s)", self, counterpart, k.Relation.ID)
	}
	if k.Through != nil {
		b.WriteString("; ")
		b.WriteString(k.Through.Name)
		b.WriteString(" is a subsidiary")
		var subs []string
		for _, r := range k.Basis {
			if r.Kind == "subsidiary" {
				subs = append(subs, r.ID)
			}
		}
		if len(subs) > 1 {
			b.WriteString(" (through several levels)")
		}
		fmt.Fprintf(&b, " of %s (subsidiary %s)", k.Of.Name, strings.Join(subs, ", "))
	}
	b.WriteString(".")
	return b.String()
}

// PartnerLinkConnection is a page of partner links.
type PartnerLinkConnection struct {
	Edges      []*PartnerLinkEdge
	PageInfo   *PageInfo
	TotalCount int
	// Unplaced is, with a country, the partners the view places in no country.
	Unplaced []Entity
}

// PartnerLinkEdge is one partner link of a page.
type PartnerLinkEdge struct {
	Cursor string
	Node   *PartnerLink
}

// Nodes returns the page's links.
func (c *PartnerLinkConnection) Nodes() []*PartnerLink {
	out := make([]*PartnerLink, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node
	}
	return out
}

// PartnerLinkConnectionOf pages links (at most 500 a page).
func PartnerLinkConnectionOf(v *index.View, links []index.PartnerLink, first *int, after *string) (*PartnerLinkConnection, error) {
	c := &PartnerLinkConnection{TotalCount: len(links), Edges: []*PartnerLinkEdge{}}
	var err error
	c.PageInfo, err = page(links, first, after, 50, 500, func(cur string, l index.PartnerLink) {
		c.Edges = append(c.Edges, &PartnerLinkEdge{cur, &PartnerLink{v, l}})
	})
	return c, err
}

// Reach is an entity a traversal reached.
type Reach struct {
	V *index.View
	R index.Reach
}

func (r *Reach) Node() Entity               { return EntityOf(r.V, r.R.Entity) }
func (r *Reach) Depth() int                 { return r.R.Depth }
func (r *Reach) From() Entity               { return EntityOf(r.V, r.R.From) }
func (r *Reach) Relationship() Relationship { return RelationshipOf(r.V, r.R.Edge.Relation) }

// ReachConnection is a page of traversal results.
type ReachConnection struct {
	Edges      []*ReachEdge
	PageInfo   *PageInfo
	TotalCount int
}

// ReachEdge is one traversal result of a page.
type ReachEdge struct {
	Cursor string
	Node   *Reach
}

// Nodes returns the page's results.
func (c *ReachConnection) Nodes() []*Reach {
	out := make([]*Reach, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node
	}
	return out
}

// ReachConnectionOf pages traversal results (at most 500 a page).
func ReachConnectionOf(v *index.View, list []index.Reach, first *int, after *string) (*ReachConnection, error) {
	c := &ReachConnection{TotalCount: len(list), Edges: []*ReachEdge{}}
	var err error
	c.PageInfo, err = page(list, first, after, 50, 500, func(cur string, r index.Reach) {
		c.Edges = append(c.Edges, &ReachEdge{cur, &Reach{v, r}})
	})
	return c, err
}

// Stats are counts over the graph.
type Stats struct{ S index.Stats }

func (s *Stats) Entities() int          { return s.S.Entities }
func (s *Stats) Relationships() int     { return s.S.Relationships }
func (s *Stats) Articles() int          { return s.S.Articles }
func (s *Stats) Quads() int             { return s.S.Quads }
func (s *Stats) ByEntityKind() []*Count { return Counts(s.S.ByEntityKind) }
func (s *Stats) ByRelation() []*Count   { return Counts(s.S.ByRelation) }
func (s *Stats) ByCountry() []*Count    { return Counts(s.S.ByCountry) }
func (s *Stats) ByYear() []*Count       { return Counts(s.S.ByYear) }
