package render

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"strings"

	"github.com/kgraph/telegraph/index"
)

// checkEvery is how many quads a writer renders between two looks at its context: often
// enough that a cancelled request stops within a millisecond or so, rarely enough that the look
// costs nothing. Nodes and edges, which cost much more each, are checked one by one.
const checkEvery = 256

// bufSize is the size of the buffer between a writer and w: each time it fills, it goes to w
// in one Write, so a dump reaches the client as it is made instead of after it.
const bufSize = 32 << 10

// NQuads writes the quads keep accepts (every one when keep is nil) as N-Quads, one per line,
// in their order. It writes to w as it goes, stops when ctx is done and returns ctx's error or
// the first write error; w then holds a part of the dump, cut anywhere, even inside a line.
// quads is only read, so an index's own table can be given.
func NQuads(ctx context.Context, w io.Writer, quads index.QuadList, keep func(*index.Quad) bool) error {
	bw := bufio.NewWriterSize(w, bufSize)
	var qv index.Quad
	for i := range quads.Len() {
		qv = quads.At(i)
		q := &qv
		if i%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if keep != nil && !keep(q) {
			continue
		}
		writeTerm(bw, q.Subject)
		bw.WriteByte(' ')
		writeTerm(bw, q.Predicate)
		bw.WriteByte(' ')
		writeTerm(bw, q.Object)
		if q.Label.Value != "" {
			bw.WriteByte(' ')
			writeTerm(bw, q.Label)
		}
		// bufio's error sticks, so the last write of a line reports any failure of the line.
		if _, err := bw.WriteString(" .\n"); err != nil {
			return err
		}
	}
	return bw.Flush()
}

var literalEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "\t", `\t`)
var iriEscaper = strings.NewReplacer(`\`, `\u005C`, `>`, `\u003E`, `<`, `\u003C`, `"`, `\u0022`, " ", `\u0020`, "\n", `\u000A`)

// writeTerm writes t in N-Quads syntax, escaped straight into bw without building the string.
func writeTerm(bw *bufio.Writer, t index.Term) {
	switch {
	case t.IRI:
		bw.WriteByte('<')
		iriEscaper.WriteString(bw, t.Value)
		bw.WriteByte('>')
		return
	case t.BNode:
		bw.WriteString("_:")
		bw.WriteString(t.Value)
		return
	}
	bw.WriteByte('"')
	literalEscaper.WriteString(bw, t.Value)
	bw.WriteByte('"')
	switch {
	case t.Lang != "":
		bw.WriteByte('@')
		bw.WriteString(t.Lang)
	case t.Datatype != "":
		bw.WriteString("^^<")
		iriEscaper.WriteString(bw, t.Datatype)
		bw.WriteByte('>')
	}
}

// JSONLD writes the quads keep accepts (every one when keep is nil) as an expanded JSON-LD
// document: one named graph per label (the article or source file the facts come from), each
// node with its properties. Quads with no label go in the default graph. Graphs come in label
// order, nodes in id order, a property's values in quad order; the layout is that of
// encoding/json with a one-space indent.
//
// The grouping needs every quad's place, so JSONLD first sorts the positions of the quads it
// keeps (4 bytes each, plus as much again while sorting), then writes node by node, each as it
// is made. It looks at ctx while sorting and writing, and returns ctx's error or the first write
// error; w then holds a part of the document.
func JSONLD(ctx context.Context, w io.Writer, quads index.QuadList, keep func(*index.Quad) bool) error {
	pos := make([]int32, 0, quads.Len())
	for i := range quads.Len() {
		if i%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if q := quads.At(i); keep == nil || keep(&q) {
			pos = append(pos, int32(i))
		}
	}
	// A stable sort by label, then subject id, keeps each property's values in quad order.
	err := mergeSort(ctx, pos, func(a, b int32) int {
		qa, qb := quads.At(int(a)), quads.At(int(b))
		if c := strings.Compare(qa.Label.Value, qb.Label.Value); c != 0 {
			return c
		}
		return compareIDs(qa.Subject, qb.Subject)
	})
	if err != nil {
		return err
	}

	bw := bufio.NewWriterSize(w, bufSize)
	bw.WriteByte('[')
	top, inner := 0, 0 // items written in the document's list and in the open named graph's
	label, open := "", false
	for start := 0; start < len(pos); {
		// A node costs a map and its encoding: the look at ctx is cheap beside it.
		if err := ctx.Err(); err != nil {
			return err
		}
		// The run of positions with the label and subject id of pos[start] is one node.
		first := quads.At(int(pos[start]))
		end := start + 1
		for end < len(pos) {
			q := quads.At(int(pos[end]))
			if q.Label.Value != first.Label.Value || compareIDs(q.Subject, first.Subject) != 0 {
				break
			}
			end++
		}
		depth := 1 // a node of the default graph, which sorts first, is an item of the document
		if l := first.Label.Value; l != "" {
			if !open || l != label {
				if open {
					endGraph(bw, label)
				}
				item(bw, 1, top)
				top++
				bw.WriteString("{\n  \"@graph\": [")
				label, open, inner = l, true, 0
			}
			depth = 3
			item(bw, depth, inner)
			inner++
		} else {
			item(bw, depth, top)
			top++
		}
		if err := writeNode(bw, quads, pos[start:end], depth); err != nil {
			return err
		}
		start = end
	}
	if open {
		endGraph(bw, label)
	}
	if top > 0 {
		bw.WriteByte('\n')
	}
	if _, err := bw.WriteString("]\n"); err != nil {
		return err
	}
	return bw.Flush()
}

// The JSON-LD document is written piece by piece in the layout encoding/json's encoder gives
// the whole document with a one-space indent: each item of a list on a line of its own,
// indented one space per level, and a named graph as {"@graph": [...], "@id": label}, keys in
// order.

// item starts the item of a list at depth that has before items before it.
func item(bw *bufio.Writer, depth, before int) {
	if before > 0 {
		bw.WriteByte(',')
	}
	bw.WriteByte('\n')
	bw.WriteString(strings.Repeat(" ", depth))
}

// endGraph closes the named graph with the label.
func endGraph(bw *bufio.Writer, label string) {
	id, _ := json.Marshal(label) // a string always marshals
	bw.WriteString("\n  ],\n  \"@id\": ")
	bw.Write(id)
	bw.WriteString("\n }")
}

// writeNode writes the node made of the quads at positions pos, which share a label and a
// subject, at depth.
func writeNode(bw *bufio.Writer, quads index.QuadList, pos []int32, depth int) error {
	m := map[string]any{"@id": ldID(quads.At(int(pos[0])).Subject)}
	for _, p := range pos {
		q := quads.At(int(p))
		// A predicate spelled "@id" replaces the id, as it always has.
		if vals, ok := m[q.Predicate.Value].([]any); ok {
			m[q.Predicate.Value] = append(vals, ldValue(q.Object))
		} else {
			m[q.Predicate.Value] = []any{ldValue(q.Object)}
		}
	}
	b, err := json.MarshalIndent(m, strings.Repeat(" ", depth), " ")
	if err != nil {
		return err
	}
	_, err = bw.Write(b)
	return err
}

// compareIDs compares the JSON-LD ids of two subjects (see ldID) without building them.
func compareIDs(a, b index.Term) int {
	switch {
	case a.BNode == b.BNode:
		return strings.Compare(a.Value, b.Value)
	case a.BNode:
		return -comparePrefixed(b.Value, a.Value)
	}
	return comparePrefixed(a.Value, b.Value)
}

// comparePrefixed compares s with "_:" + t.
func comparePrefixed(s, t string) int {
	const p = "_:"
	n := min(len(s), len(p))
	if c := strings.Compare(s[:n], p[:n]); c != 0 {
		return c
	}
	if n < len(p) {
		return -1 // s is a proper prefix of "_:"
	}
	return strings.Compare(s[n:], t)
}

// mergeSort sorts pos stably by cmp, looking at ctx every few thousand moves, so that sorting
// the positions of a whole graph's quads stops when the request does.
func mergeSort(ctx context.Context, pos []int32, cmp func(a, b int32) int) error {
	const run = 32     // runs this short are sorted by insertion first
	const moves = 8192 // elements placed between two looks at ctx
	for lo := 0; lo < len(pos); lo += run {
		if lo%moves == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		hi := min(lo+run, len(pos))
		for i := lo + 1; i < hi; i++ {
			for j := i; j > lo && cmp(pos[j-1], pos[j]) > 0; j-- {
				pos[j-1], pos[j] = pos[j], pos[j-1]
			}
		}
	}
	if len(pos) <= run {
		return nil
	}
	src, dst := pos, make([]int32, len(pos))
	for width := run; width < len(pos); width *= 2 {
		for lo := 0; lo < len(src); lo += 2 * width {
			mid, hi := min(lo+width, len(src)), min(lo+2*width, len(src))
			i, j := lo, mid
			for k := lo; k < hi; k++ {
				if k%moves == 0 {
					if err := ctx.Err(); err != nil {
						return err
					}
				}
				// Equal elements come from the left run first: the sort is stable.
				if j < hi && (i == mid || cmp(src[j], src[i]) < 0) {
					dst[k] = src[j]
					j++
				} else {
					dst[k] = src[i]
					i++
				}
			}
		}
		src, dst = dst, src
	}
	copy(pos, src) // a no-op when the last pass wrote into pos
	return nil
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
