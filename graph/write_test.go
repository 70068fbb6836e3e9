package graph_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/kgraph/telegraph/api"
	"github.com/kgraph/telegraph/store"
)

const token = "test-token-0123456789"

// newWriter returns a client that may write (with the bearer token) over a store synced from
// the data folder.
func newWriter(t *testing.T, dsn string) (*client.Client, *store.Store) {
	t.Helper()
	s, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if rep, err := s.Sync(context.Background(), "../data", nil); err != nil || rep.Err() != nil {
		t.Fatalf("sync: %v %v", err, rep.Err())
	}
	cfg := api.Defaults()
	cfg.Tokens = []string{token}
	return client.New(api.Endpoint(s, discardLog(), cfg), client.AddHeader("Authorization", "Bearer "+token)), s
}

const putArticle = `mutation($a: ArticleInput!, $e: [EntityInput!], $r: [RelationshipInput!]) {
  putArticle(article: $a, entities: $e, relationships: $r) {
    article { key title } entities { name kind } relationships { key relation } added deleted } }`

type writeResult struct {
	Article       *struct{ Key, Title string }
	Entities      []named
	Relationships []struct{ Key, Relation string }
	Added         int
	Deleted       int
}

type object = map[string]any

func article(id string) object {
	return object{"id": id, "title": "Telia picks Ericsson for 5G core", "date": "2017-08-01", "author": "a curator"}
}

func entity(id, kind, name, quote string) object {
	return object{"id": id, "kind": kind, "name": name, "quotes": []string{quote}}
}

func partnership(id, quote string, parties ...string) object {
	var ps []object
	for _, p := range parties {
		ps = append(ps, object{"role": "party", "entity": p})
	}
	return object{"id": id, "relation": "partnership", "participants": ps, "quotes": []string{quote},
		"attributes": []object{{"key": "kind", "value": "agreement"}}}
}

// teliaDeal is a valid write: Ericsson and a new entity, Telia, in a partnership.
func teliaDeal(id string) []client.Option {
	return []client.Option{
		client.Var("a", article(id)),
		client.Var("e", []object{
			entity("ericsson", "Company", "Ericsson", "Telia has chosen Ericsson"),
			entity("telia", "Company", "Telia", "Telia has chosen Ericsson"),
		}),
		client.Var("r", []object{partnership(id+"-deal", "Telia has chosen Ericsson for its 5G core", "telia", "ericsson")}),
	}
}

func partnersOf(t *testing.T, c *client.Client, name string) []string {
	t.Helper()
	var resp struct{ Partners []named }
	if err := c.Post(`query($n: String!) { partners(of: $n) { name } }`, &resp, client.Var("n", name)); err != nil {
		t.Fatalf("partners(of: %q): %v", name, err)
	}
	return names(resp.Partners)
}

func entityNamed(t *testing.T, c *client.Client, name string) *struct {
	Name    string
	Aliases []string
} {
	t.Helper()
	var resp struct {
		Entity *struct {
			Name    string
			Aliases []string
		}
	}
	// A name no entity has is NOT_FOUND: the entity is not there.
	if err := c.Post(`query($n: String!) { entity(name: $n) { name aliases } }`, &resp, client.Var("n", name)); err != nil {
		if strings.Contains(err.Error(), `"code":"NOT_FOUND"`) {
			return nil
		}
		t.Fatal(err)
	}
	return resp.Entity
}

func wantError(t *testing.T, err error, code string, mentions ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %s", code)
	}
	if !strings.Contains(err.Error(), `"code":"`+code+`"`) {
		t.Fatalf("error %v, want code %s", err, code)
	}
	for _, m := range mentions {
		if !strings.Contains(err.Error(), m) {
			t.Errorf("error %v does not mention %q", err, m)
		}
	}
}

func TestPutArticle(t *testing.T) {
	c, s := newWriter(t, store.Memory)
	before := s.Index().QuadCount()

	var resp struct{ PutArticle writeResult }
	if err := c.Post(putArticle, &resp, teliaDeal("api-telia-5g")...); err != nil {
		t.Fatal(err)
	}
	r := resp.PutArticle
	if r.Article == nil || r.Article.Key != "api-telia-5g" || len(r.Entities) != 2 || len(r.Relationships) != 1 || r.Added == 0 {
		t.Fatalf("result = %+v", r)
	}
	if got := partnersOf(t, c, "Telia"); !has(got, "Ericsson") {
		t.Errorf("partners of Telia = %v, want Ericsson", got)
	}
	if !has(partnersOf(t, c, "Ericsson"), "Telia") {
		t.Errorf("Ericsson's partners lack Telia")
	}

	t.Run("the evidence carries the article", func(t *testing.T) {
		var resp struct {
			Entity struct {
				Evidence []struct {
					Quote   string
					Article struct{ Key string }
				}
			}
		}
		c.MustPost(`{ entity(name: "Telia") { evidence { quote article { key } } } }`, &resp)
		if len(resp.Entity.Evidence) != 1 || resp.Entity.Evidence[0].Article.Key != "api-telia-5g" {
			t.Errorf("evidence = %+v", resp.Entity.Evidence)
		}
	})
	t.Run("a sync of the data folder keeps it", func(t *testing.T) {
		rep, err := s.Sync(context.Background(), "../data", nil)
		if err != nil || len(rep.Removed) > 0 {
			t.Fatalf("sync: %v, removed %v", err, rep.Removed)
		}
		if !has(partnersOf(t, c, "Telia"), "Ericsson") {
			t.Errorf("the API's facts are gone after a sync")
		}
	})
	t.Run("writing the article again replaces it", func(t *testing.T) {
		var resp struct{ PutArticle writeResult }
		opts := teliaDeal("api-telia-5g")[:2] // no relationships this time
		if err := c.Post(putArticle, &resp, opts...); err != nil {
			t.Fatal(err)
		}
		if resp.PutArticle.Deleted == 0 || len(partnersOf(t, c, "Telia")) != 0 {
			t.Errorf("update kept the partnership: %+v, partners %v", resp.PutArticle, partnersOf(t, c, "Telia"))
		}
	})
	t.Run("deleteArticle removes it", func(t *testing.T) {
		var resp struct{ DeleteArticle writeResult }
		c.MustPost(`mutation { deleteArticle(id: "api-telia-5g") { deleted } }`, &resp)
		if entityNamed(t, c, "Telia") != nil {
			t.Errorf("Telia still there after its only article was deleted")
		}
		if got := s.Index().QuadCount(); got != before {
			t.Errorf("%d quads after deleting the only API article, want %d as before", got, before)
		}
	})
	t.Run("deleteArticle refuses a data file's article", func(t *testing.T) {
		var resp map[string]any
		err := c.Post(`mutation { deleteArticle(id: "2017-07-07-china-telecom-ericsson-iot") { deleted } }`, &resp)
		wantError(t, err, "INVALID", "2017-07-07-china-telecom-ericsson-iot.kg")
	})
}

func TestPutArticleRefusesBadInput(t *testing.T) {
	c, s := newWriter(t, store.Memory)
	before := s.Index().QuadCount()
	deal := func(id string) (object, []object, []object) {
		return article(id),
			[]object{entity("ericsson", "Company", "Ericsson", "q"), entity("telia", "Company", "Telia", "q")},
			[]object{partnership(id+"-deal", "q", "telia", "ericsson")}
	}
	for _, tc := range []struct {
		name     string
		edit     func(a object, e, r []object)
		code     string
		mentions []string
	}{
		{"a relationship without a quote", func(a object, e, r []object) { r[0]["quotes"] = []string{} }, "INVALID", []string{"relationships[0]", "quote"}},
		{"an entity without a quote", func(a object, e, r []object) { e[1]["quotes"] = []string{} }, "INVALID", []string{"entities[1]"}},
		{"an unknown entity kind", func(a object, e, r []object) { e[1]["kind"] = "Planet" }, "INVALID", []string{"entities[1]", "Planet"}},
		{"an undeclared participant", func(a object, e, r []object) {
			r[0]["participants"] = []object{{"role": "party", "entity": "telia"}, {"role": "party", "entity": "nokia"}}
		}, "INVALID", []string{"nokia"}},
		{"a bad date", func(a object, e, r []object) { a["date"] = "2017-02-30" }, "INVALID", nil},
		{"a line break that would smuggle in a block", func(a object, e, r []object) {
			a["title"] = "T\nentity x Company\n  name: X\n  quote: q"
		}, "INVALID", []string{"article.title", "line break"}},
		{"an id with a space", func(a object, e, r []object) { e[1]["id"] = "telia company" }, "INVALID", []string{"entities[1].id"}},
		{"another name for a known id", func(a object, e, r []object) { e[0]["name"] = "Ericsson AB" }, "CONFLICT", []string{"Ericsson AB", "alias"}},
		{"another kind for a known id", func(a object, e, r []object) { e[0]["kind"] = "Person" }, "CONFLICT", []string{"ericsson"}},
		{"the id of a data file's article", func(a object, e, r []object) { a["id"] = "2017-07-07-china-telecom-ericsson-iot" }, "CONFLICT", []string{"2017-07-07-china-telecom-ericsson-iot"}},
		{"an alias that is another entity's name", func(a object, e, r []object) { e[1]["aliases"] = []string{"Nokia"} }, "CONFLICT", []string{"entities[1]", `alias \"Nokia\"`, "the name of nokia (a Company)"}},
		{"an alias that is another entity's name in other case", func(a object, e, r []object) { e[1]["aliases"] = []string{"NOKIA"} }, "CONFLICT", []string{"entities[1]", "nokia"}},
		{"an alias that is another entity's alias", func(a object, e, r []object) { e[1]["aliases"] = []string{"NSB"} }, "CONFLICT", []string{"entities[1]", "an alias of nokia-shanghai-bell"}},
		{"a name that is another entity's alias", func(a object, e, r []object) { e[1]["name"] = "ASB" }, "CONFLICT", []string{"entities[1]", "an alias of alcatel-lucent-shanghai-bell"}},
		{"two entities of the article sharing an alias", func(a object, e, r []object) {
			e[0]["aliases"] = []string{"Telia Ericsson"}
			e[1]["aliases"] = []string{"Telia Ericsson"}
		}, "CONFLICT", []string{"entities[1]", "in this article"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, e, r := deal("api-bad")
			tc.edit(a, e, r)
			var resp map[string]any
			err := c.Post(putArticle, &resp, client.Var("a", a), client.Var("e", e), client.Var("r", r))
			wantError(t, err, tc.code, tc.mentions...)
			if got := s.Index().QuadCount(); got != before {
				t.Errorf("a refused write changed the store: %d quads, want %d", got, before)
			}
			if entityNamed(t, c, "Telia") != nil {
				t.Errorf("part of a refused write is visible")
			}
		})
	}
}

func TestDeleteEntity(t *testing.T) {
	c, s := newWriter(t, store.Memory)
	if !has(partnersOf(t, c, "Ericsson"), "Bridge Alliance") {
		t.Fatal("the test needs Bridge Alliance among Ericsson's partners")
	}
	var resp map[string]any
	wantError(t, c.Post(`mutation { deleteEntity(name: "Bridge Alliance", reason: "") { deleted } }`, &resp), "INVALID", "reason")
	wantError(t, c.Post(`mutation { deleteEntity(name: "No Such Co", reason: "x") { deleted } }`, &resp), "NOT_FOUND")
	c.MustPost(`mutation { deleteEntity(name: "Bridge Alliance", reason: "duplicate of another record") { deleted } }`, &resp)
	check := func(when string) {
		if entityNamed(t, c, "Bridge Alliance") != nil {
			t.Errorf("%s: Bridge Alliance still there", when)
		}
		if has(partnersOf(t, c, "Ericsson"), "Bridge Alliance") {
			t.Errorf("%s: Bridge Alliance still among Ericsson's partners", when)
		}
	}
	check("after the deletion")
	if _, err := s.Sync(context.Background(), "../data", nil); err != nil {
		t.Fatal(err)
	}
	check("after a sync of the data folder")

	t.Run("a relationship", func(t *testing.T) {
		var resp struct {
			Entity struct{ Relationships []struct{ Key string } }
		}
		c.MustPost(`{ entity(name: "Ericsson") { relationships(kinds: ["partnership"]) { key } } }`, &resp)
		n := len(resp.Entity.Relationships)
		key := resp.Entity.Relationships[0].Key
		var del map[string]any
		c.MustPost(`mutation($k: String!) { deleteRelationship(key: $k, reason: "not in the text") { deleted } }`, &del, client.Var("k", key))
		c.MustPost(`{ entity(name: "Ericsson") { relationships(kinds: ["partnership"]) { key } } }`, &resp)
		if len(resp.Entity.Relationships) != n-1 {
			t.Errorf("%d partnerships after deleting %s, want %d", len(resp.Entity.Relationships), key, n-1)
		}
		wantError(t, c.Post(`mutation($k: String!) { deleteRelationship(key: $k, reason: "x") { deleted } }`, &del, client.Var("k", key)), "NOT_FOUND")
	})
}

func TestMergeEntities(t *testing.T) {
	c, _ := newWriter(t, store.Memory)
	var resp struct{ PutArticle writeResult }
	c.MustPost(putArticle, &resp,
		client.Var("a", article("api-lm-ericsson")),
		client.Var("e", []object{
			entity("lm-ericsson", "Company", "Telefonaktiebolaget LM Ericsson", "Telefonaktiebolaget LM Ericsson and Telia"),
			entity("telia", "Company", "Telia", "Telefonaktiebolaget LM Ericsson and Telia"),
		}),
		client.Var("r", []object{partnership("api-lm-ericsson-telia", "Telefonaktiebolaget LM Ericsson and Telia", "lm-ericsson", "telia")}))
	if has(partnersOf(t, c, "Ericsson"), "Telia") {
		t.Fatal("Telia is Ericsson's partner before the merge")
	}
	var merged struct {
		MergeEntities struct{ Entities []named }
	}
	c.MustPost(`mutation { mergeEntities(into: "Ericsson", loser: "Telefonaktiebolaget LM Ericsson") { entities { name } } }`, &merged)
	if got := names(merged.MergeEntities.Entities); len(got) != 1 || got[0] != "Ericsson" {
		t.Errorf("merge result = %v, want [Ericsson]", got)
	}
	e := entityNamed(t, c, "Telefonaktiebolaget LM Ericsson")
	if e == nil || e.Name != "Ericsson" || !has(e.Aliases, "Telefonaktiebolaget LM Ericsson") {
		t.Errorf("the loser's name finds %+v, want Ericsson with it as an alias", e)
	}
	if !has(partnersOf(t, c, "Ericsson"), "Telia") {
		t.Errorf("the loser's partnership did not move to Ericsson")
	}
	var again map[string]any
	wantError(t, c.Post(`mutation { mergeEntities(into: "Ericsson", loser: "Telefonaktiebolaget LM Ericsson") { added } }`, &again), "INVALID")
}

// TestWritesSurviveARestart writes to a bolt store, closes it, reopens it and syncs the data
// folder: the API's article, deletion and merge are all still there.
func TestWritesSurviveARestart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "kg.db")
	c, s := newWriter(t, db)
	var resp map[string]any
	c.MustPost(putArticle, &resp, teliaDeal("api-telia-restart")...)
	c.MustPost(`mutation { deleteEntity(name: "Bridge Alliance", reason: "test") { added } }`, &resp)
	c.MustPost(`mutation { mergeEntities(into: "Nokia", loser: "ASB") { added } }`, &resp)
	want := s.Index().QuadCount()
	s.Close()

	c2, s2 := newWriter(t, db)
	if got := s2.Index().QuadCount(); got != want {
		t.Errorf("%d quads after restart and sync, want %d", got, want)
	}
	if !has(partnersOf(t, c2, "Telia"), "Ericsson") {
		t.Errorf("API article lost")
	}
	if entityNamed(t, c2, "Bridge Alliance") != nil {
		t.Errorf("deletion lost")
	}
	if e := entityNamed(t, c2, "ASB"); e == nil || e.Name != "Nokia" {
		t.Errorf("merge lost: ASB finds %+v", e)
	}
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestPutArticleAcceptsNamesItDoesNotTakeFromOthers checks what the alias rule leaves alone:
// an entity's own aliases said again, a former name that is another entity's name, and two
// entities with one canonical name.
func TestPutArticleAcceptsNamesItDoesNotTakeFromOthers(t *testing.T) {
	c, _ := newWriter(t, store.Memory)
	nsb := entity("nokia-shanghai-bell", "JointVenture", "Nokia Shanghai Bell", "Nokia Shanghai Bell (NSB)")
	nsb["aliases"] = []string{"NSB"}
	old := entity("old-telia", "Company", "Telia Old", "Telia Old, once called Nokia")
	old["formerNames"] = []string{"Nokia"}
	twin := entity("ericsson-twin", "Company", "Ericsson", "another Ericsson")
	var resp struct{ PutArticle writeResult }
	if err := c.Post(putArticle, &resp, client.Var("a", article("api-names")), client.Var("e", []object{nsb, old, twin})); err != nil {
		t.Fatal(err)
	}
	if e := entityNamed(t, c, "NSB"); e == nil || e.Name != "Nokia Shanghai Bell" {
		t.Errorf("NSB finds %+v, want Nokia Shanghai Bell", e)
	}
}

func TestMergeEntitiesRefusesAnotherKind(t *testing.T) {
	c, s := newWriter(t, store.Memory)
	before := s.Index().QuadCount()
	var resp map[string]any
	wantError(t, c.Post(`mutation { mergeEntities(into: "Nokia", loser: "China") { added } }`, &resp),
		"INVALID", "China (a Country)", "Nokia (a Company)", "same kind")
	if got := s.Index().QuadCount(); got != before {
		t.Errorf("a refused merge changed the store: %d quads, want %d", got, before)
	}
	var found struct{ Search []named }
	if err := c.Post(`{ search(text: "china", country: "China") { name } }`, &found); err != nil {
		t.Errorf("a country filter fails after the refused merge: %v", err)
	}
	if e := entityNamed(t, c, "China"); e == nil || e.Name != "China" {
		t.Errorf("China finds %+v after the refused merge", e)
	}
}

func TestMergeEntitiesRefusesAnAliasAnotherEntityHas(t *testing.T) {
	c, s := newWriter(t, store.Memory)
	// Two entities may share a canonical name; merging one of them into a third would give
	// the third an alias that is the other's name.
	var put struct{ PutArticle writeResult }
	c.MustPost(putArticle, &put, client.Var("a", article("api-acme")), client.Var("e", []object{
		entity("acme-one", "Company", "Acme Widgets", "Acme Widgets, the first"),
		entity("acme-two", "Company", "Acme Widgets", "Acme Widgets, the second"),
	}))
	before := s.Index().QuadCount()
	var resp map[string]any
	wantError(t, c.Post(`mutation { mergeEntities(into: "Ericsson", loser: "Acme Widgets") { added } }`, &resp),
		"CONFLICT", `\"Acme Widgets\" would become an alias of Ericsson`)
	if got := s.Index().QuadCount(); got != before {
		t.Errorf("a refused merge changed the store: %d quads, want %d", got, before)
	}
}
