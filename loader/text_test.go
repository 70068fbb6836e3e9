package loader

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kgraph/telegraph/kg"
)

// withText is an article file whose article block ends with a text block.
func withText(text string, rest string) string {
	return "article a1\n  title: T\n  date: 2017-01-02\n  text:\n" + text + rest
}

const telia = "    Telia has chosen Ericsson for its 5G core.\n\n    The deal covers “Sweden” and\n      Finland.\n"

func TestParseText(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"paragraphs and deeper lines kept, common indent dropped", withText(telia, ""),
			"Telia has chosen Ericsson for its 5G core.\n\nThe deal covers “Sweden” and\n  Finland."},
		{"ends at the next key", withText("    one\n    two\n", "  url: https://example.com/\n"), "one\ntwo"},
		{"ends at the next block", withText("    one\n", "entity x Company\n  name: X\n  quote: one\n"), "one"},
		{"comment signs and colons are text", withText("    # not a comment\n    key: not a key\n", ""), "# not a comment\nkey: not a key"},
		{"blank lines at either end dropped", withText("\n\n    one\n\n\n", ""), "one"},
		{"tabs", withText("\t\t\tone\n\t\t\t\ttwo\n", ""), "one\n\ttwo"},
		{"trailing spaces and CRLF dropped", withText("    one  \r\n    two\r\n", ""), "one\ntwo"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := Parse("f.kg", []byte(tc.src))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := doc.Article.Text; got != tc.want {
				t.Errorf("text = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseTextQuads(t *testing.T) {
	doc, err := Parse("f.kg", []byte(withText(telia, "")))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range doc.Quads() {
		if q.Predicate.String() == "<"+kg.PredText+">" {
			if q.Label != doc.Label() {
				t.Errorf("text quad labelled %v, want %v", q.Label, doc.Label())
			}
			return
		}
	}
	t.Errorf("no %s quad among %v", kg.PredText, doc.Quads())
}

func TestParseTextChecksQuotes(t *testing.T) {
	ents := "entity telia Company\n  name: Telia\n  quote: Telia has chosen Ericsson\n" +
		"entity ericsson Company\n  name: Ericsson\n  quote: Ericsson\n"
	rel := func(quote string) string {
		return "rel partnership deal\n  party: telia, ericsson\n  quote: " + quote + "\n"
	}
	for _, tc := range []struct {
		name, src string
		want      string // a problem to report, or "" for none
		nearest   string
	}{
		{"verbatim", withText(telia, ents+rel("Telia has chosen Ericsson for its 5G core")), "", ""},
		{"across a line break and typographic quotes", withText(telia, ents+rel(`covers "Sweden" and Finland`)), "", ""},
		{"curly apostrophe against a straight one", withText("    Telia's core\n", "entity telia Company\n  name: Telia\n  quote: Telia’s core\n"), "", ""},
		{"without text nothing is checked", "article a1\n  title: T\n  date: 2017-01-02\n" + ents + rel("words from nowhere"), "", ""},
		{"a word changed", withText(telia, ents+rel("Telia has picked Ericsson for its 5G core")),
			`f.kg:17: rel deal: quote "Telia has picked Ericsson for its 5G core" is not in the article's text; the nearest passage is "Telia has chosen Ericsson for its 5G core."`,
			"Telia has chosen Ericsson for its 5G core."},
		{"case differs", withText(telia, ents+rel("telia has chosen ericsson")), `rel deal: quote "telia has chosen ericsson" is not in the article's text`, "Telia has chosen Ericsson"},
		{"an entity's quote", withText(telia, "entity telia Company\n  name: Telia\n  quote: Telia Company\n"), `f.kg:11: entity telia: quote "Telia Company" is not in the article's text`, "Telia has"},
		{"the second quote's line", withText(telia, ents+"rel partnership deal\n  party: telia, ericsson\n  quote: Telia has chosen\n  quote: for its 6G core\n"),
			`f.kg:18: rel deal: quote "for its 6G core"`, "for its 5G core."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("f.kg", []byte(tc.src))
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.want)
			}
			if got := err.(ErrorList)[0].Nearest; got != tc.nearest {
				t.Errorf("nearest = %q, want %q", got, tc.nearest)
			}
		})
	}
}

func TestLocate(t *testing.T) {
	text := NewText("Nokia’s “Shanghai\n  Bell” JV, and Nokia’s other JV")
	for _, tc := range []struct {
		quote string
		want  string
		ok    bool
	}{
		{"Nokia's \"Shanghai Bell\"", "Nokia’s “Shanghai\n  Bell”", true},
		{"JV", "JV", true},
		{"  other JV ", "other JV", true},
		{"Shanghai Bell JV", "", false},
		{"", "", false},
	} {
		sp, ok := text.Locate(tc.quote)
		if ok != tc.ok || ok && text.src[sp.Start:sp.End] != tc.want {
			t.Errorf("Locate(%q) = %v %v (%q), want %q %v", tc.quote, sp, ok, text.src[sp.Start:sp.End], tc.want, tc.ok)
		}
	}
	if got := text.LocateAll("Nokia’s"); len(got) != 2 || got[1].Start <= got[0].End {
		t.Errorf("LocateAll = %v, want two spans one after the other", got)
	}
}

// benchText is a generated article of about 10,000 words (some 60 KB) with 50 quotes of 20
// words from it, and the same with one more quote that the text lacks.
func benchText() (good, bad string) {
	vocab := strings.Fields("the operator network cable company signed agreement with for its 5G core and cloud data centre in China Telecom Mobile ZTE Huawei Ericsson Nokia said will build a new")
	words := make([]string, 10_000)
	for i := range words {
		words[i] = vocab[(i*7+i/13)%len(vocab)]
	}
	var src strings.Builder
	src.WriteString("article a1\n  title: T\n  date: 2017-01-02\n  text:\n")
	for i := 0; i < len(words); i += 12 {
		src.WriteString("    " + strings.Join(words[i:min(i+12, len(words))], " ") + "\n")
	}
	for i := range 50 {
		fmt.Fprintf(&src, "entity e%d Company\n  name: E%d\n  quote: %s\n", i, i, strings.Join(words[i*190:i*190+20], " "))
	}
	good = src.String()
	return good, good + "entity zz Company\n  name: ZZ\n  quote: the operator signed a cloud agreement with Nokia for its 6G core\n"
}

func BenchmarkParseText(b *testing.B) {
	good, bad := benchText()
	for _, bc := range []struct {
		name, src string
		fails     bool
	}{{"50 quotes found", good, false}, {"one quote missing", bad, true}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.src)))
			for b.Loop() {
				if _, err := Parse("f.kg", []byte(bc.src)); (err != nil) != bc.fails {
					b.Fatal(err)
				}
			}
		})
	}
}
