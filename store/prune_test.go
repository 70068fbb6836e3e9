package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// nq returns an N-Quads file with one fact of its own.
func nq(i int) string { return fmt.Sprintf("<kg:entity/e%d> <kg:name> \"E%d\" .\n", i, i) }

func TestSyncRefusesToRemoveMostDataFiles(t *testing.T) {
	for _, tc := range []struct {
		loaded, removed int
		refused         bool
	}{
		{1, 1, true},
		{2, 1, false}, // half is allowed
		{3, 2, true},
		{4, 2, false},
		{5, 3, true},
		{12, 12, true}, // an emptied folder
		{3, 0, false},
	} {
		t.Run(fmt.Sprintf("%d of %d", tc.removed, tc.loaded), func(t *testing.T) {
			ctx := context.Background()
			s := memory(t)
			dir := t.TempDir()
			for i := range tc.loaded {
				write(t, dir, fmt.Sprintf("f%02d.nq", i), nq(i))
			}
			syncDir(t, s, dir)
			for i := range tc.removed {
				if err := os.Remove(filepath.Join(dir, fmt.Sprintf("f%02d.nq", i))); err != nil {
					t.Fatal(err)
				}
			}
			write(t, dir, "new.nq", nq(99)) // a refused sync loads nothing either
			before := dump(t, s)

			rep, err := s.Sync(ctx, dir, nil)
			var pe *PruneError
			if got := errors.As(err, &pe); got != tc.refused {
				t.Fatalf("Sync: error %v; want refused %v", err, tc.refused)
			}
			if !tc.refused {
				if len(rep.Removed) != tc.removed {
					t.Errorf("removed %v, want %d files", rep.Removed, tc.removed)
				}
				return
			}
			if pe.Loaded != tc.loaded || len(pe.Remove) != tc.removed || pe.Dir != dir {
				t.Errorf("PruneError = %+v, want %d of %d files in %s", pe, tc.removed, tc.loaded, dir)
			}
			if msg := err.Error(); !strings.Contains(msg, "f00.nq") || !strings.Contains(msg, fmt.Sprintf("%d of the %d", tc.removed, tc.loaded)) {
				t.Errorf("message %q does not say what would go", msg)
			}
			if after := dump(t, s); after != before {
				t.Errorf("a refused sync changed the store:\nbefore:\n%s\nafter:\n%s", before, after)
			}
			rep, err = s.SyncAndPrune(ctx, dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Removed) != tc.removed || len(rep.Loaded) != 1 {
				t.Errorf("SyncAndPrune removed %v and loaded %v; want %d files removed and new.nq loaded", rep.Removed, rep.Loaded, tc.removed)
			}
		})
	}
}

func TestSyncKeepsFilesLoadedByName(t *testing.T) {
	// Files loaded by name are not data files: an empty folder neither counts nor drops them.
	ctx := context.Background()
	s := memory(t)
	other := t.TempDir()
	write(t, other, "x.nq", nq(1))
	if _, err := s.LoadFiles(ctx, []string{filepath.Join(other, "x.nq")}, nil); err != nil {
		t.Fatal(err)
	}
	rep := syncDir(t, s, t.TempDir())
	if len(rep.Removed) != 0 || !strings.Contains(dump(t, s), "E1") {
		t.Errorf("removed %v; want the file loaded by name kept", rep.Removed)
	}
}

func TestSyncOfMissingFolderWritesNothing(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "a.nq")
	write(t, filepath.Dir(file), "a.nq", nq(1))
	for _, tc := range []struct {
		name, dir string
		is        error
	}{
		{"missing", filepath.Join(t.TempDir(), "nowhere"), fs.ErrNotExist},
		{"a file", file, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := memory(t)
			_, err := s.SyncAndPrune(ctx, tc.dir, nil)
			if err == nil || (tc.is != nil && !errors.Is(err, tc.is)) || !strings.Contains(err.Error(), "data folder") {
				t.Errorf("sync of %s: error %v, want a data folder error (%v)", tc.dir, err, tc.is)
			}
			if got := dump(t, s); got != "" {
				t.Errorf("store not empty:\n%s", got)
			}
		})
	}
}
