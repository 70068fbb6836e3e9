package index

import (
	"iter"
	"slices"
)

// Row is one quad as the numbers of its terms in a Table: subject, predicate, object, label.
type Row [4]uint32

// Table is a list of quads with every distinct term stored once: a dictionary of terms and one
// row of four term numbers per quad, 16 bytes a quad instead of the 224 of a Quad and its four
// strings. The index keeps its quads so, the snapshot file stores them so, and the store builds
// the next index's table from the current one and the quads a write changed.
//
// A Table is not changed once an Index is built from it; Next makes a new one.
type Table struct {
	Terms []Term
	Rows  []Row
}

// QuadList is a list of quads read by position: a Table, or a plain slice as Quads.
type QuadList interface {
	Len() int
	At(i int) Quad
}

// Quads is a slice of quads as a QuadList.
type Quads []Quad

// Len returns the number of quads.
func (q Quads) Len() int { return len(q) }

// At returns the i-th quad.
func (q Quads) At(i int) Quad { return q[i] }

// Len returns the number of quads.
func (t *Table) Len() int { return len(t.Rows) }

// At returns the i-th quad.
func (t *Table) At(i int) Quad {
	r := &t.Rows[i]
	return Quad{Subject: t.Terms[r[0]], Predicate: t.Terms[r[1]], Object: t.Terms[r[2]], Label: t.Terms[r[3]]}
}

// All yields each quad with its position, in order.
func (t *Table) All() iter.Seq2[int, Quad] {
	return func(yield func(int, Quad) bool) {
		for i := range t.Rows {
			if !yield(i, t.At(i)) {
				return
			}
		}
	}
}

// Encoder builds a Table quad by quad, numbering each distinct term once.
type Encoder struct {
	t   *Table
	ids map[Term]uint32
	// known, when set, finds a term the table had before the encoder was made, so that ids
	// holds only the terms added since.
	known func(Term) (uint32, bool)
}

// NewEncoder returns an encoder that adds to a new table.
func NewEncoder() *Encoder { return &Encoder{t: &Table{}, ids: map[Term]uint32{}} }

// Add appends the quad.
func (e *Encoder) Add(q Quad) { e.AddRow(e.Row(q)) }

// Row returns the quad as a row of the table being built, numbering the terms it has not seen;
// it does not append the row.
func (e *Encoder) Row(q Quad) Row {
	return Row{e.id(q.Subject), e.id(q.Predicate), e.id(q.Object), e.id(q.Label)}
}

// AddLists appends the quads of each list in turn.
func (e *Encoder) AddLists(lists ...QuadList) {
	for _, l := range lists {
		for i := range l.Len() {
			e.Add(l.At(i))
		}
	}
}

// AddRow appends a row Row returned.
func (e *Encoder) AddRow(r Row) { e.t.Rows = append(e.t.Rows, r) }

// Rows returns the rows added so far.
func (e *Encoder) Rows() []Row { return e.t.Rows }

// Grow makes room for n more rows.
func (e *Encoder) Grow(n int) { e.t.Rows = slices.Grow(e.t.Rows, n) }

func (e *Encoder) id(t Term) uint32 {
	if e.known != nil {
		if n, ok := e.known(t); ok {
			return n
		}
	}
	n, ok := e.ids[t]
	if !ok {
		n = uint32(len(e.t.Terms))
		e.ids[t] = n
		e.t.Terms = append(e.t.Terms, t)
	}
	return n
}

// Table returns the table built so far; the encoder must not be used after.
func (e *Encoder) Table() *Table {
	t := e.t
	e.t, e.ids = nil, nil
	return t
}

// Encode returns the quads as a Table.
func Encode(quads []Quad) *Table {
	e := NewEncoder()
	e.t.Rows = make([]Row, 0, len(quads))
	for i := range quads {
		e.Add(quads[i])
	}
	return e.Table()
}

// Select returns the quads of t that keep accepts, in their order, as a table that shares t's
// dictionary.
func (t *Table) Select(keep func(Quad) bool) *Table {
	out := &Table{Terms: t.Terms[:len(t.Terms):len(t.Terms)]}
	for i := range t.Rows {
		if keep(t.At(i)) {
			out.Rows = append(out.Rows, t.Rows[i])
		}
	}
	return out
}

// Next returns a new table: t's quads without those in drop, in their order, followed by the
// quads of each of added. t and added are left as they are, so indexes built from them stay
// valid. Terms only the dropped quads used are left out once they would be an eighth of the
// dictionary.
func (t *Table) Next(drop map[Quad]bool, added ...QuadList) *Table {
	n := len(t.Rows)
	for _, a := range added {
		n += a.Len()
	}
	base := t
	if first, ok := firstTable(added); ok && len(t.Rows) == 0 {
		// A first load: its table is the start, not copied quad by quad.
		base, added = first, added[1:]
	}
	rows := make([]Row, 0, n)
	if len(drop) == 0 || base != t {
		rows = append(rows, base.Rows...)
	} else {
		for i := range t.Rows {
			if !drop[t.At(i)] {
				rows = append(rows, t.Rows[i])
			}
		}
	}
	terms := base.Terms
	if len(rows) < len(base.Rows) {
		terms, rows = compact(terms, rows)
	}
	e := &Encoder{t: &Table{Terms: terms[:len(terms):len(terms)], Rows: rows}}
	if len(added) > 0 {
		e.ids = make(map[Term]uint32, len(terms))
		for i, term := range terms {
			if _, ok := e.ids[term]; !ok {
				e.ids[term] = uint32(i)
			}
		}
		e.AddLists(added...)
	}
	return e.Table()
}

// firstTable returns the first of the lists when it is a Table.
func firstTable(lists []QuadList) (*Table, bool) {
	if len(lists) == 0 {
		return nil, false
	}
	t, ok := lists[0].(*Table)
	return t, ok
}

// compact returns the terms the rows use, renumbered, when the unused ones are an eighth of
// them or more; else terms and rows as they are. rows is renumbered in place.
func compact(terms []Term, rows []Row) ([]Term, []Row) {
	const unused = ^uint32(0)
	num := make([]uint32, len(terms))
	for i := range num {
		num[i] = unused
	}
	used := 0
	for _, r := range rows {
		for _, n := range r {
			if num[n] == unused {
				num[n] = 0
				used++
			}
		}
	}
	if len(terms)-used < len(terms)/8 {
		return terms, rows
	}
	kept := make([]Term, 0, used)
	for i, t := range terms {
		if num[i] != unused {
			num[i] = uint32(len(kept))
			kept = append(kept, t)
		}
	}
	for i := range rows {
		for j, n := range rows[i] {
			rows[i][j] = num[n]
		}
	}
	return kept, rows
}

// csr is a compressed sparse row list: for node n, the quad positions pos[off[n]:off[n+1]].
type csr struct {
	off []uint32
	pos []uint32
}

// of returns node n's positions.
func (c *csr) of(n uint32) []uint32 {
	if int(n)+1 >= len(c.off) {
		return nil
	}
	return c.pos[c.off[n]:c.off[n+1]]
}

// fill builds c from each quad's node (none when not a node), in two passes over the quads:
// one to count each node's quads, one to place them.
func (c *csr) fill(nodes, quads int, node func(i int) (uint32, bool)) {
	c.off = make([]uint32, nodes+1)
	for i := range quads {
		yield(i)
		if n, ok := node(i); ok {
			c.off[n+1]++
		}
	}
	for n := 1; n <= nodes; n++ {
		c.off[n] += c.off[n-1]
	}
	c.pos = make([]uint32, c.off[nodes])
	next := make([]uint32, nodes)
	copy(next, c.off[:nodes])
	for i := range quads {
		yield(i)
		if n, ok := node(i); ok {
			c.pos[next[n]] = uint32(i)
			next[n]++
		}
	}
}
