package graph_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/kgraph/telegraph/api"
	"github.com/kgraph/telegraph/store"
	"github.com/kgraph/telegraph/store/storetest"
)

// newClient returns a GraphQL client over a memory store loaded from the data folder dir.
func newClient(t *testing.T, dir string) *client.Client {
	t.Helper()
	c, _ := newClientStore(t, dir)
	return c
}

// newClientStore is newClient that also returns the store, of the kind KG_TEST_STORE picks
// (see backends_test.go).
func newClientStore(t *testing.T, dir string) (*client.Client, *store.Store) {
	t.Helper()
	s, err := store.Open(context.Background(), storetest.DSN(t, storetest.Backend()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	rep, err := s.Sync(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.Err(); err != nil {
		t.Fatalf("data folder %s does not load:\n%v", dir, err)
	}
	return client.New(api.GraphQL(s, slog.New(slog.NewTextHandler(io.Discard, nil)))), s
}

type named struct {
	Name string
	Kind string
}

func names(list []named) []string {
	out := make([]string, len(list))
	for i, n := range list {
		out[i] = n.Name
	}
	return out
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestDataset(t *testing.T) {
	c := newClient(t, "../data")

	t.Run("partners of Ericsson in China", func(t *testing.T) {
		var resp struct{ Partners []named }
		c.MustPost(`{ partners(of: "Ericsson", country: "China") { name kind } }`, &resp)
		got := names(resp.Partners)
		for _, want := range []string{"China Telecom", "China Mobile"} {
			if !has(got, want) {
				t.Errorf("partners = %v, want %s among them", got, want)
			}
		}
		for _, not := range []string{"Bridge Alliance", "Global M2M Association"} {
			if has(got, not) {
				t.Errorf("partners = %v, want no %s (placed nowhere)", got, not)
			}
		}
	})

	t.Run("partners without a country include those placed nowhere", func(t *testing.T) {
		var resp struct{ Partners []named }
		c.MustPost(`{ partners(of: "ericsson") { name } }`, &resp)
		if got := names(resp.Partners); !has(got, "Bridge Alliance") || !has(got, "China Mobile Research Institute") {
			t.Errorf("partners = %v, want Bridge Alliance and CMRI", got)
		}
	})

	t.Run("partners as of a date", func(t *testing.T) {
		var resp struct{ Partners []named }
		c.MustPost(`{ partners(of: "Ericsson", country: "China", asOf: "2017-07-06") { name } }`, &resp)
		if len(resp.Partners) != 0 {
			t.Errorf("as of 2017-07-06 partners = %v, want none", names(resp.Partners))
		}
		c.MustPost(`{ partners(of: "Ericsson", country: "China", asOf: "2017-07-07") { name } }`, &resp)
		if got := names(resp.Partners); !has(got, "China Telecom") {
			t.Errorf("as of 2017-07-07 partners = %v, want China Telecom", got)
		}
	})

	t.Run("search by alias", func(t *testing.T) {
		for text, want := range map[string]string{
			"cmri":           "China Mobile Research Institute",
			"aliyun":         "Alibaba Cloud",
			"Ericson":        "Ericsson",
			"nokia shanghai": "Nokia Shanghai Bell",
			"huawei marine":  "Huawei Marine",
			"NSB":            "Nokia Shanghai Bell",
			"CBCS":           "South Atlantic Inter Link",
		} {
			var resp struct{ Search []named }
			c.MustPost(`query($t: String!) { search(text: $t) { name kind } }`, &resp, client.Var("t", text))
			if len(resp.Search) == 0 || resp.Search[0].Name != want {
				t.Errorf("search(%q) = %v, want %s first", text, names(resp.Search), want)
			}
		}
	})

	t.Run("entity by name or alias", func(t *testing.T) {
		var resp struct{ Entity *named }
		c.MustPost(`{ entity(name: "Nokia Shanghai Bell") { name kind } }`, &resp)
		if resp.Entity == nil || resp.Entity.Kind != "JointVenture" {
			t.Errorf("entity = %+v, want the JointVenture", resp.Entity)
		}
		// An unknown name is NOT_FOUND with suggestions, as everywhere a name is asked for; an
		// entity the date comes before is null.
		if code := errorCode(t, c, `{ entity(name: "Nokia Shanghai Bel") { name kind } }`); code != "NOT_FOUND" {
			t.Errorf("unknown entity: code %q, want NOT_FOUND", code)
		}
		var early struct{ Entity *named }
		c.MustPost(`{ entity(name: "Nokia Shanghai Bell", asOf: "2017-01-01") { name kind } }`, &early)
		if early.Entity != nil {
			t.Errorf("entity before its first fact = %+v, want null", early.Entity)
		}
	})

	t.Run("joint venture owners with stakes", func(t *testing.T) {
		var resp struct {
			Entity struct {
				Owners []struct {
					Owners   []named
					Share    string
					Evidence []struct{ Quote string }
				}
			}
		}
		c.MustPost(`{ entity(name: "NSB") { ... on JointVenture { owners { owners { name } share evidence { quote } } } } }`, &resp)
		got := map[string]string{}
		for _, o := range resp.Entity.Owners {
			if len(o.Evidence) == 0 {
				t.Errorf("stake of %v has no evidence", names(o.Owners))
			}
			for _, n := range o.Owners {
				got[n.Name] = o.Share
			}
		}
		if got["Nokia"] != "50% plus one share" {
			t.Errorf("owners = %v, want Nokia with 50%% plus one share", got)
		}
		if len(got) != 2 {
			t.Errorf("owners = %v, want Nokia and China Huaxin", got)
		}
	})

	t.Run("neighborhood of Ericsson", func(t *testing.T) {
		var resp struct {
			Neighborhood struct {
				Nodes []struct{ ID, Name, Kind string }
				Edges []struct{ Source, Target, Kind string }
			}
		}
		c.MustPost(`{ neighborhood(of: "Ericsson", depth: 1) { nodes { id name kind } edges { source target kind } } }`, &resp)
		ids := map[string]string{}
		for _, n := range resp.Neighborhood.Nodes {
			ids[n.ID] = n.Name
		}
		if !has(mapValues(ids), "China Telecom") {
			t.Errorf("depth-1 nodes = %v, want China Telecom itself", mapValues(ids))
		}
		for _, e := range resp.Neighborhood.Edges {
			if ids[e.Source] == "" || ids[e.Target] == "" {
				t.Errorf("edge %+v has an end that is not a node", e)
			}
		}
		if len(resp.Neighborhood.Edges) == 0 {
			t.Error("no edges")
		}
	})

	t.Run("neighborhood of SAIL", func(t *testing.T) {
		var resp struct {
			Neighborhood struct{ Nodes []named }
		}
		c.MustPost(`{ neighborhood(of: "SAIL", depth: 1) { nodes { name kind } } }`, &resp)
		got := names(resp.Neighborhood.Nodes)
		for _, want := range []string{"Huawei Marine", "China Unicom", "Camtel", "Cameroon", "Brazil"} {
			if !has(got, want) {
				t.Errorf("SAIL neighborhood = %v, want %s", got, want)
			}
		}
	})

	t.Run("cable typed fields", func(t *testing.T) {
		var resp struct {
			Entity struct {
				Builders         []named
				Funders          []named
				LandingCountries []named
				Length           string
				FormerNames      []string
			}
		}
		c.MustPost(`{ entity(name: "SAIL") { ... on Cable { builders { name } funders { name } landingCountries { name } length formerNames } } }`, &resp)
		e := resp.Entity
		if !has(names(e.Builders), "Huawei Marine") || len(e.Funders) != 2 || len(e.LandingCountries) != 2 {
			t.Errorf("SAIL = %+v, want builder Huawei Marine, two funders, two countries", e)
		}
		if e.Length != "around 6,000 km" || !has(e.FormerNames, "Cameroon-Brazil Cable System") {
			t.Errorf("SAIL length %q former %v", e.Length, e.FormerNames)
		}
	})

	t.Run("unknown name is a NOT_FOUND error", func(t *testing.T) {
		var resp struct{ Partners []named }
		err := c.Post(`{ partners(of: "Nobody Inc") { name } }`, &resp)
		if err == nil || !strings.Contains(err.Error(), "NOT_FOUND") && !strings.Contains(err.Error(), "no entity is called") {
			t.Errorf("error = %v, want NOT_FOUND naming the entity", err)
		}
	})

	t.Run("node by global id", func(t *testing.T) {
		var resp struct {
			Entity struct{ ID string }
			Node   *struct{ Name string }
		}
		c.MustPost(`{ entity(name: "ZTE") { id } }`, &resp)
		c.MustPost(`query($id: ID!) { node(id: $id) { ... on Entity { name } } }`, &resp, client.Var("id", resp.Entity.ID))
		if resp.Node == nil || resp.Node.Name != "ZTE" {
			t.Errorf("node = %+v, want ZTE", resp.Node)
		}
	})

	t.Run("every article has a date and facts", func(t *testing.T) {
		var resp struct {
			Articles []struct {
				Title     string
				Date      string
				FactCount int
			}
		}
		c.MustPost(`{ articles { title date factCount } }`, &resp)
		if len(resp.Articles) < 20 {
			t.Errorf("%d articles, want every post", len(resp.Articles))
		}
		for _, a := range resp.Articles {
			if a.Date == "" || a.FactCount == 0 {
				t.Errorf("article %+v lacks a date or facts", a)
			}
		}
	})
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func TestPath(t *testing.T) {
	c := newClient(t, "../data")
	var resp struct {
		Path *struct {
			Length int
			Hops   []struct {
				From, To named
				Kind     string
				Evidence []struct{ Quote string }
			}
		}
	}
	c.MustPost(`{ path(from: "Nokia", to: "ZTE") { length hops { from { name } to { name } kind evidence { quote } } } }`, &resp)
	if resp.Path == nil || resp.Path.Length != 2 {
		t.Fatalf("path = %+v, want two hops", resp.Path)
	}
	h := resp.Path.Hops
	if h[0].From.Name != "Nokia" || h[1].To.Name != "ZTE" || h[0].To.Name != h[1].From.Name {
		t.Errorf("hops = %+v, want a chain Nokia → … → ZTE", h)
	}
	if h[0].To.Name != "China Mobile" {
		t.Errorf("Nokia reaches ZTE through %s, want China Mobile", h[0].To.Name)
	}
	for _, hop := range h {
		if len(hop.Evidence) == 0 {
			t.Errorf("hop %+v has no evidence", hop)
		}
	}
	var none struct{ Path *struct{ Length int } }
	c.MustPost(`{ path(from: "Nokia", to: "ZTE", maxHops: 1) { length } }`, &none)
	if none.Path != nil {
		t.Errorf("path within 1 hop = %+v, want null", none.Path)
	}
}

func TestBadDateIsInvalid(t *testing.T) {
	c := newClient(t, "../data")
	var resp struct{ Partners []named }
	err := c.Post(`{ partners(of: "Ericsson", asOf: "2017-13-01") { name } }`, &resp)
	if err == nil || !strings.Contains(err.Error(), "not a calendar date") {
		t.Errorf("error = %v, want one saying the date is not a calendar date", err)
	}
}

// TestNestedQueriesDoNotReadTheStore counts quad-store passes for a nested query over 1 parent
// and over 50: requests read the in-memory index, so neither costs a round trip.
func TestNestedQueriesDoNotReadTheStore(t *testing.T) {
	c, s := newClientStore(t, "../data")
	const q = `query($n: Int) { search(text: "china", first: $n) { name relationships { evidence { quote article { title } } participants { entity { name country { name } } } } } }`
	for _, n := range []int{1, 50} {
		before := s.Reads()
		var resp map[string]any
		c.MustPost(q, &resp, client.Var("n", n))
		parents := len(resp["search"].([]any))
		if n == 50 && parents < 20 {
			t.Fatalf("only %d parents for n=50; the test needs many", parents)
		}
		if got := s.Reads() - before; got != 0 {
			t.Errorf("nested query over %d parents made %d store round trips, want 0", parents, got)
		}
	}
}
