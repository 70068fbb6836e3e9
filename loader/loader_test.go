package loader

import (
	"bytes"
	"compress/gzip"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestQuadsGolden(t *testing.T) {
	src, err := os.ReadFile("testdata/sample.kg")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Parse("sample.kg", src)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	var buf bytes.Buffer
	w := nquads.NewWriter(&buf)
	for _, q := range doc.Quads() {
		if err := w.WriteQuad(q); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "sample.nq")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got := buf.String(); got != string(want) {
		t.Errorf("quads differ from %s (go test -update rewrites it)\ngot:\n%s\nwant:\n%s", golden, got, want)
	}
	for _, q := range doc.Quads() {
		if q.Label != quad.IRI("kg:article/2017-07-07-sample") {
			t.Errorf("quad %v has label %v, want the article's IRI", q, q.Label)
		}
	}
}

const header = "article a1\n  title: T\n  date: 2017-01-02\n"

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"unknown entity kind", header + "entity x Planet\n  name: X\n  quote: q\n", "f.kg:4: unknown entity kind \"Planet\""},
		{"unknown relation kind", header + "entity x Company\n  name: X\n  quote: q\nrel friendship r1\n  party: x\n  quote: q\n", "f.kg:7: unknown relation kind \"friendship\""},
		{"dangling reference", header + "entity x Company\n  name: X\n  quote: q\nrel partnership r1\n  party: x, y\n  quote: q\n", "f.kg:8: rel r1: party \"y\" is not declared in this file"},
		{"missing quote", header + "entity x Company\n  name: X\n", "f.kg:4: entity x has no evidence"},
		{"missing relation quote", header + "entity x Company\n  name: X\n  quote: q\nentity y Company\n  name: Y\n  quote: q\nrel partnership r1\n  party: x, y\n", "f.kg:10: rel r1 has no evidence"},
		{"malformed article date", "article a1\n  title: T\n  date: 2017-13-01\n", "f.kg:3: malformed date \"2017-13-01\""},
		{"malformed fact date", header + "entity x Company\n  name: X\n  date: July 2017\n  quote: q\n", "f.kg:6: malformed date \"July 2017\""},
		{"duplicate id", header + "entity x Company\n  name: X\n  quote: q\nentity x Company\n  name: X\n  quote: q\n", "f.kg:7: duplicate id \"x\" (first declared on line 4)"},
		{"broken syntax", header + "entity x Company\n  name X\n", "f.kg:5: expected `key: value`"},
		{"indented line first", "  title: T\n", "f.kg:1: indented line outside a block"},
		{"not an article first", "entity x Company\n  name: X\n  quote: q\n", "f.kg:1: the first block must be `article <id>`"},
		{"unknown key", header + "entity x Company\n  name: X\n  colour: red\n  quote: q\n", "f.kg:6: unknown key \"colour\" in entity"},
		{"too few parties", header + "entity x Company\n  name: X\n  quote: q\nrel partnership r1\n  party: x\n  quote: q\n", "f.kg:7: rel r1 needs at least 2 party (has 1)"},
		{"empty file", "", "f.kg: empty file"},
		{"long quote", header + "entity x Company\n  name: X\n  quote: " + strings.Repeat("word ", 60) + "\n", "f.kg:6: quote has 60 words"},
		{"shares names a non-owner", header + stakeOf("x: 60%; z: 40%"), "f.kg:13: rel s: shares entry \"z: 40%\" names no owner of the stake: use one of x, y"},
		{"shares entry without a share", header + stakeOf("x: 60%; y"), "f.kg:13: rel s: shares entry \"y\" is not `owner: share`"},
		{"shares gives an owner twice", header + stakeOf("x: 60%; Ex Corp: 40%"), "f.kg:13: rel s: shares gives owner x twice"},
		{"missing required attribute", header + "entity x Company\n  name: X\n  quote: q\nentity y Company\n  name: Y\n  quote: q\nrel related r1\n  from: x\n  to: y\n  quote: q\n", "f.kg:10: rel r1 of kind related needs `kind: ...`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Parse("f.kg", []byte(tt.src))
			if err == nil {
				t.Fatalf("Parse accepted bad input; got document %+v", doc)
			}
			if doc != nil {
				t.Errorf("Parse returned a document with an error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

// stakeOf is a stake of x and y in c with the shares given, lines 4 to 17 of a file after header.
func stakeOf(shares string) string {
	return "entity x Company\n  name: Ex Corp\n  quote: q\nentity y Company\n  name: Why Ltd\n  quote: q\nentity c Company\n  name: C\n  quote: q\n" +
		"rel stake s\n  owner: x, y\n  company: c\n  shares: " + shares + "\n  quote: q\n"
}

func TestParseAcceptsSharesByIDOrName(t *testing.T) {
	if _, err := Parse("f.kg", []byte(header+stakeOf("x: 60%; why ltd: 40%"))); err != nil {
		t.Fatalf("shares by id and by name refused: %v", err)
	}
}

func TestParseAcceptsDeclarationsAfterUse(t *testing.T) {
	src := header + "rel partnership r1\n  party: x, y\n  quote: q\nentity x Company\n  name: X\n  quote: q\nentity y Company\n  name: Y\n  quote: q\n"
	doc, err := Parse("f.kg", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if got, want := len(doc.Relations[0].Roles), 2; got != want {
		t.Errorf("roles = %d, want %d", got, want)
	}
}

func TestReadNQuads(t *testing.T) {
	src := "<a> <b> <c> .\n<a> <b> \"x\" <g> .\n"
	var got []quad.Quad
	err := ReadNQuads("f.nq", strings.NewReader(src), quad.IRI("def"), func(q quad.Quad) error {
		got = append(got, q)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Label != quad.IRI("def") || got[1].Label != quad.IRI("g") {
		t.Errorf("got %v, want two quads labelled def and g", got)
	}
	err = ReadNQuads("f.nq", strings.NewReader("<a> <b> <c> .\n<a> <b .\n"), nil, func(quad.Quad) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "f.nq:2:") {
		t.Errorf("error = %v, want one at f.nq:2", err)
	}
}

func TestCountLines(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("<a> <b> <c> .\n<a> <b> <d> .\n<a> <b> <e> .\n"))
	zw.Close()
	for _, tc := range []struct {
		name string
		src  []byte
		want int
	}{
		{"plain", []byte("<a> <b> <c> .\n\n<a> <b> <d> .\n"), 3},
		{"no final newline", []byte("<a> <b> <c> .\n<a> <b> <d> ."), 2},
		{"empty", nil, 0},
		{"gzipped", gz.Bytes(), 3},
	} {
		got, err := CountLines("f.nq", bytes.NewReader(tc.src))
		if err != nil || got != tc.want {
			t.Errorf("%s: CountLines = %d, %v; want %d", tc.name, got, err, tc.want)
		}
	}
	if _, err := CountLines("f.nq.gz", bytes.NewReader([]byte{0x1f, 0x8b, 1})); err == nil || !strings.Contains(err.Error(), "gzip") {
		t.Errorf("broken gzip: error = %v, want one naming gzip", err)
	}
}
