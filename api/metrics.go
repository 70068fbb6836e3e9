package api

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/kgraph/telegraph/graph"
)

// Metrics counts what the server does and serves the counts at /metrics in the Prometheus text
// exposition format (version 0.0.4): GraphQL requests and their latency by operation name and
// type, errors by extensions.code (the limits' refusals among them), HTTP requests by path and
// status, and gauges that the program adds with Gauge (open connections, index size, load
// progress). It is safe for concurrent use; the zero value is not, use NewMetrics.
type Metrics struct {
	mu     sync.Mutex
	ops    map[opKey]*histogram
	errs   map[string]int64
	http   map[httpKey]int64
	gauges []gauge
}

type opKey struct{ name, typ string }
type httpKey struct {
	path   string
	status int
}

type gauge struct {
	name, help string
	value      func() float64
}

// latencyBuckets are the upper bounds, in seconds, of the latency histograms: from a cached
// lookup (a millisecond) to the default deadline (5 s) and beyond.
var latencyBuckets = []float64{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// maxOperations bounds the operation names kept apart: names are chosen by clients, and each
// one costs a histogram. Later names are counted under "other".
const maxOperations = 200

type histogram struct {
	counts []int64 // per bucket, not cumulative; the last is +Inf
	sum    float64
	n      int64
}

// NewMetrics returns empty metrics.
func NewMetrics() *Metrics {
	return &Metrics{ops: map[opKey]*histogram{}, errs: map[string]int64{}, http: map[httpKey]int64{}}
}

// Gauge adds a gauge whose value fn gives at each scrape; fn must be safe to call from any
// goroutine. name must be a valid Prometheus metric name.
func (m *Metrics) Gauge(name, help string, fn func() float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.gauges = append(m.gauges, gauge{name, help, fn})
}

// observe records one GraphQL response: its operation, how long it took (negative: not timed)
// and the codes of its errors.
func (m *Metrics) observe(name, typ string, took time.Duration, errs []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := opKey{name, typ}
	h := m.ops[k]
	if h == nil {
		if len(m.ops) >= maxOperations {
			k.name = "other"
			h = m.ops[k]
		}
		if h == nil {
			h = &histogram{counts: make([]int64, len(latencyBuckets)+1)}
			m.ops[k] = h
		}
	}
	h.n++
	if took >= 0 {
		s := took.Seconds()
		i, _ := slices.BinarySearch(latencyBuckets, s)
		h.counts[i]++
		h.sum += s
	}
	for _, code := range errs {
		m.errs[code]++
	}
}

// InterceptResponse counts each GraphQL response, by operation and by the codes of its errors;
// as the outermost response interceptor it sees the errors of every limit, those raised before
// execution (depth, aliases, cost) included, which reach it without an operation.
func (m *Metrics) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	start := time.Now()
	name, typ := "anonymous", "none" // refused before an operation was chosen
	if graphql.HasOperationContext(ctx) {
		op := graphql.GetOperationContext(ctx)
		if op.Operation != nil {
			typ = string(op.Operation.Operation)
			if op.Operation.Name != "" {
				name = op.Operation.Name
			}
			if typ != "subscription" && !op.Stats.OperationStart.IsZero() {
				start = op.Stats.OperationStart // parsing and validation count too
			}
		}
	}
	resp := next(ctx)
	if resp == nil {
		return nil // a subscription's end
	}
	took := time.Since(start)
	if typ == "subscription" {
		took = -1 // the time an event waited for a change says nothing of the server
	}
	var codes []string
	for _, e := range resp.Errors {
		code, _ := e.Extensions["code"].(string)
		if code == "" {
			code = "none"
		}
		codes = append(codes, code)
	}
	m.observe(name, typ, took, codes)
	return resp
}

// ExtensionName and Validate make Metrics a gqlgen extension (handler.Use).
func (m *Metrics) ExtensionName() string { return "Metrics" }

// Validate accepts every schema.
func (m *Metrics) Validate(graphql.ExecutableSchema) error { return nil }

// Count wraps h so that each HTTP request is counted by the class of its path (see pathClass)
// and its status.
func (m *Metrics) Count(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		status := sw.status
		if status == 0 {
			status = http.StatusOK
		}
		m.mu.Lock()
		m.http[httpKey{pathClass(r.URL.Path), status}]++
		m.mu.Unlock()
	})
}

// pathClass names the handler a path goes to, so that the label has a handful of values
// whatever paths clients ask for.
func pathClass(p string) string {
	switch {
	case p == "/query", p == "/healthz", p == "/metrics", p == "/explore":
		return p
	case strings.HasPrefix(p, "/export/"):
		return "/export/"
	case p == "/":
		return "/"
	default:
		return "other" // the front end's assets, and paths that do not exist
	}
}

// statusWriter records the status of a response; it keeps the flushing, hijacking and
// deadlines of the writer it wraps (exports stream, websockets take the connection over).
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the wrapped writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Flush() { http.NewResponseController(w.ResponseWriter).Flush() }

func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err == nil && w.status == 0 {
		w.status = http.StatusSwitchingProtocols
	}
	return c, rw, err
}

// ServeHTTP writes the metrics in the Prometheus text format.
func (m *Metrics) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	m.WriteTo(w)
}

// WriteTo writes the metrics in the Prometheus text format to w.
func (m *Metrics) WriteTo(w io.Writer) (int64, error) {
	m.mu.Lock()
	gauges := slices.Clone(m.gauges)
	var b strings.Builder
	header(&b, "telegraph_graphql_requests_total", "counter", "GraphQL responses by operation name (anonymous without one) and type (query, mutation, subscription events; none when refused before an operation was chosen).")
	ops := sortedKeys(m.ops, func(a, b opKey) int { return strings.Compare(a.typ+" "+a.name, b.typ+" "+b.name) })
	for _, k := range ops {
		fmt.Fprintf(&b, "telegraph_graphql_requests_total{operation=%s,type=%s} %d\n", quote(k.name), quote(k.typ), m.ops[k].n)
	}
	header(&b, "telegraph_graphql_duration_seconds", "histogram", "Time from receiving a query or mutation to its answer, by operation name and type.")
	for _, k := range ops {
		if k.typ == "subscription" {
			continue
		}
		h, labels := m.ops[k], "operation="+quote(k.name)+",type="+quote(k.typ)
		var cum int64
		for i, le := range latencyBuckets {
			cum += h.counts[i]
			fmt.Fprintf(&b, "telegraph_graphql_duration_seconds_bucket{%s,le=%q} %d\n", labels, strconv.FormatFloat(le, 'g', -1, 64), cum)
		}
		cum += h.counts[len(latencyBuckets)]
		fmt.Fprintf(&b, "telegraph_graphql_duration_seconds_bucket{%s,le=\"+Inf\"} %d\n", labels, cum)
		fmt.Fprintf(&b, "telegraph_graphql_duration_seconds_sum{%s} %s\n", labels, number(h.sum))
		fmt.Fprintf(&b, "telegraph_graphql_duration_seconds_count{%s} %d\n", labels, cum)
	}
	header(&b, "telegraph_graphql_errors_total", "counter", "Errors in GraphQL responses by extensions.code: the limits' refusals (DEPTH_LIMIT_EXCEEDED, TIMEOUT, RESULT_TOO_LARGE, ...) and the domain's codes.")
	for _, code := range sortedKeys(m.errs, strings.Compare) {
		fmt.Fprintf(&b, "telegraph_graphql_errors_total{code=%s} %d\n", quote(code), m.errs[code])
	}
	header(&b, "telegraph_http_requests_total", "counter", "HTTP requests by path (/query, /export/, /healthz, /metrics, /, /explore or other) and status.")
	for _, k := range sortedKeys(m.http, func(a, b httpKey) int {
		if c := strings.Compare(a.path, b.path); c != 0 {
			return c
		}
		return a.status - b.status
	}) {
		fmt.Fprintf(&b, "telegraph_http_requests_total{path=%s,status=\"%d\"} %d\n", quote(k.path), k.status, m.http[k])
	}
	m.mu.Unlock()
	for _, g := range gauges {
		header(&b, g.name, "gauge", g.help)
		fmt.Fprintf(&b, "%s %s\n", g.name, number(g.value()))
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

func header(b *strings.Builder, name, typ, help string) {
	fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s %s\n", name, strings.NewReplacer(`\`, `\\`, "\n", `\n`).Replace(help), name, typ)
}

// quote writes a label value as the text format wants it: in double quotes, with backslash,
// double quote and line feed escaped.
func quote(v string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(v) + `"`
}

func number(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "+Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	case math.IsNaN(f):
		return "NaN"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

func sortedKeys[K comparable, V any](m map[K]V, cmp func(a, b K) int) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, cmp)
	return keys
}

// sourceGauges adds the gauges of the read index and, when src can tell them (*store.Store
// can), of the store behind it: index builds, the shared database's write counter and how long
// ago it was last read, subscribers.
func sourceGauges(m *Metrics, src graph.Source) {
	m.Gauge("telegraph_index_quads", "Quads in the read index.", func() float64 { return float64(src.Index().QuadCount()) })
	m.Gauge("telegraph_index_entities", "Entities in the read index.", func() float64 { return float64(len(src.Index().Entities())) })
	if s, ok := src.(interface{ IndexBuilds() int64 }); ok {
		m.Gauge("telegraph_index_builds", "Read indexes put in place since the store was opened: one at open, one more after each write (this instance's or, on a shared database, another's).", func() float64 { return float64(s.IndexBuilds()) })
	}
	if s, ok := src.(interface {
		Shared() bool
		Generation() int64
		LastPoll() time.Time
	}); ok && s.Shared() {
		m.Gauge("telegraph_store_generation", "The shared database's write counter (kg_generation) that the read index reflects.", func() float64 { return float64(s.Generation()) })
		m.Gauge("telegraph_store_poll_age_seconds", "Seconds since the shared database was last read for other instances' writes (every --refresh when all is well): how far the index may lag the database.", func() float64 {
			return time.Since(s.LastPoll()).Seconds()
		})
	}
	if s, ok := src.(interface{ Subscribers() int }); ok {
		m.Gauge("telegraph_subscriptions", "Open GraphQL subscriptions.", func() float64 { return float64(s.Subscribers()) })
	}
	cache := func(pick func(hits, misses, bytes int64) int64) func() float64 {
		return func() float64 { return float64(pick(ResponseCacheStats())) }
	}
	m.Gauge("telegraph_response_cache_hits", "Queries answered from the response cache since start.", cache(func(h, _, _ int64) int64 { return h }))
	m.Gauge("telegraph_response_cache_misses", "Queries the response cache could not answer since start (answers with errors, or first asked since the last write).", cache(func(_, m, _ int64) int64 { return m }))
	m.Gauge("telegraph_response_cache_bytes", "Bytes the response cache holds (--response-cache bounds them).", cache(func(_, _, b int64) int64 { return b }))
}
