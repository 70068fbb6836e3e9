package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
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

// dateHeading is a line the source blog heads a day's posts with.
var dateHeading = regexp.MustCompile(`^(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, [A-Z][a-z]+ \d{1,2}, \d{4}$`)

// post is one post of the source articles: its lines and the date heading it sits under.
type post struct {
	heading, text string
}

// posts cuts the source articles into the posts of the documents, by title: a post starts at
// the line that prints its title (for a title "[fragment] X", the line starting with X, since a
// fragment has none) and runs to the next post's start or date heading.
func posts(t *testing.T, seeds []string, docs []*loader.Document) map[*loader.Document]post {
	t.Helper()
	out := map[*loader.Document]post{}
	for _, f := range seeds {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
		starts := map[int]*loader.Document{}
		for _, d := range docs {
			for i, l := range lines {
				l = strings.TrimSpace(l)
				if frag, ok := strings.CutPrefix(d.Article.Title, "[fragment] "); ok && strings.HasPrefix(l, frag) || l == d.Article.Title {
					starts[i] = d
					break
				}
			}
		}
		heading := ""
		for i := 0; i < len(lines); i++ {
			if l := strings.TrimSpace(lines[i]); dateHeading.MatchString(l) {
				heading = l
			}
			d := starts[i]
			if d == nil {
				continue
			}
			end := i + 1
			for end < len(lines) && starts[end] == nil && !dateHeading.MatchString(strings.TrimSpace(lines[end])) {
				end++
			}
			out[d] = post{heading, strings.Join(lines[i:end], "\n")}
		}
	}
	return out
}

// TestDataIntegrity checks every article file: it parses, every quote occurs verbatim in the
// file's own post of the source articles (compared as the loader compares quotes with an
// article's text: white space collapsed, typographic quotation marks straightened), the post
// sits under the file's date heading, every entity has a kind and a name, and every reference
// resolves.
func TestDataIntegrity(t *testing.T) {
	dir := seedsDir(t)
	seeds, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(seeds) == 0 {
		t.Fatalf("no source text in %s", dir)
	}
	files, _ := filepath.Glob(filepath.Join("data", "*.kg"))
	if len(files) == 0 {
		t.Fatal("no article files in data/")
	}
	docs := map[string]*loader.Document{}
	var all []*loader.Document
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
		docs[f], all = doc, append(all, doc)
	}
	byDoc := posts(t, seeds, all)
	quotes, facts := 0, 0
	for _, f := range files {
		doc := docs[f]
		if doc == nil {
			continue
		}
		p, ok := byDoc[doc]
		if !ok {
			t.Errorf("%s:%d: no post titled %q in the source articles", f, doc.Article.Line, doc.Article.Title)
			continue
		}
		if doc.Article.Heading != "" && doc.Article.Heading != p.heading {
			t.Errorf("%s:%d: heading %q, but the post sits under %q", f, doc.Article.Line, doc.Article.Heading, p.heading)
		}
		text := loader.NewText(p.text)
		check := func(what string, line int, qs []string) {
			for _, q := range qs {
				quotes++
				if _, ok := text.Locate(q); !ok {
					t.Errorf("%s:%d: %s: quote not found verbatim in its post %q: %q; the nearest passage is %q", f, line, what, doc.Article.Title, q, text.Nearest(q))
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
	t.Logf("%d files, %d relationship statements, %d quotes checked, each against its own post", len(files), facts, quotes)
}
