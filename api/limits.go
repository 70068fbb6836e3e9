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
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/lexer"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/kgraph/telegraph/graph/model"
	"github.com/kgraph/telegraph/index"
	"github.com/kgraph/telegraph/kg"
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
	// MaxItems bounds the work of one answer, counted while it is built: each field resolved
	// and each list entry is one item. Past it the answer is RESULT_TOO_LARGE.
	MaxItems int
	// MaxEventItems bounds the work of one subscription event the same way: an event is sent
	// to every subscriber, so its bound is lower.
	MaxEventItems int
	// OpenSubscriptions lets clients without a write token subscribe; by default a
	// subscription needs one, since each one costs the server work on every write.
	OpenSubscriptions bool
	// MaxSocketOps bounds the operations one websocket runs at once, subscriptions included.
	MaxSocketOps int
	// MaxSocketSubscriptions bounds the subscriptions one websocket holds open.
	MaxSocketSubscriptions int
	// InitTimeout is how long a websocket may take to send connection_init.
	InitTimeout time.Duration
	// ReadTimeout bounds reading one request, body included; WriteTimeout bounds writing one
	// answer (not a websocket's, which lives as long as its connection); IdleTimeout closes a
	// keep-alive connection with no request.
	ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// MaxConns bounds the open connections; one more is closed as soon as it is accepted.
	MaxConns int
	// Export bounds the dumps of /export/graph: how many run at once and for how long.
	Export ExportOptions
	// Metrics, when set, counts the endpoint's requests; Handler serves them at /metrics, and
	// makes new ones when none are set.
	Metrics *Metrics
	// MetricsApart leaves /metrics out of Handler: the program serves Metrics on an address of
	// its own (--metrics-addr).
	MetricsApart bool
	// ResponseCache is the MiB of recent query answers the endpoint keeps (see ResponseCache);
	// 0 keeps none.
	ResponseCache int
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

		MaxItems:               100_000,
		MaxEventItems:          5_000,
		MaxSocketOps:           16,
		MaxSocketSubscriptions: 8,
		InitTimeout:            10 * time.Second,
		ReadTimeout:            30 * time.Second,
		WriteTimeout:           30 * time.Second,
		IdleTimeout:            2 * time.Minute,
		MaxConns:               4096,
		Export:                 ExportOptions{MaxDumps: DefaultMaxDumps, DumpTimeout: DefaultDumpTimeout},
		ResponseCache:          64,
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
	verdicts *byteLRU[*gqlerror.Error]
}

func newGuard(cfg Config) guard {
	return guard{cfg, newByteLRU[*gqlerror.Error](docCacheBytes/docWeight, func(key string) int { return len(key) + 64 })}
}

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

// MutateOperationContext refuses subscriptions that did not come over a websocket, and, unless
// the server opens them to everyone, those of a client without a write token: every
// subscription costs the server work on every write.
func (g guard) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation == nil || op.Operation.Operation != ast.Subscription {
		return nil
	}
	if ctx.Value(websocketKey{}) == nil {
		return limitError(ESubscriptionTransport, "subscriptions are served over a websocket (graphql-transport-ws or graphql-ws) at /query, not over plain HTTP")
	}
	if err := denied(ctx); err != nil && !g.cfg.OpenSubscriptions {
		var de *kg.Error
		code := kg.EUnauthenticated
		if errors.As(err, &de) {
			code = de.Code
		}
		return limitError(code, "subscriptions need a write token in the connection_init payload ({\"Authorization\": \"Bearer <token>\"}), unless the server runs with --open-subscriptions: %s", err.Error())
	}
	return nil
}

func (guard) ExtensionName() string                   { return "QueryLimits" }
func (guard) Validate(graphql.ExecutableSchema) error { return nil }
func (g guard) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if n := longestList(p.Variables, 0); n > MaxListArgument {
		return limitError(kg.EInvalid, "a list in the variables has %d entries; a list argument takes at most %d", n, MaxListArgument)
	}
	if v, ok := g.verdicts.Get(ctx, p.Query); ok {
		return v
	}
	v := g.check(p.Query)
	g.verdicts.Add(ctx, p.Query, v)
	return v
}

// MaxListArgument is the most entries a list in a request's variables may have. A list written
// in the document is bounded by the token limit; one in the variables only by the body's size,
// and resolvers take each entry as a kind, a name or an input to check.
const MaxListArgument = 1000

// longestList returns the length of the longest list in v, looking inside maps and lists down
// to a depth of 64 (JSON variables deeper than that are not worth walking).
func longestList(v any, depth int) int {
	if depth > 64 {
		return 0
	}
	n := 0
	switch v := v.(type) {
	case []any:
		n = len(v)
		for _, e := range v {
			n = max(n, longestList(e, depth+1))
		}
	case map[string]any:
		for _, e := range v {
			n = max(n, longestList(e, depth+1))
		}
	}
	return n
}

// check counts the document's tokens, then parses it and measures its aliases and depth.
func (g guard) check(query string) *gqlerror.Error {
	src := &ast.Source{Input: query}
	if tokens(src, g.cfg.MaxTokens) > g.cfg.MaxTokens {
		return limitError(ETokenLimit, "the query has more than %d tokens (a comment counts one per %d bytes); split it into smaller queries", g.cfg.MaxTokens, commentBytesPerToken)
	}
	doc, err := parser.ParseQuery(src)
	if err != nil {
		return nil // a syntax error: gqlgen reports it with its position
	}
	fields, aliases := expand(doc)
	if aliases > g.cfg.MaxAliases {
		return limitError(EAliasLimit, "the query has %d aliased fields, more than the limit of %d", aliases, g.cfg.MaxAliases)
	}
	if fields > g.cfg.MaxCost {
		// Every field costs at least one: the cost is past the limit too, and this count, unlike
		// gqlgen's estimate, does not walk each spread of each fragment again.
		return limitError(ECostLimit, "the query runs %d fields once its fragments are spread, more than the cost limit of %d", fields, g.cfg.MaxCost)
	}
	if d := depth(doc); d > g.cfg.MaxDepth {
		return limitError(EDepthLimit, "the query nests %d levels deep, more than the limit of %d", d, g.cfg.MaxDepth)
	}
	return nil
}

// commentBytesPerToken is how many bytes of a comment count as one token: comments are free
// to parse but not to receive, and a document padded with them must not escape the limit.
const commentBytesPerToken = 64

// tokens counts the lexical tokens of a document, stopping once past limit; a lexical error
// ends the count (the parser reports it).
func tokens(src *ast.Source, limit int) int {
	lex := lexer.New(src)
	n := 0
	for n <= limit {
		tok, err := lex.ReadToken()
		if err != nil || tok.Kind == lexer.EOF {
			break
		}
		if tok.Kind == lexer.Comment {
			n += len(tok.Value)/commentBytesPerToken + 1
		} else {
			n++
		}
	}
	return n
}

// expand counts the fields and the aliased fields an operation runs: a fragment's fields count
// once for each place it is spread, so fragments spread into each other multiply as they do
// when executed. Fragments are counted once each and their counts reused, so a document that
// would expand to millions of fields costs no more to count than its length. The counts
// saturate at maxCount; fragment cycles (which validation rejects later) count as empty.
func expand(doc *ast.QueryDocument) (fields, aliases int) {
	type count struct{ fields, aliases int }
	memo := map[string]count{}
	active := map[string]bool{}
	var set func(ast.SelectionSet) count
	set = func(sel ast.SelectionSet) count {
		var n count
		add := func(c count) { n = count{satAdd(n.fields, c.fields), satAdd(n.aliases, c.aliases)} }
		for _, s := range sel {
			switch s := s.(type) {
			case *ast.Field:
				c := count{fields: 1}
				if s.Alias != "" && s.Alias != s.Name {
					c.aliases = 1
				}
				add(c)
				add(set(s.SelectionSet))
			case *ast.InlineFragment:
				add(set(s.SelectionSet))
			case *ast.FragmentSpread:
				v, ok := memo[s.Name]
				if f := doc.Fragments.ForName(s.Name); !ok && f != nil && !active[s.Name] {
					active[s.Name] = true
					v = set(f.SelectionSet)
					active[s.Name] = false
					memo[s.Name] = v
				}
				add(v)
			}
		}
		return n
	}
	for _, op := range doc.Operations {
		c := set(op.SelectionSet)
		fields, aliases = max(fields, c.fields), max(aliases, c.aliases)
	}
	return fields, aliases
}

// maxCount is where the counts and costs of a document saturate: far above any limit, and
// low enough that a sum over every field of a document cannot overflow.
const maxCount = 1 << 40

func satAdd(a, b int) int { return min(a+b, maxCount) } // a, b ≤ maxCount: no overflow

func satMul(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if a > maxCount/b {
		return maxCount
	}
	return min(a*b, maxCount)
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
// The estimate is made before execution; the budget (budget.go) holds during it.
type costSchema struct{ graphql.ExecutableSchema }

// listEstimate is the assumed length of a list field that takes no page size. Lists such as an
// entity's relationships can be far longer on a hub; the budget counts them as they come.
const listEstimate = 10

// pageArgs are the arguments that bound how many items a field returns, in order of
// preference, with the largest value any field accepts for each: a larger value is clamped
// there, as the resolvers clamp it, before it multiplies anything.
var pageArgs = []struct {
	name string
	max  int
}{{"first", model.MaxPage}, {"last", model.MaxPage}, {"limit", index.MaxNeighborhood}, {"k", index.MaxPaths}, {"maxHops", index.MaxHops}}

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
		arg := fd.Arguments.ForName(a.name)
		if arg == nil {
			continue
		}
		if v, ok := intArg(args[a.name]); ok {
			n = v
		} else if d := arg.DefaultValue; d != nil {
			if v, err := d.Value(nil); err == nil {
				if v, ok := intArg(v); ok {
					n = v
				}
			}
		}
		n = max(1, min(n, a.max))
		break
	}
	return satAdd(1, satMul(n, max(child, 0))), true
}

func intArg(v any) (int, bool) {
	switch v := v.(type) {
	case int:
		return v, true
	case int64:
		return int(max(min(v, maxCount), -maxCount)), true
	case float64:
		return int(max(min(v, maxCount), -maxCount)), true
	case json.Number:
		n, err := v.Int64()
		return int(max(min(n, maxCount), -maxCount)), err == nil
	}
	return 0, false
}

// limitBody answers 413 to a body larger than max, before anything parses it, and has a big
// request (see bigRequest) take its turn in the heavy lane before it is decoded.
func limitBody(next http.Handler, cfg Config, lane chan struct{}) http.Handler {
	var waiting atomic.Int32 // big requests read and waiting for their turn
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > cfg.MaxBody {
			tooLarge(w, cfg.MaxBody)
			return
		}
		var body []byte
		if r.Body != nil && r.Body != http.NoBody {
			var err error
			body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, cfg.MaxBody))
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				tooLarge(w, cfg.MaxBody)
				return
			}
			if err != nil {
				http.Error(w, "cannot read request body: "+err.Error(), http.StatusBadRequest)
				return
			}
		}
		if (len(body) > bigRequest || len(r.URL.RawQuery) > bigRequest) && r.Header.Get("Upgrade") == "" {
			// Decoding a big request is work enough to take its turn with the heavy answers
			// (about 15 ms of a core per MiB of JSON), and it keeps its place until its answer
			// starts, so that however many come at once the other cores stay free. A
			// websocket, which would keep it as long as it stays open, never takes it: its
			// upgrade's query string is not read, and its operations take turns as answers.
			if !takeTurn(w, r, lane, &waiting, cfg.Timeout) {
				return
			}
			// The place is given back once the answer starts to go out, so a client that does
			// not read it holds no one up.
			lw := &laneWriter{ResponseWriter: w, release: sync.OnceFunc(func() { <-lane })}
			defer lw.release()
			w = lw
			r = r.WithContext(context.WithValue(r.Context(), laneHeld{}, true))
		}
		if body != nil {
			if r.Method == http.MethodPost && strings.Contains(r.Header.Get("Content-Type"), "json") {
				// gqlgen's own answer to a body that does not decode quotes the body whole.
				if !json.Valid(body) {
					var v json.RawMessage
					badJSON(w, json.Unmarshal(body, &v))
					return
				}
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		next.ServeHTTP(w, r)
	})
}

// bigRequest is the size in bytes past which a request body, or a GET request's query string,
// is big: it waits for its turn in the heavy lane before it is decoded.
const bigRequest = 64 << 10

// maxBigWaiting bounds the big requests waiting for their turn, each holding its body (up to
// --max-body): one more is refused with BUSY at once.
const maxBigWaiting = 64

// takeTurn waits for a big request's place in the lane and reports whether it has it. Past
// maxBigWaiting requests waiting, or once it has waited timeout, it answers BUSY; a request
// whose client left gets no answer.
func takeTurn(w http.ResponseWriter, r *http.Request, lane chan struct{}, waiting *atomic.Int32, timeout time.Duration) bool {
	defer waiting.Add(-1)
	if waiting.Add(1) > maxBigWaiting {
		busy(w) // the bodies already waiting are memory enough
		return false
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case lane <- struct{}{}:
		return true
	case <-r.Context().Done():
	case <-t.C:
		busy(w)
	}
	return false
}

// laneWriter gives back a big request's place in the heavy lane when its answer starts.
type laneWriter struct {
	http.ResponseWriter
	release func()
}

func (w *laneWriter) WriteHeader(code int) {
	w.release()
	w.ResponseWriter.WriteHeader(code)
}

func (w *laneWriter) Write(b []byte) (int, error) {
	w.release()
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the wrapped writer.
func (w *laneWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// busy answers a big request that may not wait for its turn: 503 BUSY with a Retry-After.
func busy(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "1")
	answerError(w, http.StatusServiceUnavailable, limitError(kg.EBusy, "the server is busy with other big or heavy requests; retry in a second, or send a smaller request"))
}

// answerError answers a request refused before GraphQL reads it: the status and one error.
func answerError(w http.ResponseWriter, status int, err *gqlerror.Error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"errors": []*gqlerror.Error{err}})
}

// EBadRequest answers a request body that is not JSON.
const EBadRequest = "BAD_REQUEST"

// badJSON answers 400 to a body that is not JSON, saying where it breaks but never quoting it.
func badJSON(w http.ResponseWriter, err error) {
	msg := "the request body is not JSON"
	var se *json.SyntaxError
	if errors.As(err, &se) {
		msg = fmt.Sprintf("the request body is not JSON: byte %d is not valid there", se.Offset)
	}
	answerError(w, http.StatusBadRequest, limitError(EBadRequest, "%s", msg))
}

func tooLarge(w http.ResponseWriter, limit int64) {
	answerError(w, http.StatusRequestEntityTooLarge, limitError(ERequestTooLarge, "the request body is larger than %d bytes", limit))
}
