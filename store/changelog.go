package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cayleygraph/quad/nquads"

	"github.com/kgraph/telegraph/index"
)

// On SQL backends every write appends its change to kg_changes under the generation it bumped
// kg_generation to, in one transaction with the bump: what it added and removed, as N-Quads.
// An instance that finds the counter moved reads the changes after its own generation and
// applies them to its index, as the writer did; it reads every quad again only when the log no
// longer holds all of them (trimmed by ChangeLog), or when a change was too big to log.
const (
	changeTable = `CREATE TABLE IF NOT EXISTS kg_changes (
		gen BIGINT PRIMARY KEY,
		at TIMESTAMPTZ NOT NULL DEFAULT now(),
		keys TEXT NOT NULL,
		rescan BOOLEAN NOT NULL,
		added TEXT NOT NULL,
		removed TEXT NOT NULL)`
	changeInsert = `INSERT INTO kg_changes (gen, keys, rescan, added, removed) VALUES ($1, $2, $3, $4, $5)`
	changeTrim   = `DELETE FROM kg_changes WHERE gen <= $1 OR at < now() - $2::interval`
	changeRead   = `SELECT gen, rescan, added, removed FROM kg_changes WHERE gen > $1 AND gen <= $2 ORDER BY gen`
)

// ChangeLog bounds the change log of a SQL database. Each write trims it to the newest
// MaxChanges changes, and drops those older than MaxAge; an instance that falls further behind
// reads the whole store instead of the log.
type ChangeLog struct {
	MaxAge     time.Duration // zero means DefaultChangeLogAge
	MaxChanges int           // zero means DefaultChangeLogSize
}

// Defaults of ChangeLog.
const (
	DefaultChangeLogAge  = 24 * time.Hour
	DefaultChangeLogSize = 10_000
)

// maxLoggedQuads is the most quads one change logs; a bigger write (a bulk load) is logged as
// "rescan", since an instance reading it would read about as much as reading the store.
const maxLoggedQuads = 100_000

// record bumps the write counter and logs the change under the new generation, in one
// transaction, then trims the log. keys name the files or API articles written.
func (b *sqlBackend) record(ctx context.Context, keys []string, ch *changes, limits ChangeLog) (int64, error) {
	age, size := limits.MaxAge, limits.MaxChanges
	if age <= 0 {
		age = DefaultChangeLogAge
	}
	if size <= 0 {
		size = DefaultChangeLogSize
	}
	rescan := ch.partial || countQuads(ch.added)+len(ch.deleted) > maxLoggedQuads
	var added, removed string
	if !rescan {
		var err error
		if added, err = encodeQuads(addedQuads(ch.added)); err != nil {
			return 0, fmt.Errorf("record write: %w", err)
		}
		gone := make([]index.Quad, 0, len(ch.deleted))
		for q := range ch.deleted {
			gone = append(gone, q)
		}
		sortQuads(gone)
		if removed, err = encodeQuads(gone); err != nil {
			return 0, fmt.Errorf("record write: %w", err)
		}
	}
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("record write: %w", err)
	}
	defer tx.Rollback()
	var g int64
	if err := tx.QueryRowContext(ctx, generationBump).Scan(&g); err != nil {
		return 0, fmt.Errorf("record write: %w", err)
	}
	if _, err := tx.ExecContext(ctx, changeInsert, g, strings.Join(keys, "\n"), rescan, added, removed); err != nil {
		return 0, fmt.Errorf("record write: %w", err)
	}
	if _, err := tx.ExecContext(ctx, changeTrim, g-int64(size), fmt.Sprintf("%d microseconds", age.Microseconds())); err != nil {
		return 0, fmt.Errorf("trim change log: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("record write: %w", err)
	}
	return g, nil
}

// errLogGap says that the change log does not hold every change an instance needs.
var errLogGap = errors.New("change log does not reach back far enough")

// changesSince returns the quads the writes after generation from added and removed, in
// order, up to the current generation, which it returns too. It fails with errLogGap when the
// log lacks one of those writes or one is logged as too big to log.
func (b *sqlBackend) changesSince(ctx context.Context, from int64) (added []index.Quad, removed map[index.Quad]bool, gen int64, err error) {
	tx, err := b.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, nil, 0, err
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, generationRead).Scan(&gen); err != nil {
		return nil, nil, 0, fmt.Errorf("read write counter: %w", err)
	}
	rows, err := tx.QueryContext(ctx, changeRead, from, gen)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("read change log: %w", err)
	}
	defer rows.Close()
	removed = map[index.Quad]bool{}
	in := intern{}
	next := from + 1
	for rows.Next() {
		var (
			g           int64
			rescan      bool
			plus, minus string
		)
		if err := rows.Scan(&g, &rescan, &plus, &minus); err != nil {
			return nil, nil, 0, fmt.Errorf("read change log: %w", err)
		}
		if g != next || rescan {
			return nil, nil, gen, errLogGap
		}
		next++
		gone, err := decodeQuads(in, minus)
		if err != nil {
			return nil, nil, 0, fmt.Errorf("read change %d: %w", g, err)
		}
		more, err := decodeQuads(in, plus)
		if err != nil {
			return nil, nil, 0, fmt.Errorf("read change %d: %w", g, err)
		}
		// A quad an earlier change of this batch added leaves the additions; one the index
		// holds is marked removed. A quad added back after its removal is the index's again.
		if len(gone) > 0 {
			drop := map[index.Quad]bool{}
			for _, q := range gone {
				drop[q] = true
			}
			kept := added[:0]
			for _, q := range added {
				if drop[q] {
					delete(drop, q)
				} else {
					kept = append(kept, q)
				}
			}
			added = kept
			for q := range drop {
				removed[q] = true
			}
		}
		for _, q := range more {
			if removed[q] {
				delete(removed, q)
			} else {
				added = append(added, q)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, 0, fmt.Errorf("read change log: %w", err)
	}
	if next != gen+1 {
		return nil, nil, gen, errLogGap
	}
	return added, removed, gen, nil
}

// catchUp brings the index up to the database's generation: from the change log when it holds
// every write since the index's generation, else by reading every quad. The caller holds
// writeMu.
func (s *Store) catchUp(ctx context.Context) error {
	from := s.gen.Load()
	added, removed, gen, err := s.sql.changesSince(ctx, from)
	if errors.Is(err, errLogGap) {
		return s.refresh(ctx)
	}
	if err != nil {
		return fmt.Errorf("read store %s: %w", s.where, err)
	}
	s.quads.Add(int64(len(added) + len(removed)))
	if gen != from {
		s.idx.Store(index.BuildTable(nextQuads(s.Index(), removed, []index.QuadList{index.Quads(added)}, nil)))
		s.gen.Store(gen)
	}
	s.polled.Store(time.Now().UnixNano())
	return nil
}

// encodeQuads writes quads as N-Quads.
func encodeQuads(qs []index.Quad) (string, error) {
	var buf bytes.Buffer
	w := nquads.NewWriter(&buf)
	for _, q := range qs {
		if err := w.WriteQuad(fromIndex(q)); err != nil {
			return "", err
		}
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// decodeQuads reads what encodeQuads wrote, keeping typed literals as written so that the
// quads equal the writer's.
func decodeQuads(in intern, text string) ([]index.Quad, error) {
	r := nquads.NewReader(strings.NewReader(text), true)
	var out []index.Quad
	for {
		q, err := r.ReadQuad()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, in.quad(q))
	}
}
