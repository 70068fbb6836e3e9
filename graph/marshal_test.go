package graph

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/99designs/gqlgen/graphql"
)

// The generated executor marshals lists through marshalList: a regeneration that skipped
// internal/seqlist would bring a goroutine per list item back.
func TestGeneratedListsAreMarshalledInOrder(t *testing.T) {
	src, err := os.ReadFile("generated.go")
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(src, []byte("graphql.MarshalSliceConcurrently(")); n > 0 {
		t.Errorf("generated.go marshals %d lists with a goroutine per item; run go generate ./... (which runs internal/seqlist)", n)
	}
	if !bytes.Contains(src, []byte("marshalList(ctx, len(v), ")) {
		t.Error("generated.go never calls marshalList")
	}
}

func TestMarshalList(t *testing.T) {
	ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter, graphql.DefaultRecover)
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Field: graphql.CollectedField{}})
	var order []int
	got := marshalList(ctx, 4, func(ctx context.Context, i int) graphql.Marshaler {
		order = append(order, i) // no lock: items must not run at once
		if idx := graphql.GetFieldContext(ctx).Index; idx == nil || *idx != i {
			t.Errorf("item %d has field context index %v", i, idx)
		}
		if i == 2 {
			panic("boom")
		}
		return graphql.MarshalInt(i)
	})
	if len(order) != 4 || order[0] != 0 || order[3] != 3 {
		t.Errorf("items marshalled in order %v, want 0 1 2 3", order)
	}
	if got[2] != graphql.Null || got[3] == graphql.Null {
		t.Errorf("a panicking item gives null and the others their value: %v", got)
	}
	if errs := graphql.GetErrors(ctx); len(errs) != 1 {
		t.Errorf("errors %v, want the panic's one", errs)
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	calls := 0
	got = marshalList(cancelled, 3, func(context.Context, int) graphql.Marshaler { calls++; return graphql.MarshalInt(1) })
	if calls != 0 || got[0] != graphql.Null {
		t.Errorf("after the request ended: %d items marshalled, first %v", calls, got[0])
	}
}
