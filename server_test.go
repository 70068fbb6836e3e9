package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestHelpListsFlags(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"--help"}, &out, &errOut); code != 0 {
		t.Fatalf("--help exit code %d", code)
	}
	for _, want := range []string{"--addr", "KG_ADDR", "-db", "KG_DB", "-data", "KG_DATA", "load", "export"} {
		if !strings.Contains(errOut.String(), strings.TrimLeft(want, "-")) {
			t.Errorf("--help does not mention %s:\n%s", want, errOut.String())
		}
	}
}

func TestLoadReportsFileAndLine(t *testing.T) {
	dir := t.TempDir()
	bad := "article a\n  title: A\n  date: 2017-01-01\n\nentity x Planet\n  name: X\n  quote: q\n"
	if err := os.WriteFile(filepath.Join(dir, "a.kg"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "kg.db")
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"load", "--db", db, "--data", dir}, &out, &errOut)
	if code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	if !strings.Contains(errOut.String(), "a.kg:5: unknown entity kind") {
		t.Errorf("output does not give file:line:\n%s", errOut.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"export", "--db", db}, &out, &errOut); code != 0 || out.Len() != 0 {
		t.Errorf("export after failed load: code %d, %d bytes; want an empty store", code, out.Len())
	}
}

func TestExportWritesLoadedQuads(t *testing.T) {
	db := filepath.Join(t.TempDir(), "kg.db")
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"load", "--db", db, "--data", "data"}, &out, &errOut); code != 0 {
		t.Fatalf("load of data/ failed:\n%s", errOut.String())
	}
	if code := run(context.Background(), []string{"export", "--db", db}, &out, &errOut); code != 0 {
		t.Fatalf("export failed:\n%s", errOut.String())
	}
	if !strings.Contains(out.String(), `<kg:entity/ericsson> <kg:name> "Ericsson"`) {
		t.Errorf("export lacks Ericsson's name quad")
	}

	// The export loads into a new store, which then exports the same facts.
	dir := t.TempDir()
	dump := filepath.Join(dir, "graph.nq")
	if err := os.WriteFile(dump, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.db")
	var again bytes.Buffer
	errOut.Reset()
	if code := run(context.Background(), []string{"load", "--db", other, "--data", t.TempDir(), dump}, &again, &errOut); code != 0 {
		t.Fatalf("loading the export failed:\n%s", errOut.String())
	}
	again.Reset()
	if code := run(context.Background(), []string{"export", "--db", other}, &again, &errOut); code != 0 {
		t.Fatalf("export of the reloaded store failed:\n%s", errOut.String())
	}
	sorted := func(b []byte) string {
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		sort.Strings(lines)
		return strings.Join(lines, "\n")
	}
	if sorted(out.Bytes()) != sorted(again.Bytes()) {
		t.Errorf("the reloaded store exports %d lines, the first %d", strings.Count(again.String(), "\n"), strings.Count(out.String(), "\n"))
	}
}
