package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kgraph/telegraph/api"
	"github.com/kgraph/telegraph/bench/synth"
	"github.com/kgraph/telegraph/internal/skipped"
	"github.com/kgraph/telegraph/store"
)

// TestMain says which groups of this package's tests skipped, and why, even without -v.
func TestMain(m *testing.M) { os.Exit(skipped.Main(m)) }

var update = flag.Bool("update", false, "copy the explorer (1440 and 390 px wide, China Mobile at depth 2, a generated 500-node neighbourhood) and playground screenshots to ../docs")

// The explorer's sources: the committed screenshot docs/explorer.png shows the page they build,
// and docs/explorer.sources holds their digest, so a change to the page without a new picture
// fails the browser test.
var explorerSources = []string{"explore/index.html", "src/explore", "src/graphql.js"}

// TestBrowser drives the explorer and the playground in headless Chromium (e2e/run.mjs) against
// the real handler over the dataset, and over a generated graph for a 500-node neighbourhood
// (generatedServer). It needs chromium, node, web/node_modules and a front end
// built before the test binary was compiled; without them it skips, unless KG_REQUIRE_BROWSER=1
// makes it fail. Screenshots go to $KG_ARTIFACTS (default web/e2e/out).
func TestBrowser(t *testing.T) {
	chromium, node, missing := browserTools(t)

	s, err := store.Open(t.Context(), store.Memory)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	rep, err := s.Sync(t.Context(), "../data", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.Err(); err != nil {
		t.Fatalf("data folder does not load:\n%v", err)
	}
	srv := httptest.NewServer(api.Handler(s, slog.New(slog.NewTextHandler(io.Discard, nil)), api.Defaults()))
	t.Cleanup(srv.Close)

	res, err := http.Get(srv.URL + "/explore")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode == http.StatusServiceUnavailable {
		missing("needs the front end built into the test binary: npm --prefix web run build")
	}

	gen := generatedServer(t)

	out, err := filepath.Abs(envOr("KG_ARTIFACTS", "e2e/out"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(out); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "e2e/run.mjs", srv.URL, out, gen.URL)
	cmd.Env = append(os.Environ(), "KG_CHROMIUM="+chromium)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	err = cmd.Run()
	t.Logf("e2e/run.mjs:\n%s", strings.TrimSpace(log.String()))
	if err != nil {
		t.Fatalf("browser run failed (%v); screenshots in %s", err, out)
	}
	t.Logf("screenshots in %s", out)

	sum, err := digest(explorerSources)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		for _, name := range []string{"explorer.png", "explorer-390.png", "explorer-large.png", "explorer-generated.png", "playground.png"} {
			b, err := os.ReadFile(filepath.Join(out, name))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join("..", "docs", name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile("../docs/explorer.sources", []byte(sum+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile("../docs/explorer.sources")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(want)); got != sum {
		t.Errorf("docs/explorer.png shows an older explorer (sources digest %s, now %s); refresh it with: go test ./web -run TestBrowser -update", got, sum)
	}
}

// browserTools returns the Chromium and node a browser test runs, and the function that skips
// it (or, with KG_REQUIRE_BROWSER=1, fails it) for want of something; it calls that function
// itself when Chromium, node or web/node_modules are missing.
func browserTools(t *testing.T) (chromium, node string, missing func(format string, args ...any)) {
	t.Helper()
	chromium = envOr("KG_CHROMIUM", "/usr/bin/chromium")
	missing = func(format string, args ...any) {
		t.Helper()
		if os.Getenv("KG_REQUIRE_BROWSER") == "1" {
			t.Fatalf(format+" (KG_REQUIRE_BROWSER=1 makes that an error)", args...)
		}
		skipped.Skip(t, "browser test", fmt.Sprintf(format, args...))
	}
	if _, err := os.Stat(chromium); err != nil {
		missing("needs Chromium at %s: apt-get install chromium, or set KG_CHROMIUM to another", chromium)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("needs node on PATH")
	}
	if _, err := os.Stat("node_modules/playwright-core"); err != nil {
		missing("needs web/node_modules: npm --prefix web ci")
	}
	return chromium, node, missing
}

// generatedServer serves the generated graph of bench/synth at 20,000 quads, whose biggest hub
// ("Company 0") reaches more than 500 entities in two hops: the browser test measures the labels
// of that neighbourhood as the explorer draws it, 500 entities at the API's default limit.
func generatedServer(t *testing.T) *httptest.Server {
	t.Helper()
	path := filepath.Join(t.TempDir(), "generated.nq")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := synth.Plan(20_000, 1).WriteNQuads(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(t.Context(), store.Memory)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.LoadFiles(t.Context(), []string{path}, nil); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.Handler(s, slog.New(slog.NewTextHandler(io.Discard, nil)), api.Defaults()))
	t.Cleanup(srv.Close)
	return srv
}

// digest is a sha256 over the paths and contents of the files under roots, in walk order.
func digest(roots []string) (string, error) {
	h := sha256.New()
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			io.WriteString(h, filepath.ToSlash(path)+"\x00")
			h.Write(b)
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
