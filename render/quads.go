package render

import (
	"bufio"
	"encoding/json"
	"io"
	"sort"
	"strings"

	"github.com/kgraph/telegraph/index"
)

// NQuads writes the quads as N-Quads, one per line.
func NQuads(w io.Writer, quads []index.Quad) error {
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

var literalEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "\t", `\t`)
var iriEscaper = strings.NewReplacer(`\`, `\u005C`, `>`, `\u003E`, `<`, `\u003C`, `"`, `\u0022`, " ", `\u0020`, "\n", `\u000A`)

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

// JSONLD writes the quads as an expanded JSON-LD document: one named graph per label (the
// article or source file the facts come from), each node with its properties. Quads with no
// label go in the default graph.
func JSONLD(w io.Writer, quads []index.Quad) error {
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

func ldID(t index.Term) string {
	if t.BNode {
		return "_:" + t.Value
	}
	return t.Value
}

func ldValue(t index.Term) any {
	if t.IRI || t.BNode {
		return map[string]any{"@id": ldID(t)}
	}
	v := map[string]any{"@value": t.Value}
	switch {
	case t.Lang != "":
		v["@language"] = t.Lang
	case t.Datatype != "":
		v["@type"] = t.Datatype
	}
	return v
}
