package model

import "github.com/kgraph/telegraph/index"

// Reference is a reference dataset the graph takes facts from, such as GeoNames.
type Reference struct{ R *index.Reference }

func (r Reference) Iri() string          { return r.R.IRI }
func (r Reference) Name() string         { return r.R.Name }
func (r Reference) URL() *string         { return ptr(r.R.URL) }
func (r Reference) License() *string     { return ptr(r.R.License) }
func (r Reference) Attribution() *string { return ptr(r.R.Attribution) }

// Reference returns the reference dataset that gives the relationship, or nil when articles
// state it.
func (b RelBase) Reference() *Reference {
	if ref := b.V.Reference(b.R); ref != nil {
		return &Reference{ref}
	}
	return nil
}

// Placement is a country an entity is in, with the facts that put it there.
type Placement struct {
	V *index.View
	P index.Placement
}

func (p Placement) Country() *Country     { return &Country{Base{p.V, p.P.Country}} }
func (p Placement) Basis() []Relationship { return Relationships(p.V, p.P.Basis) }
func (p Placement) FromReference() bool   { return p.V.FromReference(p.P) }

// Placements returns every country the entity is in, with the facts that put it there.
func (b Base) Placements() []*Placement {
	list := b.V.Placements(b.E)
	out := make([]*Placement, len(list))
	for i, p := range list {
		out[i] = &Placement{b.V, p}
	}
	return out
}

// Unplaced returns the entities of list that the view places in no country, by name, for the
// `unplaced` field of a list a country narrows.
func Unplaced(v *index.View, list []*index.Entity) []Entity {
	var out []*index.Entity
	for _, e := range list {
		if len(v.Countries(e)) == 0 {
			out = append(out, e)
		}
	}
	return Entities(v, out)
}
