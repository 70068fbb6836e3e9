package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kgraph/telegraph/api"
	"github.com/kgraph/telegraph/bench/synth"
	"github.com/kgraph/telegraph/kg"
	"github.com/kgraph/telegraph/store"
)

var (
	bigOnce  sync.Once
	bigStore *store.Store
	bigErr   error
)

// big returns a memory store holding a generated graph of about 100,000 quads (a dump of
// about 12 MB), shared by the export tests: they only read it.
func big(t *testing.T) *store.Store {
	t.Helper()
	bigOnce.Do(func() {
		dir, err := os.MkdirTemp("", "export-test")
		if err != nil {
			bigErr = err
			return
		}
		defer os.RemoveAll(dir)
		path := filepath.Join(dir, "synth.nq")
		f, err := os.Create(path)
		if err != nil {
			bigErr = err
			return
		}
		bigErr = synth.Plan(100_000, 1).WriteNQuads(f)
		f.Close()
		if bigErr != nil {
			return
		}
		bigStore, bigErr = store.Open(context.Background(), store.Memory)
		if bigErr != nil {
			return
		}
		var rep *store.Report
		if rep, bigErr = bigStore.LoadFiles(context.Background(), []string{path}, nil); bigErr == nil {
			bigErr = rep.Err()
		}
	})
	if bigErr != nil {
		t.Fatal(bigErr)
	}
	return bigStore
}

// writer is a ResponseWriter for an export under test: it counts what it is given, and calls
// onWrite, when set, before each write with the bytes so far.
type writer struct {
	header  http.Header
	status  int
	n       int
	writes  int
	body    bytes.Buffer // kept only when keep is set
	keep    bool
	onWrite func(w *writer)
}

func newWriter() *writer { return &writer{header: http.Header{}} }

func (w *writer) Header() http.Header { return w.header }

func (w *writer) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *writer) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	if w.onWrite != nil {
		w.onWrite(w)
	}
	w.writes++
	w.n += len(p)
	if w.keep {
		w.body.Write(p)
	}
	return len(p), nil
}

// serve runs one export request on h and reports what it wrote, how long the handler took and
// what it panicked with (http.ErrAbortHandler when it cut the response).
func serve(ctx context.Context, h http.Handler, target string, w *writer) (took time.Duration, panicked any) {
	req := httptest.NewRequest("GET", target, nil).WithContext(ctx)
	start := time.Now()
	func() {
		defer func() { panicked = recover() }()
		h.ServeHTTP(w, req)
	}()
	return time.Since(start), panicked
}

var dumps = []string{"/export/graph?format=nquads", "/export/graph?format=jsonld"}

func TestExportDumpsEveryFactButTheManifest(t *testing.T) {
	s := big(t)
	h := api.Export(s, discard(), api.ExportOptions{})
	w := newWriter()
	w.keep = true
	if _, p := serve(context.Background(), h, "/export/graph", w); p != nil || w.status != http.StatusOK {
		t.Fatalf("status %d, panic %v: %.200s", w.status, p, w.body.String())
	}
	lines := strings.Count(w.body.String(), "\n")
	want := s.Index().QuadCount() - len(s.Index().LabelQuads(kg.ManifestLabel))
	if lines != want || strings.Contains(w.body.String(), kg.ManifestLabel) {
		t.Errorf("%d lines, want %d, one per quad but the manifest's", lines, want)
	}
	if w.writes < 10 {
		t.Errorf("%d bytes in %d writes: the dump did not stream", w.n, w.writes)
	}

	w = newWriter()
	w.keep = true
	serve(context.Background(), h, "/export/graph?format=jsonld", w)
	var doc []map[string]any
	if err := json.Unmarshal(w.body.Bytes(), &doc); err != nil || len(doc) == 0 {
		t.Errorf("JSON-LD dump: %v, %d graphs", err, len(doc))
	}
}

// blocked is a writer whose writes wait until release is closed, as a client that does not
// read; entered receives one value when the first write begins.
func blocked(entered chan<- struct{}, release <-chan struct{}) *writer {
	w := newWriter()
	var once sync.Once
	w.onWrite = func(*writer) {
		once.Do(func() { entered <- struct{}{} })
		<-release
	}
	return w
}

func TestExportDumpsAreCapped(t *testing.T) {
	s := big(t)
	const max = 2
	h := api.Export(s, discard(), api.ExportOptions{MaxDumps: max})
	entered, release := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	for i := range max {
		wg.Go(func() {
			w := blocked(entered, release)
			if _, p := serve(context.Background(), h, dumps[i%len(dumps)], w); p != nil || w.status != http.StatusOK {
				t.Errorf("held dump %d: status %d, panic %v", i, w.status, p)
			}
		})
		<-entered // this one is streaming, and holds its place
	}

	for _, target := range dumps {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
		var body struct{ Error, Code string }
		json.Unmarshal(rec.Body.Bytes(), &body)
		if rec.Code != http.StatusServiceUnavailable || body.Code != kg.EBusy || body.Error == "" {
			t.Errorf("dump beyond the cap: status %d, body %.200s; want 503 and code %s", rec.Code, rec.Body.String(), kg.EBusy)
		}
		if ra := rec.Header().Get("Retry-After"); ra != "10" {
			t.Errorf("Retry-After %q, want 10", ra)
		}
	}

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/export/neighborhood?of="+url.QueryEscape(synth.CompanyName(0)), nil))
	if rec.Code != http.StatusOK {
		t.Errorf("a drawing while the dumps run: status %d (%.200s), want 200: drawings are not capped", rec.Code, rec.Body.String())
	}

	close(release)
	wg.Wait()
	w := newWriter()
	if _, p := serve(context.Background(), h, dumps[0], w); p != nil || w.status != http.StatusOK {
		t.Errorf("dump after the others ended: status %d, panic %v, want 200", w.status, p)
	}
}

// logged returns a logger whose lines go to the buffer.
func logged() (*slog.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	return slog.New(slog.NewTextHandler(&buf, nil)), &buf
}

// drawing returns a neighbourhood export of the biggest hub, which is big enough to stream.
func drawing(format string) string {
	return "/export/neighborhood?depth=2&limit=5000&format=" + format + "&of=" + url.QueryEscape(synth.CompanyName(0))
}

func TestExportStopsWhenTheClientHangsUp(t *testing.T) {
	s := big(t)
	for _, target := range append(dumps, drawing("graphml"), drawing("cytoscape")) {
		t.Run(target, func(t *testing.T) {
			log, lines := logged()
			h := api.Export(s, log, api.ExportOptions{})
			full := newWriter()
			serve(context.Background(), h, target, full)

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var atCancel int
			var cancelled time.Time
			w := newWriter()
			w.onWrite = func(w *writer) {
				if w.writes == 2 { // the client hangs up during the third buffer
					atCancel = w.n
					cancelled = time.Now()
					cancel()
				}
			}
			_, p := serve(ctx, h, target, w)
			returned := time.Since(cancelled)
			if p != nil {
				t.Errorf("panic %v: a response to a client that went away needs no cutting", p)
			}
			if atCancel == 0 || w.n >= full.n {
				t.Fatalf("%d bytes at the cancel, %d in all, of %d: the export did not stop", atCancel, w.n, full.n)
			}
			// Once cancelled, the export writes at most what it had in hand: the buffer it was
			// writing and the one it was filling.
			if grew := w.n - atCancel; grew > 2*32<<10 {
				t.Errorf("%d more bytes after the cancel", grew)
			}
			if returned > 500*time.Millisecond {
				t.Errorf("the handler returned %s after the cancel", returned)
			}
			if !strings.Contains(lines.String(), "level=INFO") || !strings.Contains(lines.String(), "client went away") {
				t.Errorf("log %q, want the hang-up at Info", lines.String())
			}
			t.Logf("%d of %d bytes sent; returned %s after the cancel", w.n, full.n, returned.Round(time.Microsecond))
		})
	}
}

func TestExportStopsAtItsDeadline(t *testing.T) {
	s := big(t)
	const timeout = time.Second
	for _, target := range dumps {
		t.Run(target, func(t *testing.T) {
			full := newWriter()
			serve(context.Background(), api.Export(s, discard(), api.ExportOptions{}), target, full)

			log, lines := logged()
			h := api.Export(s, log, api.ExportOptions{DumpTimeout: timeout})
			w := newWriter()
			var afterDeadline int
			var woke time.Time
			w.onWrite = func(w *writer) {
				// A client that stalls after the first buffer: for the export's whole timeout,
				// counted from after the export's deadline was set.
				if w.writes == 1 {
					time.Sleep(timeout)
					afterDeadline, woke = w.n, time.Now()
				}
			}
			_, p := serve(context.Background(), h, target, w)
			took := time.Since(woke)
			if p != http.ErrAbortHandler {
				t.Errorf("panic %v, want http.ErrAbortHandler: a response cut by its deadline must not end like a whole one", p)
			}
			if w.status != http.StatusOK || afterDeadline == 0 {
				t.Errorf("status %d, %d bytes of %d", w.status, w.n, full.n)
			}
			// The deadline's timer may fire a little late on a busy machine, so this bound is
			// looser than the hang-up's.
			if grew := w.n - afterDeadline; grew > full.n/4 {
				t.Errorf("%d more bytes after the deadline, of %d", grew, full.n)
			}
			if took > 500*time.Millisecond {
				t.Errorf("the handler returned %s after its deadline", took)
			}
			if !strings.Contains(lines.String(), "level=WARN") || !strings.Contains(lines.String(), "deadline") {
				t.Errorf("log %q, want the deadline at Warn", lines.String())
			}
		})
	}

	t.Run("before the first byte", func(t *testing.T) {
		// Sorting the quads of a JSON-LD dump takes more than a millisecond.
		h := api.Export(s, discard(), api.ExportOptions{DumpTimeout: time.Millisecond})
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/export/graph?format=jsonld", nil))
		var body struct{ Error, Code string }
		json.Unmarshal(rec.Body.Bytes(), &body)
		if rec.Code != http.StatusServiceUnavailable || body.Code != api.ETimeout {
			t.Errorf("status %d, body %.200s; want 503 and code %s", rec.Code, rec.Body.String(), api.ETimeout)
		}
	})
}

// A dump outlives the server's WriteTimeout, which is for ordinary answers, and leaves the
// connection fit for the next request.
func TestExportDumpOutlivesTheServersWriteTimeout(t *testing.T) {
	s := big(t)
	srv := httptest.NewUnstartedServer(api.Export(s, discard(), api.ExportOptions{}))
	srv.Config.WriteTimeout = 50 * time.Millisecond
	srv.Start()
	defer srv.Close()

	start := time.Now()
	resp, err := srv.Client().Get(srv.URL + "/export/graph")
	if err != nil {
		t.Fatal(err)
	}
	// A client slower than the loopback's buffers are big: the dump takes several times the
	// WriteTimeout.
	var body bytes.Buffer
	buf := make([]byte, 64<<10)
	for err == nil {
		var n int
		n, err = resp.Body.Read(buf)
		body.Write(buf[:n])
		time.Sleep(2 * time.Millisecond)
	}
	resp.Body.Close()
	want := s.Index().QuadCount() - len(s.Index().LabelQuads(kg.ManifestLabel))
	if err != io.EOF || strings.Count(body.String(), "\n") != want {
		t.Fatalf("after %s: %v, %d lines, want the whole dump of %d", time.Since(start), err, strings.Count(body.String(), "\n"), want)
	}
	if took := time.Since(start); took < 2*srv.Config.WriteTimeout {
		t.Logf("the dump took %s only: the test proves nothing on this machine", took)
	}

	resp, err = srv.Client().Get(srv.URL + "/export/neighborhood?of=" + url.QueryEscape(synth.CompanyName(1)))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("next request: %v %v", err, resp)
	}
	resp.Body.Close()
}
