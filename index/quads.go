package index

// Quads returns every quad of the index, in the order Build was given them, as the index keeps
// them. The table is shared with the index and must not be modified; the store builds the next
// index's table from it and the quads a write changed (see Table.Next), instead of reading the
// whole store again.
func (x *Index) Quads() *Table { return x.tab }
