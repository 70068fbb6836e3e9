package api

import (
	"container/list"
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"weak"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/kgraph/telegraph/graph"
	"github.com/kgraph/telegraph/index"
)

// ResponseCache keeps the answers of recent queries, keyed by the document as received, the
// operation name, the variables (as canonical JSON) and the read index the query answered from.
// A write swaps in a new index, so it invalidates every answer by construction: the first query
// on the new index empties the cache. Only queries are kept (never mutations or subscriptions),
// and only answers without errors. The cache sits after every limit on the document (body,
// tokens, aliases, depth, cost, lists in variables), which gqlgen applies before any operation
// middleware runs, so a refused document is refused whether or not an accepted one is cached;
// it sits before the item budget and deadline (limitWork), which only execution needs, so a hit
// skips them with the execution.
//
// It is bounded in bytes: an entry weighs its key, its answer's buffer and entryOverhead, and
// the least recently used entries go first.
type ResponseCache struct {
	src graph.Source
	max int64

	mu    sync.Mutex
	used  int64
	ll    *list.List
	items map[string]*list.Element
	// cur is the index the entries answered from; gen counts the indexes seen, so that an
	// answer built on an index replaced while it ran is not kept.
	cur weak.Pointer[index.Index]
	gen uint64

	hits, misses atomic.Int64
}

// entryOverhead is about what an entry costs beyond its key and answer: the list element, the
// map slot and the entry itself.
const entryOverhead = 160

// Process-wide counts over every response cache, for metrics.
var responseHits, responseMisses, responseBytes atomic.Int64

type respEntry struct {
	key  string
	data json.RawMessage
	size int64
	gen  uint64
}

// NewResponseCache returns a cache of at most maxBytes over src's read index, or nil (no cache)
// when maxBytes is not positive. A nil *ResponseCache is a valid extension that caches nothing.
func NewResponseCache(src graph.Source, maxBytes int64) *ResponseCache {
	if maxBytes <= 0 {
		return nil
	}
	return &ResponseCache{src: src, max: maxBytes, ll: list.New(), items: map[string]*list.Element{}}
}

// Stats returns the cache's hits and misses so far (queries that could be cached and were not
// found) and the bytes it holds.
func (c *ResponseCache) Stats() (hits, misses, bytes int64) {
	if c == nil {
		return 0, 0, 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits.Load(), c.misses.Load(), c.used
}

// ResponseCacheStats returns the hits, misses and bytes of every response cache of the process
// together: the figures of the server's /query endpoint.
func ResponseCacheStats() (hits, misses, bytes int64) {
	return responseHits.Load(), responseMisses.Load(), responseBytes.Load()
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
	graphql.ResponseInterceptor
} = (*ResponseCache)(nil)

func (*ResponseCache) ExtensionName() string                   { return "ResponseCache" }
func (*ResponseCache) Validate(graphql.ExecutableSchema) error { return nil }

// turn is one query's use of the cache, from its operation to its response.
type turn struct {
	key  string
	gen  uint64
	hit  json.RawMessage // the cached answer, or nil
	done bool            // the answer was given (hit) or offered to the cache (miss)
}

type turnKey struct{}

// InterceptOperation looks a query up. It pins the operation's read index (see snapshot.go)
// first, so that the key names the index the answer comes from; InterceptResponse then answers
// from the cache or keeps the answer. The answer is given as a response, not here, so that the
// response interceptors before the cache (metrics) see cached answers too.
func (c *ResponseCache) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if c == nil || !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	op := graphql.GetOperationContext(ctx)
	if op.Operation == nil || op.Operation.Operation != ast.Query || len(op.RawQuery) > maxCachedQuery {
		return next(ctx)
	}
	snap := &snapshot{get: c.src.Index}
	idx := takeIndex(snap)
	if idx == nil {
		return next(ctx) // execution takes the index itself and reports the failure
	}
	vars, err := json.Marshal(op.Variables) // map keys sorted: canonical
	if err != nil {
		return next(ctx)
	}
	t := &turn{key: op.OperationName + "\x00" + op.RawQuery + "\x00" + string(vars), gen: c.generation(idx)}
	t.hit, _ = c.get(t.key, t.gen)
	return next(context.WithValue(withSnapshot(ctx, snap), turnKey{}, t))
}

// InterceptResponse answers a query found by InterceptOperation without running it, and keeps
// the answer of one it runs when the answer has no errors.
func (c *ResponseCache) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	t, _ := ctx.Value(turnKey{}).(*turn)
	if c == nil || t == nil {
		return next(ctx)
	}
	if t.hit != nil {
		if t.done {
			return nil // the end of a one-answer stream
		}
		t.done = true
		c.hits.Add(1)
		responseHits.Add(1)
		return &graphql.Response{Data: t.hit}
	}
	r := next(ctx)
	if !t.done {
		t.done = true
		c.misses.Add(1)
		responseMisses.Add(1)
		if r != nil && len(r.Errors) == 0 && r.HasNext == nil && r.Data != nil {
			c.add(t.key, r.Data, t.gen)
		}
	}
	return r
}

// takeIndex returns the snapshot's index, or nil when the source fails to give one.
func takeIndex(s *snapshot) (idx *index.Index) {
	defer func() {
		if recover() != nil {
			idx = nil
		}
	}()
	return s.index()
}

// generation returns the number of the index idx; a new index empties the cache.
func (c *ResponseCache) generation(idx *index.Index) uint64 {
	w := weak.Make(idx)
	c.mu.Lock()
	defer c.mu.Unlock()
	if w != c.cur {
		c.cur = w
		c.gen++
		responseBytes.Add(-c.used)
		c.used = 0
		c.ll.Init()
		clear(c.items)
	}
	return c.gen
}

func (c *ResponseCache) get(key string, gen uint64) (json.RawMessage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[key]
	if !ok {
		return nil, false
	}
	ent := e.Value.(*respEntry)
	if ent.gen != gen {
		return nil, false
	}
	c.ll.MoveToFront(e)
	return ent.data, true
}

// add keeps the answer of key built on index generation gen, unless a newer index came since or
// the answer would take more than an eighth of the cache.
func (c *ResponseCache) add(key string, data json.RawMessage, gen uint64) {
	size := int64(len(key)+cap(data)) + entryOverhead // the answer's buffer, spare room included
	if size > c.max/8 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if e, ok := c.items[key]; ok {
		c.ll.MoveToFront(e)
		return
	}
	c.items[key] = c.ll.PushFront(&respEntry{key, data, size, gen})
	c.used += size
	freed := -size
	for c.used > c.max && c.ll.Len() > 0 {
		old := c.ll.Remove(c.ll.Back()).(*respEntry)
		delete(c.items, old.key)
		c.used -= old.size
		freed += old.size
	}
	responseBytes.Add(-freed)
}
