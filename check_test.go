package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kgraph/telegraph/places"
)

// TestCheckListsValuesThatStayText checks `telegraph check`: it lists the attribute values the
// loader cannot read as a number, a date or a status, without failing, and fails on a file with
// problems.
func TestCheckListsValuesThatStayText(t *testing.T) {
	dir := t.TempDir()
	good := "article a\n  title: A\n  date: 2017-01-01\n\nentity x Company\n  name: X\n  quote: q\n\nentity y Company\n  name: Y\n  quote: q\n\n" +
		"rel stake s\n  owner: x\n  company: y\n  share: the remainder\n  status: planned (2018)\n  quote: q\n"
	if err := os.WriteFile(filepath.Join(dir, "a.kg"), []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"check", "--data", dir}, &out, &errOut); code != 0 {
		t.Fatalf("check: exit %d\n%s%s", code, out.String(), errOut.String())
	}
	want := filepath.Join(dir, "a.kg") + `:13: note: s share "the remainder" stays text: it states no number the loader can read`
	if !strings.Contains(out.String(), want) || strings.Contains(out.String(), "planned") {
		t.Errorf("check printed\n%s\nwant the line\n%s\nand nothing about the status it reads", out.String(), want)
	}

	if err := os.WriteFile(filepath.Join(dir, "b.kg"), []byte("article b\n  title: B\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if code := run(context.Background(), []string{"check", "--data", dir}, &out, &errOut); code != 1 || !strings.Contains(out.String(), "b.kg:") {
		t.Errorf("check of a broken file: exit %d, printed\n%s", code, out.String())
	}
}

// TestCheckPlaces checks that `telegraph check` of a data folder with a gazetteer fails while
// reference/places.nq is out of date, and notes the places GeoNames leaves unplaced.
func TestCheckPlaces(t *testing.T) {
	dir := t.TempDir()
	art := "article a\n  title: A\n  date: 2017-01-01\n\nentity us Country\n  name: United States\n  quote: q\n\n" +
		"entity dc City\n  name: Washington DC\n  quote: q\n\nentity sm City\n  name: San Mateo\n  quote: q\n"
	gaz := "country\tUS\tUnited States\t\ncountry\tPH\tPhilippines\t\n" +
		"city\t1\tWashington, D.C.\tUS\tDC\t601723\tPPLC\ncity\t2\tSan Mateo\tPH\t40\t134327\tPPLA3\ncity\t3\tSan Mateo\tUS\tCA\t103536\tPPL\n"
	for name, text := range map[string]string{"a.kg": art, "reference/geonames.tsv": gaz, "reference/places.nq": "# stale\n"} {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"check", "--data", dir}, &out, &errOut); code != 1 || !strings.Contains(out.String(), "out of date") {
		t.Fatalf("check with a stale places.nq: exit %d\n%s", code, out.String())
	}
	if !strings.Contains(out.String(), `sm (City "San Mateo") is in no country`) {
		t.Errorf("check did not note San Mateo:\n%s", out.String())
	}
	writePlaces(t, dir)
	out.Reset()
	if code := run(context.Background(), []string{"check", "--data", dir}, &out, &errOut); code != 0 {
		t.Errorf("check after writing places.nq: exit %d\n%s", code, out.String())
	}
}

// writePlaces writes the folder's places.nq as go run ./cmd/kgplaces would.
func writePlaces(t *testing.T, dir string) {
	t.Helper()
	b, _, err := places.Generate(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, places.OutputFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
}
