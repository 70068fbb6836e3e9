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
func (r *Resolver) start(of string, filter *model.Filter, asOf *model.Date) (*index.View, *index.Entity, *index.Filter, error) {
	v := r.view(asOf)
	e, err := v.Lookup(of)
	if err != nil {
		return nil, nil, nil, err
	}
	f, err := model.ToFilter(v, filter)
	if err != nil {
		return nil, nil, nil, err
	}
	return v, e, f, nil
}

// ends resolves the two ends of a path search and checks its bounds.
func (r *Resolver) ends(from, to string, maxHops *int, via []string, asOf *model.Date) (*index.View, *index.Entity, *index.Entity, error) {
	v := r.view(asOf)
	a, err := v.Lookup(from)
	if err != nil {
		return nil, nil, nil, err
	}
	b, err := v.Lookup(to)
	if err != nil {
		return nil, nil, nil, err
	}
	if maxHops != nil && (*maxHops < 1 || *maxHops > index.MaxHops) {
		return nil, nil, nil, kg.Errorf(kg.EInvalid, "maxHops must be between 1 and %d", index.MaxHops)
	}
	if err := model.CheckRelationKinds("via", via); err != nil {
		return nil, nil, nil, err
	}
	return v, a, b, nil
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

// partnerLinks resolves the partner links of an entity.
func (r *Resolver) partnerLinks(of string, country *string, withSubsidiaries *bool, asOf *model.Date) (*index.View, []index.PartnerLink, error) {
	v := r.view(asOf)
	e, err := v.Lookup(of)
	if err != nil {
		return nil, nil, err
	}
	c, err := model.LookupCountry(v, country)
	if err != nil {
		return nil, nil, err
	}
	return v, v.PartnerLinks(e, c, withSubsidiaries != nil && *withSubsidiaries), nil
}

// clamp bounds an optional integer argument.
func clamp(p *int, def, lo, hi int) int {
	n := def
	if p != nil {
		n = *p
	}
	return max(lo, min(n, hi))
}
