package graph_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/kgraph/telegraph/api"
)

type pageInfo struct {
	HasNextPage bool
	EndCursor   *string
}

// errorCode posts q and returns the code of its first error.
func errorCode(t *testing.T, c *client.Client, q string) string {
	t.Helper()
	var resp any
	err := c.Post(q, &resp)
	if err == nil {
		t.Fatalf("%s: no error", q)
	}
	var list []struct {
		Message    string
		Extensions map[string]any
	}
	if jerr := json.Unmarshal([]byte(err.Error()), &list); jerr != nil || len(list) == 0 {
		t.Fatalf("%s: error %v is not a GraphQL error list", q, err)
	}
	code, _ := list[0].Extensions["code"].(string)
	return code
}

func TestSearch(t *testing.T) {
	c := newClient(t, "../data")

	t.Run("scores rank the best match first", func(t *testing.T) {
		var resp struct {
			SearchConnection struct {
				TotalCount int
				PageInfo   pageInfo
				Edges      []struct {
					Score float64
					Node  named
				}
			}
		}
		c.MustPost(`{ searchConnection(text: "Ericson") { totalCount pageInfo { hasNextPage endCursor } edges { score node { name } } } }`, &resp)
		e := resp.SearchConnection.Edges
		if len(e) == 0 || e[0].Node.Name != "Ericsson" {
			t.Fatalf("edges = %+v, want Ericsson first", e)
		}
		for i := 1; i < len(e); i++ {
			if e[i].Score > e[i-1].Score {
				t.Errorf("scores not descending: %+v", e)
			}
		}
	})

	t.Run("search as you type", func(t *testing.T) {
		for text, want := range map[string]string{"china mob": "China Mobile", "nokia shang": "Nokia Shanghai Bell", "equinx": "Equinix", "erics": "Ericsson"} {
			var resp struct{ Search []named }
			c.MustPost(`query($t: String!) { search(text: $t) { name } }`, &resp, client.Var("t", text))
			if len(resp.Search) == 0 || resp.Search[0].Name != want {
				t.Errorf("search(%q) = %v, want %s first", text, names(resp.Search), want)
			}
		}
	})

	t.Run("pages through every hit once", func(t *testing.T) {
		const q = `query($after: String) { searchConnection(text: "china", first: 7, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { name } } }`
		var seen []string
		var after *string
		total := -1
		for range 100 {
			var resp struct {
				SearchConnection struct {
					TotalCount int
					PageInfo   pageInfo
					Nodes      []named
				}
			}
			c.MustPost(q, &resp, client.Var("after", after))
			sc := resp.SearchConnection
			total = sc.TotalCount
			seen = append(seen, names(sc.Nodes)...)
			if !sc.PageInfo.HasNextPage {
				break
			}
			after = sc.PageInfo.EndCursor
		}
		if total < 15 || len(seen) != total {
			t.Fatalf("paged %d hits, totalCount %d; want all of at least 15", len(seen), total)
		}
		uniq := map[string]bool{}
		for _, n := range seen {
			uniq[n] = true
		}
		if len(uniq) != len(seen) {
			t.Errorf("pages repeat hits: %v", seen)
		}
	})

	t.Run("kinds and country narrow", func(t *testing.T) {
		var resp struct{ Search []named }
		c.MustPost(`{ search(text: "china", kinds: ["Company"], country: "China", first: 100) { name kind } }`, &resp)
		if len(resp.Search) == 0 {
			t.Fatal("no hits")
		}
		for _, e := range resp.Search {
			if e.Kind != "Company" {
				t.Errorf("%s is a %s, want only Company", e.Name, e.Kind)
			}
		}
	})

	t.Run("bad cursor and kind are INVALID", func(t *testing.T) {
		if code := errorCode(t, c, `{ searchConnection(text: "x", after: "zzz") { totalCount } }`); code != "INVALID" {
			t.Errorf("code = %s, want INVALID", code)
		}
		if code := errorCode(t, c, `{ search(text: "x", kinds: ["Starship"]) { name } }`); code != "INVALID" {
			t.Errorf("code = %s, want INVALID", code)
		}
	})
}

func TestSearchFollowsSync(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("../loader/testdata/sample.kg")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "sample.kg"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	c, s := newClientStore(t, dir)
	var before struct{ Search []named }
	c.MustPost(`{ search(text: "Zephyr Orbital") { name } }`, &before)
	if len(before.Search) != 0 {
		t.Fatalf("before the sync search = %v, want nothing", names(before.Search))
	}
	extra := `article 2020-01-02-added
  title: An added article
  date: 2020-01-02
  url: https://example.com/added

entity zephyr Company
  name: Zephyr Orbital
  quote: Zephyr Orbital was founded
`
	if err := os.WriteFile(filepath.Join(dir, "added.kg"), []byte(extra), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := s.Sync(context.Background(), dir, nil)
	if err != nil || rep.Err() != nil {
		t.Fatalf("sync: %v %v", err, rep.Err())
	}
	var after struct{ Search []named }
	c.MustPost(`{ search(text: "zephyr orbitl") { name } }`, &after)
	if len(after.Search) == 0 || after.Search[0].Name != "Zephyr Orbital" {
		t.Errorf("after the sync search = %v, want Zephyr Orbital", names(after.Search))
	}
}

func TestConnections(t *testing.T) {
	c := newClient(t, "../data")

	t.Run("entities pages by kind", func(t *testing.T) {
		const q = `query($after: String) { entities(filter: {entityKinds: ["Cable", "TerrestrialRoute"]}, first: 3, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { name kind } } } }`
		var all []named
		var after *string
		total := 0
		for range 100 {
			var resp struct {
				Entities struct {
					TotalCount int
					PageInfo   pageInfo
					Edges      []struct {
						Cursor string
						Node   named
					}
				}
			}
			c.MustPost(q, &resp, client.Var("after", after))
			total = resp.Entities.TotalCount
			for _, e := range resp.Entities.Edges {
				all = append(all, e.Node)
			}
			if !resp.Entities.PageInfo.HasNextPage {
				break
			}
			after = resp.Entities.PageInfo.EndCursor
		}
		if total < 4 || len(all) != total {
			t.Fatalf("paged %d, totalCount %d", len(all), total)
		}
		got := names(all)
		if !sort.SliceIsSorted(got, func(i, j int) bool { return strings.ToLower(got[i]) < strings.ToLower(got[j]) }) {
			t.Errorf("not by name: %v", got)
		}
		if !has(got, "South Atlantic Inter Link") {
			t.Errorf("cables = %v, want SAIL", got)
		}
		for _, e := range all {
			if e.Kind != "Cable" && e.Kind != "TerrestrialRoute" {
				t.Errorf("%s is a %s", e.Name, e.Kind)
			}
		}
	})

	t.Run("relationships by number of sources", func(t *testing.T) {
		var resp struct {
			Entity struct {
				All struct{ TotalCount int }
				Two struct {
					TotalCount int
					Nodes      []struct{ SourceCount int }
				}
				Degree int
			}
		}
		c.MustPost(`{ entity(name: "Alibaba Cloud") { degree all: relationshipsConnection { totalCount } two: relationshipsConnection(filter: {minSources: 2}, first: 500) { totalCount nodes { sourceCount } } } }`, &resp)
		e := resp.Entity
		if e.All.TotalCount != e.Degree {
			t.Errorf("all relationships %d, degree %d", e.All.TotalCount, e.Degree)
		}
		if e.Two.TotalCount == 0 || e.Two.TotalCount >= e.All.TotalCount {
			t.Errorf("minSources 2 kept %d of %d", e.Two.TotalCount, e.All.TotalCount)
		}
		for _, n := range e.Two.Nodes {
			if n.SourceCount < 2 {
				t.Errorf("kept a relationship with %d sources", n.SourceCount)
			}
		}
	})

	t.Run("typed fields take filters", func(t *testing.T) {
		var resp struct {
			Entity struct {
				Customers []named
				InChina   []named
			}
		}
		c.MustPost(`{ entity(name: "ZTE") { ... on Company { customers { name } inChina: customers(filter: {country: "China"}) { name } } } }`, &resp)
		all, china := names(resp.Entity.Customers), names(resp.Entity.InChina)
		if !has(china, "China Mobile") || has(china, "Banglalink") || !has(all, "Banglalink") {
			t.Errorf("customers = %v, in China = %v", all, china)
		}
	})
}

func TestTraversal(t *testing.T) {
	c := newClient(t, "../data")

	t.Run("neighborhood filters", func(t *testing.T) {
		var resp struct {
			Neighborhood struct {
				Nodes []struct {
					ID, Name, Kind string
					Country        *named
				}
				Edges []struct{ Kind string }
			}
		}
		c.MustPost(`{ neighborhood(of: "Ericsson", depth: 2, filter: {relationKinds: ["partnership"], entityKinds: ["Company"], country: "China"}) { nodes { id name kind country { name } } edges { kind } } }`, &resp)
		n := resp.Neighborhood
		if len(n.Nodes) < 3 {
			t.Fatalf("nodes = %+v, want Ericsson and its Chinese company partners", n.Nodes)
		}
		for _, x := range n.Nodes[1:] {
			if x.Kind != "Company" || x.Country == nil || x.Country.Name != "China" {
				t.Errorf("node %+v is not a Chinese company", x)
			}
		}
		for _, e := range n.Edges {
			if e.Kind != "partnership" {
				t.Errorf("edge kind %s, want partnership only", e.Kind)
			}
		}
	})

	t.Run("neighborhood date range", func(t *testing.T) {
		var resp struct {
			Before struct{ Nodes []named }
			After  struct{ Nodes []named }
		}
		c.MustPost(`{ before: neighborhood(of: "Ericsson", filter: {relationKinds: ["partnership"], until: "2017-07-06"}) { nodes { name } }
			after: neighborhood(of: "Ericsson", filter: {relationKinds: ["partnership"], since: "2017-07-07"}) { nodes { name } } }`, &resp)
		if len(resp.Before.Nodes) != 1 || !has(names(resp.After.Nodes), "China Telecom") {
			t.Errorf("until 07-06: %v; since 07-07: %v", names(resp.Before.Nodes), names(resp.After.Nodes))
		}
	})

	t.Run("subsidiaries transitively and parents back", func(t *testing.T) {
		var resp struct {
			Down struct {
				Nodes []struct {
					Node  named
					Depth int
					From  named
				}
			}
			Up struct{ Nodes []struct{ Node named } }
		}
		c.MustPost(`{ down: traverse(of: "China Mobile", filter: {relationKinds: ["subsidiary"]}, depth: 4) { nodes { node { name } depth from { name } } }
			up: traverse(of: "China Mobile Quanzhou Branch", direction: IN, filter: {relationKinds: ["subsidiary"]}) { nodes { node { name } } } }`, &resp)
		var down []string
		for _, r := range resp.Down.Nodes {
			down = append(down, r.Node.Name)
			if r.Depth == 1 && r.From.Name != "China Mobile" {
				t.Errorf("%s at depth 1 reached from %s", r.Node.Name, r.From.Name)
			}
		}
		if !has(down, "China Mobile Quanzhou Branch") || !has(down, "China Mobile Zhejiang") {
			t.Errorf("subsidiaries = %v", down)
		}
		if len(resp.Up.Nodes) == 0 || resp.Up.Nodes[0].Node.Name != "China Mobile" {
			t.Errorf("parents = %+v, want China Mobile", resp.Up.Nodes)
		}
	})

	t.Run("depth bound is INVALID", func(t *testing.T) {
		if code := errorCode(t, c, `{ traverse(of: "Nokia", depth: 9) { totalCount } }`); code != "INVALID" {
			t.Errorf("code = %s", code)
		}
		if code := errorCode(t, c, `{ neighborhood(of: "Nokia", depth: 5) { truncated } }`); code != "INVALID" {
			t.Errorf("code = %s", code)
		}
	})

	t.Run("node cap says it cut", func(t *testing.T) {
		var resp struct {
			Neighborhood struct {
				Nodes     []named
				Truncated bool
			}
		}
		c.MustPost(`{ neighborhood(of: "China Mobile", depth: 2, limit: 5) { nodes { name } truncated } }`, &resp)
		if len(resp.Neighborhood.Nodes) != 5 || !resp.Neighborhood.Truncated {
			t.Errorf("nodes %d truncated %v, want 5 and true", len(resp.Neighborhood.Nodes), resp.Neighborhood.Truncated)
		}
	})
}

func TestPaths(t *testing.T) {
	c := newClient(t, "../data")
	var resp struct {
		Paths []struct {
			Length int
			Hops   []struct {
				From, To     named
				Relationship struct{ ID string }
			}
		}
	}
	c.MustPost(`{ paths(from: "Nokia", to: "ZTE", k: 5) { length hops { from { name } to { name } relationship { id } } } }`, &resp)
	ps := resp.Paths
	if len(ps) < 2 || ps[0].Length != 2 || ps[0].Hops[0].To.Name != "China Mobile" {
		t.Fatalf("paths = %+v, want the two-hop path through China Mobile first", ps)
	}
	seen := map[string]bool{}
	for i, p := range ps {
		if i > 0 && p.Length < ps[i-1].Length {
			t.Errorf("path %d shorter than path %d", i, i-1)
		}
		var ids []string
		for j, h := range p.Hops {
			ids = append(ids, h.Relationship.ID)
			if j > 0 && h.From.Name != p.Hops[j-1].To.Name {
				t.Errorf("path %d is not a chain at hop %d", i, j)
			}
		}
		key := strings.Join(ids, ",")
		if seen[key] {
			t.Errorf("path %d repeats an earlier one", i)
		}
		seen[key] = true
		if p.Hops[0].From.Name != "Nokia" || p.Hops[len(p.Hops)-1].To.Name != "ZTE" {
			t.Errorf("path %d does not go from Nokia to ZTE", i)
		}
	}
	if code := errorCode(t, c, `{ paths(from: "Nokia", to: "ZTE", k: 11) { length } }`); code != "INVALID" {
		t.Errorf("k 11: code = %s", code)
	}
}

func TestPartnerInference(t *testing.T) {
	c := newClient(t, "../data")
	var resp struct {
		Direct       []named
		WithSubs     []named
		PartnerLinks struct {
			Nodes []struct {
				Partner, Through named
				Inferred         bool
				Basis            []struct{ Relation string }
				Explanation      string
			}
		}
	}
	c.MustPost(`{ direct: partners(of: "China Telecom") { name }
		withSubs: partners(of: "China Telecom", includeSubsidiaries: true) { name }
		partnerLinks(of: "China Telecom", includeSubsidiaries: true, first: 500) { nodes { partner { name } through { name } inferred basis { relation } explanation } } }`, &resp)
	if has(names(resp.Direct), "Nepal Telecom") || !has(names(resp.WithSubs), "Nepal Telecom") {
		t.Fatalf("direct %v, with subsidiaries %v: want Nepal Telecom only with", names(resp.Direct), names(resp.WithSubs))
	}
	found := false
	for _, l := range resp.PartnerLinks.Nodes {
		if l.Partner.Name != "Nepal Telecom" {
			continue
		}
		found = true
		if !l.Inferred || l.Through.Name != "China Telecom Global" {
			t.Errorf("link %+v, want inferred through China Telecom Global", l)
		}
		if len(l.Basis) != 2 || l.Basis[0].Relation != "subsidiary" || l.Basis[1].Relation != "partnership" {
			t.Errorf("basis %+v, want the subsidiary fact then the partnership", l.Basis)
		}
		if !strings.Contains(l.Explanation, "China Telecom Global is a subsidiary of China Telecom") {
			t.Errorf("explanation %q", l.Explanation)
		}
	}
	if !found {
		t.Error("no link to Nepal Telecom")
	}
}

func TestStats(t *testing.T) {
	c := newClient(t, "../data")
	var resp struct {
		Stats struct {
			Entities, Relationships, Articles int
			ByRelation, ByEntityKind          []struct {
				Key   string
				Count int
			}
		}
		Early    struct{ Relationships int }
		Entities struct{ TotalCount int }
		Entity   struct {
			Degree           int
			DegreeByRelation []struct{ Count int }
		}
	}
	c.MustPost(`{ stats { entities relationships articles byRelation { key count } byEntityKind { key count } }
		early: stats(asOf: "2017-06-01") { relationships }
		entities { totalCount }
		entity(name: "China Mobile") { degree degreeByRelation { count } } }`, &resp)
	s := resp.Stats
	sum := func(list []struct {
		Key   string
		Count int
	}) (n int) {
		for _, c := range list {
			n += c.Count
		}
		return n
	}
	if s.Entities != resp.Entities.TotalCount || sum(s.ByEntityKind) != s.Entities {
		t.Errorf("entities %d, by kind %d, connection %d", s.Entities, sum(s.ByEntityKind), resp.Entities.TotalCount)
	}
	if sum(s.ByRelation) != s.Relationships || s.Articles != 25 {
		t.Errorf("relationships %d, by kind %d, articles %d", s.Relationships, sum(s.ByRelation), s.Articles)
	}
	if resp.Early.Relationships == 0 || resp.Early.Relationships >= s.Relationships {
		t.Errorf("as of 2017-06-01 %d relationships of %d", resp.Early.Relationships, s.Relationships)
	}
	n := 0
	for _, d := range resp.Entity.DegreeByRelation {
		n += d.Count
	}
	if n != resp.Entity.Degree || n == 0 {
		t.Errorf("degree %d, by relation %d", resp.Entity.Degree, n)
	}
}

func TestResources(t *testing.T) {
	c := newClient(t, "testdata/foreign")
	// The films an actor appears in, through the blank performance nodes, in one query.
	var resp struct {
		Resources struct {
			TotalCount int
			Nodes      []struct {
				Iri      string
				Subjects struct {
					Nodes []struct {
						Iri      string
						Subjects struct{ Nodes []struct{ Values []string } }
					}
				}
			}
		}
	}
	c.MustPost(`{ resources(predicate: "name", value: "Ann Actor", first: 5) { totalCount nodes { iri
		subjects(predicate: "/film/performance/actor", first: 100) { nodes { iri
			subjects(predicate: "/film/film/starring", first: 5) { nodes { values(predicate: "name") } } } } } } }`, &resp)
	r := resp.Resources
	if r.TotalCount != 1 || r.Nodes[0].Iri != "/en/ann_actor" {
		t.Fatalf("resources = %+v", r)
	}
	var films []string
	for _, perf := range r.Nodes[0].Subjects.Nodes {
		if !strings.HasPrefix(perf.Iri, "_:") {
			t.Errorf("performance %q is not a blank node", perf.Iri)
		}
		for _, f := range perf.Subjects.Nodes {
			films = append(films, f.Values...)
		}
	}
	sort.Strings(films)
	if strings.Join(films, "|") != "First Film|Second Film" {
		t.Errorf("films = %v", films)
	}

	var one struct {
		Resource struct {
			OutPredicates []string
			Out           struct {
				TotalCount int
				PageInfo   pageInfo
				Nodes      []struct {
					Predicate string
					Object    struct {
						Value    string
						Datatype *string
						Language *string
						Resource *struct{ Iri string }
					}
					Label *string
				}
			}
		}
		Missing *struct{ Iri string }
	}
	c.MustPost(`{ resource(iri: "/en/second_film") { outPredicates out(first: 2) { totalCount pageInfo { hasNextPage endCursor } nodes { predicate object { value datatype language resource { iri } } label } } }
		missing: resource(iri: "/en/nothing") { iri } }`, &one)
	res := one.Resource
	if res.Out.TotalCount != 3 || !res.Out.PageInfo.HasNextPage || len(res.Out.Nodes) != 2 || len(res.OutPredicates) != 3 {
		t.Errorf("out = %+v", res)
	}
	if one.Missing != nil {
		t.Errorf("missing resource = %+v, want null", one.Missing)
	}
	for _, s := range res.Out.Nodes {
		if s.Predicate == "name" && (s.Object.Language == nil || *s.Object.Language != "en") {
			t.Errorf("name %+v, want language en", s.Object)
		}
		if s.Label == nil || !strings.Contains(*s.Label, "films.nq") {
			t.Errorf("label %v, want the source file", s.Label)
		}
	}
}

func TestExport(t *testing.T) {
	c, s := newClientStore(t, "../data")
	srv := httptest.NewServer(api.Handler(s, slog.New(slog.NewTextHandler(io.Discard, nil)), api.Defaults()))
	defer srv.Close()
	get := func(path string) (int, []byte) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}

	var gq struct {
		Neighborhood struct {
			Nodes     []struct{ ID string }
			Edges     []struct{ ID string }
			Cytoscape map[string]any
		}
	}
	c.MustPost(`{ neighborhood(of: "SAIL", depth: 2) { nodes { id } edges { id } cytoscape } }`, &gq)
	status, body := get("/export/neighborhood?of=SAIL&depth=2")
	var cy struct {
		Elements struct {
			Nodes, Edges []struct{ Data map[string]any }
		}
	}
	if err := json.Unmarshal(body, &cy); status != 200 || err != nil {
		t.Fatalf("cytoscape: %d %v %s", status, err, body)
	}
	if len(cy.Elements.Nodes) != len(gq.Neighborhood.Nodes) || len(cy.Elements.Edges) != len(gq.Neighborhood.Edges) {
		t.Errorf("cytoscape has %d nodes %d edges, GraphQL %d and %d", len(cy.Elements.Nodes), len(cy.Elements.Edges), len(gq.Neighborhood.Nodes), len(gq.Neighborhood.Edges))
	}
	for i, n := range cy.Elements.Nodes {
		if n.Data["id"] != gq.Neighborhood.Nodes[i].ID {
			t.Errorf("node %d id %v, GraphQL %s", i, n.Data["id"], gq.Neighborhood.Nodes[i].ID)
		}
	}
	gqlCy, _ := json.Marshal(gq.Neighborhood.Cytoscape)
	httpCy, _ := json.Marshal(json.RawMessage(body))
	var a, b any
	json.Unmarshal(gqlCy, &a)
	json.Unmarshal(httpCy, &b)
	if ja, jb := mustJSON(a), mustJSON(b); ja != jb {
		t.Errorf("GraphQL cytoscape differs from the endpoint's")
	}

	status, body = get("/export/path?from=Nokia&to=ZTE&format=graphml")
	var gml struct {
		Graph struct {
			Nodes []struct {
				ID string `xml:"id,attr"`
			} `xml:"node"`
			Edges []struct {
				ID string `xml:"id,attr"`
			} `xml:"edge"`
		} `xml:"graph"`
	}
	if err := xml.Unmarshal(body, &gml); status != 200 || err != nil {
		t.Fatalf("graphml: %d %v", status, err)
	}
	if len(gml.Graph.Nodes) != 3 || len(gml.Graph.Edges) != 2 {
		t.Errorf("path graphml has %d nodes, %d edges; want 3 and 2", len(gml.Graph.Nodes), len(gml.Graph.Edges))
	}

	status, body = get("/export/graph?format=nquads")
	lines := strings.Count(string(body), "\n")
	facts := 0
	for _, q := range s.Index().Quads().All() {
		if q.Label.Value != "kg:manifest" {
			facts++
		}
	}
	if status != 200 || lines != facts {
		t.Errorf("nquads: status %d, %d lines, %d facts in the store", status, lines, facts)
	}
	status, body = get("/export/graph?format=jsonld")
	var ld []map[string]any
	if err := json.Unmarshal(body, &ld); status != 200 || err != nil || len(ld) != 26 {
		t.Errorf("jsonld: status %d, err %v, %d graphs (want one per article and GeoNames' reference data)", status, err, len(ld))
	}

	for path, want := range map[string]int{
		"/export/neighborhood?of=Nobody":          404,
		"/export/neighborhood?of=SAIL&depth=9":    400,
		"/export/neighborhood?of=SAIL&format=svg": 400,
		"/export/graph?format=xml":                400,
		"/export/path?from=SAIL&to=Nokia&via=x":   400,
		// Malformed parameters are refused as in GraphQL, not ignored.
		"/export/neighborhood?of=SAIL&minSources=many": 400,
		"/export/neighborhood?of=SAIL&since=yesterday": 400,
		"/export/neighborhood?of=SAIL&limit=5001":      400,
	} {
		if status, body := get(path); status != want || !strings.Contains(string(body), `"code"`) {
			t.Errorf("%s: %d %s, want %d with a code", path, status, body, want)
		}
	}
}

// TestOneBehaviourForBadArguments checks that unknown names and out-of-range arguments answer
// alike wherever they are given: a name not found is NOT_FOUND with the near names search knows,
// an unknown kind or a number past its bound is INVALID, never an empty answer or a quiet clamp.
func TestOneBehaviourForBadArguments(t *testing.T) {
	c := newClient(t, "../data")
	for _, tc := range []struct{ query, code string }{
		{`{ entity(name: "Ericsson") { relationships(kinds: ["friendship"]) { key } } }`, "INVALID"},
		{`{ entity(name: "Ericsson") { relationships(filter: {relationKinds: ["friendship"]}) { key } } }`, "INVALID"},
		{`{ entity(name: "China") { ... on Country { entities(kinds: ["Spaceship"]) { name } } } }`, "INVALID"},
		{`{ entities(first: 501) { totalCount } }`, "INVALID"},
		{`{ search(text: "Ericsson", first: 101) { name } }`, "INVALID"},
		{`{ neighborhood(of: "Ericsson", limit: 5001) { nodes { name } } }`, "INVALID"},
		{`{ neighborhood(of: "Ericsson", depth: 5) { nodes { name } } }`, "INVALID"},
		{`{ paths(from: "Nokia", to: "ZTE", k: 11) { length } }`, "INVALID"},
		{`{ partners(of: "Ericson") { name } }`, "NOT_FOUND"},
	} {
		if got := errorCode(t, c, tc.query); got != tc.code {
			t.Errorf("%s: code %s, want %s", tc.query, got, tc.code)
		}
	}

	t.Run("a name not found suggests the near ones", func(t *testing.T) {
		var resp any
		err := c.Post(`{ path(from: "Ericson", to: "ZTE") { length } }`, &resp)
		var list []struct {
			Message    string
			Extensions struct {
				Code        string
				Suggestions []string
			}
		}
		if err == nil || json.Unmarshal([]byte(err.Error()), &list) != nil || len(list) == 0 {
			t.Fatalf("err = %v, want a GraphQL error", err)
		}
		if e := list[0]; e.Extensions.Code != "NOT_FOUND" || len(e.Extensions.Suggestions) == 0 ||
			e.Extensions.Suggestions[0] != "Ericsson" || !strings.Contains(e.Message, `did you mean "Ericsson"`) {
			t.Errorf("error = %+v, want NOT_FOUND suggesting Ericsson first", e)
		}
	})
}

func TestRelationshipsAsResults(t *testing.T) {
	c := newClient(t, "../data")
	type rel struct {
		Key, Relation string
		SourceCount   int
		Sources       []struct{ Date string }
	}
	t.Run("every stake, oldest first", func(t *testing.T) {
		var resp struct {
			Relationships struct {
				TotalCount int
				Nodes      []rel
			}
		}
		c.MustPost(`{ relationships(filter: {relationKinds: ["stake"]}, orderBy: FIRST_STATED, first: 500) {
			totalCount nodes { key relation sourceCount sources { date } } } }`, &resp)
		got := resp.Relationships
		if got.TotalCount == 0 || len(got.Nodes) != got.TotalCount {
			t.Fatalf("%d stakes in a page of %d, want all of them", len(got.Nodes), got.TotalCount)
		}
		for i, r := range got.Nodes {
			if r.Relation != "stake" {
				t.Errorf("%s is a %s, not a stake", r.Key, r.Relation)
			}
			if i > 0 && r.Sources[0].Date < got.Nodes[i-1].Sources[0].Date {
				t.Errorf("%s (%s) after %s (%s): not oldest first", r.Key, r.Sources[0].Date, got.Nodes[i-1].Key, got.Nodes[i-1].Sources[0].Date)
			}
		}
	})
	t.Run("most sources first", func(t *testing.T) {
		var resp struct{ Relationships struct{ Nodes []rel } }
		c.MustPost(`{ relationships(orderBy: SOURCES, first: 20) { nodes { key sourceCount } } }`, &resp)
		n := resp.Relationships.Nodes
		for i := 1; i < len(n); i++ {
			if n[i].SourceCount > n[i-1].SourceCount {
				t.Fatalf("%s (%d sources) after %s (%d)", n[i].Key, n[i].SourceCount, n[i-1].Key, n[i-1].SourceCount)
			}
		}
		if len(n) == 0 || n[0].SourceCount < 2 {
			t.Errorf("first = %v, want a relationship stated more than once", n)
		}
	})
	t.Run("a date range keeps what it states", func(t *testing.T) {
		var resp struct{ Relationships struct{ Nodes []rel } }
		c.MustPost(`{ relationships(filter: {since: "2017-07-01", until: "2017-07-31"}, first: 500) { nodes { key sources { date } } } }`, &resp)
		if len(resp.Relationships.Nodes) == 0 {
			t.Fatal("no relationship stated in July 2017")
		}
		for _, r := range resp.Relationships.Nodes {
			in := false
			for _, s := range r.Sources {
				in = in || (s.Date >= "2017-07-01" && s.Date <= "2017-07-31")
			}
			if !in {
				t.Errorf("%s is stated on %v, none in July 2017", r.Key, r.Sources)
			}
		}
	})
	t.Run("entity conditions keep those with a participant that meets them", func(t *testing.T) {
		var resp struct {
			Relationships struct {
				TotalCount int
				Nodes      []struct {
					Key          string
					Participants []struct{ Entity struct{ Kind string } }
				}
			}
		}
		c.MustPost(`{ relationships(filter: {relationKinds: ["landing"], entityKinds: ["Cable"]}, first: 500) { totalCount nodes { key participants { entity { kind } } } } }`, &resp)
		var all struct{ Relationships struct{ TotalCount int } }
		c.MustPost(`{ relationships(filter: {entityKinds: ["Cable"]}, first: 0) { totalCount } }`, &all)
		if resp.Relationships.TotalCount == 0 || all.Relationships.TotalCount <= resp.Relationships.TotalCount {
			t.Fatalf("%d cable landings of %d relationships with a cable", resp.Relationships.TotalCount, all.Relationships.TotalCount)
		}
		var every struct{ Relationships struct{ TotalCount int } }
		c.MustPost(`{ relationships(first: 0) { totalCount } }`, &every)
		if all.Relationships.TotalCount >= every.Relationships.TotalCount {
			t.Errorf("entityKinds [Cable] kept %d of %d relationships: it keeps nothing out", all.Relationships.TotalCount, every.Relationships.TotalCount)
		}
	})
	t.Run("what an article states", func(t *testing.T) {
		var resp struct {
			ArticlesConnection struct {
				Nodes []struct {
					Key           string
					FactCount     int
					Entities      struct{ TotalCount int }
					Relationships struct {
						TotalCount int
						Nodes      []struct {
							Key      string
							Evidence []struct{ Article struct{ Key string } }
						}
					}
				}
			}
		}
		c.MustPost(`{ articlesConnection(first: 25) { nodes { key factCount entities(first: 1) { totalCount }
			relationships(first: 50) { totalCount nodes { key evidence { article { key } } } } } } }`, &resp)
		for _, a := range resp.ArticlesConnection.Nodes {
			if a.FactCount > 0 && a.Relationships.TotalCount+a.Entities.TotalCount == 0 {
				t.Errorf("%s has %d facts but states no entity or relationship", a.Key, a.FactCount)
			}
			for _, r := range a.Relationships.Nodes {
				quoted := false
				for _, e := range r.Evidence {
					quoted = quoted || e.Article.Key == a.Key
				}
				if !quoted {
					t.Errorf("%s lists %s, which has no evidence from it", a.Key, r.Key)
				}
			}
		}
	})
}

func TestSearchFacts(t *testing.T) {
	c := newClient(t, "../data")
	var resp struct {
		SearchFacts []struct {
			Score        float64
			Relationship struct {
				Key, Relation string
				Participants  []struct{ Entity named }
			}
			Evidence *struct{ Quote string }
		}
	}
	c.MustPost(`{ searchFacts(text: "mobile payments", first: 20) { score relationship { key relation participants { entity { name } } } evidence { quote } } }`, &resp)
	var who []string
	for i, h := range resp.SearchFacts {
		for _, p := range h.Relationship.Participants {
			who = append(who, p.Entity.Name)
		}
		// Without a quote, an attribute value matched (a market named "mobile payments").
		if h.Evidence != nil && !strings.Contains(strings.ToLower(h.Evidence.Quote), "payment") {
			t.Errorf("%s: evidence %q, want the quote that speaks of payments", h.Relationship.Key, h.Evidence.Quote)
		}
		if i > 0 && h.Score > resp.SearchFacts[i-1].Score {
			t.Errorf("%s scores %v after %v: not best first", h.Relationship.Key, h.Score, resp.SearchFacts[i-1].Score)
		}
	}
	// Neither name says "payments": only the articles' words find them.
	for _, want := range []string{"AliPay", "TenPay"} {
		if !slices.Contains(who, want) {
			t.Errorf("facts about mobile payments involve %v, want %s among them", who, want)
		}
	}
	if code := errorCode(t, c, `{ searchFacts(text: "payments", relationKinds: ["friendship"]) { score } }`); code != "INVALID" {
		t.Errorf("unknown kind: %s, want INVALID", code)
	}
}

// TestTypedShortcutsReadEveryKind checks that the typed fields count what a user would:
// suppliers read customer facts as customers does, data centres include those used, and cables
// include those a partnership is about.
func TestTypedShortcutsReadEveryKind(t *testing.T) {
	c := newClient(t, "../data")
	var ac struct {
		Entity struct {
			Suppliers   []named
			DataCenters []named
		}
	}
	c.MustPost(`{ entity(name: "Alibaba Cloud") { ... on Company { suppliers { name } dataCenters { name } } } }`, &ac)
	if !slices.Contains(names(ac.Entity.Suppliers), "Emirates Integrated Telecommunications Company") {
		t.Errorf("suppliers = %v, want du, its colocation provider", names(ac.Entity.Suppliers))
	}
	if !slices.Contains(names(ac.Entity.DataCenters), "Alibaba Cloud Dubai colocation") {
		t.Errorf("dataCenters = %v, want the Dubai colocation it is a customer of", names(ac.Entity.DataCenters))
	}

	var alipay struct{ Entity struct{ Parent *named } }
	c.MustPost(`{ entity(name: "AliPay") { ... on Thing { parent { name } } } }`, &alipay)
	if alipay.Entity.Parent == nil || alipay.Entity.Parent.Name != "Alibaba Group" {
		t.Errorf("AliPay's parent = %v, want Alibaba Group, as the subsidiary fact says", alipay.Entity.Parent)
	}

	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "2020-01-01-cable-partners.kg"), []byte(`article 2020-01-01-cable-partners
  title: A partnership about a cable
  date: 2020-01-01

entity alpha Company
  name: Alpha Telecom
  quote: Alpha Telecom and Beta Networks agreed to work together on the Gamma cable

entity beta Company
  name: Beta Networks
  quote: Alpha Telecom and Beta Networks agreed to work together on the Gamma cable

entity gamma Cable
  name: Gamma
  quote: Alpha Telecom and Beta Networks agreed to work together on the Gamma cable

rel partnership alpha-beta-gamma
  party: alpha, beta
  about: gamma
  quote: Alpha Telecom and Beta Networks agreed to work together on the Gamma cable
`), 0o644)
	var resp struct{ Entity struct{ Cables []named } }
	newClient(t, dir).MustPost(`{ entity(name: "Alpha Telecom") { ... on Company { cables { name } } } }`, &resp)
	if got := names(resp.Entity.Cables); !slices.Equal(got, []string{"Gamma"}) {
		t.Errorf("cables = %v, want Gamma, which its partnership is about", got)
	}
}

// TestCountryFiltersSayWhatTheyCannotPlace checks that includeUnplaced keeps the entities a
// country filter cannot tell about, each with a null country, and nothing placed elsewhere.
func TestCountryFiltersSayWhatTheyCannotPlace(t *testing.T) {
	c := newClient(t, "../data")
	type partner struct {
		Name    string
		Country *named
	}
	var plain, all struct{ Partners []partner }
	c.MustPost(`{ partners(of: "Ericsson", country: "China") { name country { name } } }`, &plain)
	c.MustPost(`{ partners(of: "Ericsson", country: "China", includeUnplaced: true) { name country { name } } }`, &all)
	var placed, unplaced []string
	for _, p := range all.Partners {
		switch {
		case p.Country == nil:
			unplaced = append(unplaced, p.Name)
		case p.Country.Name == "China":
			placed = append(placed, p.Name)
		default:
			t.Errorf("%s is placed in %s, yet kept by a filter on China", p.Name, p.Country.Name)
		}
	}
	var before []string
	for _, p := range plain.Partners {
		before = append(before, p.Name)
	}
	if !slices.Equal(placed, before) {
		t.Errorf("placed partners %v, want those of the plain filter %v", placed, before)
	}
	if !slices.Contains(unplaced, "China Mobile Research Institute") {
		t.Errorf("unplaced partners %v, want China Mobile Research Institute, which the articles never place", unplaced)
	}
	var filtered struct{ Entities struct{ TotalCount int } }
	c.MustPost(`{ entities(filter: {country: "China", includeUnplaced: true, entityKinds: ["DataCenter"]}, first: 0) { totalCount } }`, &filtered)
	if filtered.Entities.TotalCount == 0 {
		t.Error("a Filter with includeUnplaced kept no data centre, though several are placed in no country")
	}
}

func TestTypedAttributes(t *testing.T) {
	c := newClient(t, "../data")
	type attr struct {
		Key, Value string
		Number     *float64
		Unit       *string
		Date       *struct{ Start, End string }
	}
	var resp struct {
		Relationships struct {
			Nodes []struct {
				Key        string
				Attributes []attr
			}
		}
	}
	c.MustPost(`{ relationships(filter: {relationKinds: ["stake"], attributes: [{key: "share", atLeast: 5}]}, first: 500) {
		nodes { key attributes { key value number unit date { start end } } } } }`, &resp)
	var keys []string
	for _, r := range resp.Relationships.Nodes {
		keys = append(keys, r.Key)
		for _, a := range r.Attributes {
			if a.Key == "share" && (a.Number == nil || *a.Number < 5) {
				t.Errorf("%s: share %q (number %v) kept by atLeast: 5", r.Key, a.Value, a.Number)
			}
			if a.Key == "date" && a.Date == nil {
				t.Errorf("%s: date %q has no typed date", r.Key, a.Value)
			}
		}
	}
	// Nokia holds "50% plus one share" of Nokia Shanghai Bell: text a string filter cannot compare.
	if !slices.Contains(keys, "stake-nokia-nokia-shanghai-bell") {
		t.Errorf("stakes of at least 5%%: %v, want Nokia's 50%% plus one share of NSB", keys)
	}
	var all struct{ Relationships struct{ TotalCount int } }
	c.MustPost(`{ relationships(filter: {relationKinds: ["stake"]}, first: 0) { totalCount } }`, &all)
	if len(keys) == 0 || len(keys) >= all.Relationships.TotalCount {
		t.Errorf("%d of %d stakes kept by atLeast: 5, want some but not all", len(keys), all.Relationships.TotalCount)
	}

	var dated struct{ Relationships struct{ TotalCount int } }
	c.MustPost(`{ relationships(filter: {attributes: [{key: "date", after: "2015-01-01", before: "2015-12-31"}]}, first: 0) { totalCount } }`, &dated)
	var later struct{ Relationships struct{ TotalCount int } }
	c.MustPost(`{ relationships(filter: {attributes: [{key: "date", after: "2017-01-01"}]}, first: 0) { totalCount } }`, &later)
	if dated.Relationships.TotalCount == 0 || later.Relationships.TotalCount == 0 {
		t.Errorf("dated 2015: %d, dated 2017 or later: %d; want both found", dated.Relationships.TotalCount, later.Relationships.TotalCount)
	}
}

// TestPathsWhoConnects checks the options of paths that answer "who connects A and B":
// parallel facts as one hop, and a shortest length that leaves the direct facts out.
func TestPathsWhoConnects(t *testing.T) {
	c := newClient(t, "../data")
	type path struct {
		Length int
		Hops   []struct {
			To            named
			Relationships []struct{ Key string }
		}
	}
	ends := func(p path) string {
		var s []string
		for _, h := range p.Hops {
			s = append(s, h.To.Name)
		}
		return strings.Join(s, " > ")
	}
	t.Run("by entities, parallel facts are one hop", func(t *testing.T) {
		var resp struct{ Paths []path }
		c.MustPost(`{ paths(from: "Nokia", to: "ZTE", k: 5, byEntities: true) { length hops { to { name } relationships { key } } } }`, &resp)
		seen := map[string]bool{}
		parallel := false
		for _, p := range resp.Paths {
			if seen[ends(p)] {
				t.Errorf("two paths through %s", ends(p))
			}
			seen[ends(p)] = true
			for _, h := range p.Hops {
				parallel = parallel || len(h.Relationships) > 1
			}
		}
		if len(resp.Paths) < 2 || !parallel {
			t.Errorf("paths %v, want several through different entities, some hop resting on parallel facts", resp.Paths)
		}
	})
	t.Run("minHops leaves the direct facts out", func(t *testing.T) {
		var direct, through struct{ Paths []path }
		c.MustPost(`{ paths(from: "Ericsson", to: "China Mobile", k: 3) { length } }`, &direct)
		c.MustPost(`{ paths(from: "Ericsson", to: "China Mobile", k: 3, minHops: 2, byEntities: true) { length hops { to { name } } } }`, &through)
		if len(direct.Paths) == 0 || direct.Paths[0].Length != 1 {
			t.Fatalf("paths %v, want a direct fact first", direct.Paths)
		}
		if len(through.Paths) == 0 {
			t.Fatal("no chain of two hops or more between Ericsson and China Mobile")
		}
		for _, p := range through.Paths {
			if p.Length < 2 {
				t.Errorf("%s has %d hop with minHops: 2", ends(p), p.Length)
			}
		}
	})
	if code := errorCode(t, c, `{ paths(from: "Nokia", to: "ZTE", maxHops: 3, minHops: 4) { length } }`); code != "INVALID" {
		t.Errorf("minHops past maxHops: %s, want INVALID", code)
	}
}

// TestOneNameForRelationshipKinds checks that relationKind(s) names the relationship kind
// everywhere, and that the older names still answer the same while deprecated.
func TestOneNameForRelationshipKinds(t *testing.T) {
	c := newClient(t, "../data")
	for _, pair := range [][2]string{
		{`{ entity(name: "ZTE") { relationships(relationKinds: ["supply"]) { key relationKind } } }`,
			`{ entity(name: "ZTE") { relationships(kinds: ["supply"]) { key relationKind: relation } } }`},
		{`{ path(from: "Nokia", to: "ZTE", relationKinds: ["partnership", "supply"]) { hops { relationKind } } }`,
			`{ path(from: "Nokia", to: "ZTE", via: ["partnership", "supply"]) { hops { relationKind: kind } } }`},
		{`{ neighborhood(of: "SAIL") { edges { relationKind } } }`,
			`{ neighborhood(of: "SAIL") { edges { relationKind: kind } } }`},
	} {
		var now, before any
		c.MustPost(pair[0], &now)
		c.MustPost(pair[1], &before)
		if mustJSON(now) != mustJSON(before) || mustJSON(now) == "{}" {
			t.Errorf("%s\nanswers %s\nbut %s\nanswers %s", pair[0], mustJSON(now), pair[1], mustJSON(before))
		}
	}
	var schema struct {
		Type struct {
			Fields []struct {
				Name              string
				IsDeprecated      bool
				DeprecationReason *string
			}
		} `json:"__type"`
	}
	c.MustPost(`{ __type(name: "Edge") { fields(includeDeprecated: true) { name isDeprecated deprecationReason } } }`, &schema)
	for _, f := range schema.Type.Fields {
		if f.Name == "kind" && (!f.IsDeprecated || f.DeprecationReason == nil || !strings.Contains(*f.DeprecationReason, "relationKind")) {
			t.Errorf("Edge.kind is not deprecated in favour of relationKind: %+v", f)
		}
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
