package loader

import (
	"bytes"
	"compress/gzip"
	"errors"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/kgraph/telegraph/kg"
)

// FuzzParse feeds arbitrary bytes to the article parser: it must never panic, must return a
// document or file:line errors (never both, never neither), and a document it accepts must turn
// into quads that all carry the article's label and survive an N-Quads round trip.
func FuzzParse(f *testing.F) {
	f.Add([]byte("article a\n  title: T\n  date: 2017-01-01\n\nentity x Company\n  name: X\n  quote: q\n"))
	f.Add([]byte("article a\n  title: T\n  date: 2017-01-01\n  text:\n    X said “q”.\n\n    # more\nentity x Company\n  name: X\n  quote: X said \"q\"\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		doc, err := Parse("fuzz.kg", src)
		if (doc == nil) == (err == nil) {
			t.Fatalf("doc %v with err %v: want exactly one", doc, err)
		}
		if err != nil {
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %T %v is not a non-empty ErrorList", err, err)
			}
			for _, e := range list {
				if e.File != "fuzz.kg" || e.Msg == "" {
					t.Fatalf("error without file or message: %+v", e)
				}
			}
			return
		}
		label := doc.Label()
		var buf bytes.Buffer
		w := nquads.NewWriter(&buf)
		for _, q := range doc.Quads() {
			if q.Label != label || !q.IsValid() {
				t.Fatalf("quad %v: invalid or not labelled %v", q, label)
			}
			if err := w.WriteQuad(q); err != nil {
				t.Fatalf("write %v: %v", q, err)
			}
		}
		w.Close()
		n := 0
		err = ReadNQuads("round-trip.nq", &buf, nil, func(q quad.Quad) error { n++; return nil })
		if err != nil || n != len(doc.Quads()) {
			t.Fatalf("round trip read %d of %d quads: %v\n%s", n, len(doc.Quads()), err, buf.String())
		}
	})
}

// FuzzReadNQuads feeds arbitrary bytes (plain and gzipped) to the N-Quads reader: it must never
// panic, every quad it yields is complete and labelled, and an error names the file.
func FuzzReadNQuads(f *testing.F) {
	f.Add([]byte("<a> <b> \"c\" <d> .\n"), false)
	f.Add([]byte("<a> <b> <c> .\n# comment\n\n_:x <p> \"v\"@en .\n"), true)
	f.Fuzz(func(t *testing.T, src []byte, zip bool) {
		if zip {
			var buf bytes.Buffer
			zw := gzip.NewWriter(&buf)
			zw.Write(src)
			zw.Close()
			src = buf.Bytes()
		}
		def := quad.IRI(kg.ArticleIRI("fuzz"))
		err := ReadNQuads("fuzz.nq", bytes.NewReader(src), def, func(q quad.Quad) error {
			if !q.IsValid() || q.Label == nil {
				t.Fatalf("incomplete quad %v", q)
			}
			return nil
		})
		if err != nil && !strings.HasPrefix(err.Error(), "fuzz.nq") {
			t.Fatalf("error %q does not name the file", err)
		}
	})
}
