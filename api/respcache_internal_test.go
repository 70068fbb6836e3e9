package api

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/kgraph/telegraph/graph"
	"github.com/kgraph/telegraph/store"
)

func TestCachedAnswersAreNotExecuted(t *testing.T) {
	s, err := store.Open(context.Background(), store.Memory)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if rep, err := s.Sync(context.Background(), "../data", nil); err != nil || rep.Err() != nil {
		t.Fatalf("sync: %v %v", err, rep.Err())
	}
	srv := handler.New(snapshotSchema{costSchema{graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{Graph: s}})}, s})
	srv.AddTransport(transport.POST{})
	cache := NewResponseCache(s, 1<<20)
	srv.Use(cache)
	var fields atomic.Int64
	srv.AroundFields(func(ctx context.Context, next graphql.Resolver) (any, error) {
		fields.Add(1)
		return next(ctx)
	})
	ask := func(body string) string {
		req := httptest.NewRequest("POST", "/query", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec.Body.String()
	}
	const q = `{"query":"query($n: String!) { partners(of: $n) { name } }","variables":{"n":"Ericsson"}}`
	first := ask(q)
	ran := fields.Load()
	if ran == 0 || !strings.Contains(first, "China Mobile") {
		t.Fatalf("first answer %s after %d fields", first, ran)
	}
	if again := ask(q); again != first {
		t.Errorf("cached answer %s, first %s", again, first)
	}
	if n := fields.Load(); n != ran {
		t.Errorf("the repeated query resolved %d more fields; a cached answer resolves none", n-ran)
	}
	if hits, misses, bytes := cache.Stats(); hits != 1 || misses != 1 || bytes <= int64(len(first)) {
		t.Errorf("stats = %d hits, %d misses, %d bytes; want 1, 1 and more than the answer", hits, misses, bytes)
	}
	// Other variables, and another operation with an error, are answered afresh each time.
	ask(`{"query":"query($n: String!) { partners(of: $n) { name } }","variables":{"n":"Nokia"}}`)
	bad := `{"query":"{ neighborhood(of: \"Ericsson\", depth: 99) { nodes { name } } }"}`
	ask(bad)
	before := fields.Load()
	ask(bad)
	if fields.Load() == before {
		t.Error("an answer with errors was served from the cache")
	}
	if _, misses, _ := cache.Stats(); misses != 4 {
		t.Errorf("misses = %d, want 4", misses)
	}
}
