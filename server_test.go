package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	gosync "sync"
	"testing"
	"time"
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
	// The problem is a line of its own, as the loader words it: no log wrapping, no quoting.
	want := filepath.Join(dir, "a.kg") + ":5: unknown entity kind"
	plain := false
	for _, line := range strings.Split(errOut.String(), "\n") {
		plain = plain || strings.HasPrefix(line, want)
	}
	if !plain {
		t.Errorf("no line starts with %q:\n%s", want, errOut.String())
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

// syncBuffer is a bytes.Buffer that a running server may write while a test reads it.
type syncBuffer struct {
	mu  gosync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// serveLog starts serve with args, waits until it serves, stops it and returns its log.
func serveLog(t *testing.T, args ...string) string {
	t.Helper()
	return serveWhile(t, nil, append([]string{"--db", "memory", "--data", t.TempDir()}, args...)...)
}

// serveWhile starts serve with args, waits until it serves, calls fn (unless nil) with the
// address it serves on, stops it and returns its log.
func serveWhile(t *testing.T, fn func(addr string), args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve"}, args...), &out, &errOut)
	}()
	serving := regexp.MustCompile(`msg=serving addr=(\S+)`)
	deadline := time.Now().Add(20 * time.Second)
	var m []string
	for m = serving.FindStringSubmatch(errOut.String()); m == nil; m = serving.FindStringSubmatch(errOut.String()) {
		select {
		case code := <-done:
			t.Fatalf("serve ended with %d before serving:\n%s", code, errOut.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s", errOut.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if fn != nil {
		fn(m[1])
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve exit code %d:\n%s", code, errOut.String())
	}
	return errOut.String()
}

func TestServeWarnsOfTokensInClearText(t *testing.T) {
	token := strings.Repeat("t", MinTokenLength)
	for _, tc := range []struct {
		name string
		args []string
		warn bool
	}{
		{"tokens on every interface", []string{"--addr", ":0", "--token", token}, true},
		{"tokens on a loopback address", []string{"--addr", "127.0.0.1:0", "--token", token}, false},
		{"tokens on the IPv6 loopback", []string{"--addr", "[::1]:0", "--token", token}, false},
		{"read-only on every interface", []string{"--addr", ":0"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("KG_TOKEN", "")
			if tc.args[1] == "[::1]:0" {
				if ln, err := net.Listen("tcp", "[::1]:0"); err != nil {
					t.Skip("no IPv6 loopback:", err)
				} else {
					ln.Close()
				}
			}
			log := serveLog(t, tc.args...)
			if got := strings.Contains(log, "CLEAR TEXT"); got != tc.warn {
				t.Errorf("warning in log = %v, want %v:\n%s", got, tc.warn, log)
			}
			if tc.warn && !strings.Contains(log, "level=WARN") || tc.warn && !strings.Contains(log, "--addr 127.0.0.1") {
				t.Errorf("the warning is not a WARN line that suggests a loopback --addr:\n%s", log)
			}
		})
	}
}

func TestLoadOfEmptiedFolderNeedsPrune(t *testing.T) {
	t.Setenv("KG_PRUNE", "")
	data := t.TempDir()
	for _, id := range []string{"a", "b", "c"} {
		src := "article " + id + "\n  title: T\n  date: 2017-01-01\n\nentity " + id + "-corp Company\n  name: Corp " + id + "\n  quote: Corp " + id + " said\n"
		if err := os.WriteFile(filepath.Join(data, id+".kg"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db := filepath.Join(t.TempDir(), "kg.db")
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"load", "--db", db, "--data", data}, &out, &errOut); code != 0 {
		t.Fatalf("load failed:\n%s", errOut.String())
	}
	exported := func() string {
		t.Helper()
		var out, errOut bytes.Buffer
		if code := run(context.Background(), []string{"export", "--db", db}, &out, &errOut); code != 0 {
			t.Fatalf("export failed:\n%s", errOut.String())
		}
		return out.String()
	}
	before := exported()
	empty := t.TempDir()

	for _, tc := range []struct {
		name string
		env  string
		args []string
	}{
		{"no flag", "", nil},
		{"--prune=false", "", []string{"--prune=false"}},
		{"KG_PRUNE=false", "false", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("KG_PRUNE", tc.env)
			errOut.Reset()
			code := run(context.Background(), append([]string{"load", "--db", db, "--data", empty}, tc.args...), &out, &errOut)
			if code != 1 {
				t.Errorf("load of an empty folder: exit %d, want 1", code)
			}
			for _, want := range []string{"a.kg, b.kg, c.kg", "--prune", "KG_PRUNE"} {
				if !strings.Contains(errOut.String(), want) {
					t.Errorf("output does not mention %q:\n%s", want, errOut.String())
				}
			}
			if after := exported(); after != before {
				t.Errorf("a refused load changed the store")
			}
		})
	}

	t.Run("allowed", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			env  string
			args []string
		}{
			{"--prune", "", []string{"--prune"}},
			{"KG_PRUNE=true", "true", nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				t.Setenv("KG_PRUNE", tc.env)
				if code := run(context.Background(), []string{"load", "--db", db, "--data", data}, &out, &errOut); code != 0 {
					t.Fatalf("reload failed:\n%s", errOut.String())
				}
				errOut.Reset()
				if code := run(context.Background(), append([]string{"load", "--db", db, "--data", empty}, tc.args...), &out, &errOut); code != 0 {
					t.Fatalf("load with prune allowed: exit %d:\n%s", code, errOut.String())
				}
				if after := exported(); after != "" {
					t.Errorf("store still holds facts after a pruning load of an empty folder:\n%s", after)
				}
			})
		}
	})
}

func TestLoadOfMissingFolderCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	notFolder := filepath.Join(dir, "file.kg")
	if err := os.WriteFile(notFolder, []byte("article a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, data := range []string{filepath.Join(dir, "nowhere"), notFolder} {
		db := filepath.Join(dir, "store", "kg.db")
		var out, errOut bytes.Buffer
		if code := run(context.Background(), []string{"load", "--db", db, "--data", data, "--prune"}, &out, &errOut); code != 1 {
			t.Errorf("load --data %s: exit %d, want 1", data, code)
		}
		if !strings.Contains(errOut.String(), "data folder") || !strings.Contains(errOut.String(), "--data") {
			t.Errorf("load --data %s: output does not name the data folder and --data:\n%s", data, errOut.String())
		}
		if _, err := os.Stat(filepath.Dir(db)); !os.IsNotExist(err) {
			t.Errorf("load --data %s created %s (stat: %v)", data, filepath.Dir(db), err)
		}
	}
}

// With --metrics-addr, /metrics answers on that address and no longer on the API's; without
// it, /metrics answers beside the API.
func TestServeMetricsApart(t *testing.T) {
	get := func(url string) (int, string) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	free, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	metricsAddr := free.Addr().String()
	free.Close()
	log := serveWhile(t, func(addr string) {
		if code, body := get("http://" + metricsAddr + "/metrics"); code != http.StatusOK || !strings.Contains(body, "telegraph_index_quads ") {
			t.Errorf("GET /metrics on --metrics-addr: %d, telegraph_index_quads in it: %v", code, strings.Contains(body, "telegraph_index_quads "))
		}
		if code, _ := get("http://" + addr + "/metrics"); code != http.StatusNotFound {
			t.Errorf("GET /metrics on the API's address with --metrics-addr: %d, want 404", code)
		}
		if code, _ := get("http://" + addr + "/healthz"); code != http.StatusOK {
			t.Errorf("GET /healthz: %d", code)
		}
	}, "--db", "memory", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--metrics-addr", metricsAddr)
	if !strings.Contains(log, `msg="serving metrics" addr=`+metricsAddr) {
		t.Errorf("the log does not say where the metrics are served:\n%s", log)
	}
	serveWhile(t, func(addr string) {
		if code, body := get("http://" + addr + "/metrics"); code != http.StatusOK || !strings.Contains(body, "telegraph_graphql_requests_total") && !strings.Contains(body, "telegraph_index_quads ") {
			t.Errorf("GET /metrics beside the API: %d", code)
		}
	}, "--db", "memory", "--data", t.TempDir(), "--addr", "127.0.0.1:0")
}
