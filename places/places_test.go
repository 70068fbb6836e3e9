package places

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kgraph/telegraph/loader"
)

const gazetteer = `# test extract
country	CN	China	
country	GB	United Kingdom	UK,Britain
country	CA	Canada	
country	US	United States	US,USA
country	PH	Philippines	
country	HK	Hong Kong	
admin1	CN.09	Henan	CN
admin1	CN.02	Zhejiang	CN
admin1	US.DC	Washington, D.C.	US
city	1	London	GB	ENG	7556900	PPLC
city	2	London	CA	08	346765	PPL
city	3	San Mateo	PH	40	134327	PPLA3
city	4	San Mateo	US	CA	103536	PPL
city	5	Zhengzhou	CN	09	4253913	PPLA
city	6	Jiaxing	CN	02	466101	PPLA2
city	7	Washington, D.C.	US	DC	601723	PPLC
city	8	Hong Kong	HK	HCW	7012738	PPLC
city	9	Zürich	CH	ZH	341730	PPLA
`

func doc(t *testing.T, body string) *loader.Document {
	t.Helper()
	src := "article a\n  title: t\n  date: 2017-01-01\n\n" + body
	d, err := loader.Parse("a.kg", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func place(id, kind, name string) string {
	return "entity " + id + " " + kind + "\n  name: " + name + "\n  quote: q\n\n"
}

func TestResolve(t *testing.T) {
	g, err := ReadGazetteer(strings.NewReader(gazetteer))
	if err != nil {
		t.Fatal(err)
	}
	countries := place("china", "Country", "China") + place("uk", "Country", "UK") + place("us", "Country", "United States")
	for _, tc := range []struct {
		name, body string
		links      []string // part whole kind
		unresolved []string // entity id: reason fragment
	}{
		{"a dominant namesake", countries + place("london", "City", "London"),
			[]string{"london uk city in country"}, nil},
		{"punctuation and accents fold", countries + place("dc", "City", "Washington DC"),
			[]string{"dc us city in country"}, nil},
		{"namesakes of similar size stay unplaced", countries + place("sm", "City", "San Mateo"),
			nil, []string{"sm: places in PH (134327 people) and US (103536 people)"}},
		{"a country no article declares", countries + place("hk", "City", "Hong Kong") + place("zurich", "City", "Zurich"),
			nil, []string{"hk: in HK (Hong Kong), which no article declares", "zurich: in CH (CH), which no article declares"}},
		{"a city in an article's province is placed through the province", countries + place("zz", "City", "Zhengzhou") + place("henan", "Province", "Henan") +
			"rel part_of zz-henan\n  part: zz\n  whole: henan\n  quote: q\n\n",
			[]string{"henan china province in country"}, nil},
		{"a city in the gazetteer's division goes in the province entity", countries + place("jx", "City", "Jiaxing") + place("zj", "Province", "Zhejiang"),
			[]string{"zj china province in country", "jx zj city in province"}, nil},
		{"a place an article places is left alone", countries + place("london", "City", "London") +
			"rel part_of london-ca\n  part: london\n  whole: us\n  quote: q\n\n", nil, nil},
		{"an unknown name", countries + place("ny", "City", "New York"), nil, []string{"ny: GeoNames has no city of that name"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := Resolve(g, []*loader.Document{doc(t, tc.body)})
			var got []string
			for _, l := range res.Links {
				got = append(got, l.Part+" "+l.Whole+" "+l.Kind)
			}
			want := tc.links
			if strings.Join(got, "; ") != strings.Join(want, "; ") {
				t.Errorf("links: got %q, want %q", got, want)
			}
			if len(res.Unresolved) != len(tc.unresolved) {
				t.Fatalf("unresolved: got %+v, want %q", res.Unresolved, tc.unresolved)
			}
			for i, u := range res.Unresolved {
				id, frag, _ := strings.Cut(tc.unresolved[i], ": ")
				if u.Entity != id || !strings.Contains(u.Reason, frag) {
					t.Errorf("unresolved %d: got %s: %s, want %s: …%s…", i, u.Entity, u.Reason, id, frag)
				}
			}
		})
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{"Washington, D.C.": "washington dc", "Zürich": "zurich", "São  Paulo": "sao paulo", "Xi'an": "xi an"} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPlacesFileIsCurrent fails when data/reference/places.nq is not what the articles and the
// gazetteer give, as after adding a city to an article without running go run ./cmd/kgplaces.
func TestPlacesFileIsCurrent(t *testing.T) {
	dir := filepath.Join("..", "data")
	want, _, err := Generate(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, OutputFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date: run go run ./cmd/kgplaces and commit it", OutputFile)
	}
}
