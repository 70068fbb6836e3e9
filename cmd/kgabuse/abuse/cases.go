package abuse

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kgraph/telegraph/bench/synth"
)

// The questions the cases build on. "The hub" is Company 0, the company with the most partners;
// Company 1 is the next.
var (
	hub  = synth.CompanyName(0)
	hub2 = synth.CompanyName(1)

	// fanOut walks every relationship of the hub, and every relationship of each participant:
	// the hub's degree squared, within the default depth of 8.
	fanOut = fmt.Sprintf(`{ entity(name: %q) { relationships { participants { entity { relationships { participants { entity { name } } } } } } } }`, hub)
	// hoodNested is the largest neighborhood the limits allow, with each node's relationships.
	hoodNested = fmt.Sprintf(`{ neighborhood(of: %q, depth: 4, limit: 5000) { nodes { name relationships { participants { entity { name } } } } edges { source target } } }`, hub)
	// heavySubscription is fanOut's selection on each relationship a write adds.
	heavySubscription = `subscription { factAdded { relationships { participants { entity { relationships { participants { entity { name } } } } } } } }`
)

// cases returns the hostile cases in the order they run: the plain repros first, then the
// ones that hold connections, then smaller ones and variants.
func cases(h *harness) []caseDef {
	query := func(name, q string) caseDef {
		return caseDef{name, func(ctx context.Context, r *caseRun) { r.sendAll(ctx, jsonRequest(gql(q, nil))) }}
	}
	body := func(name string, b []byte) caseDef {
		return caseDef{name, func(ctx context.Context, r *caseRun) { r.sendAll(ctx, jsonRequest(b)) }}
	}
	return []caseDef{
		query("fragments spread into each other", fragmentsQuery()),
		query("two-level fan-out on the hub", fanOut),
		query("overflow: 10 aliases of neighborhood(limit: 2^62)", overflowQuery()),
		{"hang-up after 1 s of 4 heavy queries", hangUp},
		query("search with 40,000 words", fmt.Sprintf(`{ search(text: %q) { name } }`, words(rand.New(rand.NewPCG(1, 1)), 40_000))),
		body("search with 1 MB of text in a variable", gql(`query($t: String!) { search(text: $t) { name } }`,
			map[string]any{"t": wordsOfSize(rand.New(rand.NewPCG(2, 2)), 1_000_000)})),
		{"subscriptions: 50 heavy subscribers and one that never reads, during 3 writes", subscriptions},
		{"subscription without a token", subscribeWithoutToken},
		{"8 concurrent GET /export/graph, slow readers and non-readers", exports},
		{"document cache: 1,000 unique documents of 1 MB, 8 at a time", documentCache},
		{"2,000 idle TCP connections", idleConnections},
		{"one websocket running 40 heavy queries at once", websocketQueries},
		query("cursor after offset 2^63-1", fmt.Sprintf(`{ entities(first: 10, after: %q) { nodes { name } pageInfo { endCursor } } }`,
			base64.RawURLEncoding.EncodeToString([]byte("o:9223372036854775807")))),
		{"undecodable 1 MB body", undecodableBody},
		body("10 MB body", []byte(`{"query":"{ __typename }","variables":{"pad":"`+strings.Repeat("x", 10<<20)+`"}}`)),
		query("depth 50", fmt.Sprintf(`{ entity(name: %q) { `, hub)+strings.Repeat("relationships { participants { entity { ", 16)+
			"name"+strings.Repeat(" } } }", 16)+" } }"),
		query("1,000 aliases", aliases(1000)),
		query("traverse 4 hops both ways from the hub", fmt.Sprintf(`{ traverse(of: %q, direction: BOTH, depth: 4, first: 500) { totalCount nodes { depth node { name relationships { key } } from { name } } } }`, hub)),
		query("paths(k: 10, maxHops: 8) between the two biggest hubs", fmt.Sprintf(`{ paths(from: %q, to: %q, k: 10, maxHops: 8) { length hops { from { name } to { name } kind } } }`, hub, hub2)),
		query("10 aliases of paths(k: 10, maxHops: 8) between the hubs", pathAliases(10)),
		query("__typename through 8 levels of 8 fragment spreads", typenameFragments(8, 8)),
		body("120 operations in one document", manyOperations(120)),
		body("relationships(kinds:) with 75,000 kinds in a variable", gql(`query($k: [String!]) { entity(name: "`+hub+`") { relationships(kinds: $k) { key } } }`,
			map[string]any{"k": kindList(75_000, "partnership")})),
		body("path(via:) with 75,000 kinds in a variable", gql(`query($v: [String!]) { path(from: "`+hub+`", to: "`+hub2+`", maxHops: 8, via: $v) { length } }`,
			map[string]any{"v": kindList(75_000, "partnership")})),
		body("JSON batch of 100 operations", batch(100)),
		{"GET /query with a 1 MB URL", longURL},
	}
}

// fragmentsQuery spreads fragment H, fourteen relationship lists, inside each participant of
// fragment G's fourteen relationship lists of the hub.
func fragmentsQuery() string {
	var g, hh strings.Builder
	for i := range 14 {
		fmt.Fprintf(&g, "g%d: relationships { participants { entity { ...H } } } ", i)
		fmt.Fprintf(&hh, "h%d: relationships { key } ", i)
	}
	return fmt.Sprintf(`query { entity(name: %q) { ...G } } fragment G on Entity { %s} fragment H on Entity { %s}`, hub, g.String(), hh.String())
}

// overflowQuery asks for ten hub neighborhoods with a limit whose product with anything
// overflows 64 bits.
func overflowQuery() string {
	var b strings.Builder
	b.WriteString("{ ")
	for i := range 10 {
		fmt.Fprintf(&b, "n%d: neighborhood(of: %q, depth: 4, limit: 4611686018427387904) { nodes { id name } edges { source target } } ", i, hub)
	}
	b.WriteString("}")
	return b.String()
}

func aliases(n int) string {
	var b strings.Builder
	b.WriteString("{ ")
	for i := range n {
		fmt.Fprintf(&b, "a%d: __typename ", i)
	}
	b.WriteString("}")
	return b.String()
}

func pathAliases(n int) string {
	var b strings.Builder
	b.WriteString("{ ")
	for i := range n {
		fmt.Fprintf(&b, "p%d: paths(from: %q, to: %q, k: 10, maxHops: 8) { length hops { kind } } ", i, hub, hub2)
	}
	b.WriteString("}")
	return b.String()
}

// typenameFragments nests levels fragments on Query, each spreading the next spreads times: a
// few hundred tokens that expand to spreads^(levels-1) fields.
func typenameFragments(levels, spreads int) string {
	var b strings.Builder
	b.WriteString("query { ...F0 }")
	for l := range levels {
		fmt.Fprintf(&b, " fragment F%d on Query { __typename", l)
		if l < levels-1 {
			for range spreads {
				fmt.Fprintf(&b, " ...F%d", l+1)
			}
		}
		b.WriteString(" }")
	}
	return b.String()
}

// manyOperations is a document of n named operations, each walking the hub's relationships,
// of which the request runs the last.
func manyOperations(n int) []byte {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "query q%d { entity(name: %q) { relationships { key } } } ", i, hub)
	}
	m, _ := json.Marshal(map[string]any{"query": b.String(), "operationName": fmt.Sprintf("q%d", n-1)})
	return m
}

// kindList is n made-up relationship kinds ending with last.
func kindList(n int, last string) []string {
	l := make([]string, n)
	for i := range n - 1 {
		l[i] = fmt.Sprintf("kind-%05d", i)
	}
	l[n-1] = last
	return l
}

func batch(n int) []byte {
	ops := make([]map[string]string, n)
	for i := range ops {
		ops[i] = map[string]string{"query": fmt.Sprintf(`{ entity(name: %q) { relationships { key } } }`, hub)}
	}
	b, _ := json.Marshal(ops)
	return b
}

// words returns n random lower-case words.
func words(r *rand.Rand, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		writeWord(&b, r)
	}
	return b.String()
}

// wordsOfSize returns random lower-case words making about size bytes.
func wordsOfSize(r *rand.Rand, size int) string {
	var b strings.Builder
	for b.Len() < size-10 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		writeWord(&b, r)
	}
	return b.String()
}

func writeWord(b *strings.Builder, r *rand.Rand) {
	for range 3 + r.IntN(7) {
		b.WriteByte(byte('a' + r.IntN(26)))
	}
}

// hangUp sends four heavy queries at once and closes their sockets after one second, then
// reads how much processor time the server spends in the next two seconds.
func hangUp(ctx context.Context, r *caseRun) {
	heavy := []string{fanOut, hoodNested, fanOut, hoodNested}
	r.concurrently(len(heavy), func(i int) {
		cctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		o := r.send(cctx, jsonRequest(gql(heavy[i], nil)))
		if o.Label == LabelClientTimeout || strings.HasSuffix(o.Label, " then "+LabelClientTimeout) {
			o = Outcome{Label: "hung up after 1 s", Latency: o.Latency, Bytes: o.Bytes, Untimed: true}
		}
		r.add(o)
	})
	if answered := len(heavy) - countLabel(r.outcomes, "hung up after 1 s"); answered > 0 {
		r.note("%d of the %d were answered before the hang-up, so they left the server nothing to stop", answered, len(heavy))
	}
	from := time.Now()
	sleep(ctx, 2*time.Second)
	to := time.Now()
	_, pid := r.h.target()
	if pid == 0 {
		return
	}
	w := r.h.sample.window(from, to)
	if len(w) < 2 {
		r.note("no samples of the server after the hang-up")
		return
	}
	used := w[len(w)-1].cpu - w[0].cpu
	span := w[len(w)-1].at.Sub(w[0].at)
	r.note("CPU in the %s after the hang-up: %s (the steady load alone costs about %s in that time); RSS then %s over idle",
		secs(span), secs(used), secs(time.Duration(r.h.baselineCPU*float64(span))), mb(w[len(w)-1].rss-r.h.idle))
}

func countLabel(outs []Outcome, label string) int {
	n := 0
	for _, o := range outs {
		if o.Label == label {
			n++
		}
	}
	return n
}

// undecodableBody sends a megabyte that is not JSON; the answer should say so briefly, not
// echo it.
func undecodableBody(ctx context.Context, r *caseRun) {
	b := make([]byte, 1_000_000)
	rng := rand.New(rand.NewPCG(3, 3))
	for i := range b {
		b[i] = byte(rng.IntN(256))
	}
	b[0] = 0xff
	r.sendAll(ctx, jsonRequest(b))
	for _, o := range r.outcomes {
		if o.Bytes > 16<<10 {
			r.fail("an answer of %s to an undecodable body (it should be a short error)", size(o.Bytes))
			break
		}
	}
}

// longURL sends a GET whose query string is a megabyte of comment.
func longURL(ctx context.Context, r *caseRun) {
	q := "# " + strings.Repeat("x", 1_000_000) + "\n{ __typename }"
	r.sendAll(ctx, request{method: http.MethodGet, path: "/query?query=" + url.QueryEscape(q)})
}

// documentCache sends 1,000 different documents of about 1 MB each (comment lines, then
// { __typename }), eight at a time, and reads the resident set five seconds after the last.
// The comments are a hundred long lines, so that a document stays far below the token limit
// and is parsed, validated and cached like any other.
func documentCache(ctx context.Context, r *caseRun) {
	const docs, conc = 1000, 8
	// The padding is shared; each body differs in its first line only.
	line := "# " + strings.Repeat("padding ", 1200) + `\n` // JSON-escaped newline
	pad := []byte(strings.Repeat(line, 100))
	suffix := []byte(`{ __typename }"}`)
	next := make(chan int)
	go func() {
		defer close(next)
		for i := range docs {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	r.concurrently(conc, func(int) {
		for i := range next {
			prefix := []byte(fmt.Sprintf(`{"query":"# kgabuse %s document %d\n`, r.h.runID, i))
			req := request{method: http.MethodPost, path: "/query", ctype: "application/json", body: func() (io.Reader, int64) {
				return io.MultiReader(bytes.NewReader(prefix), bytes.NewReader(pad), bytes.NewReader(suffix)), int64(len(prefix) + len(pad) + len(suffix))
			}}
			r.add(r.send(ctx, req))
		}
	})
	_, pid := r.h.target()
	if pid == 0 {
		return
	}
	sleep(ctx, 5*time.Second)
	if rss, err := RSS(pid); err == nil {
		r.note("RSS 5 s after the last document: %s over idle (peak during the case is in the table); documents of %s each",
			mb(rss-r.h.idle), size(int64(len(pad)+len(suffix)+40)))
	}
}
