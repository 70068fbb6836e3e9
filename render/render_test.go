package render_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/kgraph/telegraph/index"
	"github.com/kgraph/telegraph/loader"
	"github.com/kgraph/telegraph/render"
)

var tricky = []index.Quad{
	{Subject: index.Term{Value: "kg:entity/a", IRI: true}, Predicate: index.Term{Value: "kg:name", IRI: true},
		Object: index.Term{Value: "Quote \"this\" \\ and\nthat\ttab"}, Label: index.Term{Value: "kg:article/x", IRI: true}},
	{Subject: index.Term{Value: "b1", BNode: true}, Predicate: index.Term{Value: "http://example.com/p", IRI: true},
		Object: index.Term{Value: "Bonjour", Lang: "fr"}},
	{Subject: index.Term{Value: "/en/film", IRI: true}, Predicate: index.Term{Value: "/film/date", IRI: true},
		Object: index.Term{Value: "2003-05-15", Datatype: "http://www.w3.org/2001/XMLSchema#date"}, Label: index.Term{Value: "kg:source/x", IRI: true}},
	{Subject: index.Term{Value: "/en/film", IRI: true}, Predicate: index.Term{Value: "/film/starring", IRI: true},
		Object: index.Term{Value: "b1", BNode: true}},
}

func TestNQuadsRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := render.NQuads(context.Background(), &buf, index.Quads(tricky), nil); err != nil {
		t.Fatal(err)
	}
	var got []quad.Quad
	err := loader.ReadNQuads("export.nq", &buf, nil, func(q quad.Quad) error {
		got = append(got, q)
		return nil
	})
	if err != nil {
		t.Fatalf("the export does not parse: %v\n%s", err, buf.String())
	}
	if len(got) != len(tricky) {
		t.Fatalf("read %d quads, wrote %d", len(got), len(tricky))
	}
	if s := got[0].Object.(quad.String); string(s) != tricky[0].Object.Value {
		t.Errorf("literal %q, want %q", s, tricky[0].Object.Value)
	}
	if ls, ok := got[1].Object.(quad.LangString); !ok || ls.Lang != "fr" || got[1].Label != nil {
		t.Errorf("language literal %#v, label %v", got[1].Object, got[1].Label)
	}
	if ts, ok := got[2].Object.(quad.TypedString); !ok || string(ts.Type) != tricky[2].Object.Datatype {
		t.Errorf("typed literal %#v", got[2].Object)
	}
	if b, ok := got[3].Object.(quad.BNode); !ok || string(b) != "b1" {
		t.Errorf("blank node %#v", got[3].Object)
	}
}

func TestJSONLD(t *testing.T) {
	var buf bytes.Buffer
	if err := render.JSONLD(context.Background(), &buf, index.Quads(tricky), nil); err != nil {
		t.Fatal(err)
	}
	var doc []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	// Two unlabelled subjects in the default graph, then one named graph per label.
	var graphs, nodes int
	for _, d := range doc {
		if _, ok := d["@graph"]; ok {
			graphs++
		} else {
			nodes++
		}
	}
	if graphs != 2 || nodes != 2 {
		t.Errorf("%d named graphs and %d default-graph nodes, want 2 and 2:\n%s", graphs, nodes, buf.String())
	}
	if !strings.Contains(buf.String(), `"@language": "fr"`) || !strings.Contains(buf.String(), `"@id": "_:b1"`) {
		t.Errorf("language or blank node lost:\n%s", buf.String())
	}
}
