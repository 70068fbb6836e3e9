// Command kgload sends a mix of questions about a synthetic graph (see cmd/kggen) to a telegraph
// server, or the same questions to Cayley's own HTTP server, and reports throughput and latency
// percentiles. It is the client of the HTTP benchmarks in BENCHMARKS.md.
//
// Usage:
//
//	go run ./cmd/kgload -quads 1000000 -url http://127.0.0.1:8080 -mix lookup=60,onehop=30,twohop=8,hood=2 -c 4 -d 20s
//	go run ./cmd/kgload -quads 1000000 -target gizmo -url http://127.0.0.1:64210 -mix onehop=100 -c 1 -d 20s
//	go run ./cmd/kgload -quads 1000000 -rate 500,1000,2000 -d 20s      (open loop, one line per rate)
//	go run ./cmd/kgload -quads 1000000 -vars -c 4 -d 20s               (names as variables)
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kgraph/telegraph/bench/synth"
)

// kinds are the questions kgload asks.
var kinds = []string{"lookup", "onehop", "twohop", "hood", "typename"}

type config struct {
	target, url string
	mix         map[string]int
	conc        int
	dur         time.Duration
	companies   int
	timeout     time.Duration
	vars        bool // names as GraphQL variables: one document per kind of question
}

func main() {
	var (
		c     config
		mix   string
		rates string
		quads int
	)
	flag.StringVar(&c.target, "target", "telegraph", "server kind: telegraph (GraphQL at /query), gizmo or cayley-graphql (Cayley's /api/v2/query)")
	flag.StringVar(&c.url, "url", "http://127.0.0.1:8080", "server base URL (loopback only)")
	flag.StringVar(&mix, "mix", "lookup=60,onehop=30,twohop=8,hood=2", "question mix, kind=weight; kinds: "+strings.Join(kinds, ", "))
	flag.IntVar(&c.conc, "c", 4, "concurrent connections")
	flag.DurationVar(&c.dur, "d", 10*time.Second, "how long to send, per rate")
	flag.IntVar(&quads, "quads", 1_000_000, "size the graph was generated with (kggen -quads), to name its companies")
	flag.StringVar(&rates, "rate", "", "comma-separated request rates to try, open loop; empty: as fast as the connections go")
	flag.DurationVar(&c.timeout, "timeout", 30*time.Second, "per-request timeout")
	flag.BoolVar(&c.vars, "vars", false, "telegraph: pass the company and country as variables, as a frontend does, so that each kind of question is one document; default: written into the document's text")
	flag.Parse()
	c.companies = synth.Plan(quads, 1).Companies
	var err error
	if c.mix, err = parseMix(mix); err != nil {
		fail(err)
	}
	if !strings.HasPrefix(c.url, "http://127.") && !strings.HasPrefix(c.url, "http://localhost") && !strings.HasPrefix(c.url, "http://[::1]") {
		fail(fmt.Errorf("-url %s: kgload only sends to loopback addresses", c.url))
	}
	if rates == "" {
		fmt.Println(run(c, 0))
		return
	}
	for _, f := range strings.Split(rates, ",") {
		r, err := strconv.Atoi(f)
		if err != nil || r <= 0 {
			fail(fmt.Errorf("-rate %q: want positive whole numbers", f))
		}
		fmt.Println(run(c, r))
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "kgload:", err)
	os.Exit(2)
}

func parseMix(s string) (map[string]int, error) {
	out := map[string]int{}
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(part, "=")
		w, err := strconv.Atoi(v)
		if !ok || err != nil || w < 0 || !slices.Contains(kinds, k) {
			return nil, fmt.Errorf("-mix %q: want kind=weight pairs with kinds %s", part, strings.Join(kinds, ", "))
		}
		out[k] = w
	}
	return out, nil
}

// request builds the HTTP request for one question.
func (c config) request(kind string, r *rand.Rand) (*http.Request, error) {
	x := synth.CompanyName(r.IntN(c.companies))
	country := synth.CountryName(r.IntN(synth.Countries))
	var body, path, ctype string
	switch c.target {
	case "telegraph":
		q := map[string]string{
			"lookup":   `{ entity(name: %q) { name kind } }`,
			"onehop":   `{ partners(of: %q) { name } }`,
			"twohop":   `{ partners(of: %q, country: %q) { name } }`,
			"hood":     `{ neighborhood(of: %q, depth: 2, limit: 500) { nodes { id name } edges { source target kind } } }`,
			"typename": `{ __typename }`,
		}[kind]
		switch kind {
		case "twohop":
			q = fmt.Sprintf(q, x, country)
		case "typename":
		default:
			q = fmt.Sprintf(q, x)
		}
		if c.vars && kind != "typename" {
			q = map[string]string{
				"lookup": `query($x: String!) { entity(name: $x) { name kind } }`,
				"onehop": `query($x: String!) { partners(of: $x) { name } }`,
				"twohop": `query($x: String!, $c: String) { partners(of: $x, country: $c) { name } }`,
				"hood":   `query($x: String!) { neighborhood(of: $x, depth: 2, limit: 500) { nodes { id name } edges { source target kind } } }`,
			}[kind]
			vars := map[string]string{"x": x}
			if kind == "twohop" {
				vars["c"] = country
			}
			b, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
			body, path, ctype = string(b), "/query", "application/json"
			break
		}
		b, _ := json.Marshal(map[string]string{"query": q})
		body, path, ctype = string(b), "/query", "application/json"
	case "gizmo":
		party := `In("<kg:role/party>").Has("<kg:relation>", "partnership").Out("<kg:role/party>")`
		q := map[string]string{
			"lookup": fmt.Sprintf(`g.V(%q).In("<kg:name>").Out("<kg:kind>").All()`, x),
			"onehop": fmt.Sprintf(`g.V(%q).In("<kg:name>").%s.Out("<kg:name>").All()`, x, party),
			"twohop": fmt.Sprintf(`g.V(%q).In("<kg:name>").%s.Tag("p").In("<kg:role/entity>").Has("<kg:relation>", "located_in").Out("<kg:role/place>").Has("<kg:name>", %q).Back("p").Out("<kg:name>").All()`, x, party, country),
		}[kind]
		if q == "" {
			return nil, fmt.Errorf("no Gizmo form of %s", kind)
		}
		body, path, ctype = q, "/api/v2/query?lang=gizmo", "text/plain"
	case "cayley-graphql":
		q := map[string]string{
			"lookup": fmt.Sprintf(`{ nodes(<kg:name>: %q) { id <kg:kind> } }`, x),
			"onehop": fmt.Sprintf(`{ nodes(<kg:name>: %q) { rel: <kg:role/party> @rev { <kg:relation> p: <kg:role/party> { <kg:name> } } } }`, x),
		}[kind]
		if q == "" {
			return nil, fmt.Errorf("no Cayley GraphQL form of %s", kind)
		}
		body, path, ctype = q, "/api/v2/query?lang=graphql", "text/plain"
	default:
		return nil, fmt.Errorf("-target %q: want telegraph, gizmo or cayley-graphql", c.target)
	}
	req, err := http.NewRequest(http.MethodPost, c.url+path, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", ctype)
	return req, nil
}

type result struct {
	kind string
	d    time.Duration
	err  error
}

// run sends for c.dur, closed loop (rate 0) or open loop at rate requests per second, and
// returns one line of figures.
func run(c config, rate int) string {
	client := &http.Client{Timeout: c.timeout, Transport: &http.Transport{MaxIdleConnsPerHost: c.conc, MaxConnsPerHost: c.conc}}
	var weighted []string
	for _, k := range kinds {
		for range c.mix[k] {
			weighted = append(weighted, k)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.dur)
	defer cancel()
	results := make(chan result, 4096)
	var wg sync.WaitGroup
	ask := func(r *rand.Rand, scheduled time.Time) {
		kind := weighted[r.IntN(len(weighted))]
		req, err := c.request(kind, r)
		if err == nil {
			var resp *http.Response
			resp, err = client.Do(req)
			if err == nil {
				var b []byte
				b, err = io.ReadAll(resp.Body)
				resp.Body.Close()
				if err == nil && (resp.StatusCode != 200 || bytes.Contains(b, []byte(`"errors"`)) || bytes.Contains(b, []byte(`"error"`))) {
					err = fmt.Errorf("status %d: %.200s", resp.StatusCode, b)
				}
			}
		}
		// Latency counts from when the request was due, so a server that falls behind an
		// open-loop rate shows it (no coordinated omission).
		results <- result{kind, time.Since(scheduled), err}
	}
	start := time.Now()
	if rate == 0 {
		for w := range c.conc {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(uint64(w), 1))
				for ctx.Err() == nil {
					ask(r, time.Now())
				}
			}()
		}
	} else {
		sem := make(chan struct{}, c.conc*64)
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(9, 9))
			every := time.Second / time.Duration(rate)
			for i := 0; ; i++ {
				due := start.Add(time.Duration(i) * every)
				if time.Until(due) > 0 {
					time.Sleep(time.Until(due))
				}
				if ctx.Err() != nil {
					return
				}
				sem <- struct{}{}
				wg.Add(1)
				go func(r *rand.Rand) {
					defer wg.Done()
					defer func() { <-sem }()
					ask(r, due)
				}(rand.New(rand.NewPCG(r.Uint64(), 1)))
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()
	var all []time.Duration
	errs := 0
	var firstErr error
	byKind := map[string]int{}
	for res := range results {
		if res.err != nil {
			errs++
			if firstErr == nil {
				firstErr = res.err
			}
			continue
		}
		all = append(all, res.d)
		byKind[res.kind]++
	}
	elapsed := time.Since(start)
	slices.Sort(all)
	pct := func(p float64) time.Duration {
		if len(all) == 0 {
			return 0
		}
		return all[int(float64(len(all)-1)*p)]
	}
	line := fmt.Sprintf("target=%s rate=%d c=%d ok=%d errors=%d rps=%.0f p50=%s p99=%s mix=%v",
		c.target, rate, c.conc, len(all), errs, float64(len(all))/elapsed.Seconds(), pct(0.5).Round(time.Microsecond), pct(0.99).Round(time.Microsecond), byKind)
	if firstErr != nil {
		line += fmt.Sprintf(" first_error=%q", firstErr.Error())
	}
	return line
}
