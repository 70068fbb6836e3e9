// Package kg holds the domain of the knowledge graph: its vocabulary of entity and relationship
// kinds, the IRIs and predicates facts are stored under, and the domain errors shared by the
// packages that load, store and serve the graph.
package kg

import "sort"

// Position says how a role is drawn: a relationship becomes edges from every Source to every
// Target, between every two Party participants, and from every Party to every Target.
type Position int

// Positions of a role in a relationship.
const (
	Source Position = iota
	Target
	Party
)

// Role is one kind of participant in a relationship kind.
type Role struct {
	Name     string
	Position Position
	Min      int // fewest participants in this role
	Max      int // most participants in this role; 0 means no limit
}

// RelationKind describes one kind of relationship: its roles and the attributes it may carry.
type RelationKind struct {
	Name        string
	Roles       []Role
	Attributes  []string
	Required    []string // attributes that must be present
	Description string
}

// Role returns the role called name, or false.
func (k RelationKind) Role(name string) (Role, bool) {
	for _, r := range k.Roles {
		if r.Name == name {
			return r, true
		}
	}
	return Role{}, false
}

// HasAttribute reports whether the kind allows the attribute key.
func (k RelationKind) HasAttribute(key string) bool {
	for _, a := range k.Attributes {
		if a == key {
			return true
		}
	}
	return false
}

func src(name string, min, max int) Role   { return Role{name, Source, min, max} }
func tgt(name string, min, max int) Role   { return Role{name, Target, min, max} }
func party(name string, min, max int) Role { return Role{name, Party, min, max} }

// Relationship kind names used by the API's typed fields.
const (
	Partnership = "partnership"
	Stake       = "stake"
	Subsidiary  = "subsidiary"
	Supply      = "supply"
	Customer    = "customer"
	Acquisition = "acquisition"
	Build       = "build"
	Funding     = "funding"
	Landing     = "landing"
	Operates    = "operates"
	LocatedIn   = "located_in"
	PartOf      = "part_of"
	Owns        = "owns"
	Member      = "member"
	Participate = "participates"
	PersonRole  = "position"
	Competitor  = "competitor"
	Ranking     = "ranking"
	Metric      = "metric"
	Access      = "access"
	Uses        = "uses"
	Related     = "related"
)

var relationKinds = []RelationKind{
	{Name: Partnership, Roles: []Role{party("party", 2, 0), tgt("about", 0, 0)},
		Attributes:  []string{"kind", "scope", "date", "status"},
		Description: "partnership, collaboration, MoU, strategic or framework agreement, joint trial"},
	{Name: Stake, Roles: []Role{src("owner", 1, 0), tgt("company", 1, 1)},
		Attributes:  []string{"share", "shares", "amount", "kind", "date", "status"},
		Description: "an owner's stake or investment in a company"},
	{Name: Subsidiary, Roles: []Role{src("parent", 1, 1), tgt("subsidiary", 1, 0)},
		Attributes:  []string{"kind", "date"},
		Description: "parent to subsidiary, branch, division, arm or venture"},
	{Name: Supply, Roles: []Role{src("supplier", 1, 0), tgt("customer", 1, 0), tgt("object", 0, 0)},
		Attributes:  []string{"item", "share", "value", "date", "status", "project"},
		Description: "a supply contract or award"},
	{Name: Customer, Roles: []Role{src("provider", 1, 0), tgt("customer", 1, 0), tgt("service", 0, 0)},
		Attributes:  []string{"service", "location", "date", "status"},
		Description: "a customer of a service"},
	{Name: Acquisition, Roles: []Role{src("acquirer", 1, 0), tgt("target", 1, 1), src("seller", 0, 0)},
		Attributes:  []string{"value", "share", "date", "status"},
		Description: "an acquisition or merger"},
	{Name: Build, Roles: []Role{src("builder", 1, 0), tgt("asset", 1, 1), src("client", 0, 0)},
		Attributes:  []string{"kind", "date", "status"},
		Description: "who builds or installs an asset, and for whom"},
	{Name: Funding, Roles: []Role{src("funder", 1, 0), tgt("asset", 1, 1)},
		Attributes:  []string{"amount", "share", "date"},
		Description: "who funds an asset"},
	{Name: Landing, Roles: []Role{src("cable", 1, 1), tgt("place", 1, 0)},
		Attributes:  []string{"point", "kind", "date"},
		Description: "a cable or route landing in, linking or passing through a place"},
	{Name: Operates, Roles: []Role{src("operator", 1, 0), tgt("asset", 1, 0)},
		Attributes:  []string{"status", "date"},
		Description: "who operates a data centre, network, exchange or route"},
	{Name: LocatedIn, Roles: []Role{src("entity", 1, 0), tgt("place", 1, 1)},
		Attributes:  []string{"kind", "status", "date"},
		Description: "where an entity is based, headquartered or located"},
	{Name: PartOf, Roles: []Role{src("part", 1, 0), tgt("whole", 1, 1)},
		Attributes:  []string{"kind"},
		Description: "a part within a larger whole"},
	{Name: Owns, Roles: []Role{src("owner", 1, 0), tgt("product", 1, 0)},
		Attributes:  []string{"kind", "date", "status"},
		Description: "who owns, develops or launched a product, platform or brand"},
	{Name: Member, Roles: []Role{src("member", 1, 0), tgt("group", 1, 1)},
		Attributes:  []string{"role", "date"},
		Description: "membership of a group or alliance"},
	{Name: Participate, Roles: []Role{src("participant", 1, 0), tgt("program", 1, 1)},
		Attributes:  []string{"role", "date", "status"},
		Description: "taking part in, leading or organising a programme"},
	{Name: PersonRole, Roles: []Role{src("person", 1, 1), tgt("organization", 1, 1)},
		Attributes:  []string{"title", "date"},
		Description: "a person's role in an organisation"},
	{Name: Competitor, Roles: []Role{party("party", 2, 0)},
		Attributes:  []string{"scope"},
		Description: "competitors or rivals, where the text says so"},
	{Name: Ranking, Roles: []Role{src("subject", 1, 1), tgt("publisher", 0, 0)},
		Attributes:  []string{"market", "rank", "share", "value", "period", "change"},
		Description: "a place in a market ranking or share table"},
	{Name: Metric, Roles: []Role{src("subject", 1, 1), tgt("publisher", 0, 0)},
		Attributes:  []string{"metric", "value", "period", "change"},
		Description: "a figure about an entity"},
	{Name: Access, Roles: []Role{src("provider", 1, 0), tgt("cloud", 1, 0), tgt("via", 0, 0), src("site", 0, 0)},
		Attributes:  []string{"status", "date"},
		Description: "access to a cloud through an exchange at a site"},
	{Name: Uses, Roles: []Role{src("user", 1, 0), tgt("product", 1, 0)},
		Attributes:  []string{"purpose", "date", "status"},
		Description: "an entity using or deploying a product or technology"},
	{Name: Related, Roles: []Role{src("from", 1, 0), tgt("to", 1, 0)},
		Attributes: []string{"kind", "date"}, Required: []string{"kind"},
		Description: "any other stated relationship, named by its kind"},
}

var relationByName = func() map[string]RelationKind {
	m := make(map[string]RelationKind, len(relationKinds))
	for _, k := range relationKinds {
		m[k.Name] = k
	}
	return m
}()

// LookupRelation returns the relationship kind called name, or false.
func LookupRelation(name string) (RelationKind, bool) {
	k, ok := relationByName[name]
	return k, ok
}

// Entity kinds.
var entityKinds = []string{
	"Company", "JointVenture", "Division", "GovernmentBody", "IndustryGroup", "ResearchInstitute",
	"Person", "Cable", "TerrestrialRoute", "Gateway", "DataCenter", "Exchange", "Network", "Program",
	"Product", "Country", "Province", "City", "Region", "Publication",
}

// ArticleKind is the kind of article entities.
const ArticleKind = "Article"

// IsEntityKind reports whether kind is in the entity vocabulary.
func IsEntityKind(kind string) bool {
	for _, k := range entityKinds {
		if k == kind {
			return true
		}
	}
	return false
}

// EntityKinds returns the entity kinds in vocabulary order.
func EntityKinds() []string { return entityKinds }

// IsOrganization reports whether entities of kind can be partners, owners or suppliers.
func IsOrganization(kind string) bool {
	switch kind {
	case "Company", "JointVenture", "Division", "GovernmentBody", "IndustryGroup", "ResearchInstitute":
		return true
	}
	return false
}

// IsPlace reports whether entities of kind are places.
func IsPlace(kind string) bool {
	switch kind {
	case "Country", "Province", "City", "Region":
		return true
	}
	return false
}

// EntityAttributes are the literal attributes an entity block may carry besides its names.
var EntityAttributes = []string{"description", "status", "date", "length", "capacity", "fibre_pairs"}

// SortedRelationNames returns the relationship kind names sorted alphabetically.
func SortedRelationNames() []string {
	out := make([]string, 0, len(relationKinds))
	for _, k := range relationKinds {
		out = append(out, k.Name)
	}
	sort.Strings(out)
	return out
}
