// Package bench holds the benchmark suite (see BENCHMARKS.md at the top of the repository): the
// read path measured in process against a plain adjacency-map baseline on synthetic graphs of
// any size, and the load path into each backend. Sizes come from KG_BENCH_QUADS.
package bench

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kgraph/telegraph/bench/synth"
	"github.com/kgraph/telegraph/index"
)

// Sizes returns the graph sizes KG_BENCH_QUADS asks for (comma-separated quad counts, such as
// "10000,1000000"), 10,000 quads when unset.
func Sizes() ([]int, error) {
	v := os.Getenv("KG_BENCH_QUADS")
	if v == "" {
		return []int{10_000}, nil
	}
	var out []int
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(strings.ReplaceAll(f, "_", "")))
		if err != nil || n < 1000 {
			return nil, &os.PathError{Op: "KG_BENCH_QUADS", Path: f, Err: strconv.ErrSyntax}
		}
		out = append(out, n)
	}
	return out, nil
}

// Data is a generated graph ready for queries: the read index the server serves from, and the
// plain maps the baseline answers the same questions from.
type Data struct {
	Graph synth.Graph
	Index *index.Index
	Base  *Baseline
	Quads []index.Quad
	Build time.Duration // time index.Build took
}

// Baseline is the simplest in-memory answer to each question: maps from a name to adjacency
// lists of names, with nothing else (no evidence, no dates, no kinds).
type Baseline struct {
	ids      map[string]int // name -> node
	names    []string
	partners [][]int32 // company -> partner companies
	adj      [][]int32 // node -> every neighbour (partners and the country it is in, or the companies in it)
	country  []int32   // company -> country node
}

// Load generates the graph of about n quads and builds both the index and the baseline.
func Load(n int) *Data {
	g := synth.Plan(n, 1)
	var quads []index.Quad
	nodes := g.Companies + synth.Countries
	b := &Baseline{ids: map[string]int{}, names: make([]string, nodes), partners: make([][]int32, g.Companies),
		adj: make([][]int32, nodes), country: make([]int32, g.Companies)}
	for c := range g.Companies {
		b.names[c] = synth.CompanyName(c)
		cn := int32(g.Companies + synth.CountryOf(c))
		b.country[c] = cn
		b.adj[c] = append(b.adj[c], cn)
		b.adj[cn] = append(b.adj[cn], int32(c))
	}
	for c := range synth.Countries {
		b.names[g.Companies+c] = synth.CountryName(c)
	}
	for i, name := range b.names {
		b.ids[strings.ToLower(name)] = i
	}
	g.Generate(func(s, p string, o synth.Term, label string) error {
		quads = append(quads, index.Quad{Subject: index.Term{Value: s, IRI: true}, Predicate: index.Term{Value: p, IRI: true},
			Object: index.Term{Value: o.Value, IRI: o.IRI}, Label: index.Term{Value: label, IRI: true}})
		return nil
	}, func(x, y int) {
		b.partners[x] = append(b.partners[x], int32(y))
		b.partners[y] = append(b.partners[y], int32(x))
		b.adj[x] = append(b.adj[x], int32(y))
		b.adj[y] = append(b.adj[y], int32(x))
	})
	start := time.Now()
	ix := index.Build(quads)
	return &Data{Graph: g, Index: ix, Base: b, Quads: quads, Build: time.Since(start)}
}

// Lookup finds a node by name, case-insensitively.
func (b *Baseline) Lookup(name string) (int, bool) {
	n, ok := b.ids[strings.ToLower(name)]
	return n, ok
}

// Partners returns the names of x's partners, sorted, optionally only those in the country.
func (b *Baseline) Partners(x string, country string) []string {
	n, ok := b.Lookup(x)
	if !ok {
		return nil
	}
	c := int32(-1)
	if country != "" {
		cn, _ := b.Lookup(country)
		c = int32(cn)
	}
	seen := map[int32]bool{}
	var out []string
	for _, p := range b.partners[n] {
		if seen[p] || int(p) == n || (c >= 0 && b.country[p] != c) {
			continue
		}
		seen[p] = true
		out = append(out, b.names[p])
	}
	slices.Sort(out)
	return out
}

// Neighborhood returns the nodes within depth hops of x, breadth first, at most limit.
func (b *Baseline) Neighborhood(x string, depth, limit int) []int32 {
	n, _ := b.Lookup(x)
	in := map[int32]bool{int32(n): true}
	out := []int32{int32(n)}
	frontier := out
	for d := 0; d < depth && len(out) < limit; d++ {
		var next []int32
		for _, v := range frontier {
			for _, o := range b.adj[v] {
				if in[o] {
					continue
				}
				if len(out) >= limit {
					return out
				}
				in[o] = true
				out = append(out, o)
				next = append(next, o)
			}
		}
		frontier = next
	}
	return out
}

// Path returns a shortest chain of nodes from x to y of at most maxHops hops, or nil.
func (b *Baseline) Path(x, y string, maxHops int) []int32 {
	from, _ := b.Lookup(x)
	to, _ := b.Lookup(y)
	prev := map[int32]int32{int32(from): -1}
	frontier := []int32{int32(from)}
	for d := 0; d < maxHops && len(frontier) > 0; d++ {
		var next []int32
		for _, v := range frontier {
			for _, o := range b.adj[v] {
				if _, seen := prev[o]; seen {
					continue
				}
				prev[o] = v
				if o == int32(to) {
					var path []int32
					for p := o; p >= 0; p = prev[p] {
						path = append(path, p)
					}
					return path
				}
				next = append(next, o)
			}
		}
		frontier = next
	}
	return nil
}
