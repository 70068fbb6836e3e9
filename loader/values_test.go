package loader

import (
	"fmt"
	"strings"
	"testing"
)

func TestParseNumber(t *testing.T) {
	for _, tc := range []struct {
		text string
		want Number
		ok   bool
	}{
		{"50% plus one share", Number{50, "%"}, true},
		{"1.19%", Number{1.19, "%"}, true},
		{"lost 0.5 points from 15.4%", Number{0.5, "points"}, true},
		{"around 6,000 km", Number{6000, "km"}, true},
		{"32 Tbit/s (design capacity)", Number{32, "Tbit/s"}, true},
		{"NT$4.4 billion ($147 million)", Number{4.4e9, "TWD"}, true},
		{"$1 trillion", Number{1e12, "USD"}, true},
		{"RMB 12.8 trillion ($1.741 trillion)", Number{12.8e12, "CNY"}, true},
		{"60 million", Number{60e6, ""}, true},
		{"179 data centres in 44 markets worldwide", Number{179, ""}, true},
		{"the remainder", Number{}, false},
		{"majority", Number{}, false},
	} {
		got, ok := ParseNumber(tc.text)
		if ok != tc.ok || got.Unit != tc.want.Unit || (got.Value-tc.want.Value) > 1e-6*tc.want.Value+1e-9 || (tc.want.Value-got.Value) > 1e-6*tc.want.Value+1e-9 {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v, %v", tc.text, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		text       string
		start, end string
		ok         bool
	}{
		{"2017-05-17", "2017-05-17", "2017-05-17", true},
		{"2015-11", "2015-11-01", "2015-11-30", true},
		{"2016", "2016-01-01", "2016-12-31", true},
		{"March 2017", "2017-03-01", "2017-03-31", true},
		{"early April 2017", "2017-04-01", "2017-04-30", true},
		{"fiscal quarter ended March 31, 2017", "2017-03-31", "2017-03-31", true},
		{"Q4 2016", "2016-10-01", "2016-12-31", true},
		{"2016 H1/H2", "2016-01-01", "2016-12-31", true},
		{"February 2016", "2016-02-01", "2016-02-29", true},
		{"May 2nd", "", "", false},
		{"next year", "", "", false},
	} {
		got, ok := ParseDate(tc.text)
		if ok != tc.ok || (ok && (got.Start() != tc.start || got.End() != tc.end)) {
			t.Errorf("ParseDate(%q) = %+v (%s to %s), %v; want %s to %s, %v", tc.text, got, got.Start(), got.End(), ok, tc.start, tc.end, tc.ok)
		}
	}
}

func TestParseStatus(t *testing.T) {
	for text, want := range map[string]string{
		"planned": "planned", "planned (to be built in 2019)": "planned", "due to be added shortly": "planned",
		"expected to open during the current fiscal year, ending March 2018": "planned",
		"announced (would invest)": "announced",
		"signed; closing expected July 2017, subject to customary administrative, legal, regulatory and other conditions": "agreed",
		"agreement signed (reported November 2016)": "agreed",
		"bid won": "agreed", "marine installation started (2015)": "in progress", "launching": "in progress",
		"operating since August 2015": "operating", "deployed": "operating", "newly launched": "operating", "Live": "operating",
		"deployment completed; partners plan to continue": "completed",
		"previously offered":                              "ended", "previous awards": "ended",
		"seeking sale (sounding out potential bidders)": "", "extended": "", "on completion of the agreement (closing expected July 2017)": "",
		"plannedness": "",
	} {
		got, ok := ParseStatus(text)
		if got != want || ok != (want != "") {
			t.Errorf("ParseStatus(%q) = %q, %v; want %q", text, got, ok, want)
		}
	}
}

func TestUntyped(t *testing.T) {
	src := "article a\n  title: A\n  date: 2017-01-01\n\nentity x Company\n  name: X\n  status: operating\n  length: several hundred km\n  quote: q\n\nentity y Company\n  name: Y\n  quote: q\n\n" +
		"rel stake s\n  owner: x\n  company: y\n  share: the remainder\n  status: seeking sale\n  amount: $5 million\n  quote: q\n"
	d, err := Parse("a.kg", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range Untyped(d) {
		got = append(got, fmt.Sprintf("%s:%d %s %s=%q %s", u.File, u.Line, u.Subject, u.Key, u.Value, u.Want))
	}
	want := []string{`a.kg:5 x length="several hundred km" number`, `a.kg:15 s share="the remainder" number`, `a.kg:15 s status="seeking sale" status`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
