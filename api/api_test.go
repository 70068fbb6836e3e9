package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kgraph/telegraph/api"
	"github.com/kgraph/telegraph/index"
	"github.com/kgraph/telegraph/store"
)

var (
	dataOnce  sync.Once
	dataStore *store.Store
	dataErr   error
)

// loaded returns a memory store holding the data folder, shared by the tests of this package:
// they only read it.
func loaded(t testing.TB) *store.Store {
	t.Helper()
	dataOnce.Do(func() {
		dataStore, dataErr = store.Open(context.Background(), store.Memory)
		if dataErr != nil {
			return
		}
		var rep *store.Report
		rep, dataErr = dataStore.Sync(context.Background(), "../data", nil)
		if dataErr == nil {
			dataErr = rep.Err()
		}
	})
	if dataErr != nil {
		t.Fatal(dataErr)
	}
	return dataStore
}

type gqlError struct {
	Message    string
	Extensions struct{ Code string }
}

type response struct {
	status int
	Data   map[string]any
	Errors []gqlError
}

func (r response) codes() []string {
	var out []string
	for _, e := range r.Errors {
		out = append(out, e.Extensions.Code)
	}
	return out
}

// post sends a GraphQL request to h and decodes the answer.
func post(t *testing.T, h http.Handler, query string, vars map[string]any, header ...string) response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return postRaw(t, h, body, header...)
}

func postRaw(t *testing.T, h http.Handler, body []byte, header ...string) response {
	t.Helper()
	req := httptest.NewRequest("POST", "/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	r := response{status: rec.Code}
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		t.Fatalf("response is not JSON (%d): %s", rec.Code, rec.Body.String())
	}
	return r
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// wantCode fails unless r was refused with code and no data.
func wantCode(t *testing.T, r response, code string) {
	t.Helper()
	if len(r.Errors) == 0 || r.Errors[0].Extensions.Code != code {
		t.Fatalf("codes = %v (%v), want %s", r.codes(), r.Errors, code)
	}
	if r.Data != nil {
		t.Errorf("refused query still returned data: %v", r.Data)
	}
}

func nested(levels int) string {
	q := strings.Repeat("relationships { participants { entity { ", levels)
	return "{ entity(name: \"Ericsson\") { " + q + "name" + strings.Repeat(" } } }", levels) + " } }"
}

func aliases(n int) string {
	var b strings.Builder
	b.WriteString("{ ")
	for i := range n {
		b.WriteString("a")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString(string(rune('a' + i%26)))
		b.WriteString(strings.Repeat("b", i/26))
		b.WriteString(": entity(name: \"Ericsson\") { name } ")
	}
	return b.String() + "}"
}

func TestLimits(t *testing.T) {
	h := api.GraphQL(loaded(t), discard())

	t.Run("a query within every limit runs", func(t *testing.T) {
		r := post(t, h, `{ partners(of: "Ericsson", country: "China") { name } }`, nil)
		if len(r.Errors) > 0 || r.Data["partners"] == nil {
			t.Fatalf("errors %v, data %v", r.Errors, r.Data)
		}
	})
	t.Run("depth 9 is refused", func(t *testing.T) {
		// entity + 2 × (relationships, participants, entity) + name = depth 8.
		if r := post(t, h, nested(2), nil); len(r.Errors) > 0 {
			t.Fatalf("depth 8 refused: %v", r.Errors)
		}
		const nine = `{ entity(name: "Ericsson") { relationships { participants { entity { relationships { participants { entity { relationships { key } } } } } } } } }`
		wantCode(t, post(t, h, nine, nil), api.EDepthLimit)
	})
	t.Run("depth 50 is refused", func(t *testing.T) {
		wantCode(t, post(t, h, nested(16), nil), api.EDepthLimit)
	})
	t.Run("depth through fragments counts", func(t *testing.T) {
		q := `query { entity(name: "Ericsson") { ...A } }
fragment A on Entity { relationships { participants { entity { ...B } } } }
fragment B on Entity { relationships { participants { entity { ...C } } } }
fragment C on Entity { relationships { participants { entity { name } } } } }`
		wantCode(t, post(t, h, strings.TrimSuffix(q, " }"), nil), api.EDepthLimit)
	})
	t.Run("31 aliases are refused", func(t *testing.T) {
		if r := post(t, h, aliases(30), nil); len(r.Errors) > 0 {
			t.Fatalf("30 aliases refused: %v", r.Errors)
		}
		wantCode(t, post(t, h, aliases(31), nil), api.EAliasLimit)
	})
	t.Run("1000 aliases are refused", func(t *testing.T) {
		h := api.Endpoint(loaded(t), discard(), func() api.Config { c := api.Defaults(); c.MaxTokens = 100000; return c }())
		wantCode(t, post(t, h, aliases(1000), nil), api.EAliasLimit)
	})
	t.Run("__typename 10000 times is refused by the token limit", func(t *testing.T) {
		wantCode(t, post(t, h, "{ "+strings.Repeat("__typename ", 10000)+"}", nil), api.ETokenLimit)
	})
	t.Run("a costly list is refused", func(t *testing.T) {
		q := `{ search(text: "china", first: 100) { relationships { participants { entity { relationships { participants { entity { name } } } } } } } }`
		wantCode(t, post(t, h, q, nil), api.ECostLimit)
		// The same shape over one search hit is cheap: the page size is what costs.
		if r := post(t, h, strings.Replace(q, "first: 100", "first: 1", 1), nil); len(r.Errors) > 0 {
			t.Fatalf("first: 1 refused: %v", r.Errors)
		}
	})
	t.Run("page size given as a variable counts", func(t *testing.T) {
		q := `query($n: Int) { search(text: "china", first: $n) { relationships { participants { entity { relationships { participants { entity { name } } } } } } } }`
		wantCode(t, post(t, h, q, map[string]any{"n": 100}), api.ECostLimit)
	})
	t.Run("a 10 MB body gets 413", func(t *testing.T) {
		body := []byte(`{"query":"{ __typename }","variables":{"pad":"` + strings.Repeat("x", 10<<20) + `"}}`)
		r := postRaw(t, h, body)
		if r.status != http.StatusRequestEntityTooLarge {
			t.Errorf("status %d, want 413", r.status)
		}
		wantCode(t, r, api.ERequestTooLarge)
	})
	t.Run("a large body without a length gets 413", func(t *testing.T) {
		body := `{"query":"{ __typename }","variables":{"pad":"` + strings.Repeat("x", 2<<20) + `"}}`
		req := httptest.NewRequest("POST", "/query", io.MultiReader(strings.NewReader(body)))
		req.ContentLength = -1
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), api.ERequestTooLarge) {
			t.Errorf("status %d %s, want 413 with %s", rec.Code, rec.Body.String(), api.ERequestTooLarge)
		}
	})
	t.Run("a subscription over plain HTTP is refused", func(t *testing.T) {
		wantCode(t, post(t, h, `subscription { factAdded { article { key } } }`, nil), api.ESubscriptionTransport)
	})
	t.Run("suggestions are off", func(t *testing.T) {
		r := post(t, h, `{ entiti(name: "Ericsson") { name } }`, nil)
		if len(r.Errors) == 0 || strings.Contains(r.Errors[0].Message, "Did you mean") {
			t.Errorf("errors = %v, want one without suggestions", r.Errors)
		}
	})
}

func TestDeadline(t *testing.T) {
	cfg := api.Defaults()
	cfg.Timeout = time.Nanosecond // already past when the resolver starts: the path search must stop
	h := api.Endpoint(loaded(t), discard(), cfg)
	r := post(t, h, `{ path(from: "Nokia", to: "ZTE", maxHops: 8) { length } }`, nil)
	if len(r.Errors) == 0 || r.Errors[0].Extensions.Code != api.ETimeout {
		t.Fatalf("codes = %v (%v), want %s", r.codes(), r.Errors, api.ETimeout)
	}
	if path, _ := r.Data["path"]; path != nil {
		t.Errorf("path = %v past the deadline, want null", path)
	}
}

func TestIntrospection(t *testing.T) {
	const q = `{ __schema { queryType { name } } }`
	if r := post(t, api.GraphQL(loaded(t), discard()), q, nil); len(r.Errors) > 0 {
		t.Errorf("introspection refused by default: %v", r.Errors)
	}
	// The query GraphiQL sends (graphql-js's getIntrospectionQuery) nests 15 levels deep: the
	// playground must still work under the depth limit.
	full, err := os.ReadFile("testdata/introspection.graphql")
	if err != nil {
		t.Fatal(err)
	}
	if r := post(t, api.GraphQL(loaded(t), discard()), string(full), nil); len(r.Errors) > 0 || r.Data["__schema"] == nil {
		t.Errorf("GraphiQL's introspection query refused: %v", r.Errors)
	}
	// Introspection is exempt from the depth limit because the validator bounds it instead.
	deep := `{ __type(name: "Company") { ` + strings.Repeat("fields { type { ", 12) + "name" + strings.Repeat(" } }", 12) + " } }"
	wantCode(t, post(t, api.GraphQL(loaded(t), discard()), deep, nil), "GRAPHQL_VALIDATION_FAILED")
	cfg := api.Defaults()
	cfg.Introspection = false
	r := post(t, api.Endpoint(loaded(t), discard(), cfg), q, nil)
	if len(r.Errors) == 0 || r.Errors[0].Extensions.Code != api.EIntrospectionDisabled {
		t.Errorf("errors = %v, want introspection refused", r.Errors)
	}
}

// panicky is a source whose index blows up, as a bug in a resolver would.
type panicky struct{ *store.Store }

func (panicky) Index() *index.Index { panic("index corrupted") }

func TestPanicIsAnErrorOfThatRequestOnly(t *testing.T) {
	var logs bytes.Buffer
	s := loaded(t)
	h := api.GraphQL(panicky{s}, slog.New(slog.NewTextHandler(&logs, nil)))
	r := post(t, h, `{ entity(name: "Ericsson") { name } }`, nil)
	if len(r.Errors) != 1 || r.Errors[0].Extensions.Code != "INTERNAL" || !strings.HasPrefix(r.Errors[0].Message, "internal error (request ") {
		t.Fatalf("errors = %v, want one internal error with a request id", r.Errors)
	}
	msg := r.Errors[0].Message
	id := strings.TrimSuffix(strings.TrimPrefix(msg, "internal error (request "), ")")
	if strings.Contains(msg, "goroutine") || strings.Contains(msg, "corrupted") {
		t.Errorf("response shows internals: %q", msg)
	}
	if !strings.Contains(logs.String(), id) || !strings.Contains(logs.String(), "index corrupted") || !strings.Contains(logs.String(), "goroutine") {
		t.Errorf("log lacks the request id %s, the panic or its stack:\n%s", id, logs.String())
	}
	// The server goes on answering.
	if r := post(t, api.GraphQL(s, discard()), `{ entity(name: "Ericsson") { name } }`, nil); len(r.Errors) > 0 {
		t.Errorf("next request failed: %v", r.Errors)
	}
}

func TestWritesNeedAToken(t *testing.T) {
	s, err := store.Open(context.Background(), store.Memory)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const m = `mutation { deleteArticle(id: "x") { deleted } }`
	t.Run("no token configured: read-only", func(t *testing.T) {
		r := post(t, api.GraphQL(s, discard()), m, nil, "Authorization", "Bearer anything")
		if len(r.Errors) == 0 || r.Errors[0].Extensions.Code != "FORBIDDEN" || !strings.Contains(r.Errors[0].Message, "--token") {
			t.Fatalf("errors = %v, want FORBIDDEN naming --token", r.Errors)
		}
	})
	cfg := api.Defaults()
	cfg.Tokens = []string{"s3cret", "other"}
	h := api.Endpoint(s, discard(), cfg)
	for _, tc := range []struct{ name, header, code string }{
		{"no header", "", "UNAUTHENTICATED"},
		{"wrong token", "Bearer nope", "UNAUTHENTICATED"},
		{"not bearer", "Basic czNjcmV0", "UNAUTHENTICATED"},
		{"second token", "Bearer other", "NOT_FOUND"}, // past the check: the article does not exist
		{"first token", "bearer s3cret", "NOT_FOUND"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := post(t, h, m, nil, "Authorization", tc.header)
			if len(r.Errors) == 0 || r.Errors[0].Extensions.Code != tc.code {
				t.Errorf("errors = %v, want %s", r.Errors, tc.code)
			}
		})
	}
	t.Run("reads need none", func(t *testing.T) {
		if r := post(t, h, `{ articles { title } }`, nil); len(r.Errors) > 0 {
			t.Errorf("errors = %v", r.Errors)
		}
	})
}

func TestErrorStatusFollowsTheSpecification(t *testing.T) {
	h := api.GraphQL(loaded(t), discard())
	for _, tc := range []struct {
		accept   string
		status   int
		withData bool
	}{
		{"application/json", http.StatusOK, true},
		{"application/graphql-response+json", http.StatusBadRequest, false},
	} {
		t.Run(tc.accept, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/query", strings.NewReader(`{"query":"{ entity(name: ) }"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", tc.accept)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			var body map[string]json.RawMessage
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if _, has := body["data"]; rec.Code != tc.status || has != tc.withData || body["errors"] == nil {
				t.Errorf("status %d, body %s; want %d, data entry %v, errors", rec.Code, rec.Body.String(), tc.status, tc.withData)
			}
		})
	}
}

// A document seen before answers from the endpoint's caches: its verdict and its validation
// hold on every repeat, with other variables too.
func TestRepeatedDocuments(t *testing.T) {
	h := api.GraphQL(loaded(t), discard())
	for i := range 3 {
		wantCode(t, post(t, h, nested(5), nil), api.EDepthLimit)
		wantCode(t, post(t, h, aliases(40), nil), api.EAliasLimit)
		r := post(t, h, `{ nope }`, nil)
		if len(r.Errors) == 0 || r.Errors[0].Extensions.Code != "GRAPHQL_VALIDATION_FAILED" {
			t.Fatalf("repeat %d: invalid document gave %v", i, r.Errors)
		}
	}
	const q = `query($n: String!) { entity(name: $n) { name } }`
	for _, name := range []string{"Ericsson", "ZTE", "Nokia"} {
		r := post(t, h, q, map[string]any{"n": name})
		got, _ := r.Data["entity"].(map[string]any)
		if len(r.Errors) > 0 || got["name"] != name {
			t.Errorf("entity(%s) = %v, %v", name, r.Data, r.Errors)
		}
	}
}
