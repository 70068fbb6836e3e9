package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kgraph/telegraph/api"
	"github.com/kgraph/telegraph/store"
)

// An article's text weighs in the work budget by its length: one item per KiB past the first.
func TestLongTextsSpendTheBudget(t *testing.T) {
	s, err := store.Open(context.Background(), store.Memory)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	var src strings.Builder
	src.WriteString("article long\n  title: Long\n  date: 2020-01-01\n  text:\n")
	for range 2000 { // about 100 KiB
		src.WriteString("    Acme Corp signed a long agreement with Beta Ltd today.\n")
	}
	src.WriteString("entity acme Company\n  name: Acme Corp\n  quote: Acme Corp signed\n")
	if _, err := s.Put(context.Background(), "api:long.kg", []byte(src.String())); err != nil {
		t.Fatal(err)
	}
	cfg := api.Defaults()
	cfg.MaxItems = 50
	h := api.Endpoint(s, discard(), cfg)
	if r := post(t, h, `{ articles { title } }`, nil); len(r.Errors) > 0 {
		t.Fatalf("titles alone: %v", r.Errors)
	}
	wantCode(t, post(t, h, `{ articles { title text } }`, nil), api.EResultTooLarge)
}
