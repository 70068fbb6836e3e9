package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"net/url"
	"strings"
	"time"

	"github.com/cayleygraph/cayley/graph"
	_ "github.com/cayleygraph/cayley/graph/sql/cockroach" // registers the "cockroach" quad store
	_ "github.com/cayleygraph/cayley/graph/sql/postgres"  // registers the "postgres" quad store
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/lib/pq"

	"github.com/kgraph/telegraph/index"
)

// SQL backends keep, beside Cayley's nodes and quads tables, one row that counts writes. Every
// instance that writes bumps it after its write commits; every instance polls it and rebuilds its
// index when it moved, which is how several servers on one database stay in step.
const (
	generationTable = `CREATE TABLE IF NOT EXISTS kg_generation (id INT PRIMARY KEY, gen BIGINT NOT NULL)`
	generationSeed  = `INSERT INTO kg_generation (id, gen) VALUES (1, 0) ON CONFLICT (id) DO NOTHING`
	generationRead  = `SELECT gen FROM kg_generation WHERE id = 1`
	generationBump  = `UPDATE kg_generation SET gen = gen + 1 WHERE id = 1 RETURNING gen`
)

// sqlBackend is what the store keeps for a SQL database besides Cayley's quad store.
type sqlBackend struct {
	db     *sql.DB
	flavor string // "postgres" or "cockroach"
	lockID int64  // advisory lock that serialises writers (PostgreSQL only)
}

// sqlTarget maps a --db URL to Cayley's backend name, the database/sql driver and the URL that
// driver takes. postgres:// and postgresql:// select PostgreSQL; cockroach:// selects Cayley's
// CockroachDB backend and is otherwise a PostgreSQL URL (CockroachDB speaks its protocol).
func sqlTarget(dsn string) (flavor, driver, addr string, ok bool) {
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return "postgres", "postgres", dsn, true
	case strings.HasPrefix(dsn, "cockroach://"):
		return "cockroach", "pgx", "postgres://" + strings.TrimPrefix(dsn, "cockroach://"), true
	}
	return "", "", "", false
}

// redact hides the password of a database URL, for messages and Where.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

func openSQL(ctx context.Context, dsn string) (graph.QuadStore, *sqlBackend, error) {
	flavor, driver, addr, _ := sqlTarget(dsn)
	shown := redact(dsn)
	db, err := sql.Open(driver, addr)
	if err != nil {
		return nil, nil, fmt.Errorf("open store %s: %w", shown, err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("open store %s: %w; check that the database server runs and that the URL's host, port, user, password and database are right", shown, err)
	}
	fail := func(what string, err error) (graph.QuadStore, *sqlBackend, error) {
		db.Close()
		return nil, nil, fmt.Errorf("%s store %s: %w", what, shown, err)
	}
	h := fnv.New64a()
	h.Write([]byte("telegraph writers"))
	sb := &sqlBackend{db: db, flavor: flavor, lockID: int64(h.Sum64() >> 1)}
	// Instances starting together on a new database create the tables one at a time.
	unlock, err := sb.lockWriters(ctx)
	if err != nil {
		return fail("open", err)
	}
	defer unlock()
	if _, err := db.ExecContext(ctx, `SELECT 1 FROM quads LIMIT 1`); err != nil {
		// A new database: create Cayley's tables.
		if err := graph.InitQuadStore(flavor, addr, nil); err != nil && !errors.Is(err, graph.ErrDatabaseExists) && !alreadyExists(err) {
			return fail("initialise", err)
		}
	}
	if _, err := db.ExecContext(ctx, generationTable); err != nil && !alreadyExists(err) {
		return fail("initialise", err)
	}
	if _, err := db.ExecContext(ctx, changeTable); err != nil && !alreadyExists(err) {
		return fail("initialise", err)
	}
	if _, err := db.ExecContext(ctx, generationSeed); err != nil {
		return fail("initialise", err)
	}
	qs, err := graph.NewQuadStore(flavor, addr, nil)
	if err != nil {
		return fail("open", err)
	}
	return qs, sb, nil
}

// alreadyExists recognises the error of a second instance creating the same table at the same
// moment as another: the tables are there, which is all Open needs. It goes by the SQLSTATE the
// server sends (duplicate_table, duplicate_object, or the unique_violation in PostgreSQL's
// catalogue that CREATE … IF NOT EXISTS can meet in a race), through either driver.
func alreadyExists(err error) bool {
	var code string
	var pqErr *pq.Error
	var pgxErr *pgconn.PgError
	switch {
	case errors.As(err, &pqErr):
		code = string(pqErr.Code)
	case errors.As(err, &pgxErr):
		code = pgxErr.Code
	}
	switch code {
	case "42P07", "42710", "23505":
		return true
	}
	return false
}

// generation reads the write counter.
func (b *sqlBackend) generation(ctx context.Context) (int64, error) {
	var g int64
	if err := b.db.QueryRowContext(ctx, generationRead).Scan(&g); err != nil {
		return 0, fmt.Errorf("read write counter: %w", err)
	}
	return g, nil
}

// lockWriters waits until no other instance is writing and keeps them out until unlock is called.
// CockroachDB has no advisory locks; there concurrent loads of the same file are left to its
// transactions.
func (b *sqlBackend) lockWriters(ctx context.Context) (unlock func(), err error) {
	if b.flavor != "postgres" {
		return func() {}, nil
	}
	conn, err := b.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("lock writers: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, b.lockID); err != nil {
		conn.Close()
		return nil, fmt.Errorf("lock writers: %w", err)
	}
	return func() {
		// A background context: the unlock must happen even when the load was cancelled.
		conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, b.lockID)
		conn.Close()
	}, nil
}

// scan reads every quad with two plain SELECTs in one snapshot, instead of Cayley's iterator,
// which looks each node up with a query of its own. It returns the write counter of the snapshot.
func (b *sqlBackend) scan(ctx context.Context) ([]index.Quad, int64, error) {
	tx, err := b.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var gen int64
	if err := tx.QueryRowContext(ctx, generationRead).Scan(&gen); err != nil {
		return nil, 0, fmt.Errorf("read write counter: %w", err)
	}
	nodes := map[string]index.Term{}
	rows, err := tx.QueryContext(ctx, `SELECT hash, value, value_string, datatype, language, iri, bnode,
		value_int, value_bool, value_float, value_time FROM nodes`)
	if err != nil {
		return nil, 0, fmt.Errorf("read nodes: %w", err)
	}
	for rows.Next() {
		var (
			hash, data  []byte
			str, typ    sql.NullString
			lang        sql.NullString
			iri, bnode  sql.NullBool
			vint        sql.NullInt64
			vbool       sql.NullBool
			vfloat      sql.NullFloat64
			vtime       sql.NullTime
			value       quad.Value
			unmarshalEr error
		)
		if err := rows.Scan(&hash, &data, &str, &typ, &lang, &iri, &bnode, &vint, &vbool, &vfloat, &vtime); err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("read nodes: %w", err)
		}
		switch {
		case str.Valid && iri.Bool:
			value = quad.IRI(str.String)
		case str.Valid && bnode.Bool:
			value = quad.BNode(str.String)
		case str.Valid && lang.Valid:
			value = quad.LangString{Value: quad.String(unescapeNull(str.String)), Lang: lang.String}
		case str.Valid && typ.Valid:
			value = quad.TypedString{Value: quad.String(unescapeNull(str.String)), Type: quad.IRI(typ.String)}
		case str.Valid:
			value = quad.String(unescapeNull(str.String))
		case vint.Valid:
			value = quad.Int(vint.Int64)
		case vbool.Valid:
			value = quad.Bool(vbool.Bool)
		case vfloat.Valid:
			value = quad.Float(vfloat.Float64)
		case vtime.Valid:
			value = quad.Time(vtime.Time.UTC())
		default:
			value, unmarshalEr = pquads.UnmarshalValue(data)
			if unmarshalEr != nil {
				rows.Close()
				return nil, 0, fmt.Errorf("read node value: %w", unmarshalEr)
			}
		}
		nodes[string(hash)] = term(value)
	}
	// Next also stops at an error (a dropped connection): without this check the quads below
	// would point at nodes never read.
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, 0, fmt.Errorf("read nodes: %w", err)
	}
	if err := rows.Close(); err != nil {
		return nil, 0, fmt.Errorf("read nodes: %w", err)
	}
	rows, err = tx.QueryContext(ctx, `SELECT subject_hash, predicate_hash, object_hash, label_hash FROM quads ORDER BY horizon`)
	if err != nil {
		return nil, 0, fmt.Errorf("read quads: %w", err)
	}
	defer rows.Close()
	var out []index.Quad
	for rows.Next() {
		var s, p, o, l []byte
		if err := rows.Scan(&s, &p, &o, &l); err != nil {
			return nil, 0, fmt.Errorf("read quads: %w", err)
		}
		q := index.Quad{Subject: nodes[string(s)], Predicate: nodes[string(p)], Object: nodes[string(o)]}
		if l != nil {
			q.Label = nodes[string(l)]
		}
		out = append(out, q)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("read quads: %w", err)
	}
	return out, gen, nil
}

// unescapeNull undoes Cayley's escaping of NUL bytes, which PostgreSQL text cannot hold.
func unescapeNull(s string) string { return strings.ReplaceAll(s, `\x00`, "\u0000") }
