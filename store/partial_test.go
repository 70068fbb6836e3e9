package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// cancelAfter returns a context cancelled once n transactions of a write have committed, as a
// kill between two transactions would leave the store, and the Written hook that counts them.
func cancelAfter(n int) (context.Context, func(string, int, int)) {
	ctx, cancel := context.WithCancel(context.Background())
	batches := 0
	return ctx, func(_ string, done, _ int) {
		if done == 0 {
			return // the start of the write
		}
		if batches++; batches == n {
			cancel()
		}
	}
}

func TestPartialWritesAreReported(t *testing.T) {
	each(t, func(t *testing.T, s *Store) {
		path := filepath.Join(t.TempDir(), "big.nq")
		write(t, filepath.Dir(path), "big.nq", strings.Join(lines(1000), "\n")+"\n")
		s.Batch = 100
		if got := s.Partial(); len(got) != 0 {
			t.Fatalf("Partial of a new store = %v", got)
		}

		ctx, written := cancelAfter(3)
		s.Written = written
		if _, err := s.LoadFiles(ctx, []string{path}, nil); !errors.Is(err, context.Canceled) {
			t.Fatalf("interrupted load: err = %v, want context.Canceled", err)
		}
		if got, want := s.Partial(), []string{path}; !slices.Equal(got, want) {
			t.Errorf("Partial after an interrupted load = %v, want %v", got, want)
		}
		if strings.Contains(dump(t, s), "kg:partial") {
			t.Errorf("the export shows the store's bookkeeping")
		}

		// Interrupted again, the mark stays; finished, it goes.
		ctx, written = cancelAfter(2)
		s.Written = written
		if _, err := s.LoadFiles(ctx, []string{path}, nil); !errors.Is(err, context.Canceled) {
			t.Fatalf("second interrupted load: err = %v, want context.Canceled", err)
		}
		if got := s.Partial(); len(got) != 1 {
			t.Errorf("Partial after a second interrupted load = %v, want the file once", got)
		}
		s.Written = nil
		if rep, err := s.LoadFiles(context.Background(), []string{path}, nil); err != nil || rep.Err() != nil {
			t.Fatalf("re-run: %v %v", err, rep.Err())
		}
		if got := s.Partial(); len(got) != 0 {
			t.Errorf("Partial after the re-run = %v, want none", got)
		}
		if err := s.refresh(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := s.Partial(); len(got) != 0 {
			t.Errorf("Partial after the re-run, read back from the store = %v, want none", got)
		}
	})
}

func TestPartialSyncAndDropAreReported(t *testing.T) {
	each(t, func(t *testing.T, s *Store) {
		dir := t.TempDir()
		write(t, dir, "a.kg", articleA)
		write(t, dir, "m.nq", strings.Join(lines(1000), "\n")+"\n")
		s.Batch = 100

		ctx, written := cancelAfter(2)
		s.Written = written
		if _, err := s.Sync(ctx, dir, nil); !errors.Is(err, context.Canceled) {
			t.Fatalf("interrupted sync: err = %v, want context.Canceled", err)
		}
		if got, want := s.Partial(), []string{"m.nq"}; !slices.Equal(got, want) {
			t.Errorf("Partial after an interrupted sync = %v, want %v", got, want)
		}
		s.Written = nil
		syncDir(t, s, dir)
		if got := s.Partial(); len(got) != 0 {
			t.Errorf("Partial after the next sync = %v, want none", got)
		}

		// The removal of a large file is written in several transactions too.
		if err := os.Remove(filepath.Join(dir, "m.nq")); err != nil {
			t.Fatal(err)
		}
		ctx, written = cancelAfter(2)
		s.Written = written
		if rep, err := s.Sync(ctx, dir, nil); err != nil || !errors.Is(rep.Err(), context.Canceled) {
			t.Fatalf("interrupted removal: err = %v, failed %v; want m.nq failed with context.Canceled", err, rep.Err())
		}
		if got, want := s.Partial(), []string{"m.nq"}; !slices.Equal(got, want) {
			t.Errorf("Partial after an interrupted removal = %v, want %v", got, want)
		}
		s.Written = nil
		rep := syncDir(t, s, dir)
		if got := s.Partial(); len(got) != 0 || len(rep.Removed) != 1 {
			t.Errorf("after the next sync: Partial = %v, removed %v; want none and m.nq", got, rep.Removed)
		}
	})
}

func TestPartialLoadIsReportedAfterReopen(t *testing.T) {
	db := filepath.Join(t.TempDir(), "kg.db")
	path := filepath.Join(t.TempDir(), "big.nq")
	write(t, filepath.Dir(path), "big.nq", strings.Join(lines(1000), "\n")+"\n")
	s, err := Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	s.Batch, s.LastLoad = 100, true // as telegraph load runs it
	ctx, written := cancelAfter(3)
	s.Written = written
	if _, err := s.LoadFiles(ctx, []string{path}, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted load: err = %v, want context.Canceled", err)
	}
	s.Close()
	s, err = Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, want := s.Partial(), []string{path}; !slices.Equal(got, want) {
		t.Errorf("Partial after reopening = %v, want %v", got, want)
	}
}
