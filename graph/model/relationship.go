package model

import (
	"github.com/kgraph/telegraph/index"
	"github.com/kgraph/telegraph/kg"
	"github.com/kgraph/telegraph/loader"
)

// Relationship is any relationship type of the schema.
type Relationship interface {
	Node
	IsRelationship()
}

// RelBase holds what every relationship type shares; the concrete types embed it.
type RelBase struct {
	V *index.View
	R *index.Relation
}

// RelationshipOf wraps r in the schema type of its kind.
func RelationshipOf(v *index.View, r *index.Relation) Relationship {
	b := RelBase{v, r}
	switch r.Kind {
	case kg.Partnership:
		return &Partnership{b}
	case kg.Stake:
		return &Stake{b}
	case kg.Supply:
		return &Supply{b}
	case kg.Landing:
		return &Landing{b}
	default:
		return &GenericRelationship{b}
	}
}

// Relationships wraps each relationship of list.
func Relationships(v *index.View, list []*index.Relation) []Relationship {
	out := make([]Relationship, len(list))
	for i, r := range list {
		out[i] = RelationshipOf(v, r)
	}
	return out
}

func (RelBase) IsNode()                     {}
func (RelBase) IsRelationship()             {}
func (b RelBase) GetID() string             { return GlobalID(b.R.IRI) }
func (b RelBase) ID() string                { return GlobalID(b.R.IRI) }
func (b RelBase) Iri() string               { return b.R.IRI }
func (b RelBase) Key() string               { return b.R.ID }
func (b RelBase) Relation() string          { return b.R.Kind }
func (b RelBase) RelationKind() string      { return b.R.Kind }
func (b RelBase) Notes() []string           { return nonNil(b.R.Notes) }
func (b RelBase) Evidence() []*Evidence     { return EvidenceOf(b.V, b.R.Evidence) }
func (b RelBase) Sources() []*Article       { return Articles(b.V, b.V.Sources(b.R.Sources)) }
func (b RelBase) SourceCount() int          { return len(b.V.Sources(b.R.Sources)) }
func (b RelBase) attr(key string) *string   { return ptr(b.R.Attrs.Get(key)) }
func (b RelBase) role(name string) []Entity { return Entities(b.V, b.R.Role(name)) }

// Participants returns every participant with its role.
func (b RelBase) Participants() []*Participant {
	var out []*Participant
	for _, p := range b.R.Participants {
		if b.V.EntityVisible(p.Entity) {
			out = append(out, &Participant{Role: p.Role, Entity: EntityOf(b.V, p.Entity)})
		}
	}
	return out
}

// Attributes returns the literal attributes sorted by key.
func (b RelBase) Attributes() []*Attribute {
	out := make([]*Attribute, len(b.R.Attrs))
	for i, a := range b.R.Attrs {
		out[i] = &Attribute{Key: a.Key, Value: a.Value}
	}
	return out
}

// Participant is one participant in one role.
type Participant struct {
	Role   string
	Entity Entity
}

// Attribute is a literal attribute.
type Attribute struct {
	Key, Value string
}

// Number returns the quantity a quantity attribute states, or nil.
func (a Attribute) Number() *float64 {
	if n, ok := a.number(); ok {
		return &n.Value
	}
	return nil
}

// Unit returns the unit of Number, or nil.
func (a Attribute) Unit() *string {
	if n, ok := a.number(); ok && n.Unit != "" {
		return &n.Unit
	}
	return nil
}

func (a Attribute) number() (loader.Number, bool) {
	if !loader.NumberKeys[a.Key] {
		return loader.Number{}, false
	}
	return loader.ParseNumber(a.Value)
}

// Date returns the date a date attribute states, or nil.
func (a Attribute) Date() *PartialDate {
	if !loader.DateKeys[a.Key] {
		return nil
	}
	if d, ok := loader.ParseDate(a.Value); ok {
		return &PartialDate{d}
	}
	return nil
}

// PartialDate is a date stated as precisely as an article states it.
type PartialDate struct{ D loader.PartialDate }

func (d PartialDate) Year() int     { return d.D.Year }
func (d PartialDate) Month() *int   { return nonZero(d.D.Month) }
func (d PartialDate) Day() *int     { return nonZero(d.D.Day) }
func (d PartialDate) Quarter() *int { return nonZero(d.D.Quarter) }
func (d PartialDate) Start() Date   { return Date(d.D.Start()) }
func (d PartialDate) End() Date     { return Date(d.D.End()) }

func nonZero(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

// Partnership is a partnership, collaboration, MoU or agreement.
type Partnership struct{ RelBase }

func (p *Partnership) Parties() []Entity { return p.role("party") }
func (p *Partnership) About() []Entity   { return p.role("about") }
func (p *Partnership) Kind() *string     { return p.attr("kind") }
func (p *Partnership) Scope() *string    { return p.attr("scope") }
func (p *Partnership) Date() *string     { return p.attr("date") }
func (p *Partnership) Status() *string   { return p.attr("status") }

// Stake is an owner's stake in a company.
type Stake struct{ RelBase }

func (s *Stake) Owners() []Entity { return s.role("owner") }
func (s *Stake) Company() Entity  { return EntityOf(s.V, s.R.Role("company")[0]) }
func (s *Stake) Share() *string   { return s.attr("share") }
func (s *Stake) Amount() *string  { return s.attr("amount") }
func (s *Stake) Date() *string    { return s.attr("date") }
func (s *Stake) Status() *string  { return s.attr("status") }

// Supply is a supply contract or award.
type Supply struct{ RelBase }

func (s *Supply) Suppliers() []Entity { return s.role("supplier") }
func (s *Supply) Customers() []Entity { return s.role("customer") }
func (s *Supply) Objects() []Entity   { return s.role("object") }
func (s *Supply) Item() *string       { return s.attr("item") }
func (s *Supply) Share() *string      { return s.attr("share") }
func (s *Supply) Value() *string      { return s.attr("value") }
func (s *Supply) Date() *string       { return s.attr("date") }

// Landing is a cable landing in places.
type Landing struct{ RelBase }

func (l *Landing) Cable() Entity    { return EntityOf(l.V, l.R.Role("cable")[0]) }
func (l *Landing) Places() []Entity { return l.role("place") }
func (l *Landing) Point() *string   { return l.attr("point") }

// GenericRelationship is any other relationship.
type GenericRelationship struct{ RelBase }
