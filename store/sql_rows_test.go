package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"strings"
	"testing"
)

// errDropped is what the fake driver's rows report when the connection goes mid-read.
var errDropped = errors.New("connection reset by peer")

// droppingDriver is a database/sql driver that answers scan's queries and drops the connection
// after the first row of the table named in dropIn ("nodes" or "quads").
type droppingDriver struct{ dropIn string }

func (d droppingDriver) Open(string) (driver.Conn, error) { return droppingConn(d), nil }

type droppingConn struct{ dropIn string }

func (c droppingConn) Prepare(string) (driver.Stmt, error) {
	return nil, errors.New("not supported")
}
func (c droppingConn) Close() error              { return nil }
func (c droppingConn) Begin() (driver.Tx, error) { return droppingTx{}, nil }
func (c droppingConn) BeginTx(context.Context, driver.TxOptions) (driver.Tx, error) {
	return droppingTx{}, nil
}

func (c droppingConn) QueryContext(_ context.Context, query string, _ []driver.NamedValue) (driver.Rows, error) {
	switch {
	case query == generationRead:
		return &fakeRows{cols: []string{"gen"}, rows: [][]driver.Value{{int64(7)}}}, nil
	case strings.Contains(query, "FROM nodes"):
		node := func(h, iri string) []driver.Value {
			return []driver.Value{[]byte(h), nil, iri, nil, nil, true, false, nil, nil, nil, nil}
		}
		r := &fakeRows{cols: strings.Fields("hash value value_string datatype language iri bnode value_int value_bool value_float value_time"),
			rows: [][]driver.Value{node("s", "kg:s"), node("p", "kg:p"), node("o", "kg:o")}}
		if c.dropIn == "nodes" {
			r.failAfter = 1
		}
		return r, nil
	case strings.Contains(query, "FROM quads"):
		r := &fakeRows{cols: strings.Fields("subject_hash predicate_hash object_hash label_hash"),
			rows: [][]driver.Value{{[]byte("s"), []byte("p"), []byte("o"), nil}, {[]byte("o"), []byte("p"), []byte("s"), nil}}}
		if c.dropIn == "quads" {
			r.failAfter = 1
		}
		return r, nil
	}
	return nil, errors.New("unexpected query " + query)
}

type droppingTx struct{}

func (droppingTx) Commit() error   { return nil }
func (droppingTx) Rollback() error { return nil }

// fakeRows returns rows, or errDropped in place of row failAfter when failAfter > 0.
type fakeRows struct {
	cols      []string
	rows      [][]driver.Value
	next      int
	failAfter int
}

func (r *fakeRows) Columns() []string { return r.cols }
func (r *fakeRows) Close() error      { return nil }
func (r *fakeRows) Next(dest []driver.Value) error {
	if r.failAfter > 0 && r.next == r.failAfter {
		return errDropped
	}
	if r.next == len(r.rows) {
		return io.EOF
	}
	copy(dest, r.rows[r.next])
	r.next++
	return nil
}

func init() {
	sql.Register("kg-drop-nodes", droppingDriver{dropIn: "nodes"})
	sql.Register("kg-drop-quads", droppingDriver{dropIn: "quads"})
	sql.Register("kg-drop-none", droppingDriver{})
}

// TestSQLScanReportsADroppedConnection checks that a read of the index cut short by the
// database is an error, not a partial index.
func TestSQLScanReportsADroppedConnection(t *testing.T) {
	for _, tc := range []struct {
		driver    string
		wantErr   error
		wantQuads int
	}{
		{"kg-drop-none", nil, 2},
		{"kg-drop-nodes", errDropped, 0},
		{"kg-drop-quads", errDropped, 0},
	} {
		t.Run(tc.driver, func(t *testing.T) {
			db, err := sql.Open(tc.driver, "")
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			quads, gen, err := (&sqlBackend{db: db, flavor: "postgres"}).scan(context.Background())
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("scan: got error %v, want %v", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			if got := len(quads); got != tc.wantQuads || gen != 7 {
				t.Errorf("scan: got %d quads at generation %d, want %d at 7", got, gen, tc.wantQuads)
			}
			for _, q := range quads {
				if q.Subject.Value == "" || q.Object.Value == "" {
					t.Errorf("quad %+v has a node that was never read", q)
				}
			}
		})
	}
}
