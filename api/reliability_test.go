package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kgraph/telegraph/api"
	"github.com/kgraph/telegraph/store"
)

// normalQueries are the steady load: the README's questions.
var normalQueries = []string{
	`{ partners(of: "Ericsson", country: "China") { name kind } }`,
	`{ search(text: "cmri") { name kind } }`,
	`{ entity(name: "NSB") { name kind ... on JointVenture { owners { owners { name } share evidence { quote article { title date } } } } } }`,
	`{ neighborhood(of: "Ericsson", depth: 1) { nodes { id name kind } edges { source target kind } } }`,
	`{ path(from: "Nokia", to: "ZTE") { length hops { from { name } to { name } kind evidence { quote } } } }`,
}

// abuse is one hostile request and the codes that may stop it.
type abuse struct {
	name  string
	body  func() []byte
	codes []string // any of these stops it; empty: it must complete without error in time
}

func queryBody(q string) []byte {
	b, _ := json.Marshal(map[string]any{"query": q})
	return b
}

var abuses = []abuse{
	{"depth 50", func() []byte {
		return queryBody(`{ entity(name: "China Mobile") { ` + strings.Repeat("relationships { participants { entity { ", 17) + "name" + strings.Repeat(" } } }", 17) + " } }")
	}, []string{api.EDepthLimit}},
	{"1,000 aliases", func() []byte { return queryBody(aliases(1000)) }, []string{api.EAliasLimit, api.ETokenLimit}},
	{"__typename 10,000 times", func() []byte { return queryBody("{ " + strings.Repeat("__typename ", 10000) + "}") }, []string{api.ETokenLimit}},
	{"10 MB body", func() []byte {
		return []byte(`{"query":"{ __typename }","variables":{"pad":"` + strings.Repeat("x", 10<<20) + `"}}`)
	}, []string{api.ERequestTooLarge}},
	{"hub to hub path, hop bound asked away", func() []byte {
		return queryBody(`{ path(from: "China Mobile", to: "Huawei", maxHops: 1000) { length } }`)
	}, []string{"INVALID"}},
	{"hub to hub path with no hop bound given", func() []byte {
		return queryBody(`{ path(from: "China Mobile", to: "Alibaba Cloud") { length hops { kind } } }`)
	}, nil},
	{"hub to hub path at the largest bound", func() []byte {
		return queryBody(`{ path(from: "China Mobile", to: "Alibaba Cloud", maxHops: 8) { length hops { kind } } }`)
	}, nil},
}

type result struct {
	status int
	codes  []string
	took   time.Duration
	err    error
}

func send(c *http.Client, url string, body []byte) result {
	start := time.Now()
	resp, err := c.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return result{err: err, took: time.Since(start)}
	}
	defer resp.Body.Close()
	var r struct {
		Errors []gqlError
	}
	raw, err := io.ReadAll(resp.Body)
	took := time.Since(start)
	if err == nil {
		err = json.Unmarshal(raw, &r)
	}
	res := result{status: resp.StatusCode, took: took, err: err}
	for _, e := range r.Errors {
		res.codes = append(res.codes, e.Extensions.Code)
	}
	return res
}

func p99(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[min(len(s)-1, len(s)*99/100)]
}

// steady runs the normal queries from two clients until stop closes, returning the latencies
// and the number of failed requests.
func steady(url string, stop <-chan struct{}) (lat []time.Duration, failed int) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Go(func() {
			c := &http.Client{}
			for i := w; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				r := send(c, url, queryBody(normalQueries[i%len(normalQueries)]))
				mu.Lock()
				lat = append(lat, r.took)
				if r.err != nil || r.status != 200 || len(r.codes) > 0 {
					failed++
				}
				mu.Unlock()
				time.Sleep(5 * time.Millisecond) // a steady load, not a saturating one
			}
		})
	}
	wg.Wait()
	return lat, failed
}

// TestAbusiveQueriesUnderLoad measures the p99 latency of a steady load of normal queries, then
// again while hostile requests arrive; every hostile request must be refused with its code, or
// finish, within the request deadline, and the normal queries must not fail.
func TestAbusiveQueriesUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("runs for several seconds; .ci/run runs it")
	}
	srv := httptest.NewServer(api.Handler(loaded(t), discard(), api.Defaults()))
	defer srv.Close()
	url := srv.URL + "/query"
	const window = 3 * time.Second

	stop := make(chan struct{})
	time.AfterFunc(window, func() { close(stop) })
	base, baseFailed := steady(url, stop)

	bodies := make([][]byte, len(abuses))
	for i, a := range abuses {
		bodies[i] = a.body() // built once: the test measures the server, not the building of bodies
	}
	stop = make(chan struct{})
	var abuseN, stopped int
	var worst time.Duration
	var wg sync.WaitGroup
	wg.Go(func() {
		c := &http.Client{}
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			a := abuses[i%len(abuses)]
			r := send(c, url, bodies[i%len(abuses)])
			time.Sleep(10 * time.Millisecond)
			abuseN++
			worst = max(worst, r.took)
			if r.err != nil {
				t.Errorf("%s: %v", a.name, r.err)
				continue
			}
			if r.took > api.Defaults().Timeout {
				t.Errorf("%s took %s, past the %s deadline", a.name, r.took, api.Defaults().Timeout)
			}
			if len(a.codes) == 0 {
				if len(r.codes) > 0 {
					t.Errorf("%s: codes %v, want an answer", a.name, r.codes)
				}
				continue
			}
			if len(r.codes) == 0 || !slices.Contains(a.codes, r.codes[0]) {
				t.Errorf("%s: status %d, codes %v, want one of %v", a.name, r.status, r.codes, a.codes)
				continue
			}
			stopped++
		}
	})
	time.AfterFunc(window, func() { close(stop) })
	under, underFailed := steady(url, stop)
	wg.Wait()

	if baseFailed+underFailed > 0 {
		t.Errorf("%d normal queries failed (%d before the abuse, %d during)", baseFailed+underFailed, baseFailed, underFailed)
	}
	pb, pu := p99(base), p99(under)
	t.Logf("RELIABILITY abuse: %d hostile requests of %d kinds, %d refused with their code, the rest answered; slowest %s; normal queries: %d baseline p99 %s, %d under abuse p99 %s (%.2fx), %d failed",
		abuseN, len(abuses), stopped, worst.Round(time.Microsecond), len(base), pb.Round(time.Microsecond), len(under), pu.Round(time.Microsecond), float64(pu)/float64(pb), baseFailed+underFailed)
}

// TestReadsDuringBulkWrites replaces a large article again and again, alternating between two
// versions with different facts, while readers query it: every read must succeed and see one
// version whole, never a mix.
func TestReadsDuringBulkWrites(t *testing.T) {
	s, err := store.Open(context.Background(), store.Memory)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Sync(context.Background(), "../data", nil); err != nil {
		t.Fatal(err)
	}
	const n = 200
	version := func(v string) []byte {
		var b strings.Builder
		b.WriteString("article api-bulk\n  title: Bulk\n  date: 2020-01-01\n\n")
		fmt.Fprintf(&b, "entity bulk-hub Company\n  name: Bulk Hub\n  quote: version %s\n\n", v)
		for i := range n {
			fmt.Fprintf(&b, "entity bulk-%s-%d Company\n  name: Bulk %s %d\n  quote: version %s\n\n", v, i, v, i, v)
			fmt.Fprintf(&b, "rel partnership bulk-%s-%d-deal\n  party: bulk-hub, bulk-%s-%d\n  quote: version %s deal %d\n\n", v, i, v, i, v, i)
		}
		return []byte(b.String())
	}
	versions := [][]byte{version("a"), version("b")}
	if _, err := s.Put(context.Background(), "api:api-bulk.kg", versions[0]); err != nil {
		t.Fatal(err)
	}
	h := api.GraphQL(s, discard())

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	var writes int
	var wg sync.WaitGroup
	wg.Go(func() {
		// At least two writes, however slow (the race detector slows each several times).
		for i := 1; ctx.Err() == nil || i <= 2; i++ {
			if _, err := s.Put(context.Background(), "api:api-bulk.kg", versions[i%2]); err != nil {
				t.Errorf("write %d: %v", i, err)
				return
			}
			writes++
		}
	})
	var mu sync.Mutex
	var reads, mixed, failed int
	for range 2 {
		wg.Go(func() {
			for ctx.Err() == nil {
				// Two root fields: the whole request answers from one state.
				const hub = `entity(name: "Bulk Hub") { evidence { quote } relationships { participants { entity { name } } } }`
				r := post(t, h, `{ first: `+hub+` second: `+hub+` }`, nil)
				mu.Lock()
				reads++
				if len(r.Errors) > 0 || r.Data["first"] == nil || r.Data["second"] == nil {
					failed++
				} else if v1, v2 := stateOf(r.Data["first"].(map[string]any), n), stateOf(r.Data["second"].(map[string]any), n); v1 == "" || v1 != v2 {
					mixed++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if failed > 0 || mixed > 0 || reads == 0 || writes < 2 {
		t.Errorf("%d reads (%d failed, %d saw a mix) during %d writes", reads, failed, mixed, writes)
	}
	t.Logf("RELIABILITY reads-during-writes: %d reads during %d replacements of a %d-quad article, %d failed, %d saw a mix of versions",
		reads, writes, len(s.Index().LabelQuads("kg:article/api-bulk")), failed, mixed)
}

// stateOf returns the version the hub's evidence and all n partners come from, or "" when they
// do not all come from one.
func stateOf(e map[string]any, n int) string {
	ev := e["evidence"].([]any)
	if len(ev) != 1 {
		return ""
	}
	v := strings.TrimPrefix(ev[0].(map[string]any)["quote"].(string), "version ")
	rels := e["relationships"].([]any)
	if len(rels) != n {
		return ""
	}
	for _, r := range rels {
		for _, p := range r.(map[string]any)["participants"].([]any) {
			name := p.(map[string]any)["entity"].(map[string]any)["name"].(string)
			if name != "Bulk Hub" && !strings.HasPrefix(name, "Bulk "+v+" ") {
				return ""
			}
		}
	}
	return v
}
