package api

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/kgraph/telegraph/graph"
)

// Metrics counts what the server does and serves the counts at /metrics in the Prometheus text
// exposition format, through the Prometheus client library: GraphQL requests and their latency
// by operation name and type, errors by extensions.code (the limits' refusals among them), HTTP
// requests by path and status, gauges that the program adds with Gauge (open connections,
// index size, load progress), and the Go runtime's and the process's own (memory, collections,
// goroutines, CPU, open files). It is safe for concurrent use; the zero value is not, use
// NewMetrics.
type Metrics struct {
	reg      *prometheus.Registry
	handler  http.Handler
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	errs     *prometheus.CounterVec
	http     *prometheus.CounterVec

	mu  sync.Mutex
	ops map[string]bool // operation names kept apart so far (see maxOperations)
}

// latencyBuckets are the upper bounds, in seconds, of the latency histograms: from a cached
// lookup (a millisecond) to the default deadline (5 s) and beyond.
var latencyBuckets = []float64{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// maxOperations bounds the operation names kept apart: names are chosen by clients, and each
// one costs a histogram. Later names are counted under "other".
const maxOperations = 200

// NewMetrics returns empty metrics, with the Go runtime's and the process's collectors.
func NewMetrics() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), ops: map[string]bool{}}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "telegraph_graphql_requests_total",
		Help: "GraphQL responses by operation name (anonymous without one) and type (query, mutation, subscription events; none when refused before an operation was chosen).",
	}, []string{"operation", "type"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "telegraph_graphql_duration_seconds",
		Help:    "Time from receiving a query or mutation to its answer, by operation name and type.",
		Buckets: latencyBuckets,
	}, []string{"operation", "type"})
	m.errs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "telegraph_graphql_errors_total",
		Help: "Errors in GraphQL responses by extensions.code: the limits' refusals (DEPTH_LIMIT_EXCEEDED, TIMEOUT, RESULT_TOO_LARGE, ...) and the domain's codes.",
	}, []string{"code"})
	m.http = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "telegraph_http_requests_total",
		Help: "HTTP requests by path (/query, /export/, /healthz, /metrics, /, /explore or other) and status.",
	}, []string{"path", "status"})
	m.reg.MustRegister(m.requests, m.duration, m.errs, m.http,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.handler = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
	return m
}

// Gauge adds a gauge whose value fn gives at each scrape; fn must be safe to call from any
// goroutine. name must be a valid Prometheus metric name; a gauge of the same name and help
// added before is replaced.
func (m *Metrics) Gauge(name, help string, fn func() float64) {
	g := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, fn)
	err := m.reg.Register(g)
	var again prometheus.AlreadyRegisteredError
	if errors.As(err, &again) {
		m.reg.Unregister(again.ExistingCollector)
		err = m.reg.Register(g)
	}
	if err != nil {
		panic(fmt.Sprintf("gauge %s: %v", name, err)) // a name or help that can never register
	}
}

// observe records one GraphQL response: its operation, how long it took (negative: not timed)
// and the codes of its errors.
func (m *Metrics) observe(name, typ string, took time.Duration, errs []string) {
	m.mu.Lock()
	if !m.ops[name] {
		if len(m.ops) >= maxOperations {
			name = "other"
		} else {
			m.ops[name] = true
		}
	}
	m.mu.Unlock()
	m.requests.WithLabelValues(name, typ).Inc()
	if took >= 0 {
		m.duration.WithLabelValues(name, typ).Observe(took.Seconds())
	}
	for _, code := range errs {
		m.errs.WithLabelValues(code).Inc()
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
		m.http.WithLabelValues(pathClass(r.URL.Path), strconv.Itoa(status)).Inc()
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

// ServeHTTP writes the metrics in the Prometheus text format (or another the scraper asks for).
func (m *Metrics) ServeHTTP(w http.ResponseWriter, r *http.Request) { m.handler.ServeHTTP(w, r) }

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
