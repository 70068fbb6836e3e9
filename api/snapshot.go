package api

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"

	"github.com/kgraph/telegraph/graph"
	"github.com/kgraph/telegraph/index"
)

// snapshotSchema runs each operation against one read index: the one current when the
// operation first reads. The store swaps in a new index after every write, and without this
// two root fields of one query could answer from either side of a write.
type snapshotSchema struct {
	costSchema
	src graph.Source
}

func (s snapshotSchema) Exec(ctx context.Context) graphql.ResponseHandler {
	return graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{Graph: pin(s.src, snapshotOf(ctx))}}).Exec(ctx)
}

type snapshotKey struct{}

// withSnapshot makes the operation run in ctx answer from snap: the response cache takes the
// index first, to name it in its key.
func withSnapshot(ctx context.Context, snap *snapshot) context.Context {
	return context.WithValue(ctx, snapshotKey{}, snap)
}

// snapshotOf returns the snapshot withSnapshot put in ctx, or nil.
func snapshotOf(ctx context.Context) *snapshot {
	s, _ := ctx.Value(snapshotKey{}).(*snapshot)
	return s
}

// snapshot takes the index once, on first use, so that a source whose Index fails does so
// inside a resolver, where the panic is recovered and reported.
type snapshot struct {
	once sync.Once
	get  func() *index.Index
	idx  *index.Index
}

func (s *snapshot) index() *index.Index {
	s.once.Do(func() { s.idx = s.get() })
	return s.idx
}

type pinnedSource struct {
	graph.Source
	snap *snapshot
}

func (p pinnedSource) Index() *index.Index { return p.snap.index() }

type pinnedWriter struct {
	graph.Writer
	snap *snapshot
}

func (p pinnedWriter) Index() *index.Index { return p.snap.index() }

// pin returns src with its index fixed for one operation by snap (a new snapshot when snap is
// nil); writes and subscriptions still go to src, and report the index that shows them.
func pin(src graph.Source, snap *snapshot) graph.Source {
	if snap == nil {
		snap = &snapshot{get: src.Index}
	}
	if w, ok := src.(graph.Writer); ok {
		return pinnedWriter{w, snap}
	}
	return pinnedSource{src, snap}
}
