package graph_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	"github.com/kgraph/telegraph/api"
	"github.com/kgraph/telegraph/kg"
	"github.com/kgraph/telegraph/store"
)

func globalID(iri string) string { return kg.GlobalID(iri) }

// teliaText is a small article of the tests' own: the repository keeps no article text.
const teliaText = "Telia has chosen Ericsson for its 5G core.\n\n" +
	"The agreement, signed in Stockholm, covers “Sweden” and\nFinland."

// teliaWithText is teliaDeal with the article's text; quote replaces the partnership's quote.
func teliaWithText(id, quote string) []client.Option {
	a := article(id)
	a["text"] = teliaText
	return []client.Option{
		client.Var("a", a),
		client.Var("e", []object{
			entity("ericsson", "Company", "Ericsson", "Telia has chosen Ericsson"),
			entity("telia", "Company", "Telia", "Telia has chosen Ericsson"),
		}),
		client.Var("r", []object{partnership(id+"-deal", quote, "telia", "ericsson")}),
	}
}

// problem is one entry of an error's extensions.problems.
type problem struct{ Field, Message, Nearest string }

// problemsOf returns the problems of the first error of a failed request.
func problemsOf(t *testing.T, err error) (code string, ps []problem) {
	t.Helper()
	var re client.RawJsonError
	if !errors.As(err, &re) {
		t.Fatalf("error %v is not a GraphQL error list", err)
	}
	var errs []struct {
		Extensions struct {
			Code     string
			Problems []problem
		}
	}
	if err := json.Unmarshal(re.RawMessage, &errs); err != nil || len(errs) == 0 {
		t.Fatalf("errors %s: %v", re.RawMessage, err)
	}
	return errs[0].Extensions.Code, errs[0].Extensions.Problems
}

func TestPutArticleWithText(t *testing.T) {
	c, s := newWriter(t, store.Memory)

	// Subscribed before the write, to see that a checked write reaches subscribers as any other.
	sub := c.Websocket(`subscription { factAdded { article { key } relationships { key } } }`)
	defer sub.Close()
	for deadline := time.Now().Add(10 * time.Second); s.Subscribers() == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the subscription did not reach the store")
		}
	}

	var resp struct{ PutArticle writeResult }
	if err := c.Post(putArticle, &resp, teliaWithText("api-telia-text", "covers \"Sweden\" and Finland")...); err != nil {
		t.Fatal(err)
	}

	t.Run("subscribers see the facts", func(t *testing.T) {
		var ev struct {
			FactAdded struct {
				Article       struct{ Key string }
				Relationships []struct{ Key string }
			}
		}
		if err := sub.Next(&ev); err != nil {
			t.Fatal(err)
		}
		if ev.FactAdded.Article.Key != "api-telia-text" || len(ev.FactAdded.Relationships) != 1 || ev.FactAdded.Relationships[0].Key != "api-telia-text-deal" {
			t.Errorf("event = %+v", ev.FactAdded)
		}
	})

	t.Run("the text is served with its quotes located", func(t *testing.T) {
		var resp struct {
			Node struct {
				Text       *string
				QuoteSpans []struct {
					Quote         string
					Start, End    int
					Relationships []struct{ Key string }
					Entities      []named
				}
			}
		}
		c.MustPost(`query($id: ID!) { node(id: $id) { ... on Article { text quoteSpans { quote start end relationships { key } entities { name } } } } }`,
			&resp, client.Var("id", globalID("kg:article/api-telia-text")))
		if resp.Node.Text == nil || *resp.Node.Text != teliaText {
			t.Fatalf("text = %v, want %q", resp.Node.Text, teliaText)
		}
		runes := []rune(teliaText)
		spans := resp.Node.QuoteSpans
		if len(spans) != 2 {
			t.Fatalf("spans = %+v, want two", spans)
		}
		for i, want := range []string{"Telia has chosen Ericsson", "covers “Sweden” and\nFinland"} {
			if got := string(runes[spans[i].Start:spans[i].End]); got != want {
				t.Errorf("span %d covers %q, want %q", i, got, want)
			}
		}
		if names(spans[0].Entities) == nil || len(spans[0].Entities) != 2 || len(spans[0].Relationships) != 0 {
			t.Errorf("first span = %+v, want the two entities' evidence", spans[0])
		}
		if len(spans[1].Relationships) != 1 || spans[1].Relationships[0].Key != "api-telia-text-deal" {
			t.Errorf("second span = %+v, want the partnership's evidence", spans[1])
		}
	})

	t.Run("a quote absent from the text is INVALID with the nearest passage", func(t *testing.T) {
		before := s.Index().QuadCount()
		var resp map[string]any
		err := c.Post(putArticle, &resp, teliaWithText("api-telia-text-2", "Telia has picked Ericsson for its 5G core")...)
		wantError(t, err, "INVALID", "relationships[0].quotes[0]", "rel api-telia-text-2-deal", `nearest passage is \"Telia has chosen Ericsson for its 5G core.\"`)
		code, ps := problemsOf(t, err)
		if code != "INVALID" || len(ps) != 1 || ps[0].Field != "relationships[0].quotes[0]" || ps[0].Nearest != "Telia has chosen Ericsson for its 5G core." {
			t.Errorf("problems = %+v", ps)
		}
		if got := s.Index().QuadCount(); got != before {
			t.Errorf("the refused write changed the store: %d quads, %d before", got, before)
		}
		if entityNamed(t, c, "Telia") == nil || s.Index().Article("kg:article/api-telia-text-2") != nil {
			t.Errorf("the refused article reached the graph")
		}
	})

	t.Run("an entity's quote is checked too", func(t *testing.T) {
		opts := teliaWithText("api-telia-text-3", "Telia has chosen Ericsson")
		opts[1] = client.Var("e", []object{
			entity("ericsson", "Company", "Ericsson", "Ericsson AB"),
			entity("telia", "Company", "Telia", "Telia has chosen Ericsson"),
		})
		var resp map[string]any
		_, ps := problemsOf(t, c.Post(putArticle, &resp, opts...))
		if len(ps) != 1 || ps[0].Field != "entities[0].quotes[0]" {
			t.Errorf("problems = %+v, want one for entities[0].quotes[0]", ps)
		}
	})

	t.Run("an article without text keeps today's behaviour", func(t *testing.T) {
		var resp struct{ PutArticle writeResult }
		opts := teliaWithText("api-telia-no-text", "words the article never printed")
		a := article("api-telia-no-text")
		opts[0] = client.Var("a", a)
		if err := c.Post(putArticle, &resp, opts...); err != nil {
			t.Fatalf("a write without text refused: %v", err)
		}
		var q struct {
			Node struct {
				Text       *string
				QuoteSpans []struct{ Quote string }
			}
		}
		c.MustPost(`query($id: ID!) { node(id: $id) { ... on Article { text quoteSpans { quote } } } }`, &q, client.Var("id", globalID("kg:article/api-telia-no-text")))
		if q.Node.Text != nil || len(q.Node.QuoteSpans) != 0 {
			t.Errorf("article without text: text %v, spans %v", q.Node.Text, q.Node.QuoteSpans)
		}
	})

	t.Run("hasText says whether the text is stored", func(t *testing.T) {
		var q struct {
			With, Without struct{ HasText bool }
		}
		c.MustPost(`query($a: ID!, $b: ID!) { with: node(id: $a) { ... on Article { hasText } } without: node(id: $b) { ... on Article { hasText } } }`, &q,
			client.Var("a", globalID("kg:article/api-telia-text")), client.Var("b", globalID("kg:article/api-telia-no-text")))
		if !q.With.HasText || q.Without.HasText {
			t.Errorf("hasText: %v with a text, %v without one", q.With.HasText, q.Without.HasText)
		}
	})

	t.Run("the text is not counted as a fact", func(t *testing.T) {
		var q struct {
			With, Without struct{ FactCount int }
		}
		c.MustPost(`query($a: ID!, $b: ID!) { with: node(id: $a) { ... on Article { factCount } } without: node(id: $b) { ... on Article { factCount } } }`, &q,
			client.Var("a", globalID("kg:article/api-telia-text")), client.Var("b", globalID("kg:article/api-telia-no-text")))
		// The two articles state the same facts but for their quotes and the article's id.
		if q.With.FactCount != q.Without.FactCount || q.With.FactCount == 0 {
			t.Errorf("factCount with text %d, without %d: want the same", q.With.FactCount, q.Without.FactCount)
		}
	})

	t.Run("writing it again with another text replaces the text", func(t *testing.T) {
		opts := teliaWithText("api-telia-text", "Telia has chosen Ericsson")
		a := article("api-telia-text")
		a["text"] = "Telia has chosen Ericsson, it said."
		opts[0] = client.Var("a", a)
		var resp struct{ PutArticle writeResult }
		c.MustPost(putArticle, &resp, opts...)
		var q struct{ Node struct{ Text *string } }
		c.MustPost(`query($id: ID!) { node(id: $id) { ... on Article { text } } }`, &q, client.Var("id", globalID("kg:article/api-telia-text")))
		if q.Node.Text == nil || *q.Node.Text != "Telia has chosen Ericsson, it said." {
			t.Errorf("text = %v after the rewrite", q.Node.Text)
		}
	})
}

func TestWriteAccess(t *testing.T) {
	c, s := newWriter(t, store.Memory)
	var resp struct{ WriteAccess bool }
	c.MustPost(`mutation { writeAccess }`, &resp)
	if !resp.WriteAccess {
		t.Errorf("writeAccess = false with the token")
	}
	cfg := api.Defaults()
	cfg.Tokens = []string{token}
	anon := client.New(api.Endpoint(s, discardLog(), cfg))
	err := anon.Post(`mutation { writeAccess }`, &resp)
	wantError(t, err, "UNAUTHENTICATED")
	if !strings.Contains(err.Error(), "Bearer") {
		t.Errorf("error %v does not say how to authenticate", err)
	}
}

func TestVocabulary(t *testing.T) {
	c, _ := newWriter(t, store.Memory)
	var resp struct {
		Vocabulary struct {
			EntityKinds   []string
			RelationKinds []struct {
				Name  string
				Roles []struct {
					Name, Position string
					Min            int
					Max            *int
				}
				Required []string
			}
		}
	}
	c.MustPost(`{ vocabulary { entityKinds relationKinds { name roles { name position min max } required } } }`, &resp)
	v := resp.Vocabulary
	if !has(v.EntityKinds, "Company") || len(v.RelationKinds) < 20 {
		t.Fatalf("vocabulary = %+v", v)
	}
	for _, k := range v.RelationKinds {
		switch k.Name {
		case "partnership":
			if r := k.Roles[0]; r.Name != "party" || r.Position != "PARTY" || r.Min != 2 || r.Max != nil {
				t.Errorf("partnership's first role = %+v, want party, PARTY, at least 2, no limit", r)
			}
		case "related":
			if len(k.Required) != 1 || k.Required[0] != "kind" {
				t.Errorf("related requires %v, want [kind]", k.Required)
			}
		case "stake":
			if r := k.Roles[1]; r.Name != "company" || r.Position != "TARGET" || r.Max == nil || *r.Max != 1 {
				t.Errorf("stake's second role = %+v, want company, TARGET, at most 1", r)
			}
		}
	}
}
