package index

// Quads returns every quad of the index, in the order Build was given them. The slice is shared
// with the index and must not be modified; the store builds the next index from it and the
// quads a write changed, instead of reading the whole store again.
func (x *Index) Quads() []Quad { return x.quads }
