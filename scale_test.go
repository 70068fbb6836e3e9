package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/kgraph/telegraph/bench/synth"
)

// A load killed with SIGKILL between two transactions, then run again, ends with exactly the
// file's quads. In between, a server on the store warns at start that it holds part of the file
// and /healthz says so; after the re-run it does not.
func TestLoadKilledThenRerunHoldsExactlyTheFile(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds and kills the command")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "telegraph")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	var src bytes.Buffer
	if err := synth.Plan(20_000, 1).WriteNQuads(&src); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "graph.nq.gz")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	zw.Write(src.Bytes())
	zw.Close()
	f.Close()
	db := filepath.Join(dir, "kg.db")
	load := func() *exec.Cmd {
		return exec.Command(bin, "load", "--db", db, "--data", filepath.Join(dir, "empty"), "--batch", "500", path)
	}

	cmd := load()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	progressed := false
	for sc.Scan() {
		if strings.Contains(sc.Text(), "msg=writing") {
			progressed = true
			cmd.Process.Kill()
			break
		}
	}
	cmd.Wait()
	if !progressed {
		t.Fatal("the load never reported a written transaction")
	}
	empty := t.TempDir()
	health := func(t *testing.T) (status int, body healthz) {
		t.Helper()
		log := serveWhile(t, func(addr string) {
			resp, err := http.Get("http://" + addr + "/healthz")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			status = resp.StatusCode
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatalf("/healthz: %v", err)
			}
		}, "--db", db, "--data", empty, "--addr", "127.0.0.1:0")
		body.log = log
		return status, body
	}
	t.Run("the partial file is reported", func(t *testing.T) {
		status, h := health(t)
		if status != http.StatusOK || h.Status != "degraded" || !slices.Equal(h.Partial, []string{path}) {
			t.Errorf("/healthz = %d %+v, want 200, degraded and partial [%s]", status, h, path)
		}
		warned := false
		for _, l := range strings.Split(h.log, "\n") {
			if strings.Contains(l, "level=WARN") && strings.Contains(l, "file="+path) && strings.Contains(l, "telegraph load FILE") {
				warned = true
			}
		}
		if !warned {
			t.Errorf("no warning at start names %s and says to load it again:\n%s", path, h.log)
		}
	})

	out, err := load().CombinedOutput()
	if err != nil {
		t.Fatalf("re-run: %v\n%s", err, out)
	}
	want := strings.Split(strings.TrimSpace(src.String()), "\n")
	m := regexp.MustCompile(`quads_added=(\d+) quads_deleted=(\d+)`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("re-run did not report what it wrote:\n%s", out)
	}
	if added, _ := strconv.Atoi(m[1]); added == 0 || added >= len(want) || m[2] != "0" {
		t.Errorf("re-run added %s and deleted %s of %d quads; want only what the killed load had not written", m[1], m[2], len(want))
	}
	var exp bytes.Buffer
	if code := run(context.Background(), []string{"export", "--db", db}, &exp, os.Stderr); code != 0 {
		t.Fatal("export failed")
	}
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(exp.String()), "\n") {
		if !strings.Contains(l, "<kg:manifest>") {
			got = append(got, l)
		}
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("after the re-run the store holds %d quads, the file %d, and they differ", len(got), len(want))
	}
	t.Run("after the re-run nothing is partial", func(t *testing.T) {
		status, h := health(t)
		if status != http.StatusOK || h.Status != "ok" || len(h.Partial) != 0 || strings.Contains(h.log, "part of this file") {
			t.Errorf("/healthz = %d %+v, want 200, ok and nothing partial; log:\n%s", status, h, h.log)
		}
	})
}

// healthz is the answer of /healthz, and the log of the server that gave it.
type healthz struct {
	Status  string
	Quads   int
	Partial []string
	log     string
}

func TestBadBatchAndRefreshSayWhatToFix(t *testing.T) {
	for _, tc := range []struct {
		env, val string
		args     []string
		want     string
	}{
		{"KG_BATCH", "lots", nil, `KG_BATCH="lots" is not a whole number`},
		{"KG_REFRESH", "2", nil, `KG_REFRESH="2" is not a duration`},
		{"", "", []string{"--batch", "0"}, "--batch must be positive"},
	} {
		if tc.env != "" {
			t.Setenv(tc.env, tc.val)
		}
		var out, errOut bytes.Buffer
		args := append([]string{"load", "--db", "memory", "--data", t.TempDir()}, tc.args...)
		if code := run(context.Background(), args, &out, &errOut); code != 2 {
			t.Errorf("%s=%s %v: exit code %d, want 2", tc.env, tc.val, tc.args, code)
		}
		if !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("%s=%s %v: output %q does not say %q", tc.env, tc.val, tc.args, errOut.String(), tc.want)
		}
		if tc.env != "" {
			os.Unsetenv(tc.env)
		}
	}
}
