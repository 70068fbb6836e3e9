package loader

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/kgraph/telegraph/kg"
)

// Label returns the IRI every quad of the document is labelled with: its article's.
func (d *Document) Label() quad.IRI { return quad.IRI(kg.ArticleIRI(d.Article.ID)) }

// Quads returns the document's facts as quads, each labelled with the article's IRI, without
// duplicates and in a stable order.
func (d *Document) Quads() []quad.Quad {
	label := d.Label()
	seen := map[quad.Quad]bool{}
	var out []quad.Quad
	add := func(s string, p string, o quad.Value) {
		q := quad.Quad{Subject: quad.IRI(s), Predicate: quad.IRI(p), Object: o, Label: label}
		if !seen[q] {
			seen[q] = true
			out = append(out, q)
		}
	}
	str := func(s string) quad.Value { return quad.String(s) }

	a := d.Article
	art := kg.ArticleIRI(a.ID)
	add(art, kg.PredKind, str(kg.ArticleKind))
	add(art, kg.PredName, str(a.Title))
	add(art, kg.PredDate, str(a.Date))
	if a.Heading != "" {
		add(art, kg.PredHeading, str(a.Heading))
	}
	if a.URL != "" {
		add(art, kg.PredURL, str(a.URL))
	}
	for _, n := range a.Notes {
		add(art, kg.PredNote, str(n))
	}
	if a.Text != "" {
		add(art, kg.PredText, str(a.Text))
	}
	for _, e := range d.Entities {
		s := kg.EntityIRI(e.ID)
		add(s, kg.PredKind, str(e.Kind))
		add(s, kg.PredName, str(e.Name))
		for _, v := range e.Aliases {
			add(s, kg.PredAlias, str(v))
		}
		for _, v := range e.Former {
			add(s, kg.PredFormer, str(v))
		}
		for _, at := range e.Attrs {
			add(s, kg.AttrIRI(at.Key), str(at.Value))
		}
		for _, v := range e.Quotes {
			add(s, kg.PredQuote, str(v))
		}
		for _, v := range e.Notes {
			add(s, kg.PredNote, str(v))
		}
	}
	for _, r := range d.Relations {
		s := kg.RelationIRI(r.ID)
		add(s, kg.PredRelation, str(r.Kind))
		for _, b := range r.Roles {
			add(s, kg.RoleIRI(b.Role), quad.IRI(kg.EntityIRI(b.Entity)))
		}
		for _, at := range r.Attrs {
			add(s, kg.AttrIRI(at.Key), str(at.Value))
		}
		for _, v := range r.Quotes {
			add(s, kg.PredQuote, str(v))
		}
		for _, v := range r.Notes {
			add(s, kg.PredNote, str(v))
		}
	}
	return out
}

// ReadNQuads reads N-Quads, gzipped or plain, calling fn for each quad. Quads without a label get
// defaultLabel. A syntax error stops the read and is reported with its line.
func ReadNQuads(path string, r io.Reader, defaultLabel quad.Value, fn func(quad.Quad) error) error {
	br, err := unzip(path, r)
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		q, err := nquads.Parse(line)
		if err != nil {
			return &Error{File: path, Line: n, Msg: "invalid N-Quad: " + strings.TrimPrefix(err.Error(), "nquads: ")}
		}
		if !q.IsValid() {
			return &Error{File: path, Line: n, Msg: "invalid N-Quad: subject, predicate and object are required"}
		}
		if q.Label == nil {
			q.Label = defaultLabel
		}
		if err := fn(q); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return &Error{File: path, Line: n + 1, Msg: fmt.Sprintf("cannot read: %v", err)}
	}
	return nil
}

// unzip returns r, decompressed when it is gzipped.
func unzip(path string, r io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, &Error{File: path, Line: 0, Msg: "broken gzip stream: " + err.Error()}
		}
		return bufio.NewReaderSize(gz, 1<<20), nil
	}
	return br, nil
}

// CountLines returns how many lines N-Quads, gzipped or plain, have: at least as many as their
// quads, so a reader can size its storage once instead of growing it.
func CountLines(path string, r io.Reader) (int, error) {
	br, err := unzip(path, r)
	if err != nil {
		return 0, err
	}
	buf := make([]byte, 1<<20)
	n, last := 0, byte('\n')
	for {
		k, err := br.Read(buf)
		if k > 0 {
			n += bytes.Count(buf[:k], []byte{'\n'})
			last = buf[k-1]
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return n, &Error{File: path, Line: n + 1, Msg: fmt.Sprintf("cannot read: %v", err)}
		}
	}
	if last != '\n' {
		n++
	}
	return n, nil
}
