package synth

import (
	"bytes"
	"slices"
	"testing"
)

func TestGraphHasAskedSizeHubsAndIsRepeatable(t *testing.T) {
	g := Plan(20_000, 3)
	n := 0
	degree := make([]int, g.Companies)
	err := g.Generate(func(s, p string, o Term, label string) error {
		n++
		if label == "" {
			t.Fatalf("quad %s %s without an article label", s, p)
		}
		return nil
	}, func(a, b int) { degree[a]++; degree[b]++ })
	if err != nil {
		t.Fatal(err)
	}
	if n < 20_000 || n > 20_010 {
		t.Errorf("%d quads, want about 20000", n)
	}
	sorted := slices.Clone(degree)
	slices.Sort(sorted)
	median := sorted[len(sorted)/2]
	if degree[0] < 20*max(median, 1) {
		t.Errorf("company 0 has %d partners and the median company %d: want a hub far above the median", degree[0], median)
	}
	var a, b bytes.Buffer
	if err := g.WriteNQuads(&a); err != nil {
		t.Fatal(err)
	}
	g.WriteNQuads(&b)
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the same size and seed gave different graphs")
	}
}
