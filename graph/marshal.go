package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// marshalList marshals the n items of a list in order on the caller's goroutine; the generated
// executor calls it where gqlgen would start a goroutine per item (see internal/seqlist). Each
// item gets its own field context with its index, as gqlgen gives it, so errors name their path;
// a panic in one item becomes an error on that item and null, as in gqlgen; once ctx is done the
// remaining items are null and the list says why.
func marshalList(ctx context.Context, n int, item func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	ret := make(graphql.Array, n)
	for i := range n {
		child := graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &i})
		if err := ctx.Err(); err != nil {
			graphql.AddError(child, err)
			for j := i; j < n; j++ {
				ret[j] = graphql.Null
			}
			break
		}
		ret[i] = marshalItem(child, i, item)
	}
	return ret
}

func marshalItem(ctx context.Context, i int, item func(ctx context.Context, i int) graphql.Marshaler) (m graphql.Marshaler) {
	defer func() {
		if r := recover(); r != nil {
			graphql.AddError(ctx, graphql.Recover(ctx, r))
			m = graphql.Null
		}
	}()
	return item(ctx, i)
}
