package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
