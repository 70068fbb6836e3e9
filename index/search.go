package index

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/kgraph/telegraph/kg"
)

// MaxSearchHits bounds how many matches one search ranks before filtering by kind, country
// and date.
const MaxSearchHits = 10000

// The longest search text, in bytes and in words. Each word becomes several fuzzy and prefix
// queries, so the work of one search grows with its words: names and aliases need far fewer.
const (
	MaxSearchBytes = 200
	MaxSearchWords = 12
)

// CheckSearchText returns an INVALID error when text is longer than a search takes.
func CheckSearchText(text string) error {
	if len(text) > MaxSearchBytes {
		return kg.Errorf(kg.EInvalid, "search text is %d bytes long; at most %d are searched: give a name, an alias or a few words", len(text), MaxSearchBytes)
	}
	if n := len(strings.Fields(text)); n > MaxSearchWords {
		return kg.Errorf(kg.EInvalid, "search text has %d words; at most %d are searched: give a name, an alias or a few words", n, MaxSearchWords)
	}
	return nil
}

// searchIndex is the full-text index of one Index's entities. It is built on the first search,
// so loads and syncs that nobody searches between cost nothing, and it lives exactly as long as
// the Index it belongs to, so it is always in step with the store.
type searchIndex struct {
	once sync.Once
	idx  bleve.Index
	err  error
}

// entityDoc is what the full-text index holds for an entity.
type entityDoc struct {
	Name        string   `json:"name"`        // canonical name, analysed
	Names       []string `json:"names"`       // aliases and former names, analysed
	Exact       []string `json:"exact"`       // every name, normalised, matched whole
	Description string   `json:"description"` // analysed
}

func searchMapping() mapping.IndexMapping {
	text := bleve.NewTextFieldMapping()
	text.Analyzer = standard.Name
	text.IncludeTermVectors = false
	exact := bleve.NewTextFieldMapping()
	exact.Analyzer = keyword.Name
	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt("name", text)
	doc.AddFieldMappingsAt("names", text)
	doc.AddFieldMappingsAt("description", text)
	doc.AddFieldMappingsAt("exact", exact)
	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	return m
}

func (x *Index) fullText() (bleve.Index, error) {
	s := &x.search
	s.once.Do(func() {
		s.idx, s.err = memIndex(searchMapping(), func(add func(id string, doc any) error) error {
			for _, e := range x.ordered {
				d := entityDoc{Name: e.Name, Description: e.Attrs.Get("description")}
				d.Names = append(append(d.Names, e.Aliases...), e.Former...)
				for _, n := range e.Names() {
					d.Exact = append(d.Exact, Normalize(n))
				}
				if err := add(e.IRI, d); err != nil {
					return err
				}
			}
			return nil
		})
	})
	return s.idx, s.err
}

// memIndex builds an in-memory bleve index of the documents docs adds, in batches of a
// thousand.
func memIndex(m mapping.IndexMapping, docs func(add func(id string, doc any) error) error) (bleve.Index, error) {
	idx, err := bleve.NewMemOnly(m)
	if err != nil {
		return nil, fmt.Errorf("create search index: %w", err)
	}
	b := idx.NewBatch()
	err = docs(func(id string, doc any) error {
		if err := b.Index(id, doc); err != nil {
			return fmt.Errorf("index %s for search: %w", id, err)
		}
		if b.Size() < 1000 {
			return nil
		}
		err := idx.Batch(b)
		b.Reset()
		return err
	})
	if err == nil {
		err = idx.Batch(b)
	}
	if err != nil {
		return nil, err
	}
	return idx, nil
}

// searchQuery ranks an exact name highest, then a name that starts with the text, then the
// words of a name in order, then all the
// words of a name or alias, then names within an edit distance or two of the words (typos) or
// starting with the last word (typing in progress), then the description.
func searchQuery(text string) query.Query {
	q := Normalize(text)
	words := strings.Fields(q)
	var alts []query.Query
	add := func(qq interface {
		query.Query
		SetBoost(float64)
	}, boost float64) {
		qq.SetBoost(boost)
		alts = append(alts, qq)
	}
	exact := bleve.NewTermQuery(q)
	exact.SetField("exact")
	add(exact, 20)
	if len(q) >= 2 {
		start := bleve.NewPrefixQuery(q)
		start.SetField("exact")
		add(start, 8)
	}
	for field, boost := range map[string]float64{"name": 1, "names": 0.9} {
		phrase := bleve.NewMatchPhraseQuery(q)
		phrase.SetField(field)
		add(phrase, 6*boost)
		all := bleve.NewMatchQuery(q)
		all.SetField(field)
		all.SetOperator(query.MatchQueryOperatorAnd)
		add(all, 4*boost)
		fuzzy := bleve.NewMatchQuery(q)
		fuzzy.SetField(field)
		fuzzy.SetOperator(query.MatchQueryOperatorAnd)
		fuzzy.SetFuzziness(1)
		if len(q) >= 8 {
			fuzzy.SetFuzziness(2)
		}
		add(fuzzy, 1.5*boost)
		if last := words[len(words)-1]; len(last) >= 2 {
			var parts []query.Query
			for _, w := range words[:len(words)-1] {
				t := bleve.NewMatchQuery(w)
				t.SetField(field)
				parts = append(parts, t)
			}
			p := bleve.NewPrefixQuery(last)
			p.SetField(field)
			parts = append(parts, p)
			add(bleve.NewConjunctionQuery(parts...), 2*boost)
		}
		any := bleve.NewMatchQuery(q)
		any.SetField(field)
		add(any, 0.5*boost)
	}
	desc := bleve.NewMatchQuery(q)
	desc.SetField("description")
	add(desc, 0.3)
	return bleve.NewDisjunctionQuery(alts...)
}

// Search ranks the entities matching text by their names, aliases, former names and
// description (see searchQuery), keeping those of the kinds (all when none), in the country
// (any when nil) and visible in the view. It returns the hits best first and stops with ctx's
// error when ctx is done. A well-connected entity gets a gentle boost; ties go to the
// better-connected entity, then to the name.
// Text longer than MaxSearchBytes or of more than MaxSearchWords words is INVALID, refused
// before any index work.
func (v *View) Search(ctx context.Context, text string, kinds []string, country *Entity) ([]Hit, error) {
	if err := CheckSearchText(text); err != nil {
		return nil, err
	}
	if Normalize(text) == "" {
		return nil, nil
	}
	idx, err := v.fullText()
	if err != nil {
		return nil, err
	}
	req := bleve.NewSearchRequestOptions(searchQuery(text), MaxSearchHits, 0, false)
	res, err := idx.SearchInContext(ctx, req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("search %q: %w", text, err)
	}
	var hits []Hit
	for _, h := range res.Hits {
		e := v.Entity(h.ID)
		if e == nil || !v.EntityVisible(e) || (len(kinds) > 0 && !slices.Contains(kinds, e.Kind)) {
			continue
		}
		if country != nil && !v.InCountry(e, country) {
			continue
		}
		// Better-connected entities are what people look for more often: a gentle boost.
		hits = append(hits, Hit{Entity: e, Score: h.Score * (1 + 0.1*math.Log1p(float64(len(e.Relations))))})
	}
	sort.SliceStable(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if len(a.Entity.Relations) != len(b.Entity.Relations) {
			return len(a.Entity.Relations) > len(b.Entity.Relations)
		}
		return entityLess(a.Entity, b.Entity)
	})
	return hits, nil
}

// Hit is one search result with its relevance score (higher is better; scores compare only
// within one search).
type Hit struct {
	Entity *Entity
	Score  float64
}
