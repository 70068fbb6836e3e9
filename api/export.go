package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
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

// ExportTimeout bounds one export request.
const ExportTimeout = 10 * time.Second

// Export serves drawings and dumps of the graph over plain HTTP GET, for tools that do not speak
// GraphQL:
//
//	/export/neighborhood?of=Ericsson&depth=2&format=cytoscape   (or graphml)
//	/export/path?from=Nokia&to=ZTE&format=graphml
//	/export/graph?format=nquads                                  (or jsonld)
//
// neighborhood takes limit, asOf, relationKinds, entityKinds (comma-separated), country,
// minSources, since and until like the GraphQL field; path takes maxHops, via and asOf.
// Errors are JSON {"error": ..., "code": ...} with status 400 (INVALID) or 404 (NOT_FOUND).
func Export(src graph.Source, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /export/neighborhood", func(w http.ResponseWriter, r *http.Request) {
		serveExport(w, r, log, func(ctx context.Context, q query) (*index.View, index.Subgraph, error) {
			v, err := q.view(src)
			if err != nil {
				return nil, index.Subgraph{}, err
			}
			e, err := v.Lookup(q.get("of"))
			if err != nil {
				return nil, index.Subgraph{}, err
			}
			f, err := model.ToFilter(v, q.filter())
			if err != nil {
				return nil, index.Subgraph{}, err
			}
			depth, err := q.int("depth", 1, 0, index.MaxDepth)
			if err != nil {
				return nil, index.Subgraph{}, err
			}
			limit, err := q.int("limit", 500, 1, 5000)
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
			a, err := v.Lookup(q.get("from"))
			if err != nil {
				return nil, index.Subgraph{}, err
			}
			b, err := v.Lookup(q.get("to"))
			if err != nil {
				return nil, index.Subgraph{}, err
			}
			hops, err := q.int("maxHops", 4, 1, index.MaxHops)
			if err != nil {
				return nil, index.Subgraph{}, err
			}
			if err := model.CheckRelationKinds("via", q.list("via")); err != nil {
				return nil, index.Subgraph{}, err
			}
			path, err := v.Path(ctx, a, b, hops, q.list("via"))
			if err != nil {
				return nil, index.Subgraph{}, err
			}
			if path == nil {
				return nil, index.Subgraph{}, kg.Errorf(kg.ENotFound, "no path from %q to %q within %d hops", a.Name, b.Name, hops)
			}
			return v, model.PathOf(v, path).Graph().G, nil
		})
	})
	mux.HandleFunc("GET /export/graph", func(w http.ResponseWriter, r *http.Request) {
		var quads []index.Quad
		for _, q := range src.Index().Quads() {
			if q.Label.Value != kg.ManifestLabel {
				quads = append(quads, q)
			}
		}
		var buf bytes.Buffer
		var err error
		switch f := r.URL.Query().Get("format"); f {
		case "", "nquads":
			w.Header().Set("Content-Type", "application/n-quads")
			err = render.NQuads(&buf, quads)
		case "jsonld":
			w.Header().Set("Content-Type", "application/ld+json")
			err = render.JSONLD(&buf, quads)
		default:
			exportError(w, log, kg.Errorf(kg.EInvalid, "format %q: use nquads or jsonld", f))
			return
		}
		if err != nil {
			exportError(w, log, err)
			return
		}
		w.Write(buf.Bytes())
	})
	return mux
}

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

func (q query) filter() *model.Filter {
	f := &model.Filter{EntityKinds: q.list("entityKinds"), RelationKinds: q.list("relationKinds")}
	if c := q.get("country"); c != "" {
		f.Country = &c
	}
	if n, err := strconv.Atoi(q.get("minSources")); err == nil {
		f.MinSources = &n
	}
	f.Since, _ = q.date("since")
	f.Until, _ = q.date("until")
	return f
}

// serveExport runs build and writes its subgraph in the requested format.
func serveExport(w http.ResponseWriter, r *http.Request, log *slog.Logger, build func(context.Context, query) (*index.View, index.Subgraph, error)) {
	ctx, cancel := context.WithTimeout(r.Context(), ExportTimeout)
	defer cancel()
	q := query{r.URL.Query()}
	format := q.get("format")
	if format != "" && format != "cytoscape" && format != "graphml" {
		exportError(w, log, kg.Errorf(kg.EInvalid, "format %q: use cytoscape or graphml", format))
		return
	}
	v, g, err := build(ctx, q)
	if err != nil {
		exportError(w, log, err)
		return
	}
	if format == "graphml" {
		var buf bytes.Buffer
		if err := render.GraphML(&buf, v, g); err != nil {
			exportError(w, log, err)
			return
		}
		w.Header().Set("Content-Type", "application/graphml+xml")
		w.Write(buf.Bytes())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(render.Cytoscape(v, g))
}

func exportError(w http.ResponseWriter, log *slog.Logger, err error) {
	status, code, msg := http.StatusInternalServerError, kg.EInternal, ""
	var de *kg.Error
	switch {
	case errors.As(err, &de):
		code, msg = de.Code, de.Message
		status = http.StatusBadRequest
		if de.Code == kg.ENotFound {
			status = http.StatusNotFound
		}
	case errors.Is(err, context.DeadlineExceeded):
		status, code, msg = http.StatusServiceUnavailable, "TIMEOUT", "export took longer than "+ExportTimeout.String()+"; ask for a smaller depth or limit"
	default:
		id := requestID()
		log.Error("export failed", "request", id, "err", err)
		msg = "internal error (request " + id + ")"
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": msg, "code": code})
}
