package model

import "github.com/kgraph/telegraph/index"

// FactHit is a relationship a fact search found.
type FactHit struct {
	V *index.View
	H index.FactHit
}

// Relationship returns the relationship found.
func (h FactHit) Relationship() Relationship { return RelationshipOf(h.V, h.H.Relation) }

// Evidence returns the evidence whose quote matched best, or nil when only an attribute did.
func (h FactHit) Evidence() *Evidence {
	if h.H.Evidence == nil || h.H.Evidence.Article == nil {
		return nil
	}
	return &Evidence{Quote: h.H.Evidence.Quote, Article: ArticleOf(h.V, h.H.Evidence.Article)}
}

// Score returns the hit's relevance.
func (h FactHit) Score() float64 { return h.H.Score }
