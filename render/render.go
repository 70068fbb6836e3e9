// Package render writes parts of the graph in the formats graph-drawing tools read: Cytoscape.js
// elements JSON and GraphML for subgraphs. Node and edge ids are the API's global IDs, so a
// drawing and the GraphQL API name things alike.
package render

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"

	"github.com/kgraph/telegraph/index"
	"github.com/kgraph/telegraph/kg"
)

// nodeData is what a drawn node carries.
func nodeData(v *index.View, e *index.Entity) map[string]any {
	d := map[string]any{
		"id":     kg.GlobalID(e.IRI),
		"label":  e.Name,
		"name":   e.Name,
		"kind":   e.Kind,
		"key":    e.ID,
		"iri":    e.IRI,
		"degree": v.Degree(e),
	}
	if cs := v.Countries(e); len(cs) > 0 {
		d["country"] = cs[0].Name
	}
	return d
}

// edgeData is what a drawn edge carries.
func edgeData(v *index.View, ed *index.Edge) map[string]any {
	return map[string]any{
		"id":           kg.GlobalID(kg.EdgeIRI(ed.Relation.ID, ed.From.ID, ed.To.ID)),
		"source":       kg.GlobalID(ed.From.IRI),
		"target":       kg.GlobalID(ed.To.IRI),
		"kind":         ed.Relation.Kind,
		"label":        ed.Relation.Kind,
		"relationship": kg.GlobalID(ed.Relation.IRI),
		"sourceRole":   ed.FromRole,
		"targetRole":   ed.ToRole,
		"sourceCount":  len(v.Sources(ed.Relation.Sources)),
	}
}

// Cytoscape returns the subgraph as Cytoscape.js elements JSON:
// {"elements": {"nodes": [{"data": {...}}], "edges": [{"data": {...}}]}}.
func Cytoscape(v *index.View, g index.Subgraph) map[string]any {
	nodes := make([]any, 0, len(g.Nodes))
	for _, e := range g.Nodes {
		nodes = append(nodes, map[string]any{"data": nodeData(v, e)})
	}
	edges := make([]any, 0, len(g.Edges))
	for _, ed := range g.Edges {
		edges = append(edges, map[string]any{"data": edgeData(v, ed)})
	}
	return map[string]any{"elements": map[string]any{"nodes": nodes, "edges": edges}, "truncated": g.Truncated}
}

type gmlKey struct {
	ID   string `xml:"id,attr"`
	For  string `xml:"for,attr"`
	Name string `xml:"attr.name,attr"`
	Type string `xml:"attr.type,attr"`
}

type gmlData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

type gmlNode struct {
	ID   string    `xml:"id,attr"`
	Data []gmlData `xml:"data"`
}

type gmlEdge struct {
	ID     string    `xml:"id,attr"`
	Source string    `xml:"source,attr"`
	Target string    `xml:"target,attr"`
	Data   []gmlData `xml:"data"`
}

type gmlDoc struct {
	XMLName xml.Name `xml:"graphml"`
	NS      string   `xml:"xmlns,attr"`
	Keys    []gmlKey `xml:"key"`
	Graph   gmlGraph `xml:"graph"`
}

type gmlGraph struct {
	ID          string    `xml:"id,attr"`
	EdgeDefault string    `xml:"edgedefault,attr"`
	Nodes       []gmlNode `xml:"node"`
	Edges       []gmlEdge `xml:"edge"`
}

var nodeKeys = []string{"name", "kind", "key", "iri", "country", "degree"}
var edgeKeys = []string{"kind", "relationship", "sourceRole", "targetRole", "sourceCount"}

// GraphML writes the subgraph as a GraphML document with the same data as Cytoscape.
func GraphML(w io.Writer, v *index.View, g index.Subgraph) error {
	doc := gmlDoc{NS: "http://graphml.graphdrawing.org/xmlns", Graph: gmlGraph{ID: "G", EdgeDefault: "directed"}}
	for _, k := range nodeKeys {
		typ := "string"
		if k == "degree" {
			typ = "int"
		}
		doc.Keys = append(doc.Keys, gmlKey{ID: "n_" + k, For: "node", Name: k, Type: typ})
	}
	for _, k := range edgeKeys {
		typ := "string"
		if k == "sourceCount" {
			typ = "int"
		}
		doc.Keys = append(doc.Keys, gmlKey{ID: "e_" + k, For: "edge", Name: k, Type: typ})
	}
	for _, e := range g.Nodes {
		d := nodeData(v, e)
		n := gmlNode{ID: d["id"].(string)}
		for _, k := range nodeKeys {
			if val, ok := d[k]; ok {
				n.Data = append(n.Data, gmlData{"n_" + k, str(val)})
			}
		}
		doc.Graph.Nodes = append(doc.Graph.Nodes, n)
	}
	for _, ed := range g.Edges {
		d := edgeData(v, ed)
		x := gmlEdge{ID: d["id"].(string), Source: d["source"].(string), Target: d["target"].(string)}
		for _, k := range edgeKeys {
			x.Data = append(x.Data, gmlData{"e_" + k, str(d[k])})
		}
		doc.Graph.Edges = append(doc.Graph.Edges, x)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write GraphML: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func str(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	default:
		return fmt.Sprint(v)
	}
}
