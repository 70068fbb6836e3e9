package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kgraph/telegraph/graph"
	"github.com/kgraph/telegraph/graph/model"
	"github.com/kgraph/telegraph/index"
	"github.com/kgraph/telegraph/kg"
	"github.com/kgraph/telegraph/render"
)

const (
	// ExportTimeout bounds one drawing (/export/neighborhood or /export/path).
	ExportTimeout = 10 * time.Second
	// DefaultDumpTimeout bounds one dump of the whole graph (/export/graph) unless
	// ExportOptions.DumpTimeout says otherwise. A dump is every quad: some 75 MB of N-Quads a
	// million quads, which a client on a slow link takes tens of seconds to read (JSON-LD also
	// takes about 2.5 s a million quads to render), far longer than a drawing's ExportTimeout.
	// The dump's connection gets it as its write deadline, over the server's WriteTimeout.
	DefaultDumpTimeout = 60 * time.Second
	// DefaultMaxDumps is how many dumps run at once unless ExportOptions.MaxDumps says otherwise.
	DefaultMaxDumps = 2
	// DumpRetryAfter is the Retry-After of a dump refused because MaxDumps are running.
	DumpRetryAfter = 10 * time.Second
)

// ExportOptions tunes Export. The zero value takes the defaults.
type ExportOptions struct {
	// MaxDumps is how many dumps of the whole graph run at once; one more is refused with 503,
	// code BUSY (kg.EBusy) and a Retry-After header. Drawings are not counted: their limit
	// bounds each. Zero means DefaultMaxDumps.
	MaxDumps int
	// DumpTimeout bounds one dump; zero means DefaultDumpTimeout.
	DumpTimeout time.Duration
}

func (o ExportOptions) maxDumps() int {
	if o.MaxDumps > 0 {
		return o.MaxDumps
	}
	return DefaultMaxDumps
}

func (o ExportOptions) dumpTimeout() time.Duration {
	if o.DumpTimeout > 0 {
		return o.DumpTimeout
	}
	return DefaultDumpTimeout
}

// Export serves drawings and dumps of the graph over plain HTTP GET, for tools that do not speak
// GraphQL:
//
//	/export/neighborhood?of=Ericsson&depth=2&format=cytoscape   (or graphml)
//	/export/path?from=Nokia&to=ZTE&format=graphml
//	/export/graph?format=nquads                                  (or jsonld)
//
// neighborhood takes limit, asOf, relationKinds, entityKinds (comma-separated), country,
// minSources, since and until like the GraphQL field; path takes maxHops, via and asOf.
//
// Every export streams: it is written to the client as it is made, and stops within a
// millisecond or so of the client hanging up or its deadline passing (ExportTimeout for a
// drawing, opt's DumpTimeout for a dump). At most opt's MaxDumps dumps run at once.
//
// Errors found before the first bytes are sent are JSON {"error": ..., "code": ...} with status
// 400 (INVALID), 404 (NOT_FOUND), 503 (BUSY, with Retry-After, or TIMEOUT) or 500 (INTERNAL).
// Once bytes are sent the status is 200 and cannot change: a client that hung up is let go
// (logged at Info), and to one still there the connection is cut before the body's end (a
// passed deadline is logged at Warn), so it sees a broken transfer, never a short export that
// looks whole.
func Export(src graph.Source, log *slog.Logger, opt ExportOptions) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /export/neighborhood", func(w http.ResponseWriter, r *http.Request) {
		serveExport(w, r, log, func(ctx context.Context, q query) (*index.View, index.Subgraph, error) {
			v, err := q.view(src)
			if err != nil {
				return nil, index.Subgraph{}, err
			}
			e, err := v.Find(ctx, q.get("of"))
			if err != nil {
				return nil, index.Subgraph{}, err
			}
			mf, err := q.filter()
			if err != nil {
				return nil, index.Subgraph{}, err
			}
			f, err := model.ToFilter(v, mf)
			if err != nil {
				return nil, index.Subgraph{}, err
			}
			depth, err := q.int("depth", 1, 0, index.MaxDepth)
			if err != nil {
				return nil, index.Subgraph{}, err
			}
			limit, err := q.int("limit", 500, 1, index.MaxNeighborhood)
			if err != nil {
				return nil, index.Subgraph{}, err
			}
			g, err := v.Neighborhood(ctx, e, depth, limit, f)
			return v, g, err
		})
	})
	mux.HandleFunc("GET /export/path", func(w http.ResponseWriter, r *http.Request) {
		serveExport(w, r, log, func(ctx context.Context, q query) (*index.View, index.Subgraph, error) {
			v, err := q.view(src)
			if err != nil {
				return nil, index.Subgraph{}, err
			}
			a, err := v.Find(ctx, q.get("from"))
			if err != nil {
				return nil, index.Subgraph{}, err
			}
			b, err := v.Find(ctx, q.get("to"))
			if err != nil {
				return nil, index.Subgraph{}, err
			}
			hops, err := q.int("maxHops", 4, 1, index.MaxHops)
			if err != nil {
				return nil, index.Subgraph{}, err
			}
			if err := model.CheckRelationKinds("relationKinds", q.kinds()); err != nil {
				return nil, index.Subgraph{}, err
			}
			path, err := v.Path(ctx, a, b, hops, q.kinds())
			if err != nil {
				return nil, index.Subgraph{}, err
			}
			if path == nil {
				return nil, index.Subgraph{}, kg.Errorf(kg.ENotFound, "no path from %q to %q within %d hops", a.Name, b.Name, hops)
			}
			return v, model.PathOf(v, path).Graph().G, nil
		})
	})
	dumps := make(semaphore, opt.maxDumps())
	timeout := opt.dumpTimeout()
	mux.HandleFunc("GET /export/graph", func(w http.ResponseWriter, r *http.Request) {
		var write func(context.Context, io.Writer, index.QuadList, func(*index.Quad) bool) error
		var ctype string
		switch f := r.URL.Query().Get("format"); f {
		case "", "nquads":
			ctype, write = "application/n-quads", render.NQuads
		case "jsonld":
			ctype, write = "application/ld+json", render.JSONLD
		default:
			exportError(w, log, kg.Errorf(kg.EInvalid, "format %q: use nquads or jsonld", f), 0)
			return
		}
		if !dumps.acquire() {
			exportError(w, log, kg.Errorf(kg.EBusy, "the server is already dumping the graph %d times at once, its most; try again in %s", cap(dumps), DumpRetryAfter), 0)
			return
		}
		defer dumps.release()
		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		defer cancel()
		w.Header().Set("Content-Type", ctype)
		quads := src.Index().Quads()
		send(ctx, w, r, log, timeout, func(w io.Writer) error { return write(ctx, w, quads, notManifest) })
	})
	return mux
}

// notManifest keeps the store's bookkeeping out of a dump, so that the dump loads into another
// store, which keeps its own.
func notManifest(q *index.Quad) bool { return q.Label.Value != kg.ManifestLabel }

// semaphore lets at most cap of its holders in at once.
type semaphore chan struct{}

// acquire takes a place, or reports false at once when there is none.
func (s semaphore) acquire() bool {
	select {
	case s <- struct{}{}:
		return true
	default:
		return false
	}
}

// release gives back a place acquire took.
func (s semaphore) release() { <-s }

// query reads an export request's parameters.
type query struct{ url map[string][]string }

func (q query) get(key string) string {
	if v := q.url[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (q query) list(key string) []string {
	var out []string
	for _, v := range q.url[key] {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// kinds returns the relationship kinds of a path export, given as relationKinds or, the older
// name, via.
func (q query) kinds() []string { return model.RelationKinds(q.list("relationKinds"), q.list("via")) }

func (q query) int(key string, def, lo, hi int) (int, error) {
	s := q.get(key)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, kg.Errorf(kg.EInvalid, "%s must be a whole number from %d to %d, got %q", key, lo, hi, s)
	}
	return n, nil
}

func (q query) date(key string) (*model.Date, error) {
	s := q.get(key)
	if s == "" {
		return nil, nil
	}
	var d model.Date
	if err := d.UnmarshalGQL(s); err != nil {
		return nil, err
	}
	return &d, nil
}

func (q query) view(src graph.Source) (*index.View, error) {
	asOf, err := q.date("asOf")
	if err != nil {
		return nil, err
	}
	return src.Index().At(asOf.String()), nil
}

// filter reads the export's filter parameters; a malformed one is INVALID, as in GraphQL.
func (q query) filter() (*model.Filter, error) {
	f := &model.Filter{EntityKinds: q.list("entityKinds"), RelationKinds: q.list("relationKinds")}
	if c := q.get("country"); c != "" {
		f.Country = &c
	}
	if q.get("minSources") != "" {
		n, err := q.int("minSources", 0, 0, math.MaxInt32)
		if err != nil {
			return nil, err
		}
		f.MinSources = &n
	}
	var err error
	if f.Since, err = q.date("since"); err != nil {
		return nil, err
	}
	if f.Until, err = q.date("until"); err != nil {
		return nil, err
	}
	return f, nil
}

// serveExport runs build and streams its subgraph in the requested format, within
// ExportTimeout.
func serveExport(w http.ResponseWriter, r *http.Request, log *slog.Logger, build func(context.Context, query) (*index.View, index.Subgraph, error)) {
	ctx, cancel := context.WithTimeout(r.Context(), ExportTimeout)
	defer cancel()
	q := query{r.URL.Query()}
	format := q.get("format")
	if format != "" && format != "cytoscape" && format != "graphml" {
		exportError(w, log, kg.Errorf(kg.EInvalid, "format %q: use cytoscape or graphml", format), 0)
		return
	}
	v, g, err := build(ctx, q)
	if err != nil {
		exportError(w, log, err, ExportTimeout)
		return
	}
	if format == "graphml" {
		w.Header().Set("Content-Type", "application/graphml+xml")
		send(ctx, w, r, log, ExportTimeout, func(w io.Writer) error { return render.WriteGraphML(ctx, w, v, g) })
		return
	}
	w.Header().Set("Content-Type", "application/json")
	send(ctx, w, r, log, ExportTimeout, func(w io.Writer) error { return render.WriteCytoscape(ctx, w, v, g) })
}

// send streams what write writes to w, flushing it to the client each time write hands over a
// buffer, within ctx (the request's context with the export's timeout), which write must stop
// at. The connection's write deadline is ctx's while the export is written, in place of the
// server's WriteTimeout: a dump may take longer than an ordinary answer, and a write to a client
// that stopped reading fails at the deadline instead of holding the export.
//
// An error before anything reached w is answered as exportError answers it. After that the
// status has gone out: a client that went away is let go, logged at Info; for one still there
// the handler panics with http.ErrAbortHandler, which makes the server cut the connection without
// the body's end, so the client sees the transfer fail. A passed deadline is logged at Warn,
// anything else at Error.
func send(ctx context.Context, w http.ResponseWriter, r *http.Request, log *slog.Logger, timeout time.Duration, write func(io.Writer) error) {
	s := &stream{w: w, rc: http.NewResponseController(w)}
	if d, ok := ctx.Deadline(); ok && s.rc.SetWriteDeadline(d) == nil {
		// Cleared afterwards: on a keep-alive connection of a server without WriteTimeout,
		// nothing else would, and it would fail the next answer's writes.
		defer s.rc.SetWriteDeadline(time.Time{})
	}
	err := write(s)
	switch {
	case err == nil:
		return
	case r.Context().Err() != nil || (s.err != nil && ctx.Err() == nil):
		// The request's own context ends when its client hangs up; a write that fails before
		// the deadline is a connection that broke under it. Nobody is left to tell.
		log.Info("export stopped: the client went away", "path", r.URL.Path, "sent", s.n, "err", err)
		return
	case s.n == 0:
		exportError(w, log, err, timeout)
		return
	case ctx.Err() != nil:
		log.Warn("export stopped at its deadline", "path", r.URL.Path, "timeout", timeout, "sent", s.n)
	default:
		log.Error("export failed after it began", "request", requestID(), "path", r.URL.Path, "sent", s.n, "err", err)
	}
	panic(http.ErrAbortHandler)
}

// stream is an export's ResponseWriter while the export is written: it counts the bytes that
// reached the ResponseWriter, keeps the first write error, and flushes after each write, so a
// client gets each buffer as it is made.
type stream struct {
	w   http.ResponseWriter
	rc  *http.ResponseController
	n   int64
	err error
}

func (s *stream) Write(p []byte) (int, error) {
	n, err := s.w.Write(p)
	s.n += int64(n)
	if err == nil {
		if err = s.rc.Flush(); errors.Is(err, http.ErrNotSupported) {
			err = nil
		}
	}
	if err != nil && s.err == nil {
		s.err = err
	}
	return n, err
}

// exportError answers err as JSON {"error": ..., "code": ...} (and "suggestions" for a name not
// found, as in GraphQL's extensions): a domain error with its code, a
// deadline (timeout, the export's) as TIMEOUT, anything else as INTERNAL, logged.
func exportError(w http.ResponseWriter, log *slog.Logger, err error, timeout time.Duration) {
	status, code, msg := http.StatusInternalServerError, kg.EInternal, ""
	var de *kg.Error
	switch {
	case errors.As(err, &de):
		code, msg = de.Code, de.Message
		switch de.Code {
		case kg.ENotFound:
			status = http.StatusNotFound
		case kg.EBusy:
			status = http.StatusServiceUnavailable
			w.Header().Set("Retry-After", strconv.Itoa(int(DumpRetryAfter.Seconds())))
		default:
			status = http.StatusBadRequest
		}
	case errors.Is(err, context.DeadlineExceeded):
		status, code, msg = http.StatusServiceUnavailable, ETimeout, "the export ran past its deadline ("+timeout.String()+") and was stopped; for a drawing, ask for a smaller depth or limit"
	default:
		id := requestID()
		log.Error("export failed", "request", id, "err", err)
		msg = "internal error (request " + id + ")"
	}
	body := map[string]any{"error": msg, "code": code}
	if de != nil && len(de.Suggestions) > 0 {
		body["suggestions"] = de.Suggestions
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}
