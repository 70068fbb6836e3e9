package loader

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/kgraph/telegraph/kg"
)

// MaxProblems is the most problems Parse reports for one file; an ErrorList that reaches it
// ends with one more entry saying how many problems were left out, so that a file that is not an
// article file at all costs a screenful, not a line per line of it.
const MaxProblems = 200

// MaxQuoteWords bounds the length of a quote. The curation rule asks for about 30 words; the
// bound leaves room for a long clause without admitting whole paragraphs.
const MaxQuoteWords = 45

var (
	idPattern   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	datePattern = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)
)

// block is a header line and its indented key: value lines, before validation.
type block struct {
	line   int
	fields []string // header words
	keys   []entry
}

type entry struct {
	line       int
	key, value string
}

// Parse reads an article file and validates it. Problems are returned as an ErrorList of
// file:line errors, at most MaxProblems of them followed by one "... and N more problems"
// entry (without a line) when there were more; the Document is nil whenever the error is not.
func Parse(path string, src []byte) (*Document, error) {
	p := &parser{path: path, declared: map[string]int{}}
	blocks := p.split(src)
	doc := p.document(blocks)
	if p.problems > 0 {
		if more := p.problems - len(p.errs); more > 0 {
			p.errs = append(p.errs, &Error{File: path, Msg: moreProblems(more)})
		}
		return nil, p.errs
	}
	return doc, nil
}

// moreProblems says how many problems a list left out.
func moreProblems(n int) string {
	if n == 1 {
		return "... and 1 more problem"
	}
	return fmt.Sprintf("... and %d more problems", n)
}

// split cuts the file into blocks, reporting lines that fit no block.
func (p *parser) split(src []byte) []*block {
	var (
		blocks []*block
		cur    *block
	)
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	n := 0
	var text *textBlock // the `text:` block being read, if any
	for sc.Scan() {
		n++
		raw := strings.TrimRight(sc.Text(), " \t\r")
		if n == 1 {
			raw = strings.TrimPrefix(raw, "\ufeff")
		}
		trimmed := strings.TrimSpace(raw)
		if text != nil {
			// Blank lines and lines indented deeper than the `text:` key are the text, comment
			// signs included; the first other line ends it.
			if trimmed == "" || indent(raw) > text.indent {
				text.lines = append(text.lines, raw)
				continue
			}
			text.end()
			text = nil
		}
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if raw[0] != ' ' && raw[0] != '\t' {
			cur = &block{line: n, fields: strings.Fields(raw)}
			blocks = append(blocks, cur)
			continue
		}
		if cur == nil {
			p.errorf(n, "indented line outside a block: start the file with an `article <id>` header")
			continue
		}
		key, value, ok := strings.Cut(trimmed, ":")
		key = strings.TrimSpace(key)
		if !ok || key == "" || strings.ContainsAny(key, " \t") {
			p.errorf(n, "expected `key: value`, got %q", trimmed)
			continue
		}
		cur.keys = append(cur.keys, entry{n, key, strings.TrimSpace(value)})
		if key == "text" && cur.fields[0] == "article" && strings.TrimSpace(value) == "" {
			text = &textBlock{entry: &cur.keys[len(cur.keys)-1], indent: indent(raw)}
		}
	}
	if text != nil {
		text.end()
	}
	if err := sc.Err(); err != nil {
		p.errorf(n+1, "cannot read line: %v", err)
	}
	return blocks
}

// textBlock collects the lines of an article's `text:` block into its entry's value.
type textBlock struct {
	entry  *entry
	indent int // the `text:` key's indentation
	lines  []string
}

// end sets the entry's value to the text: the lines without their common indentation, blank
// lines at either end dropped.
func (t *textBlock) end() {
	lines := t.lines
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	prefix, first := "", true
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		lead := l[:indent(l)]
		if first {
			prefix, first = lead, false
		}
		for !strings.HasPrefix(lead, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, prefix)
	}
	t.entry.value = strings.Join(lines, "\n")
}

// indent returns the width of the white space a line starts with.
func indent(line string) int { return len(line) - len(strings.TrimLeft(line, " \t")) }

type parser struct {
	path     string
	errs     ErrorList      // the first MaxProblems problems
	problems int            // every problem found, kept or not
	declared map[string]int // entity or relation id -> line declared
}

// errorf records a problem; past MaxProblems it is counted but not kept.
func (p *parser) errorf(line int, format string, args ...any) {
	p.report(&Error{File: p.path, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// report records a problem; past MaxProblems it is counted but not kept.
func (p *parser) report(e *Error) {
	p.problems++
	if len(p.errs) < MaxProblems {
		p.errs = append(p.errs, e)
	}
}

func (p *parser) document(blocks []*block) *Document {
	doc := &Document{Path: p.path}
	if len(blocks) == 0 {
		p.errorf(0, "empty file: an article file starts with `article <id>`")
		return doc
	}
	if blocks[0].fields[0] != "article" {
		p.errorf(blocks[0].line, "the first block must be `article <id>`, got %q", blocks[0].fields[0])
	}
	entities := map[string]bool{}
	names := map[string][]string{} // entity id -> its names and aliases, lower-cased and folded
	for _, b := range blocks {
		switch b.fields[0] {
		case "article":
			if b != blocks[0] {
				p.errorf(b.line, "a file describes one article: second `article` header (first on line %d)", blocks[0].line)
				continue
			}
			doc.Article = p.article(b)
		case "entity":
			e, ok := p.entity(b)
			if ok {
				doc.Entities = append(doc.Entities, e)
			}
			if e.ID != "" {
				entities[e.ID] = true // known even when invalid, so its uses are not reported too
				for _, n := range append([]string{e.Name}, e.Aliases...) {
					names[e.ID] = append(names[e.ID], strings.ToLower(Fold(n)))
				}
			}
		case "rel":
			if r, ok := p.relation(b); ok {
				doc.Relations = append(doc.Relations, r)
			}
		default:
			p.errorf(b.line, "unknown block %q: use `article`, `entity` or `rel`", b.fields[0])
		}
	}
	if doc.Article.Text != "" {
		p.checkQuotes(doc)
	}
	// References are checked once every entity is known, so declarations may follow their use.
	for _, r := range doc.Relations {
		for i, b := range r.Roles {
			if !entities[b.Entity] {
				p.errorf(r.roleLine(i), "rel %s: %s %q is not declared in this file: add an `entity %s <Kind>` block", r.ID, b.Role, b.Entity, b.Entity)
			}
		}
		p.shares(r, names)
	}
	return doc
}

// shares checks a stake's `shares` attribute: entries "owner: share" separated by semicolons,
// each naming one of the stake's owners (by id, or by a name or alias its entity block gives)
// once, so that no share is credited to someone the fact does not name as an owner.
func (p *parser) shares(r Relation, names map[string][]string) {
	var v string
	for _, a := range r.Attrs {
		if a.Key == "shares" {
			v = a.Value
		}
	}
	if v == "" {
		return
	}
	var owners []string
	for _, b := range r.Roles {
		if b.Role == "owner" {
			owners = append(owners, b.Entity)
		}
	}
	owner := func(k string) string {
		folded := strings.ToLower(Fold(k))
		for _, id := range owners {
			if k == id || slices.Contains(names[id], folded) {
				return id
			}
		}
		return ""
	}
	seen := map[string]bool{}
	for _, entry := range strings.Split(v, ";") {
		k, share, ok := strings.Cut(entry, ":")
		k, share = strings.TrimSpace(k), strings.TrimSpace(share)
		switch id := owner(k); {
		case !ok || k == "" || share == "":
			p.errorf(r.Line, "rel %s: shares entry %q is not `owner: share` (entries are separated by semicolons)", r.ID, strings.TrimSpace(entry))
		case id == "":
			p.errorf(r.Line, "rel %s: shares entry %q names no owner of the stake: use one of %s, or its name", r.ID, strings.TrimSpace(entry), strings.Join(owners, ", "))
		case seen[id]:
			p.errorf(r.Line, "rel %s: shares gives owner %s twice", r.ID, id)
		default:
			seen[id] = true
		}
	}
}

func (p *parser) id(b *block, what string) string {
	if len(b.fields) != 2+boolInt(what != "article") {
		switch what {
		case "article":
			p.errorf(b.line, "expected `article <id>`")
		case "entity":
			p.errorf(b.line, "expected `entity <id> <Kind>`")
		default:
			p.errorf(b.line, "expected `rel <kind> <id>`")
		}
		return ""
	}
	id := b.fields[1]
	if what == "rel" {
		id = b.fields[2]
	}
	if !idPattern.MatchString(id) {
		p.errorf(b.line, "bad id %q: use lower-case letters, digits and hyphens", id)
		return ""
	}
	if what != "article" {
		if first, dup := p.declared[id]; dup {
			p.errorf(b.line, "duplicate id %q (first declared on line %d)", id, first)
			return ""
		}
		p.declared[id] = b.line
	}
	return id
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (p *parser) article(b *block) Article {
	a := Article{ID: p.id(b, "article"), Line: b.line}
	seen := map[string]int{}
	for _, e := range b.keys {
		if e.key != "note" {
			if first, dup := seen[e.key]; dup {
				p.errorf(e.line, "%s given twice (first on line %d)", e.key, first)
				continue
			}
			seen[e.key] = e.line
		}
		p.nonEmpty(e)
		switch e.key {
		case "title":
			a.Title = e.value
		case "date":
			if !validDay(e.value) {
				p.errorf(e.line, "malformed date %q: an article date is YYYY-MM-DD", e.value)
			}
			a.Date = e.value
		case "heading":
			a.Heading = e.value
		case "url":
			if !strings.HasPrefix(e.value, "http://") && !strings.HasPrefix(e.value, "https://") {
				p.errorf(e.line, "url %q must start with http:// or https://", e.value)
			}
			a.URL = e.value
		case "note":
			a.Notes = append(a.Notes, e.value)
		case "text":
			a.Text = e.value
		default:
			p.errorf(e.line, "unknown key %q in article: use title, date, heading, url, note or text", e.key)
		}
	}
	if a.Title == "" {
		p.errorf(b.line, "article %s has no title: add `title: ...`", a.ID)
	}
	if a.Date == "" {
		p.errorf(b.line, "article %s has no date: add `date: YYYY-MM-DD`", a.ID)
	}
	return a
}

func (p *parser) entity(b *block) (Entity, bool) {
	e := Entity{Line: b.line}
	before := p.problems
	e.ID = p.id(b, "entity")
	if len(b.fields) == 3 {
		e.Kind = b.fields[2]
		if !kg.IsEntityKind(e.Kind) {
			p.errorf(b.line, "unknown entity kind %q: use one of %s", e.Kind, strings.Join(kg.EntityKinds(), ", "))
		}
	}
	for _, x := range b.keys {
		p.nonEmpty(x)
		switch {
		case x.key == "name":
			if e.Name != "" {
				p.errorf(x.line, "entity %s has two names: use `alias:` for the other", e.ID)
			}
			e.Name = x.value
		case x.key == "alias":
			e.Aliases = append(e.Aliases, x.value)
		case x.key == "former":
			e.Former = append(e.Former, x.value)
		case x.key == "quote":
			p.quote(x)
			e.Quotes = append(e.Quotes, x.value)
			e.quoteLines = append(e.quoteLines, x.line)
		case x.key == "note":
			e.Notes = append(e.Notes, x.value)
		case slices.Contains(kg.EntityAttributes, x.key):
			if x.key == "date" {
				p.date(x)
			}
			e.Attrs = append(e.Attrs, Attr{x.key, x.value})
		default:
			p.errorf(x.line, "unknown key %q in entity: use name, alias, former, quote, note or %s", x.key, strings.Join(kg.EntityAttributes, ", "))
		}
	}
	if e.Name == "" {
		p.errorf(b.line, "entity %s has no name: add `name: ...`", e.ID)
	}
	if len(e.Quotes) == 0 {
		p.errorf(b.line, "entity %s has no evidence: add `quote: ...` with the words of the article that mention it", e.ID)
	}
	return e, p.problems == before
}

func (p *parser) relation(b *block) (Relation, bool) {
	r := Relation{Line: b.line}
	before := p.problems
	r.ID = p.id(b, "rel")
	var kind kg.RelationKind
	known := false
	if len(b.fields) == 3 {
		r.Kind = b.fields[1]
		kind, known = kg.LookupRelation(r.Kind)
		if !known {
			p.errorf(b.line, "unknown relation kind %q: use one of %s", r.Kind, strings.Join(kg.SortedRelationNames(), ", "))
		}
	}
	counts := map[string]int{}
	attrs := map[string]bool{}
	for _, x := range b.keys {
		p.nonEmpty(x)
		switch {
		case x.key == "quote":
			p.quote(x)
			r.Quotes = append(r.Quotes, x.value)
			r.quoteLines = append(r.quoteLines, x.line)
		case x.key == "note":
			r.Notes = append(r.Notes, x.value)
		case !known:
			// Without a kind, roles and attributes cannot be told apart; the kind error says enough.
		case hasRole(kind, x.key):
			for _, id := range strings.Split(x.value, ",") {
				id = strings.TrimSpace(id)
				if id == "" {
					continue
				}
				r.Roles = append(r.Roles, Binding{x.key, id})
				r.roleLines = append(r.roleLines, x.line)
				counts[x.key]++
			}
		case kind.HasAttribute(x.key):
			if attrs[x.key] {
				p.errorf(x.line, "%s given twice in rel %s", x.key, r.ID)
			}
			attrs[x.key] = true
			if x.key == "date" {
				p.date(x)
			}
			r.Attrs = append(r.Attrs, Attr{x.key, x.value})
		default:
			p.errorf(x.line, "unknown key %q in %s: roles are %s; attributes are %s", x.key, r.Kind, roleNames(kind), strings.Join(kind.Attributes, ", "))
		}
	}
	if known {
		for _, role := range kind.Roles {
			n := counts[role.Name]
			if n < role.Min {
				p.errorf(b.line, "rel %s needs at least %d %s (has %d)", r.ID, role.Min, role.Name, n)
			}
			if role.Max > 0 && n > role.Max {
				p.errorf(b.line, "rel %s takes at most %d %s (has %d)", r.ID, role.Max, role.Name, n)
			}
		}
		for _, a := range kind.Required {
			if !attrs[a] {
				p.errorf(b.line, "rel %s of kind %s needs `%s: ...`", r.ID, r.Kind, a)
			}
		}
	}
	if len(r.Quotes) == 0 {
		p.errorf(b.line, "rel %s has no evidence: add `quote: ...` with the words of the article that state it", r.ID)
	}
	return r, p.problems == before
}

func (p *parser) nonEmpty(e entry) {
	if e.value == "" {
		p.errorf(e.line, "%s is empty", e.key)
	}
}

func (p *parser) quote(e entry) {
	if n := len(strings.Fields(e.value)); n > MaxQuoteWords {
		p.errorf(e.line, "quote has %d words: keep evidence to about 30 words (at most %d)", n, MaxQuoteWords)
	}
}

func (p *parser) date(e entry) {
	if !datePattern.MatchString(e.value) || !validDate(e.value) {
		p.errorf(e.line, "malformed date %q: use YYYY, YYYY-MM or YYYY-MM-DD", e.value)
	}
}

func (r Relation) roleLine(i int) int {
	if i < len(r.roleLines) {
		return r.roleLines[i]
	}
	return r.Line
}

func validDay(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

func validDate(s string) bool {
	for _, layout := range []string{"2006", "2006-01", "2006-01-02"} {
		if len(s) == len(layout) {
			_, err := time.Parse(layout, s)
			return err == nil
		}
	}
	return false
}

func hasRole(k kg.RelationKind, name string) bool {
	_, ok := k.Role(name)
	return ok
}

func roleNames(k kg.RelationKind) string {
	names := make([]string, len(k.Roles))
	for i, r := range k.Roles {
		names[i] = r.Name
	}
	return strings.Join(names, ", ")
}
