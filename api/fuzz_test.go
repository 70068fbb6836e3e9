package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/kgraph/telegraph/api"
)

// FuzzGraphQL posts arbitrary documents and variables to the endpoint: every answer must be a
// GraphQL response (JSON with data or errors) with a client-error or success status, and no
// input may produce an internal error, which would mean a resolver or the executor failed.
func FuzzGraphQL(f *testing.F) {
	f.Add(`{ partners(of: "Ericsson", country: "China") { name kind } }`, `{}`)
	f.Add(`query($n: Int) { search(text: "china", first: $n) { name } }`, `{"n": 3}`)
	f.Fuzz(func(t *testing.T, query, variables string) {
		h := api.GraphQL(loaded(t), discard())
		body, _ := json.Marshal(map[string]any{"query": query, "variables": json.RawMessage(variables)})
		if !json.Valid([]byte(variables)) {
			body, _ = json.Marshal(map[string]any{"query": query, "variables": variables})
		}
		req := httptest.NewRequest("POST", "/query", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusUnprocessableEntity, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
		}
		var r struct {
			Data   json.RawMessage
			Errors []gqlError
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
			t.Fatalf("not a JSON response (%v): %s", err, rec.Body.String())
		}
		if r.Data == nil && len(r.Errors) == 0 {
			t.Fatalf("neither data nor errors: %s", rec.Body.String())
		}
		for _, e := range r.Errors {
			if e.Extensions.Code == "INTERNAL" {
				t.Fatalf("internal error for %q with %s: %s", query, variables, e.Message)
			}
		}
	})
}
