// Package storetest gives tests a fresh, empty store of each kind the server supports: Cayley's
// memory store, a bolt file, and — when KG_TEST_POSTGRES_URL names a PostgreSQL server — a
// schema of its own in that database, dropped when the test ends.
//
// Tests pick the kind with KG_TEST_STORE (memory, bolt or postgres; memory when unset), so one
// suite runs against every backend. With KG_TEST_POSTGRES_URL set, a database that cannot be
// reached fails the test; without it, PostgreSQL tests skip with the reason.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/lib/pq" // the "postgres" database/sql driver

	"github.com/kgraph/telegraph/internal/skipped"
)

// Backends are the kinds of store a suite runs against.
var Backends = []string{"memory", "bolt", "postgres"}

// PostgresEnv names the variable holding the URL of a PostgreSQL server for tests.
const PostgresEnv = "KG_TEST_POSTGRES_URL"

// PostgresGroup and PostgresWhy name the tests that need PostgreSQL and say how to run them,
// for skipped.Skip.
const (
	PostgresGroup = "PostgreSQL backend"
	PostgresWhy   = PostgresEnv + " is not set; set it to postgres://user@host:5432/db?sslmode=disable to run them (.ci/run starts a server)"
)

// StoreEnv names the variable that picks the backend of a suite run.
const StoreEnv = "KG_TEST_STORE"

// Backend returns the backend KG_TEST_STORE picks, memory by default.
func Backend() string {
	if b := os.Getenv(StoreEnv); b != "" {
		return b
	}
	return "memory"
}

// DSN returns a --db value for a fresh, empty store of the backend.
func DSN(t testing.TB, backend string) string {
	t.Helper()
	switch backend {
	case "memory":
		return "memory"
	case "bolt":
		return filepath.Join(t.TempDir(), "kg.db")
	case "postgres":
		return Postgres(t)
	}
	t.Fatalf("%s=%q: use memory, bolt or postgres", StoreEnv, backend)
	return ""
}

// Postgres returns the URL of a new schema in the KG_TEST_POSTGRES_URL database, which every
// connection made with the URL uses; the schema is dropped at the end of the test. Several calls
// in one test give several databases; to share one, use the URL twice.
func Postgres(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		skipped.Skip(t, PostgresGroup, PostgresWhy)
	}
	db, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatalf("%s=%s: %v", PostgresEnv, base, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		t.Fatalf("%s=%s: cannot reach PostgreSQL: %v", PostgresEnv, base, err)
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "kg_test_" + hex.EncodeToString(b[:])
	if _, err := db.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		db.Close()
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		defer db.Close()
		if _, err := db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s=%s: %v", PostgresEnv, base, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
