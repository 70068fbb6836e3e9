package api

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// ESocketBusy refuses an operation on a websocket that already runs as many as it may.
const ESocketBusy = "TOO_MANY_OPERATIONS"

// socket counts what one websocket runs: one client cannot hold more of the server through a
// single connection than through as many HTTP requests.
type socket struct {
	mu        sync.Mutex
	ops, subs int
	maxOps    int
	maxSubs   int
}

type socketKey struct{}

// socketInit wraps the websocket's init function so that the connection's context carries its
// socket counts.
func socketInit(cfg Config, init transport.WebsocketInitFunc) transport.WebsocketInitFunc {
	return func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		ctx, ack, err := init(ctx, p)
		if err != nil {
			return ctx, ack, err
		}
		return context.WithValue(ctx, socketKey{}, &socket{maxOps: cfg.MaxSocketOps, maxSubs: cfg.MaxSocketSubscriptions}), ack, nil
	}
}

// acquire takes a place for an operation (a subscription when sub), or reports that there is
// none left.
func (s *socket) acquire(sub bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ops >= s.maxOps || (sub && s.subs >= s.maxSubs) {
		return false
	}
	s.ops++
	if sub {
		s.subs++
	}
	return true
}

func (s *socket) release(sub bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ops--
	if sub {
		s.subs--
	}
}

// limitSocket refuses an operation on a websocket beyond its socket's caps, and gives the
// place back when the operation ends: a query or mutation after its answer, a subscription
// when its stream ends (completed by either side, or the connection closed).
func limitSocket(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	s, _ := ctx.Value(socketKey{}).(*socket)
	if s == nil || !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	op := graphql.GetOperationContext(ctx)
	if op.Operation == nil {
		return next(ctx)
	}
	sub := op.Operation.Operation == ast.Subscription
	if !s.acquire(sub) {
		return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{limitError(ESocketBusy,
			"this websocket already runs %d operations (%d subscriptions at most); wait for one to end or open another connection", s.maxOps, s.maxSubs)}})
	}
	var once sync.Once
	h := next(ctx)
	return func(ctx context.Context) *graphql.Response {
		r := h(ctx)
		if r == nil || !sub {
			once.Do(func() { s.release(sub) })
		}
		return r
	}
}
