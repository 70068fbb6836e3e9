// Package places places the cities and provinces of the articles in countries, from GeoNames.
//
// The articles often name a city or a province without saying which country it is in ("Washington
// DC", "Henan province"). ReadGazetteer reads data/reference/geonames.tsv, an extract of GeoNames
// that cmd/kgplaces/geonames/extract.mjs makes from npm packages, and Resolve matches the
// articles' unplaced places against it. The links it finds are written as part_of relationships
// labelled kg:reference/geonames (see Write), which the store loads like any N-Quads file: every
// one of them says it is reference data, has no article and no quote, and the country filters
// walk it as they walk the articles' own part_of facts.
//
// Resolve never guesses beyond the gazetteer: a name it does not hold, a name it gives to places
// of several countries none of which clearly dominates, or a country no article declares, leaves
// the place unplaced, with the reason in Result.Unresolved.
package places

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// City is a populated place of the gazetteer.
type City struct {
	ID, Name, Country, Admin1 string // Admin1 is the code within the country ("09")
	Population                int
	Feature                   string // GeoNames feature code: PPLC a capital, PPLA a first-level seat, ...
}

// Division is a first-level administrative division: a province, a state.
type Division struct {
	Code, Name, Country string // Code is "CC.XX" ("CN.09")
}

// Country is a country of the gazetteer.
type Country struct {
	Code, Name string
	Aliases    []string
}

// Gazetteer is the GeoNames extract, indexed by folded name.
type Gazetteer struct {
	Header    []string            // the extract's comment lines: sources, versions, licenses
	countries map[string]*Country // by code
	names     map[string]*Country // by folded name, then folded alias
	cities    map[string][]*City
	divisions map[string][]*Division
	byCode    map[string]*Division // by "CC.XX"
}

// ReadGazetteer reads the extract's tab-separated rows (see extract.mjs). A row it cannot read is
// an error naming its line.
func ReadGazetteer(r io.Reader) (*Gazetteer, error) {
	g := &Gazetteer{countries: map[string]*Country{}, names: map[string]*Country{}, cities: map[string][]*City{},
		divisions: map[string][]*Division{}, byCode: map[string]*Division{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			g.Header = append(g.Header, strings.TrimSpace(strings.TrimPrefix(line, "#")))
			continue
		}
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		switch {
		case f[0] == "country" && len(f) == 4:
			c := &Country{Code: f[1], Name: f[2]}
			if f[3] != "" {
				c.Aliases = strings.Split(f[3], ",")
			}
			g.countries[c.Code] = c
		case f[0] == "admin1" && len(f) == 4:
			d := &Division{Code: f[1], Name: f[2], Country: f[3]}
			g.byCode[d.Code] = d
			g.divisions[Fold(d.Name)] = append(g.divisions[Fold(d.Name)], d)
		case f[0] == "city" && len(f) == 7:
			pop, err := strconv.Atoi(f[5])
			if err != nil {
				return nil, fmt.Errorf("gazetteer line %d: population %q: %w", n, f[5], err)
			}
			c := &City{ID: f[1], Name: f[2], Country: f[3], Admin1: f[4], Population: pop, Feature: f[6]}
			g.cities[Fold(c.Name)] = append(g.cities[Fold(c.Name)], c)
		default:
			return nil, fmt.Errorf("gazetteer line %d: want a country, admin1 or city row, got %q", n, line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read gazetteer: %w", err)
	}
	codes := make([]string, 0, len(g.countries))
	for c := range g.countries {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, code := range codes { // names first: an alias never shadows another country's name
		if k := Fold(g.countries[code].Name); g.names[k] == nil {
			g.names[k] = g.countries[code]
		}
	}
	for _, code := range codes {
		for _, a := range g.countries[code].Aliases {
			if k := Fold(a); g.names[k] == nil {
				g.names[k] = g.countries[code]
			}
		}
	}
	return g, nil
}

// Fold reduces a place name to what two spellings of it share: accents dropped, lower case,
// full stops dropped and other punctuation made a space, so that "Washington, D.C." and
// "Washington DC", or "Zürich" and "Zurich", fold alike.
func Fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r), r == '.':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteRune(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// Dominance is how many times more people the most populous place of a name must have than any
// place of the same name in another country for the name to count as that place: London is
// London, England (7.6 million against London, Ontario's 0.35 million), while San Mateo, of which
// the Philippines and California have one each of similar size, stays unplaced.
const Dominance = 2

// city returns the city a name stands for, or a reason why none.
func (g *Gazetteer) city(names []string) (*City, string) {
	var cands []*City
	seen := map[*City]bool{}
	for _, n := range names {
		for _, c := range g.cities[Fold(n)] {
			if !seen[c] {
				seen[c] = true
				cands = append(cands, c)
			}
		}
	}
	if len(cands) == 0 {
		return nil, "GeoNames has no city of that name"
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].Population != cands[j].Population {
			return cands[i].Population > cands[j].Population
		}
		return cands[i].ID < cands[j].ID
	})
	top := cands[0]
	for _, c := range cands[1:] {
		if c.Country != top.Country && c.Population*Dominance > top.Population {
			return nil, fmt.Sprintf("GeoNames gives the name to places in %s (%d people) and %s (%d people)",
				top.Country, top.Population, c.Country, c.Population)
		}
	}
	return top, ""
}

// division returns the first-level division a name stands for, or a reason why none.
func (g *Gazetteer) division(names []string) (*Division, string) {
	var cands []*Division
	seen := map[*Division]bool{}
	for _, n := range names {
		for _, d := range g.divisions[Fold(n)] {
			if !seen[d] {
				seen[d] = true
				cands = append(cands, d)
			}
		}
	}
	switch len(cands) {
	case 0:
		return nil, "GeoNames has no first-level division of that name"
	case 1:
		return cands[0], ""
	}
	var codes []string
	for _, d := range cands {
		codes = append(codes, d.Code)
	}
	sort.Strings(codes)
	return nil, "GeoNames gives the name to several divisions: " + strings.Join(codes, ", ")
}

// country returns the gazetteer's country a name stands for, or nil.
func (g *Gazetteer) country(names []string) *Country {
	for _, n := range names {
		if c := g.names[Fold(n)]; c != nil {
			return c
		}
	}
	return nil
}
