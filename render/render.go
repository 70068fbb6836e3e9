// Package render writes parts of the graph in the formats graph-drawing tools read: Cytoscape.js
// elements JSON and GraphML for subgraphs. Node and edge ids are the API's global IDs, so a
// drawing and the GraphQL API name things alike.
package render

import (
	"bufio"
	"context"
	"encoding/json"
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

// WriteCytoscape writes Cytoscape(v, g) as JSON and a newline, byte for byte what
// encoding/json's encoder writes for it, but element by element as each is made. It stops when
// ctx is done and returns ctx's error or the first write error; w then holds a part.
func WriteCytoscape(ctx context.Context, w io.Writer, v *index.View, g index.Subgraph) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, bufSize)
	// Keys in encoding/json's order: edges before nodes.
	bw.WriteString(`{"elements":{"edges":[`)
	for i, ed := range g.Edges {
		if err := element(ctx, bw, i, edgeData(v, ed)); err != nil {
			return err
		}
	}
	bw.WriteString(`],"nodes":[`)
	for i, e := range g.Nodes {
		if err := element(ctx, bw, i, nodeData(v, e)); err != nil {
			return err
		}
	}
	fmt.Fprintf(bw, "]},\"truncated\":%t}\n", g.Truncated)
	return bw.Flush()
}

// element writes the i-th element of a Cytoscape list, unless ctx is done.
func element(ctx context.Context, bw *bufio.Writer, i int, data map[string]any) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b, err := json.Marshal(map[string]any{"data": data})
	if err != nil {
		return err
	}
	if i > 0 {
		bw.WriteByte(',')
	}
	_, err = bw.Write(b)
	return err
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

var nodeKeys = []string{"name", "kind", "key", "iri", "country", "degree"}
var edgeKeys = []string{"kind", "relationship", "sourceRole", "targetRole", "sourceCount"}

// GraphML writes the subgraph as a GraphML document with the same data as Cytoscape. It is
// WriteGraphML that never stops early, for a subgraph drawn into memory.
func GraphML(w io.Writer, v *index.View, g index.Subgraph) error {
	return WriteGraphML(context.Background(), w, v, g)
}

// WriteGraphML writes the subgraph as a GraphML document with the same data as Cytoscape,
// element by element as each is made. It stops when ctx is done and returns ctx's error or the
// first write error; w then holds a part of the document.
func WriteGraphML(ctx context.Context, w io.Writer, v *index.View, g index.Subgraph) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, bufSize)
	bw.WriteString(xml.Header)
	// The encoder flushes its own buffer after each element; hidden behind a plain io.Writer,
	// bw is not taken for that buffer, so elements gather in bw and reach w a buffer at a time.
	enc := xml.NewEncoder(struct{ io.Writer }{bw})
	enc.Indent("", "  ")
	graphml := xml.StartElement{Name: xml.Name{Local: "graphml"}, Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: "http://graphml.graphdrawing.org/xmlns"}}}
	graph := xml.StartElement{Name: xml.Name{Local: "graph"}, Attr: []xml.Attr{{Name: xml.Name{Local: "id"}, Value: "G"}, {Name: xml.Name{Local: "edgedefault"}, Value: "directed"}}}
	if err := enc.EncodeToken(graphml); err != nil {
		return fmt.Errorf("write GraphML: %w", err)
	}
	for _, k := range nodeKeys {
		typ := "string"
		if k == "degree" {
			typ = "int"
		}
		if err := enc.EncodeElement(gmlKey{ID: "n_" + k, For: "node", Name: k, Type: typ}, start("key")); err != nil {
			return fmt.Errorf("write GraphML: %w", err)
		}
	}
	for _, k := range edgeKeys {
		typ := "string"
		if k == "sourceCount" {
			typ = "int"
		}
		if err := enc.EncodeElement(gmlKey{ID: "e_" + k, For: "edge", Name: k, Type: typ}, start("key")); err != nil {
			return fmt.Errorf("write GraphML: %w", err)
		}
	}
	if err := enc.EncodeToken(graph); err != nil {
		return fmt.Errorf("write GraphML: %w", err)
	}
	for _, e := range g.Nodes {
		if err := ctx.Err(); err != nil {
			return err
		}
		d := nodeData(v, e)
		n := gmlNode{ID: d["id"].(string)}
		for _, k := range nodeKeys {
			if val, ok := d[k]; ok {
				n.Data = append(n.Data, gmlData{"n_" + k, str(val)})
			}
		}
		if err := enc.EncodeElement(n, start("node")); err != nil {
			return fmt.Errorf("write GraphML: %w", err)
		}
	}
	for _, ed := range g.Edges {
		if err := ctx.Err(); err != nil {
			return err
		}
		d := edgeData(v, ed)
		x := gmlEdge{ID: d["id"].(string), Source: d["source"].(string), Target: d["target"].(string)}
		for _, k := range edgeKeys {
			x.Data = append(x.Data, gmlData{"e_" + k, str(d[k])})
		}
		if err := enc.EncodeElement(x, start("edge")); err != nil {
			return fmt.Errorf("write GraphML: %w", err)
		}
	}
	if err := enc.EncodeToken(graph.End()); err != nil {
		return fmt.Errorf("write GraphML: %w", err)
	}
	if err := enc.EncodeToken(graphml.End()); err != nil {
		return fmt.Errorf("write GraphML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("write GraphML: %w", err)
	}
	bw.WriteString("\n")
	return bw.Flush()
}

func start(name string) xml.StartElement { return xml.StartElement{Name: xml.Name{Local: name}} }

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
