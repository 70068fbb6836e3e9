package api

import (
	"context"
	"strings"
	"testing"
)

func TestCachesAreBoundedInBytes(t *testing.T) {
	ctx := context.Background()
	c := newByteLRU[int](1<<20, func(key string) int { return docWeight*len(key) + 256 })
	t.Run("padded documents are not kept", func(t *testing.T) {
		for i := range 1000 {
			c.Add(ctx, strings.Repeat("#", 1<<20)+string(rune(i)), i)
		}
		if got := c.bytes(); got != 0 {
			t.Errorf("cache holds %d bytes after 1,000 documents of 1 MB, want 0", got)
		}
	})
	t.Run("many small documents stay within the bytes", func(t *testing.T) {
		for i := range 10000 {
			c.Add(ctx, strings.Repeat("{ __typename }", 100)+string(rune(i)), i)
		}
		if got := c.bytes(); got > 1<<20 {
			t.Errorf("cache holds %d bytes, more than its %d", got, 1<<20)
		}
		key := strings.Repeat("{ __typename }", 100) + string(rune(9999))
		if v, ok := c.Get(ctx, key); !ok || v != 9999 {
			t.Errorf("the newest document is not cached: %v %v", v, ok)
		}
	})
}
