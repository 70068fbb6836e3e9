package abuse

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestAnswerOutcome(t *testing.T) {
	long := `{"errors":[{"message":"` + strings.Repeat("x", prefixSize) + `","extensions":{"code":"INVALID"}}],"data":null}`
	for _, tc := range []struct {
		name   string
		status int
		body   string
		label  string
		failed bool
	}{
		{"data", 200, `{"data":{"entity":{"name":"Company 5"}}}`, "200 ok", false},
		{"a limit", 200, `{"errors":[{"message":"too deep","extensions":{"code":"DEPTH_LIMIT_EXCEEDED"}}],"data":null}`, "200 DEPTH_LIMIT_EXCEEDED", false},
		{"an internal error", 200, `{"errors":[{"message":"internal error (request 1)","extensions":{"code":"INTERNAL"}}],"data":null}`, "200 INTERNAL", true},
		{"an error without a code", 400, `{"errors":[{"message":"json request body could not be decoded"}],"data":null}`, "400 (no code)", false},
		{"an export error", 503, `{"error":"export took too long","code":"TIMEOUT"}`, "503 TIMEOUT", false},
		{"a bare 500", 500, `oops`, "500 without a code", true},
		{"a 413 without a body", 413, ``, "413 without a code", false},
		{"the first error past the kept prefix", 400, long, "400 (first error longer than 64 kB)", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prefix := []byte(tc.body)
			if len(prefix) > prefixSize {
				prefix = prefix[:prefixSize]
			}
			o := answerOutcome(tc.status, prefix, int64(len(tc.body)), time.Millisecond)
			if o.Label != tc.label || o.Failed != tc.failed {
				t.Errorf("got %q failed=%v, want %q failed=%v", o.Label, o.Failed, tc.label, tc.failed)
			}
		})
	}
}

// A server that hangs up without answering is "disconnected" and failed; one that is too slow
// is a client timeout, judged by its latency.
func TestSendLabelsWhatTheClientSaw(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/hangup":
			c, _, _ := w.(http.Hijacker).Hijack()
			c.(*net.TCPConn).SetLinger(0) // a reset, not a clean close
			c.Close()
		case "/slow":
			time.Sleep(300 * time.Millisecond)
		default:
			w.Write([]byte(`{"data":{"__typename":"Query"}}`))
		}
	}))
	defer srv.Close()
	c := &http.Client{Transport: newTransport(2)}
	for _, tc := range []struct {
		path   string
		label  string
		failed bool
	}{
		{"/query", "200 ok", false},
		{"/hangup", LabelDisconnected, true},
		{"/slow", LabelClientTimeout, false},
	} {
		o := send(context.Background(), c, srv.URL, request{method: http.MethodGet, path: tc.path}, 100*time.Millisecond)
		if o.Label != tc.label || o.Failed != tc.failed {
			t.Errorf("%s: got %q failed=%v, want %q failed=%v", tc.path, o.Label, o.Failed, tc.label, tc.failed)
		}
	}
}

func TestJudge(t *testing.T) {
	deadline := 5 * time.Second
	for _, tc := range []struct {
		name    string
		c       CaseResult
		reasons int
	}{
		{"refused at once", CaseResult{Outcomes: []Outcome{{Label: "200 DEPTH_LIMIT_EXCEEDED", Latency: time.Millisecond}}}, 0},
		{"answered just in time", CaseResult{Outcomes: []Outcome{{Label: "200 ok", Latency: deadline + Slack}}}, 0},
		{"late", CaseResult{Outcomes: []Outcome{{Label: "200 TIMEOUT", Latency: deadline + Slack + time.Millisecond}}}, 1},
		{"a slow client is not late", CaseResult{Outcomes: []Outcome{{Label: "hung up", Latency: time.Minute, Untimed: true}}}, 0},
		{"internal and late", CaseResult{Outcomes: []Outcome{{Label: "200 INTERNAL", Failed: true, Latency: time.Minute}}}, 2},
		{"memory", CaseResult{HasRSS: true, PeakRSS: MaxRSSGrowth + 1}, 1},
		{"memory left by an earlier case", CaseResult{HasRSS: true, PeakRSS: MaxRSSGrowth + 100, StartRSS: 200}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.c.judge(deadline)
			if len(tc.c.Reasons) != tc.reasons || tc.c.Pass != (tc.reasons == 0) {
				t.Errorf("got pass=%v reasons %q, want %d reasons", tc.c.Pass, tc.c.Reasons, tc.reasons)
			}
		})
	}
}

// The p99 ratio fails a run only when asked to.
func TestFailuresP99OnlyWhenStrict(t *testing.T) {
	r := &Report{HealthStatus: 200, Baseline: NormalStats{P99: time.Millisecond}, Attack: NormalStats{P99: 3 * time.Millisecond},
		Writes: WriteCheck{Skipped: "no token"}}
	if got := r.Failures(false); len(got) != 0 {
		t.Errorf("not strict: got %q, want none", got)
	}
	if got := r.Failures(true); len(got) != 1 {
		t.Errorf("strict: got %q, want the p99 ratio", got)
	}
	var b strings.Builder
	r.Markdown(&b, false)
	if !strings.Contains(b.String(), "p99 ratio 3.00×") || !strings.Contains(b.String(), "RESULT: PASS") {
		t.Errorf("summary lacks the ratio or the result:\n%s", b.String())
	}
}
