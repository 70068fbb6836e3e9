package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// Error codes of the query limits, shown in extensions.code.
const (
	EDepthLimit      = "DEPTH_LIMIT_EXCEEDED"
	EAliasLimit      = "ALIAS_LIMIT_EXCEEDED"
	ETokenLimit      = "TOKEN_LIMIT_EXCEEDED"
	ECostLimit       = "COMPLEXITY_LIMIT_EXCEEDED" // the code gqlgen's complexity extension uses
	ERequestTooLarge = "REQUEST_TOO_LARGE"
	ETimeout         = "TIMEOUT"
	// EIntrospectionDisabled answers __schema and __type when introspection is off.
	EIntrospectionDisabled = "INTROSPECTION_DISABLED"
)

// Config sets the endpoint's limits and who may write.
type Config struct {
	// Tokens are the bearer tokens that may run mutations; with none the endpoint is read-only.
	Tokens []string
	// MaxDepth bounds how deeply selection sets nest, fragments followed.
	MaxDepth int
	// MaxAliases bounds the number of aliased fields in a document.
	MaxAliases int
	// MaxTokens bounds the number of lexical tokens in a document; parsing stops past it.
	MaxTokens int
	// MaxCost bounds an operation's cost: one per field, list fields multiplied by their page size.
	MaxCost int
	// MaxBody bounds the size of a request body in bytes; a larger body gets HTTP 413.
	MaxBody int64
	// Timeout is each request's deadline; a query still running then is stopped.
	Timeout time.Duration
	// Introspection answers __schema and __type queries (the playground needs them).
	Introspection bool
	// KeepAlive is the interval of keep-alive messages on subscription websockets.
	KeepAlive time.Duration
}

// Defaults returns the limits the server runs with unless configured otherwise.
func Defaults() Config {
	return Config{
		MaxDepth:      8,
		MaxAliases:    30,
		MaxTokens:     2000,
		MaxCost:       50000,
		MaxBody:       1 << 20,
		Timeout:       5 * time.Second,
		Introspection: true,
		KeepAlive:     10 * time.Second,
	}
}

func limitError(code, format string, args ...any) *gqlerror.Error {
	return &gqlerror.Error{Message: fmt.Sprintf(format, args...), Extensions: map[string]any{"code": code}}
}

// guard rejects a document that is too long, too deep or has too many aliases before gqlgen
// validates it: validation of overlapping fields is quadratic in the number of fields, so the
// check has to come first to be worth anything.
type guard struct {
	cfg Config
	// verdicts remembers the verdict on each recent document, so that a client repeating a
	// query (the usual case) costs no second parse.
	verdicts *lru.LRU[*gqlerror.Error]
}

func newGuard(cfg Config) guard { return guard{cfg, lru.New[*gqlerror.Error](queryCacheSize)} }

// queryCacheSize is how many recent documents the endpoint keeps parsed and validated.
const queryCacheSize = 1000

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
	graphql.OperationContextMutator
} = guard{}

// ESubscriptionTransport refuses a subscription sent over plain HTTP, where it would hold the
// request open with no way to stream.
const ESubscriptionTransport = "SUBSCRIPTION_NEEDS_WEBSOCKET"

type websocketKey struct{}

// markWebsocket records in the context of a websocket upgrade request that it is one.
func markWebsocket(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			r = r.WithContext(context.WithValue(r.Context(), websocketKey{}, true))
		}
		next.ServeHTTP(w, r)
	})
}

// MutateOperationContext refuses subscriptions that did not come over a websocket.
func (guard) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation != nil && op.Operation.Operation == ast.Subscription && ctx.Value(websocketKey{}) == nil {
		return limitError(ESubscriptionTransport, "subscriptions are served over a websocket (graphql-transport-ws or graphql-ws) at /query, not over plain HTTP")
	}
	return nil
}

func (guard) ExtensionName() string                   { return "QueryLimits" }
func (guard) Validate(graphql.ExecutableSchema) error { return nil }
func (g guard) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if v, ok := g.verdicts.Get(ctx, p.Query); ok {
		return v
	}
	v := g.check(p.Query)
	g.verdicts.Add(ctx, p.Query, v)
	return v
}

// check parses the document, counting tokens, and measures its aliases and depth.
func (g guard) check(query string) *gqlerror.Error {
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, g.cfg.MaxTokens)
	if err != nil {
		if strings.Contains(err.Error(), "exceeded token limit") {
			return limitError(ETokenLimit, "the query has more than %d tokens; split it into smaller queries", g.cfg.MaxTokens)
		}
		return nil // a syntax error: gqlgen reports it with its position
	}
	if n := countAliases(doc); n > g.cfg.MaxAliases {
		return limitError(EAliasLimit, "the query has %d aliased fields, more than the limit of %d", n, g.cfg.MaxAliases)
	}
	if d := depth(doc); d > g.cfg.MaxDepth {
		return limitError(EDepthLimit, "the query nests %d levels deep, more than the limit of %d", d, g.cfg.MaxDepth)
	}
	return nil
}

// countAliases counts aliased fields as written: a fragment spread many times counts once,
// because its cost is bounded by depth and cost limits instead.
func countAliases(doc *ast.QueryDocument) int {
	n := 0
	var walk func(ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		for _, s := range set {
			switch s := s.(type) {
			case *ast.Field:
				if s.Alias != "" && s.Alias != s.Name {
					n++
				}
				walk(s.SelectionSet)
			case *ast.InlineFragment:
				walk(s.SelectionSet)
			}
		}
	}
	for _, op := range doc.Operations {
		walk(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		walk(f.SelectionSet)
	}
	return n
}

// depth returns the deepest nesting of fields in any operation, following fragment spreads;
// an introspection field counts as one level.
// Fragment depths are memoised and cycles (which validation rejects later) count as flat.
func depth(doc *ast.QueryDocument) int {
	memo := map[string]int{}
	active := map[string]bool{}
	var set func(ast.SelectionSet) int
	set = func(sel ast.SelectionSet) int {
		best := 0
		for _, s := range sel {
			d := 0
			switch s := s.(type) {
			case *ast.Field:
				if s.Name == "__schema" || s.Name == "__type" {
					// Introspection nests deeply by design (GraphiQL's query is 15 levels) and
					// the validator's own introspection depth rule bounds it.
					d = 1
					break
				}
				d = 1 + set(s.SelectionSet)
			case *ast.InlineFragment:
				d = set(s.SelectionSet)
			case *ast.FragmentSpread:
				if v, ok := memo[s.Name]; ok {
					d = v
				} else if f := doc.Fragments.ForName(s.Name); f != nil && !active[s.Name] {
					active[s.Name] = true
					d = set(f.SelectionSet)
					active[s.Name] = false
					memo[s.Name] = d
				}
			}
			best = max(best, d)
		}
		return best
	}
	best := 0
	for _, op := range doc.Operations {
		best = max(best, set(op.SelectionSet))
	}
	return best
}

// costSchema gives list fields a cost in proportion to the number of items they may return.
// gqlgen's default counts every field once, so a list of a thousand costs what one item does.
type costSchema struct{ graphql.ExecutableSchema }

// listEstimate is the assumed length of a list field that takes no page size.
const listEstimate = 5

// pageArgs are the arguments that bound how many items a field returns, in order of preference.
var pageArgs = []string{"first", "last", "limit", "maxHops"}

// unitLists are list fields whose length is already paid for by their parent's page size, as
// are the edges and nodes of every connection.
var unitLists = map[string]bool{"Graph.nodes": true, "Graph.edges": true, "Path.hops": true}

func (c costSchema) Complexity(ctx context.Context, typeName, field string, child int, args map[string]any) (int, bool) {
	def := c.Schema().Types[typeName]
	if def == nil {
		return 0, false
	}
	fd := def.Fields.ForName(field)
	if fd == nil {
		return 0, false
	}
	n := 1
	paid := unitLists[typeName+"."+field] ||
		(strings.HasSuffix(typeName, "Connection") && (field == "edges" || field == "nodes"))
	if fd.Type.Elem != nil && !paid {
		n = listEstimate
	}
	for _, a := range pageArgs {
		if fd.Arguments.ForName(a) == nil {
			continue
		}
		if v, ok := intArg(args[a]); ok {
			n = max(v, 1)
		} else if d := fd.Arguments.ForName(a).DefaultValue; d != nil {
			if v, err := d.Value(nil); err == nil {
				if v, ok := intArg(v); ok {
					n = max(v, 1)
				}
			}
		}
		break
	}
	return 1 + n*child, true
}

func intArg(v any) (int, bool) {
	switch v := v.(type) {
	case int:
		return v, true
	case int64:
		return int(v), true
	case float64:
		return int(v), true
	case json.Number:
		n, err := v.Int64()
		return int(n), err == nil
	}
	return 0, false
}

// limitBody answers 413 to a body larger than max, before anything parses it.
func limitBody(next http.Handler, cfg Config) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > cfg.MaxBody {
			tooLarge(w, cfg.MaxBody)
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, cfg.MaxBody))
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				tooLarge(w, cfg.MaxBody)
				return
			}
			if err != nil {
				http.Error(w, "cannot read request body: "+err.Error(), http.StatusBadRequest)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		next.ServeHTTP(w, r)
	})
}

func tooLarge(w http.ResponseWriter, limit int64) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusRequestEntityTooLarge)
	json.NewEncoder(w).Encode(map[string]any{"errors": []*gqlerror.Error{
		limitError(ERequestTooLarge, "the request body is larger than %d bytes", limit),
	}})
}

// deadline gives each query and mutation root field the time left of the operation's budget,
// counted from when the operation started, so that index walks and store iterations that watch
// their context stop there. Subscriptions live as long as their connection, so they have none.
// The budget is applied to fields rather than to the HTTP request because gqlgen answers a
// request whose own context is done with no body at all.
func deadline(timeout time.Duration) graphql.RootFieldMiddleware {
	return func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
		op := graphql.GetOperationContext(ctx)
		if op.Operation != nil && op.Operation.Operation == ast.Subscription {
			return next(ctx)
		}
		start := op.Stats.OperationStart
		if start.IsZero() {
			start = time.Now()
		}
		ctx, cancel := context.WithDeadline(ctx, start.Add(timeout))
		defer cancel()
		return next(ctx)
	}
}
