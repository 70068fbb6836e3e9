package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kgraph/telegraph/store/storetest"
)

// sharedPair opens two stores on one new PostgreSQL database; the first holds a graph of n
// quads loaded from an N-Quads file, and the second has caught up with it.
func sharedPair(t *testing.T, n int) (a, b *Store) {
	t.Helper()
	dsn := storetest.Postgres(t)
	ctx := context.Background()
	var err error
	if a, err = Open(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if b, err = Open(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	dir := t.TempDir()
	write(t, dir, "graph.nq", strings.Join(lines(n), "\n")+"\n")
	if _, err := a.LoadFiles(ctx, []string{filepath.Join(dir, "graph.nq")}, nil); err != nil {
		t.Fatal(err)
	}
	poll(t, b, true)
	return a, b
}

func poll(t *testing.T, s *Store, want bool) {
	t.Helper()
	got, err := s.Poll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("Poll() = %v, want %v", got, want)
	}
}

func sameIndex(t *testing.T, a, b *Store) {
	t.Helper()
	if got, want := indexDump(b.Index()), indexDump(a.Index()); got != want {
		t.Errorf("the follower's index differs from the writer's:\n%s\n---\n%s", got, want)
	}
	if a.Generation() != b.Generation() {
		t.Errorf("follower at generation %d, writer at %d", b.Generation(), a.Generation())
	}
}

// A follower reads one small write as its change: the quads the write added and removed, not
// the thousands the database holds.
func TestFollowerReadsOnlyTheChange(t *testing.T) {
	const n = 3000
	a, b := sharedPair(t, n)
	ctx := context.Background()
	before, scans := b.QuadsRead(), b.Reads()
	c, err := a.Put(ctx, "a.kg", []byte(articleA))
	if err != nil {
		t.Fatal(err)
	}
	poll(t, b, true)
	sameIndex(t, a, b)
	// The article's 14 facts and its 2 manifest quads.
	if got, want := b.QuadsRead()-before, int64(c.Added+2); got != want {
		t.Errorf("the follower read %d quads for a write of %d facts to a %d-quad database, want %d", got, c.Added, b.Index().QuadCount(), want)
	}
	if b.Reads() != scans {
		t.Errorf("the follower read the whole store %d times for one small write", b.Reads()-scans)
	}
	// A replacement and a deletion travel as changes too.
	if _, err := a.Put(ctx, "a.kg", []byte(strings.Replace(articleA, "kind: MoU", "kind: JV", 1))); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Delete(ctx, []string{"kg:entity/y"}, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DeleteArticle(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	poll(t, b, true)
	sameIndex(t, a, b)
	if b.Reads() != scans {
		t.Errorf("the follower read the whole store %d times for small writes", b.Reads()-scans)
	}
	if b.Index().Entity("kg:entity/x") != nil {
		t.Error("the article's entity is still in the follower's index after the article was deleted")
	}
	poll(t, b, false)
}

// Writes through either of two instances reach the other through the change log; one that
// fell behind further than the log reaches (trimmed by size or by age) reads the whole store
// once, and follows by changes again afterwards.
func TestFollowerRescansWhenTheLogIsTrimmed(t *testing.T) {
	for _, tc := range []struct {
		name string
		log  ChangeLog
	}{
		{"by size", ChangeLog{MaxChanges: 1}},
		{"by age", ChangeLog{MaxAge: time.Millisecond}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := sharedPair(t, 500)
			ctx := context.Background()
			a.ChangeLog, b.ChangeLog = tc.log, tc.log
			put(t, a, 1)
			time.Sleep(20 * time.Millisecond) // past the age limit
			put(t, a, 2)
			scans, before := b.Reads(), b.QuadsRead()
			poll(t, b, true)
			sameIndex(t, a, b)
			if b.Reads() != scans+1 {
				t.Errorf("a follower two changes behind a one-change log read the whole store %d times, want once", b.Reads()-scans)
			}
			if got := b.QuadsRead() - before; got < 500 {
				t.Errorf("the rescan read %d quads, want all (more than 500)", got)
			}
			// The other way round, by changes again.
			scans = a.Reads()
			put(t, b, 3)
			poll(t, a, true)
			sameIndex(t, b, a)
			if a.Reads() != scans {
				t.Errorf("the writer-turned-follower read the whole store %d times for one change", a.Reads()-scans)
			}
			if _, err := a.Delete(ctx, []string{"kg:entity/feed-co-1"}, "test"); err != nil {
				t.Fatal(err)
			}
			poll(t, b, true)
			sameIndex(t, a, b)
		})
	}
}
