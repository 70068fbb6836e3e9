package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/kgraph/telegraph/kg"
)

// endStream makes err the last message of the subscription whose resolver got ctx, sent before
// the stream completes; the caller then closes the stream's channel. err goes through the
// server's error presenter like a resolver's error, with its domain code already in
// extensions.code, so that the code shows whatever the presenter knows of domain errors. Only
// the websocket transport has a place for such a message; elsewhere the stream just ends.
func endStream(ctx context.Context, err error) {
	defer func() {
		// The websocket transport puts the place in ctx; without it, AddSubscriptionError
		// dereferences nil.
		_ = recover()
	}()
	presented := graphql.WithFreshResponseContext(ctx)
	graphql.AddError(presented, &gqlerror.Error{Err: err, Message: err.Error(), Extensions: map[string]any{"code": kg.ErrorCode(err)}})
	for _, e := range graphql.GetErrors(presented) {
		transport.AddSubscriptionError(ctx, e)
	}
}
