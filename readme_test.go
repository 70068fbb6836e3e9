package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/kgraph/telegraph/api"
	"github.com/kgraph/telegraph/store"
)

// readmeExample is a GraphQL block of the README with the JSON answer printed under it, if any.
type readmeExample struct {
	line   int
	query  string
	answer string
}

var fence = regexp.MustCompile("(?s)```graphql\n(.*?)```\n(?:```json\n(.*?)```\n)?")

// readmeExamples returns the README's queries, one per example: a block of several one-line
// queries gives one example each.
func readmeExamples(t *testing.T) []readmeExample {
	t.Helper()
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []readmeExample
	for _, m := range fence.FindAllSubmatchIndex(b, -1) {
		line := 1 + bytes.Count(b[:m[0]], []byte("\n"))
		q := string(b[m[2]:m[3]])
		answer := ""
		if m[4] >= 0 {
			answer = string(b[m[4]:m[5]])
		}
		lines := strings.Split(strings.TrimSpace(q), "\n")
		if len(lines) > 1 && answer == "" && strings.HasPrefix(lines[1], "{") {
			for i, l := range lines {
				out = append(out, readmeExample{line: line + 1 + i, query: l})
			}
			continue
		}
		out = append(out, readmeExample{line: line + 1, query: q, answer: answer})
	}
	return out
}

// TestREADMEExamples runs every query of the README against the curated data: each must answer
// without errors, and where the README prints the answer, the answer must be what it prints.
// An answer abridged with "…" must still hold every name the README shows.
func TestREADMEExamples(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, store.Memory)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if rep, err := s.Sync(ctx, "data", nil); err != nil || rep.Err() != nil {
		t.Fatalf("sync: %v %v", err, rep.Err())
	}
	h := api.Endpoint(s, slog.New(slog.NewTextHandler(io.Discard, nil)), api.Defaults())
	examples := readmeExamples(t)
	if len(examples) < 15 {
		t.Fatalf("found %d examples in the README, want the dozens it has", len(examples))
	}
	for _, ex := range examples {
		t.Run(fmt.Sprintf("README.md:%d", ex.line), func(t *testing.T) {
			q := strings.TrimSpace(ex.query)
			switch {
			case strings.HasPrefix(q, "mutation"), strings.HasPrefix(q, "subscription"):
				t.Skip("writes and subscriptions have tests of their own")
			case strings.Contains(q, "resources("):
				t.Skip("asks about a data file the repository does not hold")
			}
			body, _ := json.Marshal(map[string]string{"query": q})
			req := httptest.NewRequest("POST", "/query", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			var got struct {
				Data   map[string]any
				Errors []map[string]any
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != http.StatusOK {
				t.Fatalf("status %d, %v: %s", rec.Code, err, rec.Body.String())
			}
			if len(got.Errors) > 0 {
				t.Fatalf("%s\nanswered errors: %v", q, got.Errors)
			}
			if ex.answer == "" {
				return
			}
			var want any
			if json.Unmarshal([]byte(ex.answer), &want) != nil {
				// Abridged: every string the README shows must be in the answer.
				var buf bytes.Buffer
				enc := json.NewEncoder(&buf)
				enc.SetEscapeHTML(false)
				enc.Encode(got.Data)
				all := buf.Bytes()
				for _, m := range regexp.MustCompile(`"([^"]*)"`).FindAllStringSubmatch(ex.answer, -1) {
					if !bytes.Contains(all, []byte(m[1])) {
						t.Errorf("the answer has no %q, which the README shows:\n%s", m[1], all)
					}
				}
				return
			}
			if w, ok := want.(map[string]any); ok && w["data"] != nil && len(w) == 1 {
				want = w["data"]
			}
			if !same(want, any(got.Data)) && !same(want, only(got.Data)) {
				g, _ := json.Marshal(got.Data)
				t.Errorf("the README says\n%s\nthe server answers\n%s", ex.answer, g)
			}
		})
	}
}

// only returns the one value of a map of one key, as the README prints an entity's fields
// without the root field that holds them; anything else as it is.
func only(m map[string]any) any {
	if len(m) == 1 {
		for _, v := range m {
			return v
		}
	}
	return m
}

// same compares decoded JSON, numbers to the precision the README prints them with.
func same(want, got any) bool {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for k, v := range w {
			if !same(v, g[k]) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !same(w[i], g[i]) {
				return false
			}
		}
		return true
	case float64:
		g, ok := got.(float64)
		return ok && math.Abs(g-w) <= 0.05*math.Max(math.Abs(w), 0.01)
	}
	return want == got
}
