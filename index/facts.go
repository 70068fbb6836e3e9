package index

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
)

// factIndex is the full-text index of one Index's relationships: their evidence quotes and
// attribute values. Like searchIndex it is built on the first fact search and lives as long as
// its Index.
type factIndex struct {
	once sync.Once
	idx  bleve.Index
	err  error
}

// factDoc is what the fact index holds for a relationship.
type factDoc struct {
	Text string `json:"text"` // every quote and attribute value, analysed
}

// factAnalyzer lowercases and stems English words, so that "payments" finds "payment" and
// "operates" finds "operating", and keeps stop words, which quotes need for phrases.
const factAnalyzer = "kg_facts"

func factMapping() (mapping.IndexMapping, error) {
	m := bleve.NewIndexMapping()
	err := m.AddCustomAnalyzer(factAnalyzer, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []string{en.PossessiveName, lowercase.Name, en.SnowballStemmerName},
	})
	if err != nil {
		return nil, err
	}
	text := bleve.NewTextFieldMapping()
	text.Analyzer = factAnalyzer
	text.IncludeTermVectors = false
	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt("text", text)
	m.DefaultMapping = doc
	return m, nil
}

func (x *Index) factText() (bleve.Index, error) {
	s := &x.facts
	s.once.Do(func() {
		m, err := factMapping()
		if err != nil {
			s.err = fmt.Errorf("fact search mapping: %w", err)
			return
		}
		s.idx, s.err = memIndex(m, func(add func(id string, doc any) error) error {
			for _, r := range x.relOrdered {
				var parts []string
				for _, ev := range r.Evidence {
					parts = append(parts, ev.Quote)
				}
				for _, a := range r.Attrs {
					parts = append(parts, a.Value)
				}
				if err := add(r.IRI, factDoc{Text: strings.Join(parts, "\n")}); err != nil {
					return err
				}
			}
			return nil
		})
	})
	return s.idx, s.err
}

// FactHit is one relationship a fact search found, with the evidence whose quote matched best
// (nil when only an attribute value matched).
type FactHit struct {
	Relation *Relation
	Evidence *Evidence
	Score    float64
}

// SearchFacts ranks the relationships whose evidence quotes and attribute values hold every
// word of text, in any of its forms ("payments" finds "payment"), keeping those of the kinds
// (all when none) visible in the view, best first. For example, SearchFacts(ctx, "mobile
// payments", nil) finds the market shares of AliPay and TenPay, whose names never say so. Text
// past MaxSearchBytes or MaxSearchWords is INVALID; the search stops with ctx's error.
func (v *View) SearchFacts(ctx context.Context, text string, kinds []string) ([]FactHit, error) {
	if err := CheckSearchText(text); err != nil {
		return nil, err
	}
	if strings.TrimSpace(text) == "" {
		return nil, nil
	}
	idx, err := v.factText()
	if err != nil {
		return nil, err
	}
	all := bleve.NewMatchQuery(text)
	all.SetField("text")
	all.SetOperator(query.MatchQueryOperatorAnd)
	phrase := bleve.NewMatchPhraseQuery(text)
	phrase.SetField("text")
	phrase.SetBoost(2)
	q := bleve.NewBooleanQuery()
	q.AddMust(all)
	q.AddShould(phrase)
	res, err := idx.SearchInContext(ctx, bleve.NewSearchRequestOptions(q, MaxSearchHits, 0, false))
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("fact search %q: %w", text, err)
	}
	words := stems(text)
	var hits []FactHit
	for _, h := range res.Hits {
		r := v.Relation(h.ID)
		if r == nil || !v.RelationVisible(r) || (len(kinds) > 0 && !slices.Contains(kinds, r.Kind)) {
			continue
		}
		hits = append(hits, FactHit{Relation: r, Evidence: bestQuote(v.Evidence(r.Evidence), words), Score: h.Score})
	}
	return hits, nil
}

// stems returns the lowercased words of text cut to a common stem of at most five letters, to
// pick the quote that matched: rough, since bleve has matched already.
func stems(text string) []string {
	var out []string
	for _, w := range strings.Fields(strings.ToLower(text)) {
		w = strings.Trim(w, `.,;:!?"'()`)
		if len(w) > 5 {
			w = w[:5]
		}
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

// bestQuote returns the evidence whose quote holds the most of the words, or nil when none
// holds any.
func bestQuote(ev []Evidence, words []string) *Evidence {
	var best *Evidence
	most := 0
	for i := range ev {
		q := strings.ToLower(ev[i].Quote)
		n := 0
		for _, w := range words {
			if strings.Contains(q, w) {
				n++
			}
		}
		if n > most {
			best, most = &ev[i], n
		}
	}
	return best
}
