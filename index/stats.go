package index

import "sort"

// Count is one group of an aggregate.
type Count struct {
	Key   string
	Count int
}

// Stats are counts over the graph as the view sees it, for dashboards and for sizing a drawing
// before fetching it.
type Stats struct {
	Entities, Relationships, Articles, Quads int
	ByEntityKind, ByRelation, ByCountry      []Count
	// ByYear counts relationships by the year of the first article that states them.
	ByYear []Count
}

// Stats counts the entities, relationships and articles in the view. Entities are counted by
// kind and by every country they are in (see Countries); relationships by kind and by the year
// they were first stated. Groups are ordered by count, largest first, then by key.
func (v *View) Stats() Stats {
	kinds, rels, countries, years := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	s := Stats{Quads: v.QuadCount()}
	for _, e := range v.VisibleEntities() {
		s.Entities++
		kinds[e.Kind]++
		for _, c := range v.Countries(e) {
			countries[c.Name]++
		}
	}
	for _, r := range v.relOrdered {
		if !v.RelationVisible(r) {
			continue
		}
		s.Relationships++
		rels[r.Kind]++
		if src := v.Sources(r.Sources); len(src) > 0 && len(src[0].Date) >= 4 {
			years[src[0].Date[:4]]++
		}
	}
	for _, a := range v.arts {
		if a != nil && v.ArticleVisible(a) {
			s.Articles++
		}
	}
	s.ByEntityKind, s.ByRelation, s.ByCountry, s.ByYear = counts(kinds), counts(rels), counts(countries), counts(years)
	sort.SliceStable(s.ByYear, func(i, j int) bool { return s.ByYear[i].Key < s.ByYear[j].Key })
	return s
}

// DegreeByRelation counts the visible relationships e takes part in, by kind.
func (v *View) DegreeByRelation(e *Entity) []Count {
	m := map[string]int{}
	for _, r := range v.Relations(e) {
		m[r.Kind]++
	}
	return counts(m)
}

func counts(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for k, n := range m {
		out = append(out, Count{k, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Key < out[j].Key
	})
	return out
}
