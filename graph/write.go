package graph

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/kgraph/telegraph/graph/model"
	"github.com/kgraph/telegraph/index"
	"github.com/kgraph/telegraph/kg"
	"github.com/kgraph/telegraph/loader"
	"github.com/kgraph/telegraph/store"
)

// Writer is a Source that accepts writes and tells subscribers about them; *store.Store is one.
type Writer interface {
	Source
	Put(ctx context.Context, path string, src []byte) (*store.Change, error)
	DeleteArticle(ctx context.Context, id string) (*store.Change, error)
	Delete(ctx context.Context, iris []string, reason string) (*store.Change, error)
	Merge(ctx context.Context, winner, loser string) (*store.Change, error)
	Subscribe(ctx context.Context) <-chan store.Change
}

var _ Writer = (*store.Store)(nil)

type writeKey struct{}

// WithWriteAccess returns ctx carrying whether its request may write: denied nil means it may,
// otherwise every mutation fails with denied. A context without the mark may not write.
func WithWriteAccess(ctx context.Context, denied error) context.Context {
	return context.WithValue(ctx, writeKey{}, &denied)
}

// writer returns the source's Writer when the request may write.
func (r *Resolver) writer(ctx context.Context) (Writer, error) {
	denied, ok := ctx.Value(writeKey{}).(*error)
	if !ok {
		return nil, kg.Errorf(kg.EForbidden, "the server is read-only: start it with --token (or KG_TOKEN) to accept writes")
	}
	if *denied != nil {
		return nil, *denied
	}
	w, ok := r.Graph.(Writer)
	if !ok {
		return nil, kg.Errorf(kg.EForbidden, "this store does not accept writes")
	}
	return w, nil
}

// kgFile renders an API write as an article file, so that the loader validates it exactly as
// it validates the data folder. where names the input field each line comes from, for errors.
type kgFile struct {
	b     strings.Builder
	where []string // line number - 1 -> input path
	bad   []string
}

func (f *kgFile) line(where, text string) {
	f.b.WriteString(text)
	f.b.WriteByte('\n')
	f.where = append(f.where, where)
}

// word checks a value that becomes part of a header or a key, where whitespace, a comma or a
// colon would change the file's structure.
func (f *kgFile) word(where, v string) string {
	if v == "" || strings.ContainsAny(v, " \t\r\n,:#") {
		f.bad = append(f.bad, fmt.Sprintf("%s: %q must be one word without spaces, commas or colons", where, v))
	}
	return v
}

// text checks a value that ends a `key: value` line, where a line break would start a new line.
func (f *kgFile) text(where, v string) string {
	if strings.ContainsAny(v, "\r\n") {
		f.bad = append(f.bad, fmt.Sprintf("%s: a value may not contain a line break", where))
	}
	return v
}

func (f *kgFile) keyed(where, key, v string) { f.line(where, "  "+key+": "+f.text(where, v)) }

func renderArticle(a model.ArticleInput, ents []model.EntityInput, rels []model.RelationshipInput) *kgFile {
	f := &kgFile{}
	f.line("article.id", "article "+f.word("article.id", a.ID))
	f.keyed("article.title", "title", a.Title)
	f.keyed("article.date", "date", string(a.Date))
	if a.URL != nil {
		f.keyed("article.url", "url", *a.URL)
	}
	if a.Author != nil {
		f.keyed("article.author", "note", "added through the API by "+*a.Author)
	}
	for i, n := range a.Notes {
		f.keyed(fmt.Sprintf("article.notes[%d]", i), "note", n)
	}
	if a.Text != nil && strings.TrimSpace(*a.Text) != "" {
		// Every line indented deeper than the key: the loader takes them all as the text.
		f.line("article.text", "  text:")
		text := strings.ReplaceAll(strings.ReplaceAll(*a.Text, "\r\n", "\n"), "\r", "\n")
		for _, l := range strings.Split(text, "\n") {
			f.line("article.text", "    "+l)
		}
	}
	for i, e := range ents {
		at := fmt.Sprintf("entities[%d]", i)
		f.line(at, "entity "+f.word(at+".id", e.ID)+" "+f.word(at+".kind", e.Kind))
		f.keyed(at+".name", "name", e.Name)
		for j, v := range e.Aliases {
			f.keyed(fmt.Sprintf("%s.aliases[%d]", at, j), "alias", v)
		}
		for j, v := range e.FormerNames {
			f.keyed(fmt.Sprintf("%s.formerNames[%d]", at, j), "former", v)
		}
		if e.Description != nil {
			f.keyed(at+".description", "description", *e.Description)
		}
		for j, kv := range e.Attributes {
			w := fmt.Sprintf("%s.attributes[%d]", at, j)
			f.keyed(w, f.word(w+".key", kv.Key), kv.Value)
		}
		for j, v := range e.Quotes {
			f.keyed(fmt.Sprintf("%s.quotes[%d]", at, j), "quote", v)
		}
		for j, v := range e.Notes {
			f.keyed(fmt.Sprintf("%s.notes[%d]", at, j), "note", v)
		}
	}
	for i, r := range rels {
		at := fmt.Sprintf("relationships[%d]", i)
		f.line(at, "rel "+f.word(at+".relation", r.Relation)+" "+f.word(at+".id", r.ID))
		for j, p := range r.Participants {
			w := fmt.Sprintf("%s.participants[%d]", at, j)
			f.keyed(w, f.word(w+".role", p.Role), f.word(w+".entity", p.Entity))
		}
		for j, kv := range r.Attributes {
			w := fmt.Sprintf("%s.attributes[%d]", at, j)
			f.keyed(w, f.word(w+".key", kv.Key), kv.Value)
		}
		for j, v := range r.Quotes {
			f.keyed(fmt.Sprintf("%s.quotes[%d]", at, j), "quote", v)
		}
		for j, v := range r.Notes {
			f.keyed(fmt.Sprintf("%s.notes[%d]", at, j), "note", v)
		}
	}
	return f
}

// check validates the rendered file with the loader and returns its problems as one INVALID
// error naming the input fields, or nil.
func (f *kgFile) check() error {
	if len(f.bad) > 0 {
		var ps []kg.Problem
		for _, b := range f.bad {
			field, msg, _ := strings.Cut(b, ": ")
			ps = append(ps, kg.Problem{Field: field, Message: msg})
		}
		return problems(kg.EInvalid, ps)
	}
	_, err := loader.Parse("api", []byte(f.b.String()))
	if err == nil {
		return nil
	}
	var list loader.ErrorList
	if !errors.As(err, &list) {
		return kg.Errorf(kg.EInvalid, "%v", err)
	}
	ps := make([]kg.Problem, len(list))
	for i, e := range list {
		ps[i] = kg.Problem{Field: f.field(e.Line), Message: e.Msg, Nearest: e.Nearest}
	}
	return problems(kg.EInvalid, ps)
}

// field returns the input field the rendered file's line (from 1) comes from.
func (f *kgFile) field(line int) string {
	if line >= 1 && line <= len(f.where) {
		return f.where[line-1]
	}
	return "input"
}

// problems returns one error with the code that lists the problems, each after its field.
func problems(code string, ps []kg.Problem) error {
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.Field + ": " + p.Message
	}
	return &kg.Error{Code: code, Message: strings.Join(msgs, "; "), Problems: ps}
}

// apiPath is the name an API article goes by in the loader's messages.
func apiPath(id string) string { return "api:" + id + ".kg" }

// locate rewrites the store's "file:line: problem" messages about the rendered article to name
// the input fields instead.
func (f *kgFile) locate(id string, err error) error {
	var ke *kg.Error
	if !errors.As(err, &ke) {
		return err
	}
	prefix := apiPath(id) + ":"
	var ps []kg.Problem
	for _, l := range strings.Split(ke.Message, "\n") {
		rest, ok := strings.CutPrefix(l, prefix)
		if !ok {
			ps = append(ps, kg.Problem{Field: "input", Message: l})
			continue
		}
		where := "input"
		if n, msg, ok := strings.Cut(rest, ": "); ok {
			if k, err := strconv.Atoi(n); err == nil {
				where = f.field(k)
				rest = msg
			}
		}
		ps = append(ps, kg.Problem{Field: where, Message: strings.TrimPrefix(rest, " ")})
	}
	return problems(ke.Code, ps)
}

// result describes a change as the index that first shows it sees it.
func result(c *store.Change) *model.WriteResult {
	v := c.Index.At("")
	out := &model.WriteResult{Entities: []model.Entity{}, Relationships: []model.Relationship{}, Added: c.Added, Deleted: c.Deleted}
	if a := c.Index.Article(c.Article); a != nil {
		out.Article = model.ArticleOf(v, a)
	}
	for _, iri := range c.Entities {
		if e := c.Index.Entity(iri); v.EntityVisible(e) {
			out.Entities = append(out.Entities, model.EntityOf(v, e))
		}
	}
	for _, iri := range c.Relations {
		if rel := c.Index.Relation(iri); v.RelationVisible(rel) {
			out.Relationships = append(out.Relationships, model.RelationshipOf(v, rel))
		}
	}
	return out
}

// factFilter is a subscription's filter, resolved against each write's index in turn, since
// the entity it names may be added by the very write it waits for.
type factFilter struct {
	participant, country *string
	relations            []string
}

func newFactFilter(f *model.FactFilter) (*factFilter, error) {
	ff := &factFilter{}
	if f == nil {
		return ff, nil
	}
	kinds := model.RelationKinds(f.RelationKinds, f.Relations)
	for _, k := range kinds {
		if _, ok := kg.LookupRelation(k); !ok {
			return nil, kg.Errorf(kg.EInvalid, "relationKinds: %q is not a relationship kind of the vocabulary (see data/README.md)", k)
		}
	}
	ff.participant, ff.country, ff.relations = f.Participant, f.Country, kinds
	return ff, nil
}

// event returns what of the change passes the filter, or nil when nothing does.
func (f *factFilter) event(c store.Change) *model.FactEvent {
	if c.Article == "" {
		return nil // deletions and merges add no facts
	}
	v := c.Index.At("")
	var who, country *index.Entity
	if f.participant != nil {
		e, err := v.Lookup(*f.participant)
		if err != nil {
			return nil
		}
		who = e
	}
	if f.country != nil {
		e, err := v.Lookup(*f.country)
		if err != nil || e.Kind != "Country" {
			return nil
		}
		country = e
	}
	ev := &model.FactEvent{Entities: []model.Entity{}, Relationships: []model.Relationship{}}
	for _, iri := range c.Relations {
		r := c.Index.Relation(iri)
		if !v.RelationVisible(r) || (who != nil && !r.HasParticipant(who)) {
			continue
		}
		if len(f.relations) > 0 && !slices.Contains(f.relations, r.Kind) {
			continue
		}
		if country != nil && !anyIn(v, r, country) {
			continue
		}
		ev.Relationships = append(ev.Relationships, model.RelationshipOf(v, r))
	}
	if len(f.relations) == 0 {
		for _, iri := range c.Entities {
			e := c.Index.Entity(iri)
			if !v.EntityVisible(e) || (who != nil && e != who) || (country != nil && !v.InCountry(e, country)) {
				continue
			}
			ev.Entities = append(ev.Entities, model.EntityOf(v, e))
		}
	}
	if len(ev.Entities) == 0 && len(ev.Relationships) == 0 {
		return nil
	}
	if a := c.Index.Article(c.Article); a != nil {
		ev.Article = model.ArticleOf(v, a)
	}
	return ev
}

func anyIn(v *index.View, r *index.Relation, country *index.Entity) bool {
	for _, p := range r.Participants {
		if p.Entity == country || v.InCountry(p.Entity, country) {
			return true
		}
	}
	return false
}
