package render

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/kgraph/telegraph/bench/synth"
	"github.com/kgraph/telegraph/index"
)

func iri(s string) index.Term { return index.Term{Value: s, IRI: true} }
func lit(s string) index.Term { return index.Term{Value: s} }

// odd holds the cases a streaming writer could get wrong: no label beside labels, a blank node
// and an IRI with one JSON-LD id, ids around "_:", a predicate spelled "@id", characters JSON
// and N-Quads escape, and a label's quads far apart.
var odd = index.Quads{
	{Subject: iri("kg:entity/a"), Predicate: iri("kg:name"), Object: lit("A <b> & \"c\"\n\t\\"), Label: iri("kg:article/<x>&")},
	{Subject: index.Term{Value: "b1", BNode: true}, Predicate: iri("p"), Object: index.Term{Value: "Bonjour", Lang: "fr"}},
	{Subject: iri("_:b1"), Predicate: iri("p"), Object: lit("the IRI spelled like the blank node")},
	{Subject: iri("_"), Predicate: iri("p"), Object: lit("shorter than the prefix")},
	{Subject: iri("_:"), Predicate: iri("p"), Object: lit("the prefix itself")},
	{Subject: iri("^"), Predicate: iri("p"), Object: lit("after _ in byte order")},
	{Subject: iri("Z"), Predicate: iri("p"), Object: lit("before _ in byte order")},
	{Subject: index.Term{Value: "", BNode: true}, Predicate: iri("p"), Object: lit("empty blank node")},
	{Subject: iri("kg:entity/a"), Predicate: iri("@id"), Object: iri("kg:entity/other")},
	{Subject: iri("kg:entity/a"), Predicate: iri("kg:name"), Object: lit("second value"), Label: iri("kg:article/<x>&")},
	{Subject: iri("/en/film"), Predicate: iri("/film/date"), Object: index.Term{Value: "2003-05-15", Datatype: "http://www.w3.org/2001/XMLSchema#date"}, Label: iri("kg:source/x")},
	{Subject: iri("/en/film"), Predicate: iri("/film/starring"), Object: index.Term{Value: "b1", BNode: true}, Label: iri("kg:source/x")},
	{Subject: iri("kg:entity/a"), Predicate: iri("kg:kind"), Object: lit("Company"), Label: iri("kg:article/<x>&")},
}

var (
	synthOnce  sync.Once
	synthQuads index.Quads
	synthIndex *index.Index
)

// synthetic returns the quads of a generated graph of about 20,000 quads, shuffled so that
// neither labels nor subjects come in runs, and the index built from them in their order.
func synthetic(t *testing.T) (index.Quads, *index.Index) {
	t.Helper()
	synthOnce.Do(func() {
		var qs index.Quads
		synth.Plan(20_000, 1).Generate(func(s, p string, o synth.Term, label string) error {
			qs = append(qs, index.Quad{Subject: iri(s), Predicate: iri(p), Object: index.Term{Value: o.Value, IRI: o.IRI}, Label: iri(label)})
			return nil
		}, nil)
		synthIndex = index.Build(qs)
		r := rand.New(rand.NewPCG(1, 2))
		r.Shuffle(len(qs), func(i, j int) { qs[i], qs[j] = qs[j], qs[i] })
		synthQuads = qs
	})
	return synthQuads, synthIndex
}

// subgraphs returns drawings of several sizes from the synthetic graph, the empty one included.
func subgraphs(t *testing.T) (*index.View, map[string]index.Subgraph) {
	_, x := synthetic(t)
	v := x.At("")
	out := map[string]index.Subgraph{"empty": {}}
	hub, err := v.Lookup(synth.CompanyName(0))
	if err != nil {
		t.Fatal(err)
	}
	for name, depth := range map[string]int{"hub": 1, "two hops": 2} {
		g, err := v.Neighborhood(context.Background(), hub, depth, 5000, nil)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = g
	}
	return v, out
}

func TestStreamingWritersMatchTheBufferedOnes(t *testing.T) {
	all, _ := synthetic(t)
	sets := map[string]index.Quads{"none": nil, "odd": odd, "synthetic": all}
	for name, quads := range sets {
		for _, f := range []struct {
			name      string
			streaming func(context.Context, io.Writer, index.QuadList, func(*index.Quad) bool) error
			reference func(io.Writer, []index.Quad) error
		}{{"N-Quads", NQuads, refNQuads}, {"JSON-LD", JSONLD, refJSONLD}} {
			t.Run(f.name+" of "+name, func(t *testing.T) {
				var got, want bytes.Buffer
				if err := f.streaming(context.Background(), &got, quads, nil); err != nil {
					t.Fatal(err)
				}
				if err := f.reference(&want, quads); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got.Bytes(), want.Bytes()) {
					t.Errorf("%d bytes differ from the buffered writer's %d; first difference at %d:\n%s", got.Len(), want.Len(), firstDiff(got.Bytes(), want.Bytes()), around(got.Bytes(), firstDiff(got.Bytes(), want.Bytes())))
				}
			})
		}
	}

	t.Run("keep leaves quads out", func(t *testing.T) {
		notX := func(q *index.Quad) bool { return q.Label.Value != "kg:source/x" }
		var kept index.Quads
		for i := range odd {
			if notX(&odd[i]) {
				kept = append(kept, odd[i])
			}
		}
		for _, f := range []struct {
			streaming func(context.Context, io.Writer, index.QuadList, func(*index.Quad) bool) error
			reference func(io.Writer, []index.Quad) error
		}{{NQuads, refNQuads}, {JSONLD, refJSONLD}} {
			var got, want bytes.Buffer
			f.streaming(context.Background(), &got, odd, notX)
			f.reference(&want, kept)
			if got.String() != want.String() {
				t.Errorf("got\n%s\nwant\n%s", got.String(), want.String())
			}
		}
	})

	v, gs := subgraphs(t)
	for name, g := range gs {
		for _, f := range []struct {
			name      string
			streaming func(context.Context, io.Writer, *index.View, index.Subgraph) error
			reference func(io.Writer, *index.View, index.Subgraph) error
		}{{"GraphML", WriteGraphML, refGraphML}, {"Cytoscape", WriteCytoscape, refCytoscape}} {
			t.Run(f.name+" of "+name, func(t *testing.T) {
				var got, want bytes.Buffer
				if err := f.streaming(context.Background(), &got, v, g); err != nil {
					t.Fatal(err)
				}
				if err := f.reference(&want, v, g); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got.Bytes(), want.Bytes()) {
					i := firstDiff(got.Bytes(), want.Bytes())
					t.Errorf("%d bytes differ from the buffered writer's %d at %d: got\n%s\nwant\n%s", got.Len(), want.Len(), i, around(got.Bytes(), i), around(want.Bytes(), i))
				}
			})
		}
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func around(b []byte, i int) string { return string(b[max(0, i-200):min(len(b), i+200)]) }

// cancelling is a writer that cancels its context on its first write, as a client that hangs
// up once the dump has begun, and counts what it is given after that.
type cancelling struct {
	cancel       context.CancelFunc
	before, then int
}

func (c *cancelling) Write(p []byte) (int, error) {
	if c.before == 0 {
		c.before = len(p)
		c.cancel()
		return len(p), nil
	}
	c.then += len(p)
	return len(p), nil
}

// Each writer stops when its context is done: at once when it already is, and within one more
// buffer when it ends while the writer is writing.
func TestWritersStopWithTheirContext(t *testing.T) {
	all, _ := synthetic(t)
	// Repeat the synthetic graph so that a complete run writes many buffers.
	var quads index.Quads
	for range 5 {
		quads = append(quads, all...)
	}
	v, gs := subgraphs(t)
	g := gs["two hops"]
	writers := map[string]func(context.Context, io.Writer) error{
		"N-Quads":   func(ctx context.Context, w io.Writer) error { return NQuads(ctx, w, quads, nil) },
		"JSON-LD":   func(ctx context.Context, w io.Writer) error { return JSONLD(ctx, w, quads, nil) },
		"GraphML":   func(ctx context.Context, w io.Writer) error { return WriteGraphML(ctx, w, v, g) },
		"Cytoscape": func(ctx context.Context, w io.Writer) error { return WriteCytoscape(ctx, w, v, g) },
	}
	for name, write := range writers {
		t.Run(name, func(t *testing.T) {
			var full bytes.Buffer
			if err := write(context.Background(), &full); err != nil {
				t.Fatal(err)
			}
			if full.Len() < 4*bufSize {
				t.Fatalf("a complete run writes %d bytes: too few to tell a stop from the end", full.Len())
			}

			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			var none bytes.Buffer
			if err := write(ctx, &none); !errors.Is(err, context.Canceled) || none.Len() > 0 {
				t.Errorf("with a done context: %v and %d bytes, want context.Canceled and none", err, none.Len())
			}

			ctx, cancel = context.WithCancel(context.Background())
			defer cancel()
			c := &cancelling{cancel: cancel}
			if err := write(ctx, c); !errors.Is(err, context.Canceled) {
				t.Errorf("cancelled while writing: %v, want context.Canceled", err)
			}
			if c.before == 0 || c.then > bufSize {
				t.Errorf("%d bytes before the cancel, %d after it (of %d): want some, then at most one buffer (%d)", c.before, c.then, full.Len(), bufSize)
			}
		})
	}
}

// failing is a writer whose every write fails, as one to a client that went away.
type failing struct{ writes int }

var errGone = errors.New("connection reset")

func (f *failing) Write(p []byte) (int, error) { f.writes++; return 0, errGone }

func TestWritersStopAtAWriteError(t *testing.T) {
	all, _ := synthetic(t)
	v, gs := subgraphs(t)
	g := gs["two hops"]
	writers := map[string]func(io.Writer) error{
		"N-Quads":   func(w io.Writer) error { return NQuads(context.Background(), w, all, nil) },
		"JSON-LD":   func(w io.Writer) error { return JSONLD(context.Background(), w, all, nil) },
		"GraphML":   func(w io.Writer) error { return WriteGraphML(context.Background(), w, v, g) },
		"Cytoscape": func(w io.Writer) error { return WriteCytoscape(context.Background(), w, v, g) },
	}
	for name, write := range writers {
		f := &failing{}
		if err := write(f); !errors.Is(err, errGone) || f.writes != 1 {
			t.Errorf("%s: %v after %d writes, want %v after the first", name, err, f.writes, errGone)
		}
	}
}

func TestMergeSortIsStable(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 31, 32, 33, 100, 1000, 4097} {
		keys := make([]int32, n)
		pos := make([]int32, n)
		for i := range keys {
			keys[i] = r.Int32N(10)
			pos[i] = int32(i)
		}
		if err := mergeSort(context.Background(), pos, func(a, b int32) int { return int(keys[a] - keys[b]) }); err != nil {
			t.Fatal(err)
		}
		for i := 1; i < n; i++ {
			a, b := pos[i-1], pos[i]
			if keys[a] > keys[b] || (keys[a] == keys[b] && a > b) {
				t.Fatalf("n=%d: %d (key %d) before %d (key %d)", n, a, keys[a], b, keys[b])
			}
		}
	}
}
