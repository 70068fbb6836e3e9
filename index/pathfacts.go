package index

import "slices"

// Paths walk relationships as the nodes they are: a hop goes from one participant of a
// relationship through it to another participant, whatever their roles, and a path walks each
// relationship once at most. A partnership of three parties is then one hop between any two of
// them, never two hops that make the third an intermediary it is not; two owners of one stake,
// or two customers of one contract, are one hop apart through the fact they share, though no
// edge is drawn between them.

// factHops calls fn with every hop from n through a relationship the view sees, of the kinds in
// via (all when empty), to another participant the view sees, until fn returns false. fn gets
// the participant and the relationship; the hop's edge (hopEdge) is made only for the hops a
// search keeps.
func (v *View) factHops(n *Entity, via []string, fn func(o *Entity, r *Relation) bool) {
	for _, r := range n.Relations {
		if (len(via) > 0 && !slices.Contains(via, r.Kind)) || !v.RelationVisible(r) {
			continue
		}
		for i, p := range r.Participants {
			o := p.Entity
			if o == n || !v.EntityVisible(o) || firstAt(r, o) != i {
				continue
			}
			if !fn(o, r) {
				return
			}
		}
	}
}

// firstAt returns the position of e's first role in r.
func firstAt(r *Relation, e *Entity) int {
	for i, p := range r.Participants {
		if p.Entity == e {
			return i
		}
	}
	return -1
}

// hopEdge returns r's drawn edge between a and b, or, when r draws none between them (two
// sources, two targets), an edge from a to b in their first roles, made for the path alone.
func hopEdge(r *Relation, a, b *Entity) *Edge {
	for _, ed := range r.Edges {
		if (ed.From == a && ed.To == b) || (ed.From == b && ed.To == a) {
			return ed
		}
	}
	role := func(e *Entity) string { return r.Participants[firstAt(r, e)].Role }
	return &Edge{Relation: r, From: a, To: b, FromRole: role(a), ToRole: role(b)}
}

// hopKey identifies a hop by what it walks, since an edge made for a hop is made anew each time.
type hopKey struct {
	r        *Relation
	from, to *Entity
}

func keyOf(h Hop) hopKey { return hopKey{h.Edge.Relation, h.From, h.To} }
