package index

import (
	"context"
	"strings"
	"testing"

	"github.com/kgraph/telegraph/kg"
)

// TestPathsWalkThroughFacts checks that a path goes from participant to participant through a
// relationship, one hop, and never walks one relationship twice: the third party of a
// partnership is not an intermediary between the other two, and the two owners of a joint
// venture are one hop apart through their stake.
func TestPathsWalkThroughFacts(t *testing.T) {
	g := newBuilder()
	a, b, c, jv, d := g.entity("a"), g.entity("b"), g.entity("c"), g.entity("jv"), g.entity("d")
	g.rel("p-abc", kg.Partnership, "party", a, "party", b, "party", c)
	g.rel("stake-c-d-jv", kg.Stake, "owner", c, "owner", d, "company", jv)
	x := Build(g.qs)
	v := x.At("")
	ctx := context.Background()
	show := func(paths [][]Hop) string {
		var out []string
		for _, p := range paths {
			var s []string
			for _, h := range p {
				s = append(s, h.From.ID+">"+h.To.ID+"("+h.Edge.Relation.ID+" "+h.Edge.FromRole+"/"+h.Edge.ToRole+")")
			}
			out = append(out, strings.Join(s, " "))
		}
		return strings.Join(out, "; ")
	}

	paths, err := v.Paths(ctx, x.Entity(a), x.Entity(c), 5, 4, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := show(paths), "a>c(p-abc party/party)"; got != want {
		t.Errorf("paths a to c: got %s, want %s: b is no intermediary between two parties of one partnership", got, want)
	}
	p, err := v.Path(ctx, x.Entity(c), x.Entity(d), 4, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := show([][]Hop{p}), "c>d(stake-c-d-jv owner/owner)"; got != want {
		t.Errorf("path c to d: got %s, want %s", got, want)
	}
	paths, err = v.Paths(ctx, x.Entity(a), x.Entity(d), 5, 4, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := show(paths), "a>c(p-abc party/party) c>d(stake-c-d-jv owner/owner)"; got != want {
		t.Errorf("paths a to d: got %s, want %s", got, want)
	}
}
