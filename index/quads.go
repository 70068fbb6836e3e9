package index

// Quads returns every quad of the index, in the order Build was given them, as the index keeps
// them. The table is shared with the index and must not be modified; the store builds the next
// index's table from it and the quads a write changed (see Next), instead of reading the whole
// store again.
func (x *Index) Quads() *Table { return x.tab }

// Next returns the table of the index that follows x once a write has removed the quads in
// drop and added those of added: x's quads without the dropped ones, in their order, then the
// added ones. It does what x.Quads().Next does, without walking every quad or numbering every
// term again: dropped quads are found through their subjects, added terms that are nodes
// through x's node numbers and predicates through x's list of them; other added terms are
// numbered anew, so a literal may appear twice in the dictionary, which costs a few bytes and
// changes no answer.
func (x *Index) Next(drop map[Quad]bool, added ...QuadList) *Table {
	t := x.tab
	if len(t.Rows) == 0 {
		return t.Next(drop, added...)
	}
	gone := map[uint32]bool{}
	for q := range drop {
		for _, p := range x.positions(&x.out, q.Subject.Value) {
			if t.At(int(p)) == q {
				gone[p] = true
			}
		}
	}
	n := len(t.Rows) - len(gone)
	for _, a := range added {
		n += a.Len()
	}
	rows := make([]Row, 0, n)
	if len(gone) == 0 {
		rows = append(rows, t.Rows...)
	} else {
		for i := range t.Rows {
			if !gone[uint32(i)] {
				rows = append(rows, t.Rows[i])
			}
		}
	}
	terms := t.Terms
	if len(gone) > 0 {
		terms, rows = compact(terms, rows)
	}
	if len(terms) != len(t.Terms) {
		// Renumbered: x's numbers no longer apply.
		return (&Table{Terms: terms, Rows: rows}).Next(nil, added...)
	}
	e := &Encoder{t: &Table{Terms: terms[:len(terms):len(terms)], Rows: rows}, ids: map[Term]uint32{}}
	e.known = func(term Term) (uint32, bool) {
		if id, ok := x.preds[term]; ok {
			return id, true
		}
		if !isNode(&term) {
			return 0, false
		}
		nd, ok := x.nodes[term.Value]
		if !ok {
			return 0, false
		}
		if id := x.nodeTerm[nd]; t.Terms[id] == term {
			return id, true
		}
		return 0, false
	}
	e.AddLists(added...)
	return e.Table()
}
