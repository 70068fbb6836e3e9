// Package store is the one package that talks to Cayley. It opens the quad store, writes the
// facts the loader produces (article by article, each write atomic), keeps a manifest of which
// data file owns which quads, and serves reads from an in-memory index rebuilt after each write.
package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/memstore"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"
	boltdb "go.etcd.io/bbolt"

	"github.com/kgraph/telegraph/index"
)

// Memory is the --db value that selects Cayley's in-memory store.
const Memory = "memory"

// LockTimeout bounds how long Open waits for a store file another process holds.
var LockTimeout = 3 * time.Second

// ErrLocked is returned by Open when another process holds the store file.
var ErrLocked = errors.New("store file is in use by another process")

// DefaultBatch is how many quads one transaction writes when a file is loaded, unless
// Store.Batch says otherwise.
const DefaultBatch = 50_000

// Store is a Cayley quad store with the graph's read index beside it.
type Store struct {
	qs    graph.QuadStore
	where string
	sql   *sqlBackend // set for PostgreSQL and CockroachDB
	bolt  *boltdb.DB  // set for a bolt file
	snap  *snapshotter

	// Batch is how many quads one transaction writes; a file with more quads is written in
	// several transactions, its manifest entry in the last, so an interrupted load leaves the
	// file unrecorded and the next load finishes it. Zero means DefaultBatch.
	Batch int
	// Written, when set, is told after each transaction of a load how many of the file's
	// changed quads are written.
	Written func(path string, done, total int)
	// LastLoad, when set, keeps loads from building the read index for what they wrote: for a
	// process that exits after one load, where building it would only cost time and memory
	// (about 9 GB and a core for ten million quads). Index then no longer matches the store.
	LastLoad bool
	// ChangeLog bounds the log of changes a SQL database keeps for other instances (see
	// Poll). Zero values take the defaults.
	ChangeLog ChangeLog

	writeMu sync.Mutex // serialises writes and index rebuilds
	idx     indexRef
	gen     atomic.Int64 // SQL write counter the index reflects
	polled  atomic.Int64 // when a poll of a shared database last succeeded, Unix nanoseconds
	reads   atomic.Int64 // quad store read passes, for tests of batching
	quads   atomic.Int64 // quads read from a SQL database: whole scans and changes
	changes feedOnce     // subscribers to writes made through the API (write.go)
}

// Open opens the store named by dsn: "memory" for Cayley's memstore, the path of a bolt file
// (created with its parent folder on first use), a PostgreSQL URL (postgres://user:pass@host/db)
// or a CockroachDB URL (cockroach://user@host:26257/db, otherwise as PostgreSQL's). A bolt file
// that another process holds fails within LockTimeout with ErrLocked; a database that cannot be
// reached fails with the reason. Several processes may open one SQL database; see Follow.
func Open(ctx context.Context, dsn string) (*Store, error) { return OpenWith(ctx, dsn, Options{}) }

// OpenWith opens the store named by dsn as Open does. A bolt store, and a SQL database when
// o.IndexCache is set, builds its read index from its snapshot when that is valid for the store
// as it is now, and keeps the snapshot up to date (see Options).
func OpenWith(ctx context.Context, dsn string, o Options) (*Store, error) {
	var (
		qs  graph.QuadStore
		sb  *sqlBackend
		db  *boltdb.DB
		err error
	)
	switch {
	case dsn == "" || dsn == Memory:
		qs, dsn = memstore.New(), Memory
	case strings.Contains(dsn, "://"):
		if _, _, _, ok := sqlTarget(dsn); !ok {
			return nil, fmt.Errorf("open store %q: unknown kind of URL; use postgres://…, cockroach://…, a bolt file path or %q", redact(dsn), Memory)
		}
		qs, sb, err = openSQL(ctx, dsn)
		if err != nil {
			return nil, err
		}
		dsn = redact(dsn)
	default:
		qs, db, err = openBolt(dsn, o.Bulk)
		if err != nil {
			return nil, err
		}
	}
	s := &Store{qs: qs, where: dsn, sql: sb, bolt: db}
	if err := s.openIndex(ctx, o); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close writes the read index snapshot when the index changed since the last one, and
// releases the store.
func (s *Store) Close() error {
	s.closeSnapshot()
	err := s.qs.Close()
	if s.sql != nil {
		err = errors.Join(err, s.sql.db.Close())
	}
	return err
}

// Where names the store: "memory", the bolt file path, or the database URL without its password.
func (s *Store) Where() string { return s.where }

// indexRef holds the current read index and counts the indexes it has held.
type indexRef struct {
	p      atomic.Pointer[index.Index]
	builds atomic.Int64
}

func (r *indexRef) Load() *index.Index { return r.p.Load() }

func (r *indexRef) Store(x *index.Index) {
	r.p.Store(x)
	r.builds.Add(1)
}

// IndexBuilds returns how many read indexes the store has put in place since it was opened: one
// when opened, and one more after each write or each other instance's write that Poll found.
func (s *Store) IndexBuilds() int64 { return s.idx.builds.Load() }

// Generation returns the write counter of a shared database (kg_generation) that the read index
// reflects, and 0 for an embedded store.
func (s *Store) Generation() int64 { return s.gen.Load() }

// LastPoll returns when Poll last read a shared database's write counter, or the open read
// the database; the zero time for an embedded store. The index may lag the database by the
// time since.
func (s *Store) LastPoll() time.Time {
	if n := s.polled.Load(); n != 0 {
		return time.Unix(0, n)
	}
	return time.Time{}
}

// Index returns the current read index. It is immutable; a later write swaps in a new one.
func (s *Store) Index() *index.Index { return s.idx.Load() }

// Reads returns how many passes over the quad store have been made since Open. Requests read the
// index, never the quad store, so this does not grow with queries.
func (s *Store) Reads() int64 { return s.reads.Load() }

// QuadsRead returns how many quads the store has read from a SQL database since Open, counting
// every quad of a full read and each quad added or removed by a change read from the change
// log; 0 for an embedded store.
func (s *Store) QuadsRead() int64 { return s.quads.Load() }

// refresh rebuilds the read index from every quad in the store.
func (s *Store) refresh(ctx context.Context) error {
	if s.sql != nil {
		s.reads.Add(1)
		quads, gen, err := s.sql.scan(ctx)
		if err != nil {
			return fmt.Errorf("read store %s: %w", s.where, err)
		}
		s.quads.Add(int64(len(quads)))
		s.idx.Store(index.Build(quads))
		s.gen.Store(gen)
		s.polled.Store(time.Now().UnixNano())
		return nil
	}
	// Each distinct term is kept once, in the table the index keeps.
	enc := index.NewEncoder()
	err := s.each(ctx, func(q quad.Quad) error {
		enc.Add(toIndex(q))
		return nil
	})
	if err != nil {
		return fmt.Errorf("read store: %w", err)
	}
	s.idx.Store(index.BuildTable(enc.Table()))
	return nil
}

// Shared reports whether other processes may write to the store (a SQL database), so that
// Follow is worth running.
func (s *Store) Shared() bool { return s.sql != nil }

// Poll checks whether another instance has written to a shared database since the index was
// built and, if so, brings the index up to date. It reports whether it did. The index takes the
// changes logged since its generation (see ChangeLog), as the writer's did, and is built from
// every quad in the database only when the log no longer holds them all. On an
// embedded store (memory, bolt) nobody else writes, and it does nothing.
func (s *Store) Poll(ctx context.Context) (bool, error) {
	if s.sql == nil {
		return false, nil
	}
	g, err := s.sql.generation(ctx)
	if err != nil {
		return false, err
	}
	if g == s.gen.Load() {
		s.polled.Store(time.Now().UnixNano())
		return false, nil
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if g, err = s.sql.generation(ctx); err != nil || g == s.gen.Load() {
		return false, err
	}
	return true, s.catchUp(ctx)
}

// Follow calls Poll every interval until ctx is done, so that a write through another instance
// reaches this one's index within one interval plus the time to rebuild the index. Failed polls
// are passed to report (when not nil) and retried at the next tick.
func (s *Store) Follow(ctx context.Context, every time.Duration, report func(error)) {
	if s.sql == nil || every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := s.Poll(ctx); err != nil && ctx.Err() == nil && report != nil {
			report(err)
		}
	}
}

// each calls fn for every quad in the store, stopping when ctx is done.
func (s *Store) each(ctx context.Context, fn func(quad.Quad) error) error {
	s.reads.Add(1)
	it := s.qs.QuadsAllIterator().Iterate()
	defer it.Close()
	for it.Next(ctx) {
		if err := ctx.Err(); err != nil {
			return err
		}
		q, err := s.qs.Quad(it.Result())
		if err != nil {
			return err
		}
		if err := fn(q); err != nil {
			return err
		}
	}
	if err := it.Err(); err != nil {
		return err
	}
	return ctx.Err()
}

// Export writes every quad as N-Quads, in index order, except the store's own manifest: the
// output is the graph's facts (with deletion and merge marks), and loads into another store.
func (s *Store) Export(ctx context.Context, w io.Writer) error {
	enc := nquads.NewWriter(w)
	manifest := quad.IRI(ManifestLabel)
	err := s.each(ctx, func(q quad.Quad) error {
		if q.Label == manifest {
			return nil // bookkeeping of this store, not a fact: a load elsewhere keeps its own
		}
		return enc.WriteQuad(q)
	})
	if err != nil {
		return err
	}
	return enc.Close()
}

// intern shares one copy of each string among the quads the index holds: a node's IRI, a
// predicate or an article label recurs in many quads, and Cayley hands out a new copy each time.
type intern map[string]string

func (in intern) str(s string) string {
	if t, ok := in[s]; ok {
		return t
	}
	in[s] = s
	return s
}

func (in intern) term(v quad.Value) index.Term {
	t := term(v)
	t.Value = in.str(t.Value)
	if t.Datatype != "" {
		t.Datatype = in.str(t.Datatype)
	}
	return t
}

// toIndex returns the quad as the index has it, its strings as they are.
func toIndex(q quad.Quad) index.Quad {
	return index.Quad{Subject: term(q.Subject), Predicate: term(q.Predicate), Object: term(q.Object), Label: term(q.Label)}
}

func (in intern) quad(q quad.Quad) index.Quad {
	return index.Quad{Subject: in.term(q.Subject), Predicate: in.term(q.Predicate), Object: in.term(q.Object), Label: in.term(q.Label)}
}

func term(v quad.Value) index.Term {
	switch v := v.(type) {
	case nil:
		return index.Term{}
	case quad.IRI:
		return index.Term{Value: string(v), IRI: true}
	case quad.BNode:
		return index.Term{Value: string(v), BNode: true}
	case quad.String:
		return index.Term{Value: string(v)}
	case quad.LangString:
		return index.Term{Value: string(v.Value), Lang: v.Lang}
	case quad.TypedString:
		return index.Term{Value: string(v.Value), Datatype: string(v.Type)}
	default:
		if tv, ok := v.(quad.TypedStringer); ok {
			ts := tv.TypedString()
			return index.Term{Value: string(ts.Value), Datatype: string(ts.Type)}
		}
		return index.Term{Value: quad.StringOf(v)}
	}
}
