package api

import (
	"container/list"
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
)

// The endpoint's caches of parsed documents and of the limits' verdicts: bounded in bytes, and
// a document longer than maxCachedQuery is not kept at all, so that padding documents (with
// comments, say) cannot fill memory, and a cache entry costs about what its document does.
const (
	maxCachedQuery = 16 << 10
	docCacheBytes  = 16 << 20
	// docWeight is about how many bytes a parsed document takes per byte of its text.
	docWeight = 8
)

// byteLRU is a least-recently-used cache whose entries are weighed in bytes.
type byteLRU[T any] struct {
	mu     sync.Mutex
	max    int
	used   int
	weight func(key string) int
	ll     *list.List
	items  map[string]*list.Element
}

type lruEntry[T any] struct {
	key  string
	val  T
	size int
}

var _ graphql.Cache[int] = (*byteLRU[int])(nil)

// newByteLRU returns a cache of at most max bytes, an entry of key weighing weight(key).
func newByteLRU[T any](max int, weight func(key string) int) *byteLRU[T] {
	return &byteLRU[T]{max: max, weight: weight, ll: list.New(), items: map[string]*list.Element{}}
}

// Get returns the value of key and marks it recently used.
func (c *byteLRU[T]) Get(_ context.Context, key string) (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.ll.MoveToFront(e)
		return e.Value.(*lruEntry[T]).val, true
	}
	var zero T
	return zero, false
}

// Add keeps key's value unless key is longer than maxCachedQuery, evicting the least recently
// used entries until the cache is within its bytes.
func (c *byteLRU[T]) Add(_ context.Context, key string, val T) {
	if len(key) > maxCachedQuery {
		return
	}
	size := c.weight(key)
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.ll.MoveToFront(e)
		e.Value.(*lruEntry[T]).val = val
		return
	}
	c.items[key] = c.ll.PushFront(&lruEntry[T]{key, val, size})
	c.used += size
	for c.used > c.max && c.ll.Len() > 0 {
		old := c.ll.Remove(c.ll.Back()).(*lruEntry[T])
		delete(c.items, old.key)
		c.used -= old.size
	}
}

// bytes returns the weight of what the cache holds.
func (c *byteLRU[T]) bytes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used
}
