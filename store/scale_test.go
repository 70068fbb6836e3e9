package store

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kgraph/telegraph/index"
	"github.com/kgraph/telegraph/store/storetest"
)

// lines returns n distinct N-Quads lines without labels.
func lines(n int) []string {
	lines := make([]string, n)
	for i := range lines {
		lines[i] = fmt.Sprintf("<kg:entity/n%d> <kg:partner> <kg:entity/n%d> .", i, (i*7+1)%n)
	}
	return lines
}

// indexDump renders an index's quads, sorted, to compare indexes.
func indexDump(x *index.Index) string {
	var lines []string
	for _, q := range x.Quads().All() {
		lines = append(lines, fmt.Sprintf("%+v", q))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func TestInterruptedLoadFinishesOnRerun(t *testing.T) {
	each(t, func(t *testing.T, s *Store) {
		src := lines(1000)
		path := filepath.Join(t.TempDir(), "big.nq.gz")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		zw := gzip.NewWriter(f)
		zw.Write([]byte(strings.Join(src, "\n") + "\n"))
		zw.Close()
		f.Close()

		s.Batch = 100
		ctx, cancel := context.WithCancel(context.Background())
		var batches int
		s.Written = func(_ string, done, total int) {
			if done == 0 {
				return // the start of the write
			}
			if batches++; batches == 3 {
				cancel() // as a kill between two transactions would
			}
		}
		_, err = s.LoadFiles(ctx, []string{path}, nil)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("interrupted load: err = %v, want context.Canceled", err)
		}
		partial := dump(t, s)
		if n := strings.Count(partial, "\n") + 1; n != 300 {
			t.Fatalf("after 3 batches of 100 the store holds %d quads, want 300", n)
		}
		if strings.Contains(partial, ManifestLabel) {
			t.Fatalf("the manifest records a file that was not completely written")
		}

		s.Written = nil
		rep, err := s.LoadFiles(context.Background(), []string{path}, nil)
		if err != nil || rep.Err() != nil {
			t.Fatalf("re-run: %v %v", err, rep.Err())
		}
		if rep.Added != 700 || rep.Deleted != 0 {
			t.Errorf("re-run added %d and deleted %d, want 700 and 0", rep.Added, rep.Deleted)
		}
		var content []string
		for _, l := range strings.Split(dump(t, s), "\n") {
			if !strings.Contains(l, ManifestLabel) {
				content = append(content, strings.Replace(l, " <kg:source/file:"+filepath.ToSlash(path)+"> .", " .", 1))
			}
		}
		want := append([]string(nil), src...)
		sort.Strings(want)
		sort.Strings(content)
		if strings.Join(content, "\n") != strings.Join(want, "\n") {
			t.Errorf("after the re-run the store does not hold exactly the file's quads")
		}
		if rep, _ := s.LoadFiles(context.Background(), []string{path}, nil); len(rep.Unchanged) != 1 {
			t.Errorf("third load: %+v, want the file unchanged", rep)
		}
	})
}

// The index a write builds from the previous index and the written quads must be the one a full
// read of the store gives.
func TestIndexAfterWriteMatchesStore(t *testing.T) {
	each(t, func(t *testing.T, s *Store) {
		dir := t.TempDir()
		write(t, dir, "a.kg", articleA)
		write(t, dir, "m.nq", strings.Join(lines(50), "\n"))
		syncDir(t, s, dir)
		write(t, dir, "a.kg", strings.Replace(articleA, "kind: MoU", "kind: agreement", 1))
		os.Remove(filepath.Join(dir, "m.nq"))
		write(t, dir, "n.nq", strings.Join(lines(20), "\n"))
		syncDir(t, s, dir)
		incremental := indexDump(s.Index())
		reads := s.Reads()
		if err := s.refresh(context.Background()); err != nil {
			t.Fatal(err)
		}
		if full := indexDump(s.Index()); full != incremental {
			t.Errorf("index after writes differs from a full read:\nafter writes:\n%s\nfull read:\n%s", incremental, full)
		}
		if reads != 1 {
			t.Errorf("%d passes over the store before the check, want 1 (at Open): writes should not read the store back", reads)
		}
	})
}

func TestInstancesShareOnePostgres(t *testing.T) {
	dsn := storetest.Postgres(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	const every = 100 * time.Millisecond
	go b.Follow(ctx, every, func(err error) { t.Errorf("poll: %v", err) })

	// The documented bound: one refresh interval plus the rebuild, which is far below a
	// second here; the wait allows for a loaded machine.
	within := func(what string, ok func(*index.Index) bool) {
		t.Helper()
		deadline := time.Now().Add(every + 5*time.Second)
		for !ok(b.Index()) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not visible through the second instance after %s", what, every+5*time.Second)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	dir := t.TempDir()
	write(t, dir, "a.kg", articleA)
	syncDir(t, a, dir)
	within("article loaded through the first", func(x *index.Index) bool { return x.Entity("kg:entity/x") != nil })

	// And the other way round: the second writes, having seen the first's write.
	other := t.TempDir()
	write(t, other, "extra.nq", "<kg:entity/q> <kg:partner> <kg:entity/x> .\n")
	if _, err := b.LoadFiles(ctx, []string{filepath.Join(other, "extra.nq")}, nil); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(every + 5*time.Second)
	for len(a.Index().SubjectQuads("kg:entity/q")) == 0 {
		if _, err := a.Poll(ctx); err != nil {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatal("write through the second instance not visible through the first")
		}
		time.Sleep(every)
	}
	os.Remove(filepath.Join(dir, "a.kg"))
	if _, err := a.SyncAndPrune(ctx, dir, nil); err != nil { // the folder's only file is gone
		t.Fatal(err)
	}
	within("article removed through the first", func(x *index.Index) bool { return x.Entity("kg:entity/x") == nil })
	if got, want := indexDump(b.Index()), indexDump(a.Index()); got != want {
		t.Errorf("the two instances' indexes differ:\n%s\n---\n%s", got, want)
	}
}

func TestUnreachableDatabaseSaysWhatToCheck(t *testing.T) {
	_, err := Open(context.Background(), "postgres://kg:secret@127.0.0.1:1/kg?sslmode=disable")
	if err == nil {
		t.Fatal("Open of a database nobody serves succeeded")
	}
	if !strings.Contains(err.Error(), "check that the database server runs") {
		t.Errorf("error %q does not say what to check", err)
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("error %q shows the password", err)
	}
	if _, err := Open(context.Background(), "mysql://x@y/z"); err == nil || !strings.Contains(err.Error(), "postgres://") {
		t.Errorf("unknown URL kind: error %v, want one naming the kinds supported", err)
	}
}

func TestRepeatedQuadsLoadOnce(t *testing.T) {
	each(t, func(t *testing.T, s *Store) {
		dir := t.TempDir()
		l := lines(30)
		// Each quad twice, once with other spacing, and the file in batches of 7.
		src := strings.Join(l, "\n") + "\n" + strings.ReplaceAll(strings.Join(l, "\n"), "> <", ">  <")
		write(t, dir, "m.nq", src)
		s.Batch = 7
		rep := syncDir(t, s, dir)
		if rep.Added != 30 || rep.Err() != nil {
			t.Fatalf("added %d (%v), want each of the 30 quads once", rep.Added, rep.Err())
		}
		if got := len(s.Index().LabelQuads("kg:source/data/m.nq")); got != 30 {
			t.Errorf("index holds %d quads of the file, want 30", got)
		}
	})
}

func TestQuadSetTellsCollidingQuadsApart(t *testing.T) {
	a, b := index.Row{1, 2, 3, 4}, index.Row{5, 2, 3, 4}
	set := newQuadSet(0)
	var seen []index.Row
	if !set.add(seen, a) {
		t.Fatal("first quad reported as seen")
	}
	seen = append(seen, a)
	// Make b's hash the one a has, as a collision would.
	set.first[maphash.Comparable(set.seed, b)] = 0
	if !set.add(seen, b) {
		t.Error("a quad whose hash another has was reported as seen")
	}
	seen = append(seen, b)
	if set.add(seen, b) || set.add(seen, a) {
		t.Error("a repeated quad was reported as new")
	}
}

func TestLastLoadLeavesIndexToNextOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kg.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "m.nq")
	if err := os.WriteFile(file, []byte(strings.Join(lines(40), "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	s.LastLoad, s.Batch = true, 10
	before := s.Index()
	rep, err := s.LoadFiles(context.Background(), []string{file}, nil)
	if err != nil || rep.Err() != nil || rep.Added != 40 {
		t.Fatalf("load: added %d, %v %v; want 40", rep.Added, err, rep.Err())
	}
	if s.Index() != before {
		t.Error("a last load built a read index")
	}
	s.Close()
	s, err = Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := s.Index().QuadCount(); got != 40+2 { // and the manifest's hash and label
		t.Errorf("reopened store indexes %d quads, want 42", got)
	}
}
