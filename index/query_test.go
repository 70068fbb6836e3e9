package index

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/kgraph/telegraph/kg"
)

// builder makes quads in our vocabulary for tests, all from one article.
type builder struct{ qs []Quad }

const testLabel = "kg:article/a"

func iriT(v string) Term { return Term{Value: v, IRI: true} }
func litT(v string) Term { return Term{Value: v} }

func newBuilder() *builder {
	return &builder{qs: []Quad{
		{iriT(testLabel), iriT(kg.PredKind), litT(kg.ArticleKind), iriT(testLabel)},
		{iriT(testLabel), iriT(kg.PredDate), litT("2020-01-01"), iriT(testLabel)},
	}}
}

func (g *builder) entity(id string) string {
	s := kg.EntityIRI(id)
	g.qs = append(g.qs, Quad{iriT(s), iriT(kg.PredKind), litT("Company"), iriT(testLabel)}, Quad{iriT(s), iriT(kg.PredName), litT(id), iriT(testLabel)})
	return s
}

// rel adds a relationship; roles alternate role name and entity IRI.
func (g *builder) rel(id, kind string, roles ...string) {
	r := kg.RelationIRI(id)
	g.qs = append(g.qs, Quad{iriT(r), iriT(kg.PredRelation), litT(kind), iriT(testLabel)})
	for i := 0; i < len(roles); i += 2 {
		g.qs = append(g.qs, Quad{iriT(r), iriT(kg.RolePrefix + roles[i]), iriT(roles[i+1]), iriT(testLabel)})
	}
}

// synthetic builds a graph of n companies: company 0 is a hub partnered with every other, and
// each company i > 0 has a subsidiary chain of length chain below it.
func synthetic(n, chain int) *Index {
	g := newBuilder()
	hub := g.entity("c0")
	for i := 1; i < n; i++ {
		c := g.entity(fmt.Sprint("c", i))
		g.rel(fmt.Sprint("p", i), kg.Partnership, "party", hub, "party", c)
		parent := c
		for j := 0; j < chain; j++ {
			s := g.entity(fmt.Sprintf("c%d-s%d", i, j))
			g.rel(fmt.Sprintf("s%d-%d", i, j), kg.Subsidiary, "parent", parent, "subsidiary", s)
			parent = s
		}
	}
	return Build(g.qs)
}

func TestPathBounds(t *testing.T) {
	x := synthetic(5000, 3)
	v := x.At("")
	a, b := x.Entity(kg.EntityIRI("c1-s2")), x.Entity(kg.EntityIRI("c2-s2"))
	ctx := context.Background()

	// c1-s2 -> c1-s1 -> c1-s0 -> c1 -> c0 -> c2 -> c2-s0 -> c2-s1 -> c2-s2: eight hops.
	if p, err := v.Path(ctx, a, b, 7, nil); err != nil || p != nil {
		t.Errorf("within 7 hops: %v, %v; want none", p, err)
	}
	p, err := v.Path(ctx, a, b, 8, nil)
	if err != nil || len(p) != 8 {
		t.Fatalf("within 8 hops: %d hops, %v; want 8", len(p), err)
	}
	if p, err := v.Path(ctx, a, b, 8, []string{kg.Partnership}); err != nil || p != nil {
		t.Errorf("via partnership only: %v, %v; want none", p, err)
	}

	done, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := v.Path(done, x.Entity(kg.EntityIRI("c1")), b, 8, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled search: %v, want context.Canceled", err)
	}
	if _, err := v.Paths(done, a, b, 3, 8, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled k-paths: %v, want context.Canceled", err)
	}
	if _, err := v.Neighborhood(done, x.Entity(kg.EntityIRI("c0")), 2, 500, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled neighborhood: %v, want context.Canceled", err)
	}
}

func TestKShortestPaths(t *testing.T) {
	// a-b directly (twice, by two partnerships), a-c-b, a-d-e-b.
	g := newBuilder()
	a, b, c, d, e := g.entity("a"), g.entity("b"), g.entity("c"), g.entity("d"), g.entity("e")
	g.rel("ab1", kg.Partnership, "party", a, "party", b)
	g.rel("ab2", kg.Supply, "supplier", a, "customer", b)
	g.rel("ac", kg.Partnership, "party", a, "party", c)
	g.rel("cb", kg.Partnership, "party", c, "party", b)
	g.rel("ad", kg.Partnership, "party", a, "party", d)
	g.rel("de", kg.Partnership, "party", d, "party", e)
	g.rel("eb", kg.Partnership, "party", e, "party", b)
	x := Build(g.qs)
	v := x.At("")
	paths, err := v.Paths(context.Background(), x.Entity(a), x.Entity(b), 10, 4, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, p := range paths {
		got = append(got, len(p))
	}
	if fmt.Sprint(got) != "[1 1 2 3]" {
		t.Errorf("path lengths = %v, want [1 1 2 3]", got)
	}
	paths, _ = v.Paths(context.Background(), x.Entity(a), x.Entity(b), 10, 2, nil)
	if len(paths) != 3 {
		t.Errorf("within 2 hops: %d paths, want 3", len(paths))
	}
	paths, _ = v.Paths(context.Background(), x.Entity(a), x.Entity(b), 2, 4, nil)
	if len(paths) != 2 {
		t.Errorf("k=2: %d paths", len(paths))
	}
}

func TestTraverseDirection(t *testing.T) {
	x := synthetic(3, 3)
	v := x.At("")
	f := &Filter{RelationKinds: []string{kg.Subsidiary}}
	down, err := v.Traverse(context.Background(), x.Entity(kg.EntityIRI("c1")), Out, 4, f)
	if err != nil || len(down) != 3 || down[2].Depth != 3 || down[2].Entity.Name != "c1-s2" {
		t.Fatalf("down = %+v, %v", down, err)
	}
	up, _ := v.Traverse(context.Background(), x.Entity(kg.EntityIRI("c1-s2")), In, 4, f)
	if len(up) != 3 || up[2].Entity.Name != "c1" {
		t.Errorf("up = %+v", up)
	}
	none, _ := v.Traverse(context.Background(), x.Entity(kg.EntityIRI("c1-s2")), Out, 4, f)
	if len(none) != 0 {
		t.Errorf("below the last subsidiary: %+v", none)
	}
	// Partnerships have no direction: walked from either party.
	p, _ := v.Traverse(context.Background(), x.Entity(kg.EntityIRI("c2")), Out, 1, &Filter{RelationKinds: []string{kg.Partnership}})
	if len(p) != 1 || p[0].Entity.Name != "c0" {
		t.Errorf("partners of c2 = %+v", p)
	}
}
