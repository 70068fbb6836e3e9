package store

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// TestCatchUpAfterOneArticle measures, on the database KG_CATCHUP_DB names (a PostgreSQL URL
// holding a large graph), how long a second instance takes to catch up with one article of
// about 300 quads written through the first, and how many quads it reads to do so.
func TestCatchUpAfterOneArticle(t *testing.T) {
	dsn := os.Getenv("KG_CATCHUP_DB")
	if dsn == "" {
		t.Skip("KG_CATCHUP_DB names no database to measure on")
	}
	ctx := context.Background()
	a, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var src strings.Builder
	id := fmt.Sprintf("catchup-%d", time.Now().UnixNano())
	fmt.Fprintf(&src, "article %s\n  title: Catch-up\n  date: 2024-01-01\n", id)
	for i := range 70 {
		fmt.Fprintf(&src, "\nentity %s-e%d Company\n  name: Catch-up Co %s %d\n  quote: Catch-up Co %d signed\n", id, i, id, i, i)
	}
	c, err := a.Put(ctx, id+".kg", []byte(src.String()))
	if err != nil {
		t.Fatal(err)
	}
	before := b.QuadsRead()
	start := time.Now()
	if _, err := b.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	t.Logf("database of %d quads; article of %d quads; catch-up %s, %d quads read", b.Index().QuadCount(), c.Added, took, b.QuadsRead()-before)
	if _, err := a.DeleteArticle(ctx, id); err != nil {
		t.Fatal(err)
	}
}
