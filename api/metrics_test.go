package api_test

import (
	"fmt"
	"io"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"

	"github.com/kgraph/telegraph/api"
)

// TestMetrics answers a named query and a query refused for its depth through the server's
// handler, then scrapes /metrics: the request, latency, refusal and HTTP counters moved, the
// store's gauges are there, and every line parses as the Prometheus text format.
func TestMetrics(t *testing.T) {
	cfg := api.Defaults()
	cfg.MaxDepth = 3
	h := api.Handler(loaded(t), discard(), cfg)

	if r := post(t, h, `query Partners { partners(of: "Ericsson") { name } }`, nil); len(r.Errors) > 0 {
		t.Fatalf("query: %v", r.Errors)
	}
	// The same query again: the response cache answers it.
	if r := post(t, h, `query Partners { partners(of: "Ericsson") { name } }`, nil); len(r.Errors) > 0 {
		t.Fatalf("query again: %v", r.Errors)
	}
	deep := `{ entity(name: "Ericsson") { name ... on Company { subsidiaries { name subsidiaries { name subsidiaries { name } } } } } }`
	if r := post(t, h, deep, nil); !strings.Contains(strings.Join(r.codes(), " "), api.EDepthLimit) {
		t.Fatalf("deep query: codes %v, want %s", r.codes(), api.EDepthLimit)
	}

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("GET /metrics: %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	body, _ := io.ReadAll(rec.Body)
	samples := parseExposition(t, string(body))

	for _, tc := range []struct {
		series string
		want   float64
	}{
		{`telegraph_graphql_requests_total{operation="Partners",type="query"}`, 2},
		{`telegraph_graphql_duration_seconds_count{operation="Partners",type="query"}`, 2},
		{`telegraph_graphql_duration_seconds_bucket{operation="Partners",type="query",le="+Inf"}`, 2},
		{`telegraph_graphql_errors_total{code="DEPTH_LIMIT_EXCEEDED"}`, 1},
		{`telegraph_http_requests_total{path="/query",status="200"}`, 3},
	} {
		if got, ok := samples[tc.series]; !ok || got != tc.want {
			t.Errorf("%s = %v (present %v), want %v", tc.series, got, ok, tc.want)
		}
	}
	if got := samples["telegraph_index_quads"]; got != float64(loaded(t).Index().QuadCount()) || got == 0 {
		t.Errorf("telegraph_index_quads = %v, want %d", got, loaded(t).Index().QuadCount())
	}
	if got := samples["telegraph_response_cache_hits"]; got < 1 {
		t.Errorf("telegraph_response_cache_hits = %v, want the repeated query's hit", got)
	}
	if got := samples["telegraph_index_builds"]; got < 1 {
		t.Errorf("telegraph_index_builds = %v, want at least 1", got)
	}
	for _, name := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "process_resident_memory_bytes"} {
		if samples[name] <= 0 {
			t.Errorf("%s = %v, want the runtime's or the process's own figure", name, samples[name])
		}
	}
	if _, ok := samples["telegraph_store_generation"]; ok {
		t.Errorf("telegraph_store_generation on a memory store, which no other instance shares")
	}
}

// parseExposition parses a text-format scrape with the Prometheus text parser and returns its
// samples by series, written as the text format writes them: name{label="value",...}, a
// histogram as its _bucket (with le last), _sum and _count series.
func parseExposition(t *testing.T, text string) map[string]float64 {
	t.Helper()
	var p expfmt.TextParser
	families, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("the scrape does not parse as the Prometheus text format: %v", err)
	}
	out := map[string]float64{}
	series := func(name string, labels []*dto.LabelPair, extra ...string) string {
		var l []string
		for _, lp := range labels {
			l = append(l, fmt.Sprintf("%s=%q", lp.GetName(), lp.GetValue()))
		}
		l = append(l, extra...)
		if len(l) == 0 {
			return name
		}
		return name + "{" + strings.Join(l, ",") + "}"
	}
	for name, f := range families {
		for _, m := range f.GetMetric() {
			switch f.GetType() {
			case dto.MetricType_COUNTER:
				out[series(name, m.GetLabel())] = m.GetCounter().GetValue()
			case dto.MetricType_GAUGE:
				out[series(name, m.GetLabel())] = m.GetGauge().GetValue()
			case dto.MetricType_UNTYPED:
				out[series(name, m.GetLabel())] = m.GetUntyped().GetValue()
			case dto.MetricType_HISTOGRAM:
				h := m.GetHistogram()
				for _, b := range h.GetBucket() {
					out[series(name+"_bucket", m.GetLabel(), fmt.Sprintf("le=%q", strconv.FormatFloat(b.GetUpperBound(), 'g', -1, 64)))] = float64(b.GetCumulativeCount())
				}
				out[series(name+"_bucket", m.GetLabel(), `le="+Inf"`)] = float64(h.GetSampleCount())
				out[series(name+"_sum", m.GetLabel())] = h.GetSampleSum()
				out[series(name+"_count", m.GetLabel())] = float64(h.GetSampleCount())
			}
		}
	}
	return out
}
