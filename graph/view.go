package graph

import (
	"github.com/kgraph/telegraph/graph/model"
	"github.com/kgraph/telegraph/index"
	"github.com/kgraph/telegraph/kg"
)

// view returns the graph as of the date (all of it when asOf is nil).
func (r *Resolver) view(asOf *model.Date) *index.View {
	return r.Graph.Index().At(asOf.String())
}

// country resolves an optional country name.
func lookupCountry(v *index.View, name *string) (*index.Entity, error) {
	if name == nil {
		return nil, nil
	}
	c, err := v.Lookup(*name)
	if err != nil {
		return nil, err
	}
	if c.Kind != "Country" {
		return nil, kg.Errorf(kg.EInvalid, "%q is a %s, not a Country", *name, c.Kind)
	}
	return c, nil
}

// clamp bounds an optional integer argument.
func clamp(p *int, def, lo, hi int) int {
	n := def
	if p != nil {
		n = *p
	}
	return max(lo, min(n, hi))
}
