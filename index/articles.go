package index

import (
	"context"
	"sort"
)

// stated are the entities and relationships one article states.
type stated struct {
	entities  []*Entity   // by name
	relations []*Relation // by id
}

// indexArticles records what each article states, for ArticleEntities and ArticleRelations,
// and every relationship by id, for AllRelations. x.ordered must be sorted already.
func (x *Index) indexArticles(rels []*Relation) {
	x.relOrdered = rels
	x.byArticle = map[*Article]*stated{}
	get := func(a *Article) *stated {
		s := x.byArticle[a]
		if s == nil {
			s = &stated{}
			x.byArticle[a] = s
		}
		return s
	}
	for _, e := range x.ordered {
		for _, a := range e.Sources {
			get(a).entities = append(get(a).entities, e)
		}
	}
	for _, r := range rels {
		for _, a := range r.Sources {
			get(a).relations = append(get(a).relations, r)
		}
	}
}

// ArticleEntities returns the entities article a names, by name, as the view sees them.
func (v *View) ArticleEntities(a *Article) []*Entity {
	s := v.byArticle[a]
	if s == nil || !v.ArticleVisible(a) {
		return nil
	}
	return s.entities
}

// ArticleRelations returns the relationships article a states, by id, as the view sees them.
func (v *View) ArticleRelations(a *Article) []*Relation {
	s := v.byArticle[a]
	if s == nil || !v.ArticleVisible(a) {
		return nil
	}
	return s.relations
}

// RelationOrder is how AllRelations sorts.
type RelationOrder int

const (
	// ByID sorts by the relationship's id, the order relationships are stored in.
	ByID RelationOrder = iota
	// ByFirstStated sorts by the date of the first article that states the relationship,
	// oldest first, then by id.
	ByFirstStated
	// BySources sorts by the number of articles that state the relationship, most first, then
	// by id.
	BySources
)

// keepsAParticipant reports whether f's entity conditions (kinds, country) keep some
// participant of r; true when f has none.
func (v *View) keepsAParticipant(f *Filter, r *Relation) bool {
	if f == nil || (len(f.EntityKinds) == 0 && f.Country == nil) {
		return true
	}
	for _, p := range r.Participants {
		if v.KeepEntity(f, p.Entity) {
			return true
		}
	}
	return false
}

// AllRelations returns every relationship f keeps in the view, in order: its relationship
// conditions keep the relationship itself, its entity conditions (kinds, country) keep those
// with at least one participant that meets them. For example, every
// stake reported in June 2017:
//
//	v.AllRelations(ctx, &Filter{RelationKinds: []string{"stake"}, Since: "2017-06-01", Until: "2017-06-30"}, ByFirstStated)
//
// It walks every relationship of the graph, reporting the walk to ctx's meter, and stops with
// ctx's error when ctx is done.
func (v *View) AllRelations(ctx context.Context, f *Filter, order RelationOrder) ([]*Relation, error) {
	pace := newPacer(ctx)
	var out []*Relation
	for _, r := range v.relOrdered {
		if err := pace.step(0); err != nil {
			return nil, err
		}
		if v.KeepRelation(f, r) && v.keepsAParticipant(f, r) {
			out = append(out, r)
		}
	}
	// Each relationship's key is worked out once, not at every comparison.
	switch order {
	case ByFirstStated:
		first := make(map[*Relation]string, len(out))
		for _, r := range out {
			if s := v.Sources(r.Sources); len(s) > 0 {
				first[r] = s[0].Date
			}
		}
		sort.SliceStable(out, func(i, j int) bool { return first[out[i]] < first[out[j]] })
	case BySources:
		n := make(map[*Relation]int, len(out))
		for _, r := range out {
			n[r] = len(v.Sources(r.Sources))
		}
		sort.SliceStable(out, func(i, j int) bool { return n[out[i]] > n[out[j]] })
	}
	return out, nil
}
