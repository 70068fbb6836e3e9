package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kgraph/telegraph/api"
	"github.com/kgraph/telegraph/store"
)

// generated returns the store of a synthetic graph of 100,000 quads (bench/synth) that the
// export tests share, whose first companies are hubs of high degree: the hostile cases need
// nodes far bigger than the curated data's.
func generated(t *testing.T) *store.Store {
	t.Helper()
	if testing.Short() {
		t.Skip("loads a 100,000-quad graph; skipped with -short")
	}
	return big(t)
}

// fanOut asks for the hub's relationships, each one's participants, and their relationships
// and participants in turn: no list in it has a page size.
const fanOut = `{ entity(name: "Company 0") { relationships { participants { entity { relationships { participants { entity { name } } } } } } } }`

// timed posts query to h and returns the answer and how long h took.
func timed(t *testing.T, h http.Handler, query string) (response, time.Duration) {
	t.Helper()
	start := time.Now()
	r := post(t, h, query, nil)
	return r, time.Since(start)
}

func TestWorkBudget(t *testing.T) {
	src := generated(t)
	t.Run("an answer past the budget is refused while it is built", func(t *testing.T) {
		// The estimate prices each list at a few items and lets this query pass; the hub's
		// relationships number in the thousands, so only counting during execution stops it.
		h := api.Endpoint(src, discard(), api.Defaults())
		r, took := timed(t, h, fanOut)
		wantCode(t, r, api.EResultTooLarge)
		if !strings.Contains(r.Errors[0].Message, "first") {
			t.Errorf("message %q does not say how to page", r.Errors[0].Message)
		}
		t.Logf("refused after %v", took)
	})
	t.Run("the budget counts every item, not only top-level ones", func(t *testing.T) {
		cfg := api.Defaults()
		cfg.MaxItems = 50
		h := api.Endpoint(src, discard(), cfg)
		wantCode(t, post(t, h, `{ entities(first: 100) { edges { node { name } } } }`, nil), api.EResultTooLarge)
		if r := post(t, h, `{ entities(first: 5) { edges { node { name } } } }`, nil); len(r.Errors) > 0 {
			t.Errorf("a small page was refused: %v", r.Errors)
		}
	})
	t.Run("the deadline reaches nested fields", func(t *testing.T) {
		cfg := api.Defaults()
		cfg.MaxItems = 1 << 40 // only the deadline can stop it
		cfg.Timeout = 100 * time.Millisecond
		h := api.Endpoint(src, discard(), cfg)
		r, took := timed(t, h, fanOut)
		wantCode(t, r, api.ETimeout)
		if took > cfg.Timeout+500*time.Millisecond {
			t.Errorf("stopped after %v, want within 500ms of the %v deadline", took, cfg.Timeout)
		}
	})
	t.Run("a client that hangs up stops the work", func(t *testing.T) {
		cfg := api.Defaults()
		cfg.MaxItems = 1 << 40
		cfg.Timeout = time.Minute // only the hang-up can stop it
		h := api.Endpoint(src, discard(), cfg)
		body, _ := json.Marshal(map[string]any{"query": fanOut})
		ctx, cancel := context.WithCancel(context.Background())
		req := httptest.NewRequestWithContext(ctx, "POST", "/query", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		time.AfterFunc(100*time.Millisecond, cancel)
		start := time.Now()
		h.ServeHTTP(httptest.NewRecorder(), req)
		if took := time.Since(start); took > time.Second {
			t.Errorf("the handler returned %v after the start, %v after the client hung up", took, took-100*time.Millisecond)
		}
	})
}

func TestStaticLimits(t *testing.T) {
	h := api.Endpoint(loaded(t), discard(), api.Defaults())
	t.Run("aliases count once per fragment spread", func(t *testing.T) {
		var g, hh strings.Builder
		for i := range 14 {
			fmt.Fprintf(&g, " g%d: relationships { participants { entity { ...H } } }", i)
			fmt.Fprintf(&hh, " h%d: relationships { key }", i)
		}
		q := `{ entity(name: "Alibaba Cloud") { ...G } } fragment G on Entity {` + g.String() + ` } fragment H on Entity {` + hh.String() + ` }`
		wantCode(t, post(t, h, q, nil), api.EAliasLimit)
	})
	t.Run("page sizes are clamped before they multiply", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("{")
		for i := range 10 {
			fmt.Fprintf(&b, ` n%d: neighborhood(of: "Ericsson", depth: 4, limit: 4611686018427387904) { nodes { id name } edges { source target } }`, i)
		}
		b.WriteString(" }")
		wantCode(t, post(t, h, b.String(), nil), api.ECostLimit)
	})
	t.Run("fragments that expand to millions of fields are refused before they are expanded", func(t *testing.T) {
		// Eight levels of eight spreads: 8^8 = 16,777,216 fields once spread.
		q := "{ ...F0 }"
		for i := range 8 {
			q += fmt.Sprintf(" fragment F%d on Query {%s }", i, strings.Repeat(fmt.Sprintf(" ...F%d", i+1), 8))
		}
		q += " fragment F8 on Query { __typename }"
		r, took := timed(t, h, q)
		wantCode(t, r, api.ECostLimit)
		if !strings.Contains(r.Errors[0].Message, "fragments are spread") {
			t.Errorf("refused by %q, want the expanded field count", r.Errors[0].Message)
		}
		t.Logf("refused after %v", took)
	})
	t.Run("lists in variables are capped", func(t *testing.T) {
		kinds := make([]string, api.MaxListArgument+1)
		for i := range kinds {
			kinds[i] = "partnership"
		}
		r := post(t, h, `query($k: [String!]) { entity(name: "Ericsson") { relationships(kinds: $k) { key } } }`, map[string]any{"k": kinds})
		if len(r.Errors) == 0 || r.Errors[0].Extensions.Code != "INVALID" {
			t.Fatalf("codes = %v, want INVALID", r.codes())
		}
		r = post(t, h, `query($k: [String!]) { entity(name: "Ericsson") { relationships(kinds: $k) { key } } }`, map[string]any{"k": kinds[:10]})
		if len(r.Errors) > 0 {
			t.Fatalf("a list of 10 was refused: %v", r.Errors)
		}
	})
	t.Run("comments count toward the token limit", func(t *testing.T) {
		q := strings.Repeat("# "+strings.Repeat("padding ", 100)+"\n", 1000) + "{ __typename }"
		wantCode(t, post(t, h, q, nil), api.ETokenLimit)
	})
	t.Run("search text is capped before any search", func(t *testing.T) {
		words := strings.Repeat("ericsson ", 40000)
		r := post(t, h, `query($t: String!) { search(text: $t) { name } }`, map[string]any{"t": words})
		if len(r.Errors) == 0 || r.Errors[0].Extensions.Code != "INVALID" {
			t.Fatalf("codes = %v, want INVALID", r.codes())
		}
		r = post(t, h, `query($t: String!) { search(text: $t) { name } }`, map[string]any{"t": strings.Repeat("x", 300)})
		if len(r.Errors) == 0 || r.Errors[0].Extensions.Code != "INVALID" {
			t.Fatalf("codes = %v for 300 bytes in one word, want INVALID", r.codes())
		}
	})
}

func TestConnectionCap(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	srv := api.Server(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }), api.Defaults(), discard())
	go srv.Serve(api.Listen(ln, 2, discard()))
	defer srv.Close()
	defer close(release)
	for range 2 {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")) // held by the handler
	}
	time.Sleep(100 * time.Millisecond) // let the server accept both
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Fatal("a third connection was served with a cap of two")
	} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("a third connection was left open with a cap of two, want it closed")
	}
}

func TestBadBodyIsNotEchoed(t *testing.T) {
	h := api.Endpoint(loaded(t), discard(), api.Defaults())
	body := []byte(`{"query": "` + strings.Repeat(`\x`, 500_000))
	req := httptest.NewRequest("POST", "/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest || rec.Body.Len() > 1000 {
		t.Fatalf("status %d, %d bytes for a %d-byte body that is not JSON, want 400 and a short answer", rec.Code, rec.Body.Len(), len(body))
	}
	if !strings.Contains(rec.Body.String(), api.EBadRequest) {
		t.Errorf("answer %s has no code %s", rec.Body.String(), api.EBadRequest)
	}
}
