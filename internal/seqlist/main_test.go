package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRewrite(t *testing.T) {
	const gen = `ret := graphql.MarshalSliceConcurrently(ctx, len(v), 1, false, func(ctx context.Context, i int) graphql.Marshaler {`
	path := filepath.Join(t.TempDir(), "generated.go")
	os.WriteFile(path, []byte(gen+"\n"+strings.ReplaceAll(gen, "1, false", "0, true")+"\n"), 0o644)
	for range 2 { // the second run finds its own work and leaves it
		if err := rewrite(path); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := os.ReadFile(path)
	if strings.Contains(string(got), "MarshalSliceConcurrently") || strings.Count(string(got), "marshalList(ctx, len(v), func(") != 2 {
		t.Errorf("rewritten:\n%s", got)
	}

	other := filepath.Join(t.TempDir(), "other.go")
	os.WriteFile(other, []byte("graphql.MarshalSliceConcurrently(ctx, n, 1, false, f)\n"), 0o644)
	if err := rewrite(other); err == nil {
		t.Error("a file without a call of the expected shape was accepted")
	}
}
