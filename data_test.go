package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kgraph/telegraph/internal/skipped"
	"github.com/kgraph/telegraph/loader"
)

// TestMain says which groups of this package's tests skipped, and why, even without -v.
func TestMain(m *testing.M) { os.Exit(skipped.Main(m)) }

// seedsDir is where the source articles live beside the repository.
func seedsDir(t *testing.T) string {
	dir := os.Getenv("KG_SEEDS")
	if dir == "" {
		dir = filepath.Join("..", "shared", "seeds")
	}
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("KG_REQUIRE_SEEDS") != "" {
			t.Fatalf("source articles not found at %s (KG_REQUIRE_SEEDS is set, so this fails): %v", dir, err)
		}
		skipped.Skip(t, "data integrity (quotes checked against the source articles)",
			fmt.Sprintf("source articles not found at %s; set KG_SEEDS to their folder to run it", dir))
	}
	return dir
}

// collapse folds every run of white space (Unicode spaces included) into one space.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestDataIntegrity checks every article file: it parses, every quote occurs verbatim in the
// source text, every entity has a kind and a name, and every reference resolves.
func TestDataIntegrity(t *testing.T) {
	dir := seedsDir(t)
	seeds, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(seeds) == 0 {
		t.Fatalf("no source text in %s", dir)
	}
	var source strings.Builder
	for _, f := range seeds {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		source.WriteString(collapse(string(b)))
		source.WriteString("\n")
	}
	text := source.String()
	files, _ := filepath.Glob(filepath.Join("data", "*.kg"))
	if len(files) == 0 {
		t.Fatal("no article files in data/")
	}
	quotes, facts := 0, 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := loader.Parse(f, src)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		check := func(what string, line int, qs []string) {
			for _, q := range qs {
				quotes++
				if !strings.Contains(text, collapse(q)) {
					t.Errorf("%s:%d: %s: quote not found verbatim in the source: %q", f, line, what, q)
				}
			}
		}
		declared := map[string]bool{}
		for _, e := range doc.Entities {
			if e.Kind == "" || e.Name == "" {
				t.Errorf("%s:%d: entity %s lacks a kind or a name", f, e.Line, e.ID)
			}
			declared[e.ID] = true
			check("entity "+e.ID, e.Line, e.Quotes)
		}
		for _, r := range doc.Relations {
			facts++
			for _, b := range r.Roles {
				if !declared[b.Entity] {
					t.Errorf("%s:%d: rel %s refers to undeclared %s", f, r.Line, r.ID, b.Entity)
				}
			}
			check("rel "+r.ID, r.Line, r.Quotes)
		}
	}
	t.Logf("%d files, %d relationship statements, %d quotes checked", len(files), facts, quotes)
}
