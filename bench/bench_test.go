package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/kgraph/telegraph/bench/synth"
	"github.com/kgraph/telegraph/index"
	"github.com/kgraph/telegraph/store"
	"github.com/kgraph/telegraph/store/storetest"
)

var (
	cacheMu sync.Mutex
	cache   = map[int]*Data{}
)

func data(b *testing.B, n int) *Data {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if d := cache[n]; d != nil {
		return d
	}
	d := Load(n)
	cache[n] = d
	b.Logf("%d quads: %d companies, index built in %s", len(d.Quads), d.Graph.Companies, d.Build)
	return d
}

func sizes(b *testing.B) []int {
	s, err := Sizes()
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// args are the names one query is asked about: companies drawn uniformly, so hubs come up as
// often as they would for a user browsing the graph, and countries drawn uniformly.
type args struct{ x, y, country string }

func sample(d *Data, n int) []args {
	r := rand.New(rand.NewPCG(7, 7))
	out := make([]args, n)
	for i := range out {
		out[i] = args{synth.CompanyName(r.IntN(d.Graph.Companies)), synth.CompanyName(r.IntN(d.Graph.Companies)), synth.CountryName(r.IntN(synth.Countries))}
	}
	return out
}

type query struct {
	name string
	ours func(v *index.View, a args) int
	base func(b *Baseline, a args) int
}

func lookup(v *index.View, name string) *index.Entity {
	e, err := v.Lookup(name)
	if err != nil {
		panic(err)
	}
	return e
}

func names(list []*index.Entity) []string {
	out := make([]string, len(list))
	for i, e := range list {
		out[i] = e.Name
	}
	slices.Sort(out)
	return out
}

var queries = []query{
	{"lookup",
		func(v *index.View, a args) int { return len(lookup(v, a.x).Name) },
		func(b *Baseline, a args) int { n, _ := b.Lookup(a.x); return n }},
	{"onehop-partners",
		func(v *index.View, a args) int { return len(v.Partners(lookup(v, a.x), nil)) },
		func(b *Baseline, a args) int { return len(b.Partners(a.x, "")) }},
	{"twohop-partners-in-country",
		func(v *index.View, a args) int { return len(v.Partners(lookup(v, a.x), lookup(v, a.country))) },
		func(b *Baseline, a args) int { return len(b.Partners(a.x, a.country)) }},
	{"neighborhood-depth2-500",
		func(v *index.View, a args) int {
			g, _ := v.Neighborhood(context.Background(), lookup(v, a.x), 2, 500, nil)
			return len(g.Nodes)
		},
		func(b *Baseline, a args) int { return len(b.Neighborhood(a.x, 2, 500)) }},
	{"path-4hops",
		func(v *index.View, a args) int {
			h, _ := v.Path(context.Background(), lookup(v, a.x), lookup(v, a.y), 4, nil)
			return len(h)
		},
		func(b *Baseline, a args) int { return max(len(b.Path(a.x, a.y, 4))-1, 0) }},
}

func percentile(ds []time.Duration, p float64) float64 {
	i := int(float64(len(ds)-1) * p)
	return float64(ds[i].Nanoseconds())
}

// BenchmarkQueries is B2: each query on the read index, beside the baseline answering the same
// question from plain maps in the same run. Metrics: p50/p99 of ours and of the baseline, and
// x-base, the ratio of their mean times.
func BenchmarkQueries(b *testing.B) {
	for _, n := range sizes(b) {
		d := data(b, n)
		v := d.Index.At("")
		as := sample(d, 4096)
		// The two must answer alike, or the ratio means nothing.
		for _, a := range as[:50] {
			if got, want := names(v.Partners(lookup(v, a.x), lookup(v, a.country))), d.Base.Partners(a.x, a.country); !slices.Equal(got, want) {
				b.Fatalf("partners of %s in %s: index %v, baseline %v", a.x, a.country, got, want)
			}
			if got, want := queries[4].ours(v, a), queries[4].base(d.Base, a); got != want {
				b.Fatalf("path %s to %s: index %d hops, baseline %d", a.x, a.y, got, want)
			}
		}
		b.Run(fmt.Sprintf("quads=%d", n), func(b *testing.B) {
			for _, q := range queries {
				b.Run(q.name, func(b *testing.B) {
					ours := make([]time.Duration, 0, b.N)
					base := make([]time.Duration, 0, b.N)
					sink := 0
					b.ResetTimer()
					for i := range b.N {
						a := as[i%len(as)]
						t := time.Now()
						sink += q.ours(v, a)
						ours = append(ours, time.Since(t))
					}
					b.StopTimer()
					for i := range b.N {
						a := as[i%len(as)]
						t := time.Now()
						sink += q.base(d.Base, a)
						base = append(base, time.Since(t))
					}
					var so, sb time.Duration
					for i := range ours {
						so += ours[i]
						sb += base[i]
					}
					sort.Slice(ours, func(i, j int) bool { return ours[i] < ours[j] })
					sort.Slice(base, func(i, j int) bool { return base[i] < base[j] })
					b.ReportMetric(percentile(ours, 0.5), "p50-ns")
					b.ReportMetric(percentile(ours, 0.99), "p99-ns")
					b.ReportMetric(percentile(base, 0.5), "base-p50-ns")
					b.ReportMetric(percentile(base, 0.99), "base-p99-ns")
					b.ReportMetric(float64(so)/float64(max(sb, 1)), "x-base")
					if sink == -1 {
						b.Log(sink)
					}
				})
			}
		})
	}
}

// BenchmarkBuild measures building the read index, and the heap it holds, per quad.
func BenchmarkBuild(b *testing.B) {
	for _, n := range sizes(b) {
		d := data(b, n)
		b.Run(fmt.Sprintf("quads=%d", n), func(b *testing.B) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			var keep *index.Index
			for range b.N {
				keep = index.Build(d.Quads)
			}
			b.StopTimer()
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(d.Quads)), "ns/quad")
			b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/float64(len(d.Quads)), "index-B/quad")
			runtime.KeepAlive(keep)
		})
	}
}

// BenchmarkLoad is B1: a generated N-Quads file loaded into a new store of each backend
// (PostgreSQL when KG_TEST_POSTGRES_URL is set), in transactions of store.DefaultBatch quads.
// Metrics: quads/s over the whole load (parse, write and index), and of the first and last
// write transaction.
func BenchmarkLoad(b *testing.B) {
	for _, n := range sizes(b) {
		path := filepath.Join(b.TempDir(), "graph.nq.gz")
		if err := writeGraph(path, n); err != nil {
			b.Fatal(err)
		}
		for _, backend := range []string{"bolt", "postgres"} {
			b.Run(fmt.Sprintf("quads=%d/%s", n, backend), func(b *testing.B) {
				for range b.N {
					s, err := store.Open(context.Background(), storetest.DSN(b, backend))
					if err != nil {
						b.Fatal(err)
					}
					var first, last float64
					prev, at := 0, time.Now()
					s.Written = func(_ string, done, total int) {
						now := time.Now()
						if done == 0 {
							at = now
						}
						if done > prev {
							rate := float64(done-prev) / now.Sub(at).Seconds()
							if prev == 0 {
								first = rate
							}
							last = rate
						}
						prev, at = done, now
					}
					start := time.Now()
					rep, err := s.LoadFiles(context.Background(), []string{path}, nil)
					if err != nil || rep.Err() != nil {
						b.Fatal(err, rep.Err())
					}
					b.ReportMetric(float64(rep.Added)/time.Since(start).Seconds(), "quads/s")
					b.ReportMetric(first, "first-slice-quads/s")
					b.ReportMetric(last, "last-slice-quads/s")
					s.Close()
				}
			})
		}
	}
}

func writeGraph(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return synth.Plan(n, 1).WriteNQuads(f)
}

// BenchmarkOpen opens the store KG_BENCH_DB names (a bolt file or a database URL, loaded
// beforehand with telegraph load) and reports what serving it costs: the time to read it and
// build the index, and the heap in use after a collection, per million quads.
func BenchmarkOpen(b *testing.B) {
	dsn := os.Getenv("KG_BENCH_DB")
	if dsn == "" {
		b.Skip("KG_BENCH_DB is not set: name a loaded store to measure")
	}
	for range b.N {
		start := time.Now()
		s, err := store.Open(context.Background(), dsn)
		if err != nil {
			b.Fatal(err)
		}
		took := time.Since(start)
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		n := float64(s.Index().QuadCount())
		b.ReportMetric(took.Seconds(), "open-s")
		b.ReportMetric(n, "quads")
		b.ReportMetric(float64(m.HeapInuse)/(1<<20)/(n/1e6), "heap-MB/Mquads")
		s.Close()
	}
}
