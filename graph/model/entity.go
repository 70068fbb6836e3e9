package model

import (
	"github.com/kgraph/telegraph/index"
	"github.com/kgraph/telegraph/kg"
)

// Entity is any entity type of the schema.
type Entity interface {
	Node
	IsEntity()
	Ref() *index.Entity
}

// Base holds what every entity type shares; the concrete types embed it.
type Base struct {
	V *index.View
	E *index.Entity
}

// EntityOf wraps e in the schema type of its kind.
func EntityOf(v *index.View, e *index.Entity) Entity {
	b := Base{v, e}
	switch e.Kind {
	case "Company", "Division":
		return &Company{b}
	case "JointVenture":
		return &JointVenture{b}
	case "GovernmentBody", "IndustryGroup", "ResearchInstitute":
		return &Organization{b}
	case "Person":
		return &Person{b}
	case "Cable", "TerrestrialRoute":
		return &Cable{b}
	case "DataCenter":
		return &DataCenter{b}
	case "Country":
		return &Country{b}
	case "City":
		return &City{b}
	case "Province", "Region":
		return &Place{b}
	default:
		return &Thing{b}
	}
}

// Entities wraps each entity of list, keeping only those the view sees, in list order without
// repeats.
func Entities(v *index.View, list []*index.Entity) []Entity {
	out := make([]Entity, 0, len(list))
	seen := map[*index.Entity]bool{}
	for _, e := range list {
		if !seen[e] && v.EntityVisible(e) {
			seen[e] = true
			out = append(out, EntityOf(v, e))
		}
	}
	return out
}

func (Base) IsNode()                   {}
func (Base) IsEntity()                 {}
func (b Base) Ref() *index.Entity      { return b.E }
func (b Base) GetID() string           { return GlobalID(b.E.IRI) }
func (b Base) ID() string              { return GlobalID(b.E.IRI) }
func (b Base) Iri() string             { return b.E.IRI }
func (b Base) Key() string             { return b.E.ID }
func (b Base) Name() string            { return b.E.Name }
func (b Base) Kind() string            { return b.E.Kind }
func (b Base) Aliases() []string       { return nonNil(b.E.Aliases) }
func (b Base) FormerNames() []string   { return nonNil(b.E.Former) }
func (b Base) Description() *string    { return ptr(b.E.Attrs["description"]) }
func (b Base) Notes() []string         { return nonNil(b.E.Notes) }
func (b Base) Degree() int             { return b.V.Degree(b.E) }
func (b Base) Evidence() []*Evidence   { return EvidenceOf(b.V, b.E.Evidence) }
func (b Base) Sources() []*Article     { return Articles(b.V, b.V.Sources(b.E.Sources)) }
func (b Base) attr(key string) *string { return ptr(b.E.Attrs[key]) }

// Country returns the first country the entity is in.
func (b Base) Country() *Country {
	if cs := b.V.Countries(b.E); len(cs) > 0 {
		return &Country{Base{b.V, cs[0]}}
	}
	return nil
}

// City returns the first city the entity is in.
func (b Base) City() *City {
	if b.E.Kind == "City" {
		return nil
	}
	if cs := b.V.Cities(b.E); len(cs) > 0 {
		return &City{Base{b.V, cs[0]}}
	}
	return nil
}

// Relationships returns the relationships the entity takes part in, of the kinds (all if none).
func (b Base) Relationships(kinds []string) []Relationship {
	return Relationships(b.V, b.V.Relations(b.E, kinds...))
}

// related returns the participants in roles `to` of the entity's relationships of kind where the
// entity plays one of the roles `from`.
func (b Base) related(kind string, from []string, to ...string) []Entity {
	var out []*index.Entity
	for _, r := range b.V.Relations(b.E, kind) {
		if !r.HasParticipant(b.E, from...) {
			continue
		}
		for _, p := range r.Participants {
			if p.Entity != b.E && contains(to, p.Role) {
				out = append(out, p.Entity)
			}
		}
	}
	return Entities(b.V, out)
}

func (b Base) stakes(role string) []*Stake {
	var out []*Stake
	for _, r := range b.V.Relations(b.E, kg.Stake) {
		if r.HasParticipant(b.E, role) {
			out = append(out, &Stake{RelBase{b.V, r}})
		}
	}
	return out
}

// Parent returns the parent a subsidiary fact names.
func (b Base) Parent() Entity {
	if ps := b.related(kg.Subsidiary, []string{"subsidiary"}, "parent"); len(ps) > 0 {
		return ps[0]
	}
	return nil
}

// Subsidiaries returns subsidiaries, branches, divisions and arms.
func (b Base) Subsidiaries() []Entity {
	return b.related(kg.Subsidiary, []string{"parent"}, "subsidiary")
}

// Partners returns the organisations linked by partnership or joint-venture co-ownership,
// optionally only those in the country.
func (b Base) Partners(country *string) ([]Entity, error) {
	var c *index.Entity
	if country != nil {
		var err error
		if c, err = b.V.Lookup(*country); err != nil {
			return nil, err
		}
	}
	return Entities(b.V, b.V.Partners(b.E, c)), nil
}

// Suppliers returns those that supply the entity.
func (b Base) Suppliers() []Entity { return b.related(kg.Supply, []string{"customer"}, "supplier") }

// Customers returns those the entity supplies or serves.
func (b Base) Customers() []Entity {
	out := b.related(kg.Supply, []string{"supplier"}, "customer")
	return appendEntities(out, b.related(kg.Customer, []string{"provider"}, "customer"))
}

// Cables returns the cables and routes the entity builds, funds or operates.
func (b Base) Cables() []*Cable {
	var out []*Cable
	seen := map[*index.Entity]bool{}
	for _, r := range b.V.Relations(b.E, kg.Build, kg.Funding, kg.Operates, kg.Owns) {
		if !r.HasParticipant(b.E, "builder", "client", "funder", "operator", "owner") {
			continue
		}
		for _, p := range r.Participants {
			if (p.Entity.Kind == "Cable" || p.Entity.Kind == "TerrestrialRoute") && !seen[p.Entity] {
				seen[p.Entity] = true
				out = append(out, &Cable{Base{b.V, p.Entity}})
			}
		}
	}
	return out
}

// Company covers the kinds Company and Division.
type Company struct{ Base }

// Stakes returns the company's stakes in others.
func (c *Company) Stakes() []*Stake { return c.stakes("owner") }

// Owners returns the stakes others hold in the company.
func (c *Company) Owners() []*Stake { return c.stakes("company") }

// JointVentures returns the joint ventures the company holds a stake in.
func (c *Company) JointVentures() []Entity {
	var out []*index.Entity
	for _, s := range c.stakes("owner") {
		for _, e := range s.R.Role("company") {
			if e.Kind == "JointVenture" {
				out = append(out, e)
			}
		}
	}
	return Entities(c.V, out)
}

// DataCenters returns the data centres the company operates.
func (c *Company) DataCenters() []*DataCenter {
	var out []*DataCenter
	for _, e := range c.related(kg.Operates, []string{"operator"}, "asset") {
		if d, ok := e.(*DataCenter); ok {
			out = append(out, d)
		}
	}
	return out
}

// JointVenture is a company owned by two or more others.
type JointVenture struct{ Base }

// Owners returns the owners' stakes.
func (j *JointVenture) Owners() []*Stake { return j.stakes("company") }

// Organization covers government bodies, industry groups and research institutes.
type Organization struct{ Base }

// Members returns the members of the group.
func (o *Organization) Members() []Entity { return o.related(kg.Member, []string{"group"}, "member") }

// Person is a person.
type Person struct{ Base }

// Organizations returns the organisations the person holds a position in.
func (p *Person) Organizations() []Entity {
	return p.related(kg.PersonRole, []string{"person"}, "organization")
}

// Cable covers subsea cables and terrestrial routes.
type Cable struct{ Base }

func (c *Cable) Builders() []Entity { return c.related(kg.Build, []string{"asset"}, "builder") }
func (c *Cable) Clients() []Entity  { return c.related(kg.Build, []string{"asset"}, "client") }
func (c *Cable) Funders() []Entity  { return c.related(kg.Funding, []string{"asset"}, "funder") }
func (c *Cable) Operators() []Entity {
	return appendEntities(c.related(kg.Operates, []string{"asset"}, "operator"), c.related(kg.Owns, []string{"product"}, "owner"))
}
func (c *Cable) Length() *string     { return c.attr("length") }
func (c *Cable) Capacity() *string   { return c.attr("capacity") }
func (c *Cable) FibrePairs() *string { return c.attr("fibre_pairs") }
func (c *Cable) Status() *string     { return c.attr("status") }

// Landings returns the cable's landing facts.
func (c *Cable) Landings() []*Landing {
	var out []*Landing
	for _, r := range c.V.Relations(c.E, kg.Landing) {
		if r.HasParticipant(c.E, "cable") {
			out = append(out, &Landing{RelBase{c.V, r}})
		}
	}
	return out
}

// LandingCountries returns every country the cable lands in or links.
func (c *Cable) LandingCountries() []*Country {
	var out []*Country
	seen := map[*index.Entity]bool{}
	for _, l := range c.Landings() {
		for _, p := range l.R.Role("place") {
			for _, country := range c.V.Countries(p) {
				if !seen[country] {
					seen[country] = true
					out = append(out, &Country{Base{c.V, country}})
				}
			}
		}
	}
	return out
}

// DataCenter is a data centre.
type DataCenter struct{ Base }

// Operator returns who operates the data centre.
func (d *DataCenter) Operator() Entity {
	if ops := d.related(kg.Operates, []string{"asset"}, "operator"); len(ops) > 0 {
		return ops[0]
	}
	return nil
}

func (d *DataCenter) Status() *string { return d.attr("status") }

// Thing covers gateways, exchanges, networks, programmes, products and publications.
type Thing struct{ Base }

// Owners returns owners and operators.
func (t *Thing) Owners() []Entity {
	return appendEntities(t.related(kg.Owns, []string{"product"}, "owner"), t.related(kg.Operates, []string{"asset"}, "operator"))
}

func (t *Thing) Status() *string { return t.attr("status") }

// Country is a country.
type Country struct{ Base }

// City is a city.
type City struct{ Base }

// Place covers provinces and regions.
type Place struct{ Base }

// Entities returns the entities located in the place, directly or through places inside it.
func (b Base) Entities(kinds []string) []Entity {
	var out []*index.Entity
	for _, e := range b.V.LocatedIn(b.E) {
		if len(kinds) == 0 || contains(kinds, e.Kind) {
			out = append(out, e)
		}
	}
	return Entities(b.V, out)
}

func appendEntities(a, b []Entity) []Entity {
	seen := map[*index.Entity]bool{}
	for _, e := range a {
		seen[e.Ref()] = true
	}
	for _, e := range b {
		if !seen[e.Ref()] {
			seen[e.Ref()] = true
			a = append(a, e)
		}
	}
	return a
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
