package store

import (
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpensBoltFilesOfBoltdb opens a store file written by github.com/boltdb/bolt v1.3.1 (the
// earlier versions of this program; testdata holds it gzipped) through bbolt, reads its
// facts and writes to it.
func TestOpensBoltFilesOfBoltdb(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "boltdb-1.3.1.db.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "old.db")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, zr); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, want := s.Index().Entity("kg:entity/x").Name, "X Corp"; got != want {
		t.Errorf("entity x is named %q, want %q", got, want)
	}
	if got, want := strings.Count(dump(t, s), "\n")+1, 14; got != want {
		t.Errorf("the old file holds %d fact quads, want %d", got, want)
	}
	dir := t.TempDir()
	write(t, dir, "a.kg", articleA)
	if rep := syncDir(t, s, dir); len(rep.Unchanged) != 1 {
		t.Errorf("a sync of the same article: %+v, want it unchanged", rep)
	}
	if _, err := s.Delete(context.Background(), []string{"kg:entity/y"}, "test"); err != nil {
		t.Fatal(err)
	}
	if s.Index().Entity("kg:entity/y") != nil {
		t.Error("entity y is still there after its deletion")
	}
}
