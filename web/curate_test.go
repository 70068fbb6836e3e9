package web_test

import (
	"bytes"
	"context"
	"io"
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
	"github.com/kgraph/telegraph/store"
)

// curateToken is the write token of the curation test's server.
const curateToken = "curate-test-token-0123456789"

// TestBrowserCurate drives the curation page (e2e/curate.mjs) in headless Chromium from a fresh
// profile, against a server over the dataset that accepts curateToken: it unlocks the page,
// pastes an article, makes three facts of its sentences (one of them the same fact as one the
// graph has from another article), saves them, reads them in the explorer and in the article's
// text with their quotes marked, and is refused a fact whose quote the text lacks; at 390 px and
// at 1440 px. It skips as TestBrowser does. Screenshots go to e2e/out-curate ($KG_ARTIFACTS-curate
// when that is set). With -update it copies curate.png to ../docs.
func TestBrowserCurate(t *testing.T) {
	chromium, node, missing := browserTools(t)
	s, err := store.Open(t.Context(), store.Memory)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if rep, err := s.Sync(t.Context(), "../data", nil); err != nil || rep.Err() != nil {
		t.Fatalf("sync: %v %v", err, rep.Err())
	}
	cfg := api.Defaults()
	cfg.Tokens = []string{curateToken}
	srv := httptest.NewServer(api.Handler(s, slog.New(slog.NewTextHandler(io.Discard, nil)), cfg))
	t.Cleanup(srv.Close)
	res, err := http.Get(srv.URL + "/curate")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode == http.StatusServiceUnavailable {
		missing("needs the front end built into the test binary: npm --prefix web run build")
	}

	// Beside TestBrowser's folder, not in it: that test empties its folder when it starts.
	out, err := filepath.Abs(envOr("KG_ARTIFACTS", "e2e/out") + "-curate")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(out); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "e2e/curate.mjs", srv.URL, out)
	cmd.Env = append(os.Environ(), "KG_CHROMIUM="+chromium, "KG_TOKEN="+curateToken)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	err = cmd.Run()
	t.Logf("e2e/curate.mjs:\n%s", strings.TrimSpace(log.String()))
	if err != nil {
		t.Fatalf("browser run failed (%v); screenshots in %s", err, out)
	}
	if *update {
		b, err := os.ReadFile(filepath.Join(out, "curate.png"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("..", "docs", "curate.png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
