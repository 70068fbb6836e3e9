package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kgraph/telegraph/internal/skipped"
	"github.com/kgraph/telegraph/store/storetest"
)

// TestMain says which groups of this package's tests skipped, and why, even without -v.
func TestMain(m *testing.M) { os.Exit(skipped.Main(m)) }

const articleA = `article a
  title: Article A
  date: 2017-05-01

entity x Company
  name: X Corp
  quote: X Corp and Y Ltd signed

entity y Company
  name: Y Ltd
  quote: X Corp and Y Ltd signed

rel partnership x-y
  party: x, y
  kind: MoU
  quote: X Corp and Y Ltd signed
`

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// dump returns the store's quads, sorted, as N-Quads lines.
func dump(t *testing.T, s *Store) string {
	t.Helper()
	var buf bytes.Buffer
	if err := s.Export(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func syncDir(t *testing.T, s *Store, dir string) *Report {
	t.Helper()
	rep, err := s.Sync(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// each runs the test against the memory store, a bolt file and, when KG_TEST_POSTGRES_URL is
// set, a fresh PostgreSQL schema.
func each(t *testing.T, fn func(t *testing.T, s *Store)) {
	for _, backend := range storetest.Backends {
		t.Run(backend, func(t *testing.T) {
			s, err := Open(context.Background(), storetest.DSN(t, backend))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			fn(t, s)
		})
	}
}

func TestSyncIsIdempotent(t *testing.T) {
	each(t, func(t *testing.T, s *Store) {
		dir := t.TempDir()
		write(t, dir, "a.kg", articleA)
		rep := syncDir(t, s, dir)
		if len(rep.Loaded) != 1 || rep.Added == 0 {
			t.Fatalf("first sync: %+v, want one file loaded", rep)
		}
		before := dump(t, s)
		rep = syncDir(t, s, dir)
		if len(rep.Loaded) != 0 || len(rep.Unchanged) != 1 || rep.Added != 0 || rep.Deleted != 0 {
			t.Errorf("second sync: %+v, want nothing to do", rep)
		}
		if after := dump(t, s); after != before {
			t.Errorf("second sync changed the store:\nbefore:\n%s\nafter:\n%s", before, after)
		}
	})
}

func TestSyncReplacesEditedArticle(t *testing.T) {
	each(t, func(t *testing.T, s *Store) {
		dir := t.TempDir()
		write(t, dir, "a.kg", articleA)
		syncDir(t, s, dir)
		write(t, dir, "a.kg", strings.Replace(articleA, "kind: MoU", "kind: strategic agreement", 1))
		rep := syncDir(t, s, dir)
		if rep.Added != 1 || rep.Deleted != 1 {
			t.Errorf("edit: added %d deleted %d, want 1 and 1", rep.Added, rep.Deleted)
		}
		got := dump(t, s)
		if strings.Contains(got, `"MoU"`) {
			t.Errorf("stale fact remains after edit:\n%s", got)
		}
		if !strings.Contains(got, `"strategic agreement"`) {
			t.Errorf("edited fact missing:\n%s", got)
		}
		if r := s.Index().Relation("kg:rel/x-y"); r == nil || r.Attrs.Get("kind") != "strategic agreement" {
			t.Errorf("index not refreshed after edit: %+v", r)
		}
	})
}

func TestSyncDropsRemovedFile(t *testing.T) {
	each(t, func(t *testing.T, s *Store) {
		dir := t.TempDir()
		write(t, dir, "a.kg", articleA)
		syncDir(t, s, dir)
		if err := os.Remove(filepath.Join(dir, "a.kg")); err != nil {
			t.Fatal(err)
		}
		rep, err := s.SyncAndPrune(context.Background(), dir, nil) // the only file goes
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Removed) != 1 {
			t.Errorf("removed = %v, want a.kg", rep.Removed)
		}
		if got := dump(t, s); got != "" {
			t.Errorf("store not empty after its only file was removed:\n%s", got)
		}
	})
}

func TestSyncLeavesStoreAsItWasOnBadFile(t *testing.T) {
	each(t, func(t *testing.T, s *Store) {
		dir := t.TempDir()
		write(t, dir, "a.kg", articleA)
		syncDir(t, s, dir)
		before := dump(t, s)
		// A broken edit of a.kg and a new file with an error: neither may reach the store.
		write(t, dir, "a.kg", strings.Replace(articleA, "  quote: X Corp and Y Ltd signed\n`", "", 1)+"rel partnership broken\n  party: x, nobody\n  quote: q\n")
		write(t, dir, "b.kg", "article b\n  title: B\n  date: 2017-02-30\n")
		rep := syncDir(t, s, dir)
		if len(rep.Failed) != 2 {
			t.Fatalf("failed = %v, want both files", rep.Failed)
		}
		msg := rep.Err().Error()
		for _, want := range []string{"a.kg:", "b.kg:3: malformed date"} {
			if !strings.Contains(msg, want) {
				t.Errorf("errors %q do not mention %q", msg, want)
			}
		}
		if after := dump(t, s); after != before {
			t.Errorf("a bad file changed the store:\nbefore:\n%s\nafter:\n%s", before, after)
		}
	})
}

func TestSyncRejectsConflictingDeclarations(t *testing.T) {
	each(t, func(t *testing.T, s *Store) {
		dir := t.TempDir()
		write(t, dir, "a.kg", articleA)
		write(t, dir, "b.kg", "article b\n  title: B\n  date: 2017-06-01\n\nentity x Country\n  name: X Corp\n  quote: q\n")
		write(t, dir, "c.kg", "article a\n  title: C\n  date: 2017-06-01\n")
		rep := syncDir(t, s, dir)
		msg := rep.Err().Error()
		for _, want := range []string{"b.kg:5: x is a Country here but a Company in a.kg", "label <kg:article/a> is already used by data/a.kg"} {
			if !strings.Contains(msg, want) {
				t.Errorf("errors %q do not mention %q", msg, want)
			}
		}
	})
}

func TestNQuadsFileLoadsAndGoes(t *testing.T) {
	each(t, func(t *testing.T, s *Store) {
		dir := t.TempDir()
		write(t, dir, "m.nq", "<film1> <starring> <actor1> .\n<actor1> <name> \"Keanu Reeves\" .\n")
		rep := syncDir(t, s, dir)
		if rep.Added != 2 {
			t.Fatalf("added %d, want 2 (%v)", rep.Added, rep.Err())
		}
		if got := s.Index().ObjectQuads("actor1"); len(got) != 1 || got[0].Label.Value != "kg:source/data/m.nq" {
			t.Errorf("in-quads of actor1 = %+v, want one labelled by the file", got)
		}
		os.Remove(filepath.Join(dir, "m.nq"))
		if _, err := s.SyncAndPrune(context.Background(), dir, nil); err != nil { // the only file goes
			t.Fatal(err)
		}
		if got := dump(t, s); got != "" {
			t.Errorf("N-Quads file removed but its quads remain:\n%s", got)
		}
	})
}

func TestSecondOpenFailsFast(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kg.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	_, err = Open(context.Background(), path)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open error = %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name the file", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("second Open took %s, want under 5s", d)
	}
}

func TestReopenKeepsFacts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kg.db")
	dir := t.TempDir()
	write(t, dir, "a.kg", articleA)
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	syncDir(t, s, dir)
	before := dump(t, s)
	s.Close()
	s, err = Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if after := dump(t, s); after != before {
		t.Errorf("reopened store differs")
	}
	if rep := syncDir(t, s, dir); len(rep.Unchanged) != 1 {
		t.Errorf("sync after reopen: %+v, want the file unchanged", rep)
	}
}
