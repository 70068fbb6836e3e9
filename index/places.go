package index

import (
	"strings"

	"github.com/kgraph/telegraph/kg"
)

// Reference data: facts a reference dataset gives rather than an article (see kg.ReferencePrefix).
// They have no article, so every view sees them whatever its date, and no quote.

// Reference is a reference dataset the graph takes facts from, such as GeoNames.
type Reference struct {
	IRI, Name, URL, License, Attribution string
}

// Reference returns the reference dataset whose quads state r, or nil when only articles do.
func (x *Index) Reference(r *Relation) *Reference {
	if len(r.Sources) > 0 {
		return nil
	}
	for _, q := range x.SubjectQuads(r.IRI) {
		if l := q.Label.Value; strings.HasPrefix(l, kg.ReferencePrefix) {
			return x.reference(l)
		}
	}
	return nil
}

// reference reads the dataset's own node, labelled with its IRI.
func (x *Index) reference(iri string) *Reference {
	ref := &Reference{IRI: iri, Name: strings.TrimPrefix(iri, kg.ReferencePrefix)}
	for _, q := range x.SubjectQuads(iri) {
		switch q.Predicate.Value {
		case kg.PredName:
			ref.Name = q.Object.Value
		case kg.PredURL:
			ref.URL = q.Object.Value
		case kg.AttrIRI("license"):
			ref.License = q.Object.Value
		case kg.AttrIRI("attribution"):
			ref.Attribution = q.Object.Value
		}
	}
	return ref
}

// Placement is one country an entity is in and the chain of facts that puts it there.
type Placement struct {
	Country *Entity
	// Basis is the located_in and part_of relationships from the entity to the country, in
	// order; empty for a country itself.
	Basis []*Relation
}

// Placements returns every country e is in (see Countries), in the same order, each with the
// shortest chain of located_in and part_of facts that puts e there. Empty when the view places
// e in no country.
func (v *View) Placements(e *Entity) []Placement {
	type step struct {
		from *Entity
		rel  *Relation
	}
	prev := map[*Entity]step{e: {}}
	queue := []*Entity{e}
	var out []Placement
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if p.Kind == "Country" {
			var basis []*Relation
			for x := p; x != e; x = prev[x].from {
				basis = append([]*Relation{prev[x].rel}, basis...)
			}
			out = append(out, Placement{Country: p, Basis: basis})
		}
		if p != e && !kg.IsPlace(p.Kind) {
			continue
		}
		next := func(r *Relation, role string) {
			for _, w := range r.Role(role) {
				if _, seen := prev[w]; !seen {
					prev[w] = step{p, r}
					queue = append(queue, w)
				}
			}
		}
		if p == e {
			for _, r := range v.Relations(p, kg.LocatedIn) {
				if r.HasParticipant(p, "entity") {
					next(r, "place")
				}
			}
		}
		if kg.IsPlace(p.Kind) {
			for _, r := range v.Relations(p, kg.PartOf) {
				if r.HasParticipant(p, "part") {
					next(r, "whole")
				}
			}
		}
	}
	return out
}

// FromReference reports whether a fact of the placement's chain comes from reference data
// rather than from an article.
func (v *View) FromReference(p Placement) bool {
	for _, r := range p.Basis {
		if v.Reference(r) != nil {
			return true
		}
	}
	return false
}
