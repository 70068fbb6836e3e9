package store

import (
	"context"
	"strings"
	"testing"

	"github.com/kgraph/telegraph/kg"
	"github.com/kgraph/telegraph/store/storetest"
)

// textArticle is an API article with its text; quote is its entity's evidence.
func textArticle(quote string) string {
	return "article texted\n  title: Texted\n  date: 2020-01-01\n  text:\n" +
		"    Acme Corp signed with Beta Ltd.\n\n    It is the second deal.\n" +
		"entity acme Company\n  name: Acme Corp\n  quote: " + quote + "\n"
}

// An article's text is stored in the quad store, labelled with the article like its facts, and
// read back by the next open; a write whose quote the text lacks is INVALID and writes nothing.
// On a bolt file, and on PostgreSQL when the tests have one.
func TestPutKeepsTheText(t *testing.T) {
	for _, backend := range []string{"bolt", "postgres"} {
		t.Run(backend, func(t *testing.T) { putKeepsTheText(t, storetest.DSN(t, backend)) })
	}
}

func putKeepsTheText(t *testing.T, path string) {
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	before := s.Index().QuadCount()
	_, err = s.Put(ctx, "api:texted.kg", []byte(textArticle("Acme Corp signed with Gamma")))
	if code := codeOf(err); code != kg.EInvalid || !strings.Contains(err.Error(), `nearest passage is "Acme Corp signed with Beta"`) {
		t.Fatalf("a quote the text lacks: error %v (%s), want INVALID with the nearest passage", err, code)
	}
	if got := s.Index().QuadCount(); got != before {
		t.Fatalf("the refused write left %d quads, want %d", got, before)
	}
	if _, err := s.Put(ctx, "api:texted.kg", []byte(textArticle("Acme Corp signed with Beta Ltd."))); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	art := kg.ArticleIRI("texted")
	for _, q := range s.Index().SubjectQuads(art) {
		if q.Predicate.Value == kg.PredText {
			if want := "Acme Corp signed with Beta Ltd.\n\nIt is the second deal."; q.Object.Value != want || q.Label.Value != art {
				t.Errorf("text quad = %q labelled %s, want %q labelled %s", q.Object.Value, q.Label.Value, want, art)
			}
			return
		}
	}
	t.Errorf("no %s quad for %s after reopening the store", kg.PredText, art)
}
