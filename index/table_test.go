package index

import (
	"fmt"
	"slices"
	"testing"
)

func iri(v string) Term { return Term{Value: v, IRI: true} }

func TestTableNext(t *testing.T) {
	var quads []Quad
	for i := range 40 {
		quads = append(quads, Quad{iri(fmt.Sprint("s", i)), iri("p"), Term{Value: fmt.Sprint("o", i)}, iri("l")})
	}
	t0 := Encode(quads)
	if got, want := len(t0.Terms), 40+40+2; got != want {
		t.Fatalf("terms %d, want %d: each distinct term once", got, want)
	}
	drop := map[Quad]bool{}
	for _, q := range quads[:30] {
		drop[q] = true
	}
	added := []Quad{{iri("s0"), iri("p"), Term{Value: "new"}, iri("l")}, quads[35]}
	t1 := t0.Next(drop, Quads(added))
	want := append(slices.Clone(quads[30:]), added...)
	var got []Quad
	for _, q := range t1.All() {
		got = append(got, q)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("next table:\n got %v\nwant %v", got, want)
	}
	// 60 of 82 terms were only in dropped quads: they go, and the rows follow.
	if len(t1.Terms) >= len(t0.Terms) {
		t.Errorf("terms %d after dropping most quads, before %d: unused terms kept", len(t1.Terms), len(t0.Terms))
	}
	seen := map[Term]bool{}
	for _, term := range t1.Terms {
		if seen[term] {
			t.Errorf("term %v twice in the dictionary", term)
		}
		seen[term] = true
	}
	// The first table is untouched: indexes built from it stay valid.
	for i, q := range t0.All() {
		if q != quads[i] {
			t.Fatalf("quad %d of the old table changed: %v, was %v", i, q, quads[i])
		}
	}
}

func TestCSRAndNodes(t *testing.T) {
	quads := []Quad{
		{iri("a"), iri("p"), iri("b"), iri("l1")},
		{iri("b"), iri("p"), Term{Value: "a"}, iri("l1")}, // a literal "a" is no node
		{iri("a"), iri("q"), iri("c"), iri("l2")},
	}
	x := Build(quads)
	if got := len(x.SubjectQuads("a")); got != 2 {
		t.Errorf("quads with subject a: %d, want 2", got)
	}
	if got := len(x.ObjectQuads("a")); got != 0 {
		t.Errorf("quads with object node a: %d, want 0 (the literal is not the node)", got)
	}
	if got := x.ObjectQuads("b"); len(got) != 1 || got[0] != quads[0] {
		t.Errorf("quads with object b: %v", got)
	}
	if got := x.LabelQuads("l2"); len(got) != 1 || got[0] != quads[2] {
		t.Errorf("quads under l2: %v", got)
	}
	if x.HasNode("zz") || !x.HasNode("c") {
		t.Error("HasNode wrong")
	}
}

// A first load's table is the start of the next: its quads, then the others', each term once.
func TestTableNextFromEmpty(t *testing.T) {
	file := []Quad{{iri("a"), iri("p"), iri("b"), iri("l")}, {iri("b"), iri("p"), iri("a"), iri("l")}}
	more := Quads{{iri("a"), iri("q"), Term{Value: "x"}, iri("m")}}
	ft := Encode(file)
	next := (&Table{}).Next(nil, ft, more)
	var got []Quad
	for _, q := range next.All() {
		got = append(got, q)
	}
	if want := append(slices.Clone(file), more...); !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if len(next.Terms) != 7 {
		t.Errorf("%d terms, want 7 (a, p, b, l, q, x, m), each once", len(next.Terms))
	}
	if len(ft.Rows) != 2 {
		t.Errorf("the file's table changed: %d rows", len(ft.Rows))
	}
}

// An index's next table equals the table's own next, quad for quad, and numbers the added
// nodes it knows with the numbers it has.
func TestIndexNext(t *testing.T) {
	var quads []Quad
	for i := range 40 {
		quads = append(quads, Quad{iri(fmt.Sprint("s", i%7)), iri("p"), Term{Value: fmt.Sprint("o", i)}, iri("l")})
	}
	x := Build(quads)
	drop := map[Quad]bool{quads[3]: true, quads[17]: true, {iri("nope"), iri("p"), iri("x"), iri("l")}: true}
	added := Quads{{iri("s1"), iri("p"), Term{Value: "o5"}, iri("l2")}, {iri("new"), iri("p"), iri("s2"), iri("l")}}
	got, want := x.Next(drop, added), x.Quads().Next(drop, added)
	if got.Len() != want.Len() {
		t.Fatalf("%d quads, want %d", got.Len(), want.Len())
	}
	for i := range want.Len() {
		if got.At(i) != want.At(i) {
			t.Fatalf("quad %d: %v, want %v", i, got.At(i), want.At(i))
		}
	}
	// s1 and s2 were known nodes and p a known predicate: the added rows use their numbers.
	if last := got.Rows[got.Len()-2]; last[0] != x.Quads().Rows[1][0] || last[1] != x.Quads().Rows[0][1] {
		t.Errorf("a known node was numbered anew: row %v", last)
	}
	if n := len(got.Terms) - len(x.Quads().Terms); n != 3 {
		t.Errorf("%d terms added for 2 quads, want 3: l2, new, and o5 again as a literal", n)
	}
}
