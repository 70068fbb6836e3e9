package graph

import (
	"github.com/kgraph/telegraph/graph/model"
	"github.com/kgraph/telegraph/kg"
)

var positions = map[kg.Position]model.RolePosition{
	kg.Source: model.RolePositionSource,
	kg.Target: model.RolePositionTarget,
	kg.Party:  model.RolePositionParty,
}

// vocabulary describes kg's vocabulary for the API.
func vocabulary() *model.Vocabulary {
	v := &model.Vocabulary{EntityKinds: kg.EntityKinds(), EntityAttributes: kg.EntityAttributes}
	for _, name := range kg.SortedRelationNames() {
		k, _ := kg.LookupRelation(name)
		spec := model.RelationKindSpec{Name: k.Name, Description: k.Description,
			Attributes: nonNil(k.Attributes), Required: nonNil(k.Required), Roles: []model.RoleSpec{}}
		for _, r := range k.Roles {
			rs := model.RoleSpec{Name: r.Name, Position: positions[r.Position], Min: r.Min}
			if r.Max > 0 {
				rs.Max = &r.Max
			}
			spec.Roles = append(spec.Roles, rs)
		}
		v.RelationKinds = append(v.RelationKinds, spec)
	}
	return v
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
