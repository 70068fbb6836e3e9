package render

// The writers as they were before they streamed, kept as the reference the streaming writers
// must match byte for byte on complete runs.

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"sort"

	"github.com/kgraph/telegraph/index"
)

// refNQuads writes the quads as N-Quads, one per line.
func refNQuads(w io.Writer, quads []index.Quad) error {
	bw := bufio.NewWriter(w)
	for _, q := range quads {
		bw.WriteString(ntTerm(q.Subject))
		bw.WriteByte(' ')
		bw.WriteString(ntTerm(q.Predicate))
		bw.WriteByte(' ')
		bw.WriteString(ntTerm(q.Object))
		if q.Label.Value != "" {
			bw.WriteByte(' ')
			bw.WriteString(ntTerm(q.Label))
		}
		bw.WriteString(" .\n")
	}
	return bw.Flush()
}

func ntTerm(t index.Term) string {
	switch {
	case t.IRI:
		return "<" + iriEscaper.Replace(t.Value) + ">"
	case t.BNode:
		return "_:" + t.Value
	}
	s := `"` + literalEscaper.Replace(t.Value) + `"`
	switch {
	case t.Lang != "":
		s += "@" + t.Lang
	case t.Datatype != "":
		s += "^^<" + iriEscaper.Replace(t.Datatype) + ">"
	}
	return s
}

// refJSONLD writes the quads as an expanded JSON-LD document: one named graph per label (the
// article or source file the facts come from), each node with its properties. Quads with no
// label go in the default graph.
func refJSONLD(w io.Writer, quads []index.Quad) error {
	type node = map[string][]any
	graphs := map[string]map[string]node{}
	var labels []string
	for _, q := range quads {
		g := graphs[q.Label.Value]
		if g == nil {
			g = map[string]node{}
			graphs[q.Label.Value] = g
			labels = append(labels, q.Label.Value)
		}
		id := ldID(q.Subject)
		n := g[id]
		if n == nil {
			n = node{}
			g[id] = n
		}
		n[q.Predicate.Value] = append(n[q.Predicate.Value], ldValue(q.Object))
	}
	sort.Strings(labels)
	var doc []any
	for _, l := range labels {
		var ids []string
		for id := range graphs[l] {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		var nodes []any
		for _, id := range ids {
			m := map[string]any{"@id": id}
			for p, vals := range graphs[l][id] {
				m[p] = vals
			}
			nodes = append(nodes, m)
		}
		if l == "" {
			doc = append(doc, nodes...)
			continue
		}
		doc = append(doc, map[string]any{"@id": l, "@graph": nodes})
	}
	if doc == nil {
		doc = []any{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(doc)
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

// refGraphML writes the subgraph as a GraphML document with the same data as Cytoscape.
func refGraphML(w io.Writer, v *index.View, g index.Subgraph) error {
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

// refCytoscape writes the Cytoscape elements as the export wrote them before it streamed.
func refCytoscape(w io.Writer, v *index.View, g index.Subgraph) error {
	return json.NewEncoder(w).Encode(Cytoscape(v, g))
}
