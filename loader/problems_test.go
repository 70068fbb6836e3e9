package loader

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
)

// TestParseCapsProblems checks that a file with many problems reports the first MaxProblems
// and one line counting the rest.
func TestParseCapsProblems(t *testing.T) {
	broken := func(n int) string { return header + strings.Repeat("  no colon here\n", n) }
	// A 5 MB file of lines that are not article-file lines at all.
	var junk strings.Builder
	for i := 0; junk.Len() < 5<<20; i++ {
		fmt.Fprintf(&junk, "garbage line %d with no structure\n", i)
	}
	for _, tc := range []struct {
		name      string
		src       string
		wantLines int
		wantLast  string
	}{
		{"one problem", broken(1), 1, "f.kg:4: expected `key: value`"},
		{"exactly the cap", broken(MaxProblems), MaxProblems, fmt.Sprintf("f.kg:%d: expected `key: value`", 3+MaxProblems)},
		{"one over the cap", broken(MaxProblems + 1), MaxProblems + 1, "f.kg: ... and 1 more problem"},
		{"many over the cap", broken(MaxProblems + 1234), MaxProblems + 1, "f.kg: ... and 1234 more problems"},
		{"5 MB of junk", junk.String(), MaxProblems + 1, "f.kg: ... and "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := Parse("f.kg", []byte(tc.src))
			if doc != nil || err == nil {
				t.Fatalf("Parse = %v, %v; want an error and no document", doc, err)
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %T is not an ErrorList", err)
			}
			lines := strings.Split(err.Error(), "\n")
			if got := len(lines); got != tc.wantLines || len(list) != tc.wantLines {
				t.Errorf("got %d lines (%d entries), want %d", got, len(list), tc.wantLines)
			}
			if last := lines[len(lines)-1]; !strings.HasPrefix(last, tc.wantLast) {
				t.Errorf("last line = %q, want it to start with %q", last, tc.wantLast)
			}
		})
	}
}

// TestParseCapKeepsInvalidBlocksOut checks that a block whose problems come after the cap is
// still refused: the cap limits what is reported, not what is checked.
func TestParseCapKeepsInvalidBlocksOut(t *testing.T) {
	src := header + strings.Repeat("  no colon here\n", MaxProblems) + "entity x Planet\n  name: X\n  quote: q\n"
	if doc, err := Parse("f.kg", []byte(src)); doc != nil || !strings.Contains(err.Error(), "... and 1 more problem") {
		t.Errorf("Parse = %v, %v; want no document and one problem left out", doc, err)
	}
}

// TestReadNQuadsStopsAtFirstProblem checks that a malformed N-Quads file costs one line
// however long it is.
func TestReadNQuadsStopsAtFirstProblem(t *testing.T) {
	src := strings.Repeat("this is not an N-Quad\n", 100000)
	err := ReadNQuads("f.nq", strings.NewReader(src), nil, func(quad.Quad) error { return nil })
	if err == nil {
		t.Fatal("no error")
	}
	if got := strings.Count(err.Error(), "\n") + 1; got != 1 {
		t.Errorf("got %d lines, want 1: %v", got, err)
	}
}
