package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/kgraph/telegraph/index"
	"github.com/kgraph/telegraph/kg"
	"github.com/kgraph/telegraph/loader"
)

// Change is one applied write, published to subscribers once the read index shows it.
type Change struct {
	// Index is the first read index that shows the write. A change from Subscribe may carry a
	// later one instead: see Subscribe.
	Index *index.Index
	// Article is the IRI of the article written, or empty for a deletion or merge.
	Article string
	// Entities and Relations are the IRIs the write declared, deleted or merged.
	Entities, Relations []string
	// Added and Deleted count the fact quads the write added and removed.
	Added, Deleted int
	// Err is set only on the last value a subscription's channel gives when the store ends the
	// subscription (see Subscribe): it says why, and nothing else is set.
	Err error
}

// Put writes an article file's content (the .kg format) received through the API, in one
// transaction, under the manifest key "api:<article id>": writing the same article id again
// replaces what it stated, and a sync of the data folder keeps it. The file is validated like a
// data file; its problems are an INVALID error, a clash with the rest of the graph (an id with
// another kind or name, an article id a data file uses) a CONFLICT error. Entities and
// relationships it declares that were deleted through the API are restored.
func (s *Store) Put(ctx context.Context, path string, src []byte) (*Change, error) {
	doc, err := loader.Parse(path, src)
	if err != nil {
		return nil, &kg.Error{Code: kg.EInvalid, Message: err.Error()}
	}
	unlock, err := s.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	ix := s.Index()
	r := newRun(ix)
	key := kg.APIKeyPrefix + doc.Article.ID
	sum := sha256.Sum256(src)
	u, err := r.parse(ix, path, key, hex.EncodeToString(sum[:]), src)
	if err != nil {
		return nil, &kg.Error{Code: kg.EConflict, Message: err.Error()}
	}
	c := &Change{Article: string(doc.Label())}
	var restore []quad.Quad
	for _, e := range doc.Entities {
		c.Entities = append(c.Entities, kg.EntityIRI(e.ID))
		restore = append(restore, tombstones(ix, kg.EntityIRI(e.ID))...)
	}
	for _, rel := range doc.Relations {
		c.Relations = append(c.Relations, kg.RelationIRI(rel.ID))
		restore = append(restore, tombstones(ix, kg.RelationIRI(rel.ID))...)
	}
	rp := replace(ix, r, u)
	var deltas []graph.Delta
	for _, q := range append(rp.dels, rp.lastDels...) {
		deltas = append(deltas, graph.Delta{Quad: fromIndex(q), Action: graph.Delete})
	}
	for _, l := range []index.QuadList{rp.adds, index.Quads(rp.lastAdds)} {
		for i := range l.Len() {
			deltas = append(deltas, graph.Delta{Quad: fromIndex(l.At(i)), Action: graph.Add})
		}
	}
	for _, q := range restore {
		deltas = append(deltas, graph.Delta{Quad: q, Action: graph.Delete})
	}
	c.Added, c.Deleted = rp.adds.Len(), len(rp.dels)
	return c, s.applyEdit(ctx, deltas, c)
}

// DeleteArticle removes an article written through the API and every fact it stated, in one
// transaction. Articles of the data folder are removed by removing their file; asking for one
// is an INVALID error naming it.
func (s *Store) DeleteArticle(ctx context.Context, id string) (*Change, error) {
	unlock, err := s.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	ix := s.Index()
	r := newRun(ix)
	key := kg.APIKeyPrefix + id
	if _, ok := r.hashes[key]; !ok {
		if owner := r.owner[kg.ArticleIRI(id)]; owner != "" {
			return nil, kg.Errorf(kg.EInvalid, "article %s comes from %s: remove or edit that file instead", id, strings.TrimPrefix(owner, dataKeyPrefix))
		}
		return nil, kg.Errorf(kg.ENotFound, "no article %q was written through the API", id)
	}
	c := &Change{Article: kg.ArticleIRI(id)}
	var deltas []graph.Delta
	for _, l := range r.owned[key] {
		for _, q := range ix.LabelQuads(l) {
			deltas = append(deltas, graph.Delta{Quad: fromIndex(q), Action: graph.Delete})
			c.Deleted++
		}
	}
	for _, q := range manifestQuads(ix, key) {
		deltas = append(deltas, graph.Delta{Quad: q, Action: graph.Delete})
	}
	return c, s.applyEdit(ctx, deltas, c)
}

// Delete marks entities or relationships (by IRI) as deleted, with the reason given; the read
// index then leaves out every fact about them, whichever file states it, and a relationship
// loses nothing but disappears when one of its participants is deleted. The mark is kept under
// kg.EditsLabel, so it survives syncs and restarts; an article that declares the entity again
// through Put restores it.
func (s *Store) Delete(ctx context.Context, iris []string, reason string) (*Change, error) {
	unlock, err := s.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	c := &Change{}
	var deltas []graph.Delta
	for _, iri := range iris {
		if strings.HasPrefix(iri, kg.RelationPrefix) {
			c.Relations = append(c.Relations, iri)
		} else {
			c.Entities = append(c.Entities, iri)
		}
		deltas = append(deltas, graph.Delta{Action: graph.Add,
			Quad: quad.Quad{Subject: quad.IRI(iri), Predicate: quad.IRI(kg.PredDeleted), Object: quad.String(reason), Label: quad.IRI(kg.EditsLabel)}})
	}
	return c, s.applyEdit(ctx, deltas, c)
}

// Merge folds the entity loser into winner (both IRIs): the loser's names become the winner's
// aliases and its facts move over. The merge is kept under kg.EditsLabel like a deletion.
// Merging an entity into itself or into one of another kind is an INVALID error, an IRI that
// names no entity a NOT_FOUND error, and a name or alias of the loser that a third entity goes
// by (it would become an alias the winner shares) a CONFLICT error.
func (s *Store) Merge(ctx context.Context, winner, loser string) (*Change, error) {
	if winner == loser {
		return nil, kg.Errorf(kg.EInvalid, "cannot merge an entity into itself")
	}
	unlock, err := s.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	ix := s.Index()
	win, lose := ix.Entity(winner), ix.Entity(loser)
	for _, e := range []struct {
		iri string
		e   *index.Entity
	}{{winner, win}, {loser, lose}} {
		if e.e == nil {
			return nil, kg.Errorf(kg.ENotFound, "no entity %s", kg.LocalID(e.iri))
		}
	}
	if win.Kind != lose.Kind {
		return nil, kg.Errorf(kg.EInvalid, "cannot merge %s (a %s) into %s (a %s): only entities of the same kind merge, since the winner keeps its kind and every fact about the loser would then be about a %s",
			lose.Name, lose.Kind, win.Name, win.Kind, win.Kind)
	}
	byName := entitiesByName(ix)
	for _, n := range append([]string{lose.Name}, lose.Aliases...) {
		for _, other := range byName[index.Normalize(n)] {
			if other != win && other != lose {
				return nil, kg.Errorf(kg.EConflict, "cannot merge %s into %s: %q would become an alias of %s, but %s (a %s) goes by it too; a name or alias may stand for one entity only",
					lose.Name, win.Name, n, win.Name, other.Name, other.Kind)
			}
		}
	}
	c := &Change{Entities: []string{winner, loser}}
	deltas := []graph.Delta{{Action: graph.Add,
		Quad: quad.Quad{Subject: quad.IRI(loser), Predicate: quad.IRI(kg.PredMergedInto), Object: quad.IRI(winner), Label: quad.IRI(kg.EditsLabel)}}}
	return c, s.applyEdit(ctx, deltas, c)
}

// applyEdit writes deltas in one transaction, brings the read index (and, on a shared
// database, the other instances) up to date and notifies subscribers. Adding a quad the store
// has, or deleting one it has not, is skipped.
func (s *Store) applyEdit(ctx context.Context, deltas []graph.Delta, c *Change) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ix := s.Index()
	ch := &changes{deleted: map[index.Quad]bool{}, keys: []string{c.Article}}
	if c.Article == "" {
		ch.keys = append(append([]string{}, c.Entities...), c.Relations...)
	}
	in := intern{}
	var effective []graph.Delta
	var added index.Quads
	for _, d := range deltas {
		iq := in.quad(d.Quad)
		has := false
		for _, q := range ix.SubjectQuads(iq.Subject.Value) {
			if q == iq {
				has = true
				break
			}
		}
		switch {
		case d.Action == graph.Add && !has:
			added = append(added, iq)
		case d.Action == graph.Delete && has:
			ch.deleted[iq] = true
		default:
			continue
		}
		effective = append(effective, d)
	}
	ch.added = []index.QuadList{added}
	if len(effective) > 0 {
		if err := s.qs.ApplyDeltas(effective, graph.IgnoreOpts{}); err != nil {
			return fmt.Errorf("write: %w", err)
		}
	}
	// The write is done: the index must show it even if the request gives up now.
	if err := s.publish(context.WithoutCancel(ctx), ix, ch); err != nil {
		return fmt.Errorf("rebuild read index: %w", err)
	}
	c.Index = s.Index()
	s.notify(*c)
	return nil
}

// manifestQuads returns the manifest entry of the file or API article with the key.
func manifestQuads(ix *index.Index, key string) []quad.Quad {
	var out []quad.Quad
	for _, q := range ix.SubjectQuads(filePrefix + key) {
		if q.Label.Value == ManifestLabel {
			out = append(out, fromIndex(q))
		}
	}
	return out
}

// tombstones returns the deletion marks stored for iri.
func tombstones(ix *index.Index, iri string) []quad.Quad {
	var out []quad.Quad
	for _, q := range ix.SubjectQuads(iri) {
		if q.Label.Value == kg.EditsLabel && q.Predicate.Value == kg.PredDeleted {
			out = append(out, fromIndex(q))
		}
	}
	return out
}
