package index

import (
	"sort"
	"sync"
)

// Resources: every quad stays reachable by its nodes, whether or not it is in our vocabulary,
// so N-Quads loaded from elsewhere can be explored too.

// literalIndex finds the subjects of quads by predicate and literal object. It is built on first
// use, like the search index, and lives as long as its Index.
type literalIndex struct {
	once sync.Once
	pos  map[[2]string][]uint32 // predicate, literal -> positions in quads
}

// HasNode reports whether any quad has the IRI or blank node as subject or object.
func (x *Index) HasNode(node string) bool {
	return len(x.positions(&x.out, node)) > 0 || len(x.positions(&x.in, node)) > 0
}

// Predicates returns the distinct predicates of the quads whose subject (out) or object (in)
// is node, sorted.
func (x *Index) Predicates(node string, out bool) []string {
	pos := x.positions(&x.in, node)
	if out {
		pos = x.positions(&x.out, node)
	}
	seen := map[string]bool{}
	var list []string
	for _, p := range pos {
		if pr := x.tab.Terms[x.tab.Rows[p][1]].Value; !seen[pr] {
			seen[pr] = true
			list = append(list, pr)
		}
	}
	sort.Strings(list)
	return list
}

// Statements returns the quads whose subject (out) or object (in) is node, with the predicate
// when it is not empty, in the store's order.
func (x *Index) Statements(node string, out bool, predicate string) []Quad {
	pos := x.positions(&x.in, node)
	if out {
		pos = x.positions(&x.out, node)
	}
	var list []Quad
	for _, p := range pos {
		if q := x.tab.At(int(p)); predicate == "" || q.Predicate.Value == predicate {
			list = append(list, q)
		}
	}
	return list
}

// SubjectsWith returns the distinct subjects of the quads with the predicate (any when empty)
// and a literal object equal to value, sorted.
func (x *Index) SubjectsWith(predicate, value string) []Term {
	li := &x.literals
	li.once.Do(func() {
		li.pos = map[[2]string][]uint32{}
		for i, r := range x.tab.Rows {
			p, o := &x.tab.Terms[r[1]], &x.tab.Terms[r[2]]
			if !o.IRI && !o.BNode {
				li.pos[[2]string{p.Value, o.Value}] = append(li.pos[[2]string{p.Value, o.Value}], uint32(i))
				li.pos[[2]string{"", o.Value}] = append(li.pos[[2]string{"", o.Value}], uint32(i))
			}
		}
	})
	seen := map[Term]bool{}
	var out []Term
	for _, p := range li.pos[[2]string{predicate, value}] {
		if s := x.tab.Terms[x.tab.Rows[p][0]]; !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Value < out[j].Value })
	return out
}
