// Package api assembles the HTTP surface: the GraphQL endpoint with its error policy, query
// limits and write authorisation, the subscription websocket, the explorer and playground, the
// export endpoints and the health check.
package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/kgraph/telegraph/graph"
	"github.com/kgraph/telegraph/kg"
	"github.com/kgraph/telegraph/web"
)

// Handler returns the server's HTTP handler: GraphiQL at /, the explorer at /explore, GraphQL
// (and its websocket) at /query, drawings and dumps under /export/ (see Export), /healthz, and
// cfg.Metrics (new ones when nil) at /metrics unless cfg.MetricsApart, with gauges of src added
// (see sourceGauges).
func Handler(src graph.Source, log *slog.Logger, cfg Config) http.Handler {
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics()
	}
	sourceGauges(cfg.Metrics, src)
	mux := http.NewServeMux()
	if !cfg.MetricsApart {
		mux.Handle("/metrics", cfg.Metrics)
	}
	mux.Handle("/query", Endpoint(src, log, cfg))
	mux.Handle("/export/", Export(src, log, cfg.Export))
	ui := web.Handler()
	mux.Handle("/", ui)
	mux.Handle("/explore", ui)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		// A source that can tell which files it holds only part of (*store.Store can) lists
		// them: the server answers, from part of a file, until that file is loaded again.
		var partial []string
		if p, ok := src.(interface{ Partial() []string }); ok {
			partial = p.Partial()
		}
		if len(partial) == 0 {
			fmt.Fprintf(w, `{"status":"ok","quads":%d}`, src.Index().QuadCount())
			return
		}
		json.NewEncoder(w).Encode(struct {
			Status  string   `json:"status"`
			Quads   int      `json:"quads"`
			Partial []string `json:"partial"`
		}{"degraded", src.Index().QuadCount(), partial})
	})
	return cfg.Metrics.Count(mux)
}

// GraphQL returns the GraphQL endpoint over the source with the default limits and no write
// access.
func GraphQL(src graph.Source, log *slog.Logger) http.Handler { return Endpoint(src, log, Defaults()) }

// Endpoint returns the GraphQL endpoint over the source, with the limits and tokens of cfg.
// Queries and mutations are served over HTTP GET and POST, subscriptions over a websocket
// (graphql-transport-ws and the older graphql-ws protocol).
func Endpoint(src graph.Source, log *slog.Logger, cfg Config) http.Handler {
	es := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{Graph: src}})
	srv := handler.New(snapshotSchema{costSchema{es}, src})
	srv.AddTransport(transport.Websocket{KeepAlivePingInterval: cfg.KeepAlive, InitFunc: socketInit(cfg, wsAuth(cfg)), InitTimeout: cfg.InitTimeout})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	if cfg.Metrics != nil {
		srv.Use(cfg.Metrics) // first, so the outermost: it sees the errors of every limit
	}
	if cfg.Introspection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(newGuard(cfg))
	srv.SetQueryCache(newByteLRU[*ast.QueryDocument](docCacheBytes, func(key string) int { return docWeight*len(key) + 256 }))
	srv.Use(extension.FixedComplexityLimit(cfg.MaxCost))
	srv.AroundOperations(limitSocket)
	srv.Use(NewResponseCache(src, int64(cfg.ResponseCache)<<20))
	lane := newLane()
	srv.AroundResponses(limitWork(cfg, lane))
	srv.AroundFields(countWork)
	srv.AroundRootFields(oneRootAtATime)
	srv.SetParserTokenLimit(cfg.MaxTokens)
	srv.SetDisableSuggestion(true)
	srv.SetErrorPresenter(presentError(log))
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		id := requestID()
		// The stack goes to the log only: a response never shows the server's internals.
		log.Error("resolver panic", "request", id, "panic", p, "stack", string(debug.Stack()))
		return &gqlerror.Error{Message: "internal error (request " + id + ")", Extensions: map[string]any{"code": kg.EInternal}}
	})
	return markWebsocket(specStatus(limitBody(authorize(srv, cfg), cfg, lane)))
}

// presentError shows domain errors with their code and hides everything else behind
// "internal error", logging it.
func presentError(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gerr := graphql.DefaultErrorPresenter(ctx, err)
		var de *kg.Error
		var ge *gqlerror.Error
		switch {
		case errors.Is(err, context.DeadlineExceeded):
			gerr.Message = "the query ran past its deadline and was stopped; ask for less (lower first, limit, depth or maxHops)"
			gerr.Extensions = map[string]any{"code": ETimeout}
		case errors.Is(err, context.Canceled):
			gerr.Message = "the client went away before the answer was ready"
			gerr.Extensions = map[string]any{"code": EClientGone}
		case strings.HasSuffix(err.Error(), "introspection disabled"):
			gerr.Message = "introspection is turned off on this server (started with --introspection=false)"
			gerr.Extensions = map[string]any{"code": EIntrospectionDisabled}
		case errors.As(err, &de):
			gerr.Message = de.Message
			gerr.Extensions = map[string]any{"code": de.Code}
			if len(de.Suggestions) > 0 {
				gerr.Extensions["suggestions"] = de.Suggestions
			}
			if len(de.Problems) > 0 {
				gerr.Extensions["problems"] = de.Problems
			}
		case errors.As(err, &ge) && ge.Err == nil:
			// Parse, validation and argument errors from gqlgen itself: safe to show as they are.
			dropSuggestion(gerr)
		default:
			id := requestID()
			log.Error("internal error", "request", id, "err", err)
			gerr.Message = "internal error (request " + id + ")"
			gerr.Extensions = map[string]any{"code": kg.EInternal}
		}
		return gerr
	}
}

func requestID() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
