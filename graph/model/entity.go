package model

import (
	"slices"
	"sort"

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
	seen := make(map[*index.Entity]struct{}, len(list))
	for _, e := range list {
		if _, dup := seen[e]; !dup && v.EntityVisible(e) {
			seen[e] = struct{}{}
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
func (b Base) Description() *string    { return ptr(b.E.Attrs.Get("description")) }
func (b Base) Notes() []string         { return nonNil(b.E.Notes) }
func (b Base) Degree() int             { return b.V.Degree(b.E) }
func (b Base) Evidence() []*Evidence   { return EvidenceOf(b.V, b.E.Evidence) }
func (b Base) Sources() []*Article     { return Articles(b.V, b.V.Sources(b.E.Sources)) }
func (b Base) attr(key string) *string { return ptr(b.E.Attrs.Get(key)) }

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

// Relationships returns the relationships the entity takes part in, of the kinds given under
// either name (all if none) and kept by the filter; a kind that is not one of the vocabulary is
// INVALID, as in a filter.
func (b Base) Relationships(relationKinds, kinds []string, filter *Filter) ([]Relationship, error) {
	kinds = RelationKinds(relationKinds, kinds)
	if err := CheckRelationKinds("relationKinds", kinds); err != nil {
		return nil, err
	}
	f, err := ToFilter(b.V, filter)
	if err != nil {
		return nil, err
	}
	return Relationships(b.V, b.relations(f, kinds...)), nil
}

// RelationshipsConnection pages the relationships the filter keeps, by kind then id.
func (b Base) RelationshipsConnection(filter *Filter, first *int, after *string) (*RelationshipConnection, error) {
	f, err := ToFilter(b.V, filter)
	if err != nil {
		return nil, err
	}
	list := b.relations(f)
	sort.SliceStable(list, func(i, j int) bool {
		if list[i].Kind != list[j].Kind {
			return list[i].Kind < list[j].Kind
		}
		return list[i].ID < list[j].ID
	})
	return RelationshipConnectionOf(b.V, list, first, after)
}

// DegreeByRelation counts the entity's relationships by kind.
func (b Base) DegreeByRelation() []*Count { return Counts(b.V.DegreeByRelation(b.E)) }

// relations returns the entity's relationships of the kinds (all if none) that f keeps, whose
// other participants f keeps (when f has entity conditions).
func (b Base) relations(f *index.Filter, kinds ...string) []*index.Relation {
	var out []*index.Relation
	for _, r := range b.V.Relations(b.E, kinds...) {
		if !b.V.KeepRelation(f, r) {
			continue
		}
		if f != nil && (len(f.EntityKinds) > 0 || f.Country != nil) {
			ok := false
			for _, p := range r.Participants {
				if p.Entity != b.E && b.V.KeepEntity(f, p.Entity) {
					ok = true
					break
				}
			}
			if !ok {
				continue
			}
		}
		out = append(out, r)
	}
	return out
}

// related returns the participants in roles `to` of the entity's relationships of kind where the
// entity plays one of the roles `from`, keeping the relationships and entities f keeps.
func (b Base) related(f *index.Filter, kind string, from []string, to ...string) []Entity {
	var out []*index.Entity
	for _, r := range b.V.Relations(b.E, kind) {
		if !r.HasParticipant(b.E, from...) || !b.V.KeepRelation(f, r) {
			continue
		}
		for _, p := range r.Participants {
			if p.Entity != b.E && slices.Contains(to, p.Role) && b.V.KeepEntity(f, p.Entity) {
				out = append(out, p.Entity)
			}
		}
	}
	return Entities(b.V, out)
}

// relatedF is related with a GraphQL filter.
func (b Base) relatedF(filter *Filter, kind string, from []string, to ...string) ([]Entity, error) {
	f, err := ToFilter(b.V, filter)
	if err != nil {
		return nil, err
	}
	return b.related(f, kind, from, to...), nil
}

func (b Base) stakes(filter *Filter, role string) ([]*Stake, error) {
	f, err := ToFilter(b.V, filter)
	if err != nil {
		return nil, err
	}
	var out []*Stake
	for _, r := range b.relations(f, kg.Stake) {
		if r.HasParticipant(b.E, role) {
			out = append(out, &Stake{RelBase{b.V, r}})
		}
	}
	return out, nil
}

// Parent returns the parent a subsidiary fact names.
func (b Base) Parent() Entity {
	if ps := b.related(nil, kg.Subsidiary, []string{"subsidiary"}, "parent"); len(ps) > 0 {
		return ps[0]
	}
	return nil
}

// Subsidiaries returns subsidiaries, branches, divisions and arms.
func (b Base) Subsidiaries(filter *Filter) ([]Entity, error) {
	return b.relatedF(filter, kg.Subsidiary, []string{"parent"}, "subsidiary")
}

// Partners returns the organisations linked by partnership or joint-venture co-ownership,
// optionally only those in the country, those of its subsidiaries too, and those the filter keeps.
func (b Base) Partners(country *string, includeSubsidiaries *bool, filter *Filter) ([]Entity, error) {
	f, err := ToFilter(b.V, filter)
	if err != nil {
		return nil, err
	}
	c, err := LookupCountry(b.V, country)
	if err != nil {
		return nil, err
	}
	var out []*index.Entity
	for _, l := range b.V.PartnerLinks(b.E, &index.Filter{Country: c}, includeSubsidiaries != nil && *includeSubsidiaries) {
		if b.V.KeepRelation(f, l.Relation) && b.V.KeepEntity(f, l.Partner) {
			out = append(out, l.Partner)
		}
	}
	return Entities(b.V, out), nil
}

// Suppliers returns those that supply the entity or serve it: the suppliers of its supply
// facts and the providers of its customer facts, the same facts Customers reads the other way.
func (b Base) Suppliers(filter *Filter) ([]Entity, error) {
	f, err := ToFilter(b.V, filter)
	if err != nil {
		return nil, err
	}
	out := b.related(f, kg.Supply, []string{"customer"}, "supplier")
	return appendEntities(out, b.related(f, kg.Customer, []string{"customer"}, "provider")), nil
}

// Customers returns those the entity supplies or serves.
func (b Base) Customers(filter *Filter) ([]Entity, error) {
	f, err := ToFilter(b.V, filter)
	if err != nil {
		return nil, err
	}
	out := b.related(f, kg.Supply, []string{"supplier"}, "customer")
	return appendEntities(out, b.related(f, kg.Customer, []string{"provider"}, "customer")), nil
}

// Cables returns the cables and routes the entity builds, funds, operates or owns, and those a
// partnership of its is about.
func (b Base) Cables(filter *Filter) ([]*Cable, error) {
	f, err := ToFilter(b.V, filter)
	if err != nil {
		return nil, err
	}
	var out []*Cable
	seen := map[*index.Entity]bool{}
	for _, r := range b.relations(f, kg.Build, kg.Funding, kg.Operates, kg.Owns, kg.Partnership) {
		if !r.HasParticipant(b.E, "builder", "client", "funder", "operator", "owner", "party") {
			continue
		}
		for _, p := range r.Participants {
			if (p.Entity.Kind == "Cable" || p.Entity.Kind == "TerrestrialRoute") && !seen[p.Entity] && b.V.KeepEntity(f, p.Entity) {
				seen[p.Entity] = true
				out = append(out, &Cable{Base{b.V, p.Entity}})
			}
		}
	}
	return out, nil
}

// Company covers the kinds Company and Division.
type Company struct{ Base }

// Stakes returns the company's stakes in others.
func (c *Company) Stakes(filter *Filter) ([]*Stake, error) { return c.stakes(filter, "owner") }

// Owners returns the stakes others hold in the company.
func (c *Company) Owners(filter *Filter) ([]*Stake, error) { return c.stakes(filter, "company") }

// JointVentures returns the joint ventures the company holds a stake in.
func (c *Company) JointVentures(filter *Filter) ([]Entity, error) {
	f, err := ToFilter(c.V, filter)
	if err != nil {
		return nil, err
	}
	var out []Entity
	for _, e := range c.related(f, kg.Stake, []string{"owner"}, "company") {
		if e.Ref().Kind == "JointVenture" {
			out = append(out, e)
		}
	}
	return out, nil
}

// DataCenters returns the data centres the company operates or uses: those it operates, those
// it is a customer of (colocation, hosting) and those it uses.
func (c *Company) DataCenters(filter *Filter) ([]*DataCenter, error) {
	f, err := ToFilter(c.V, filter)
	if err != nil {
		return nil, err
	}
	all := c.related(f, kg.Operates, []string{"operator"}, "asset")
	all = appendEntities(all, c.related(f, kg.Customer, []string{"customer"}, "service"))
	all = appendEntities(all, c.related(f, kg.Uses, []string{"user"}, "product"))
	var out []*DataCenter
	for _, e := range all {
		if d, ok := e.(*DataCenter); ok {
			out = append(out, d)
		}
	}
	return out, nil
}

// JointVenture is a company owned by two or more others.
type JointVenture struct{ Base }

// Owners returns the owners' stakes.
func (j *JointVenture) Owners(filter *Filter) ([]*Stake, error) { return j.stakes(filter, "company") }

// Organization covers government bodies, industry groups and research institutes.
type Organization struct{ Base }

// Members returns the members of the group.
func (o *Organization) Members(filter *Filter) ([]Entity, error) {
	return o.relatedF(filter, kg.Member, []string{"group"}, "member")
}

// Person is a person.
type Person struct{ Base }

// Organizations returns the organisations the person holds a position in.
func (p *Person) Organizations(filter *Filter) ([]Entity, error) {
	return p.relatedF(filter, kg.PersonRole, []string{"person"}, "organization")
}

// Cable covers subsea cables and terrestrial routes.
type Cable struct{ Base }

func (c *Cable) Builders(filter *Filter) ([]Entity, error) {
	return c.relatedF(filter, kg.Build, []string{"asset"}, "builder")
}
func (c *Cable) Clients(filter *Filter) ([]Entity, error) {
	return c.relatedF(filter, kg.Build, []string{"asset"}, "client")
}
func (c *Cable) Funders(filter *Filter) ([]Entity, error) {
	return c.relatedF(filter, kg.Funding, []string{"asset"}, "funder")
}
func (c *Cable) Operators(filter *Filter) ([]Entity, error) {
	f, err := ToFilter(c.V, filter)
	if err != nil {
		return nil, err
	}
	return appendEntities(c.related(f, kg.Operates, []string{"asset"}, "operator"), c.related(f, kg.Owns, []string{"product"}, "owner")), nil
}
func (c *Cable) Length() *string     { return c.attr("length") }
func (c *Cable) Capacity() *string   { return c.attr("capacity") }
func (c *Cable) FibrePairs() *string { return c.attr("fibre_pairs") }
func (c *Cable) Status() *string     { return c.attr("status") }

// Landings returns the cable's landing facts.
func (c *Cable) Landings(filter *Filter) ([]*Landing, error) {
	f, err := ToFilter(c.V, filter)
	if err != nil {
		return nil, err
	}
	var out []*Landing
	for _, r := range c.relations(f, kg.Landing) {
		if r.HasParticipant(c.E, "cable") {
			out = append(out, &Landing{RelBase{c.V, r}})
		}
	}
	return out, nil
}

// LandingCountries returns every country the cable lands in or links.
func (c *Cable) LandingCountries(filter *Filter) ([]*Country, error) {
	ls, err := c.Landings(filter)
	if err != nil {
		return nil, err
	}
	var out []*Country
	seen := map[*index.Entity]bool{}
	for _, l := range ls {
		for _, p := range l.R.Role("place") {
			for _, country := range c.V.Countries(p) {
				if !seen[country] {
					seen[country] = true
					out = append(out, &Country{Base{c.V, country}})
				}
			}
		}
	}
	return out, nil
}

// DataCenter is a data centre.
type DataCenter struct{ Base }

// Operator returns who operates the data centre.
func (d *DataCenter) Operator() Entity {
	if ops := d.related(nil, kg.Operates, []string{"asset"}, "operator"); len(ops) > 0 {
		return ops[0]
	}
	return nil
}

func (d *DataCenter) Status() *string { return d.attr("status") }

// Thing covers gateways, exchanges, networks, programmes, products and publications.
type Thing struct{ Base }

// Owners returns owners and operators.
func (t *Thing) Owners(filter *Filter) ([]Entity, error) {
	f, err := ToFilter(t.V, filter)
	if err != nil {
		return nil, err
	}
	return appendEntities(t.related(f, kg.Owns, []string{"product"}, "owner"), t.related(f, kg.Operates, []string{"asset"}, "operator")), nil
}

func (t *Thing) Status() *string { return t.attr("status") }

// Country is a country.
type Country struct{ Base }

// City is a city.
type City struct{ Base }

// Place covers provinces and regions.
type Place struct{ Base }

// Entities returns the entities located in the place, directly or through places inside it.
func (b Base) Entities(kinds []string, filter *Filter) ([]Entity, error) {
	if _, err := ToFilter(b.V, &Filter{EntityKinds: kinds}); err != nil {
		return nil, err
	}
	f, err := ToFilter(b.V, filter)
	if err != nil {
		return nil, err
	}
	var out []*index.Entity
	for _, e := range b.V.LocatedIn(b.E) {
		if (len(kinds) == 0 || slices.Contains(kinds, e.Kind)) && b.V.KeepEntity(f, e) {
			out = append(out, e)
		}
	}
	return Entities(b.V, out), nil
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
