package graph

import (
	"context"

	"github.com/kgraph/telegraph/graph/model"
	"github.com/kgraph/telegraph/index"
	"github.com/kgraph/telegraph/kg"
)

// view returns the graph as of the date (all of it when asOf is nil).
func (r *Resolver) view(asOf *model.Date) *index.View {
	return r.Graph.Index().At(asOf.String())
}

// start resolves the entity a traversal starts from and its filter.
func (r *Resolver) start(ctx context.Context, of string, filter *model.Filter, asOf *model.Date) (*index.View, *index.Entity, *index.Filter, error) {
	v := r.view(asOf)
	e, err := v.Find(ctx, of)
	if err != nil {
		return nil, nil, nil, err
	}
	f, err := model.ToFilter(v, filter)
	if err != nil {
		return nil, nil, nil, err
	}
	return v, e, f, nil
}

// pathSearch is a path search's arguments, resolved and checked.
type pathSearch struct {
	v       *index.View
	a, b    *index.Entity
	maxHops int
	kinds   []string // the relationship kinds to walk, given as relationKinds or via
}

// ends resolves the two ends of a path search and checks its bounds; via is the older name
// of relationKinds, and kinds given under either count.
func (r *Resolver) ends(ctx context.Context, from, to string, maxHops *int, relationKinds, via []string, asOf *model.Date) (pathSearch, error) {
	p := pathSearch{v: r.view(asOf), kinds: model.RelationKinds(relationKinds, via)}
	var err error
	if p.a, err = p.v.Find(ctx, from); err != nil {
		return p, err
	}
	if p.b, err = p.v.Find(ctx, to); err != nil {
		return p, err
	}
	if p.maxHops, err = bounded("maxHops", maxHops, 4, 1, index.MaxHops); err != nil {
		return p, err
	}
	return p, model.CheckRelationKinds("relationKinds", p.kinds)
}

// search runs a full-text search in the view.
func (r *Resolver) search(ctx context.Context, text string, kinds []string, country *string, asOf *model.Date) (*index.View, []index.Hit, error) {
	v := r.view(asOf)
	c, err := model.LookupCountry(v, country)
	if err != nil {
		return nil, nil, err
	}
	if _, err := model.ToFilter(v, &model.Filter{EntityKinds: kinds}); err != nil {
		return nil, nil, err
	}
	hits, err := v.Search(ctx, text, kinds, c)
	return v, hits, err
}

// partnerLinks resolves the partner links of an entity and, with a country, the partners the
// view places in no country (see model.Unplaced), whichever of them the links hold.
func (r *Resolver) partnerLinks(ctx context.Context, of string, country *string, unplaced, withSubsidiaries *bool, asOf *model.Date) (*index.View, []index.PartnerLink, []model.Entity, error) {
	v := r.view(asOf)
	e, err := v.Find(ctx, of)
	if err != nil {
		return nil, nil, nil, err
	}
	c, err := model.LookupCountry(v, country)
	if err != nil {
		return nil, nil, nil, err
	}
	subs := withSubsidiaries != nil && *withSubsidiaries
	place := &index.Filter{Country: c, Unplaced: unplaced != nil && *unplaced}
	links := v.PartnerLinks(e, place, subs)
	if c == nil {
		return v, links, nil, nil
	}
	var partners []*index.Entity
	for _, l := range v.PartnerLinks(e, &index.Filter{Country: c, Unplaced: true}, subs) {
		partners = append(partners, l.Partner)
	}
	return v, links, model.Unplaced(v, partners), nil
}

// bounded returns an optional integer argument, def when it is not given, or an INVALID error
// naming it when it lies outside lo to hi: a value past a bound is refused, never quietly
// clamped, so that a client learns the bound instead of getting less than it asked for.
func bounded(name string, p *int, def, lo, hi int) (int, error) {
	if p == nil {
		return def, nil
	}
	if *p < lo || *p > hi {
		return 0, kg.Errorf(kg.EInvalid, "%s must be between %d and %d, got %d", name, lo, hi, *p)
	}
	return *p, nil
}
