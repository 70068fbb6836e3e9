package api_test

import (
	"io"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

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
	if _, ok := samples["telegraph_store_generation"]; ok {
		t.Errorf("telegraph_store_generation on a memory store, which no other instance shares")
	}
}

// sample is one line of the text format: a metric name, optional labels, a value.
var sample = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (\S+)$`)

// parseExposition checks every line of a text-format scrape and returns its samples by series
// (name and labels as written). A sample must follow the # TYPE line of its family.
func parseExposition(t *testing.T, text string) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	typed := map[string]string{}
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if f := strings.Fields(line); len(f) >= 4 && f[0] == "#" && f[1] == "TYPE" {
			typed[f[2]] = f[3]
			continue
		}
		if strings.HasPrefix(line, "# HELP ") {
			continue
		}
		m := sample.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("line %d does not parse: %q", i+1, line)
			continue
		}
		family := m[1]
		if _, ok := typed[family]; !ok {
			family = regexp.MustCompile(`_(bucket|sum|count)$`).ReplaceAllString(family, "")
			if typed[family] != "histogram" {
				t.Errorf("line %d: %s has no # TYPE line before it", i+1, m[1])
			}
		}
		v, err := strconv.ParseFloat(m[3], 64)
		if err != nil {
			t.Errorf("line %d: value %q: %v", i+1, m[3], err)
		}
		out[m[1]+m[2]] = v
	}
	return out
}
