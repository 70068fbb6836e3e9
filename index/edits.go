package index

import (
	"strings"

	"github.com/kgraph/telegraph/kg"
)

// applyEdits returns the quads as the API's deletions and merges leave them: a deleted entity
// or relationship loses every fact about it, a relationship one of whose participants was
// deleted goes too, and a merged entity's facts move to the entity it was merged into, its names
// becoming aliases. edits are the quads under kg.EditsLabel. The stored quads are not touched, so
// the data files' facts stay as written and the edits can be read back and undone.
func applyEdits(quads *Table, edits []Quad) *Table {
	deleted := map[string]bool{}
	merged := map[string]string{}
	for _, q := range edits {
		switch q.Predicate.Value {
		case kg.PredDeleted:
			deleted[q.Subject.Value] = true
		case kg.PredMergedInto:
			merged[q.Subject.Value] = q.Object.Value
		}
	}
	if len(deleted) == 0 && len(merged) == 0 {
		return quads
	}
	final := func(iri string) string {
		// Follow chains of merges; a cycle (never written by the API) stops where it closes.
		seen := map[string]bool{}
		for merged[iri] != "" && !seen[iri] {
			seen[iri] = true
			iri = merged[iri]
		}
		return iri
	}
	for _, q := range quads.All() {
		if strings.HasPrefix(q.Predicate.Value, kg.RolePrefix) && deleted[final(q.Object.Value)] {
			deleted[q.Subject.Value] = true
		}
	}
	out := make([]Quad, 0, quads.Len())
	for i := range quads.Len() {
		q := quads.At(i)
		if q.Label.Value == kg.EditsLabel || deleted[final(q.Subject.Value)] {
			continue
		}
		if _, ok := merged[q.Subject.Value]; ok {
			switch q.Predicate.Value {
			case kg.PredKind:
				continue // the surviving entity keeps its own kind
			case kg.PredName:
				q.Predicate.Value = kg.PredAlias
			}
			q.Subject.Value = final(q.Subject.Value)
		}
		if q.Object.IRI {
			if _, ok := merged[q.Object.Value]; ok {
				q.Object.Value = final(q.Object.Value)
			}
		}
		out = append(out, q)
	}
	return Encode(out)
}
