package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/kgraph/telegraph/api"
	"github.com/kgraph/telegraph/store"
)

const cacheToken = "a-write-token-of-some-length"

// writable returns a memory store holding the data folder and an endpoint over it that
// accepts cacheToken for writes.
func writable(t *testing.T, cfg api.Config) (*store.Store, api.Config) {
	t.Helper()
	s, err := store.Open(context.Background(), store.Memory)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if rep, err := s.Sync(context.Background(), "../data", nil); err != nil || rep.Err() != nil {
		t.Fatalf("sync: %v %v", err, rep.Err())
	}
	cfg.Tokens = []string{cacheToken}
	return s, cfg
}

func partnerNames(t *testing.T, r response) []string {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %v", r.Errors)
	}
	var out []string
	for _, p := range r.Data["partners"].([]any) {
		out = append(out, p.(map[string]any)["name"].(string))
	}
	return out
}

func TestResponseCacheWriteAnswersFromTheNewIndex(t *testing.T) {
	s, cfg := writable(t, api.Defaults())
	h := api.Endpoint(s, discard(), cfg)
	const q = `query($n: String!) { partners(of: $n) { name } }`
	vars := map[string]any{"n": "Ericsson"}
	before := partnerNames(t, post(t, h, q, vars))
	hits0, _, _ := api.ResponseCacheStats()
	if again := partnerNames(t, post(t, h, q, vars)); !slices.Equal(again, before) {
		t.Fatalf("second answer %v, first %v", again, before)
	}
	if hits, _, _ := api.ResponseCacheStats(); hits != hits0+1 {
		t.Fatalf("hits went from %d to %d, want one more: the repeated query was not answered from the cache", hits0, hits)
	}
	if slices.Contains(before, "Telia") {
		t.Fatalf("Telia is already a partner of Ericsson: %v", before)
	}

	w := post(t, h, `mutation($a: ArticleInput!, $e: [EntityInput!], $r: [RelationshipInput!]) {
	  putArticle(article: $a, entities: $e, relationships: $r) { added } }`, map[string]any{
		"a": map[string]any{"id": "cache-telia", "title": "Telia picks Ericsson for 5G core", "date": "2017-08-01", "author": "a curator"},
		"e": []map[string]any{
			{"id": "ericsson", "kind": "Company", "name": "Ericsson", "quotes": []string{"Telia has chosen Ericsson"}},
			{"id": "telia", "kind": "Company", "name": "Telia", "quotes": []string{"Telia has chosen Ericsson"}},
		},
		"r": []map[string]any{{"id": "cache-telia-deal", "relation": "partnership", "quotes": []string{"Telia has chosen Ericsson for its 5G core"},
			"participants": []map[string]any{{"role": "party", "entity": "telia"}, {"role": "party", "entity": "ericsson"}},
			"attributes":   []map[string]any{{"key": "kind", "value": "agreement"}}}},
	}, "Authorization", "Bearer "+cacheToken)
	if len(w.Errors) > 0 {
		t.Fatalf("putArticle: %v", w.Errors)
	}
	after := partnerNames(t, post(t, h, q, vars))
	if !slices.Contains(after, "Telia") {
		t.Errorf("after the write, partners of Ericsson = %v, want Telia among them (a stale cached answer)", after)
	}
}

func TestResponseCacheKeepsEveryLimit(t *testing.T) {
	cfg := api.Defaults()
	cfg.MaxDepth = 3
	cfg.MaxBody = 32 << 10
	cfg.MaxItems = 50
	h := api.Endpoint(loaded(t), discard(), cfg)

	const listed = `query($k: [String!]) { entity(name: "Ericsson") { relationships(kinds: $k) { relation } } }`
	small := map[string]any{"k": []string{"partnership"}}
	for range 2 {
		if r := post(t, h, listed, small); len(r.Errors) > 0 {
			t.Fatalf("accepted query: %v", r.Errors)
		}
	}
	long := make([]string, api.MaxListArgument+1)
	for i := range long {
		long[i] = "partnership"
	}
	wantCode(t, post(t, h, listed, map[string]any{"k": long}), "INVALID")

	// The same document and variables as a cached answer, in a body over the limit.
	body, _ := json.Marshal(map[string]any{"query": listed, "variables": small, "extensions": map[string]string{"pad": strings.Repeat("x", 40<<10)}})
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	h.ServeHTTP(rec, req)
	if rec.Code != 413 {
		t.Errorf("a body over the limit with a cached query: status %d, want 413", rec.Code)
	}

	// Refused answers are never kept: a second try is refused again.
	for range 2 {
		wantCode(t, post(t, h, nested(4), nil), api.EDepthLimit)
		wantCode(t, post(t, h, `{ entities(first: 100) { nodes { name kind } } }`, nil), api.EResultTooLarge)
	}
}

func TestResponseCacheHoldsItsBytes(t *testing.T) {
	cfg := api.Defaults()
	cfg.ResponseCache = 1 // MiB
	h := api.Endpoint(loaded(t), discard(), cfg)
	pad := strings.Repeat(" ", 10<<10) // every document weighs over 10 KiB
	_, _, b0 := api.ResponseCacheStats()
	for i := range 300 {
		q := fmt.Sprintf(`{ a%d: entity(name: "Ericsson") { name }%s}`, i, pad)
		if r := post(t, h, q, nil); len(r.Errors) > 0 {
			t.Fatal(r.Errors)
		}
	}
	_, _, b1 := api.ResponseCacheStats()
	if held := b1 - b0; held > 1<<20 || held < 512<<10 {
		t.Errorf("after 300 answers of over 10 KiB, the cache holds %d bytes; want at most 1 MiB and at least half of it", held)
	}
}

func TestResponseCacheOff(t *testing.T) {
	cfg := api.Defaults()
	cfg.ResponseCache = 0
	h := api.Endpoint(loaded(t), discard(), cfg)
	hits0, misses0, _ := api.ResponseCacheStats()
	for range 3 {
		post(t, h, `{ entity(name: "Ericsson") { name } }`, nil)
	}
	if hits, misses, _ := api.ResponseCacheStats(); hits != hits0 || misses != misses0 {
		t.Errorf("with the cache off, hits %d→%d and misses %d→%d; want no change", hits0, hits, misses0, misses)
	}
}
