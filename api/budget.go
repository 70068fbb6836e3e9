package api

import (
	"context"
	"errors"
	"reflect"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// EResultTooLarge ends an operation whose answer grew past --max-items while it ran.
const EResultTooLarge = "RESULT_TOO_LARGE"

// budget is the work one response may do, counted while it runs: every field resolved is one
// item and every list adds its length before its items are resolved, so a list too long for
// the budget never has its items' fields resolved. The static cost estimate is made before
// execution from page sizes; the budget holds where the estimate cannot know, on nodes of high
// degree and lists without a page size.
//
// Once the budget is spent, or the response's deadline passes, or its client goes away, every
// field still to resolve answers null at once without stopNone its resolver, and the response
// is replaced by one coded error (see stopped), so that a stopped response costs no more than
// the work done before it stopped.
type budget struct {
	max  int64
	used atomic.Int64
	// done is closed when the response's deadline passes or its client hangs up.
	done <-chan struct{}
	// timeout and start bound a subscription event, whose context lives as long as the
	// subscription: start is set by the first field of the event (nanoseconds since the Unix
	// epoch), since the response handler waits for the event before any field runs.
	timeout time.Duration
	start   atomic.Int64
	// why records the first reason the response stopped, one of the stop constants.
	why atomic.Int32
}

const (
	stopNone int32 = iota
	stopTooLarge
	stopDeadline
	stopHungUp
)

type budgetKey struct{}

func budgetOf(ctx context.Context) *budget {
	b, _ := ctx.Value(budgetKey{}).(*budget)
	return b
}

// stop records why the response stops, keeping the first reason.
func (b *budget) stop(why int32) { b.why.CompareAndSwap(stopNone, why) }

// spend takes n items from the budget and reports whether the response may go on.
func (b *budget) spend(ctx context.Context, n int64) bool {
	if b.why.Load() != stopNone {
		return false
	}
	select {
	case <-b.done:
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			b.stop(stopDeadline)
		} else {
			b.stop(stopHungUp)
		}
		return false
	default:
	}
	if b.timeout > 0 {
		now := time.Now().UnixNano()
		b.start.CompareAndSwap(0, now)
		if time.Duration(now-b.start.Load()) > b.timeout {
			b.stop(stopDeadline)
			return false
		}
	}
	if b.used.Add(n) > b.max {
		b.stop(stopTooLarge)
		return false
	}
	return true
}

// limitWork gives each response its budget and its deadline, and replaces a response that
// stopped by the error that says why. A query or mutation has its deadline counted from when
// the operation started; a subscription event has the same time counted from its first field.
func limitWork(cfg Config) graphql.ResponseMiddleware {
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		if !graphql.HasOperationContext(ctx) {
			return next(ctx) // an error answer before any operation was found
		}
		op := graphql.GetOperationContext(ctx)
		b := &budget{max: int64(cfg.MaxItems)}
		if op.Operation != nil && op.Operation.Operation == ast.Subscription {
			b.timeout = cfg.Timeout
		} else {
			start := op.Stats.OperationStart
			if start.IsZero() {
				start = time.Now()
			}
			var cancel context.CancelFunc
			ctx, cancel = context.WithDeadline(ctx, start.Add(cfg.Timeout))
			defer cancel()
		}
		b.done = ctx.Done()
		resp := next(context.WithValue(ctx, budgetKey{}, b))
		if resp == nil {
			return nil
		}
		if err := stopped(b, cfg); err != nil {
			if op.Operation != nil && op.Operation.Operation == ast.Mutation {
				err.Message += " (a mutation's write is applied before its answer is built: read it back to see it)"
			}
			return &graphql.Response{Data: []byte("null"), Errors: gqlerror.List{err}, Extensions: resp.Extensions}
		}
		return resp
	}
}

// stopped returns the error of a response that stopped before its end, or nil.
func stopped(b *budget, cfg Config) *gqlerror.Error {
	switch b.why.Load() {
	case stopTooLarge:
		return limitError(EResultTooLarge, "the answer would hold more than %d items (fields and list entries); ask for less: page lists with first/after, or lower limit, depth or maxHops", cfg.MaxItems)
	case stopDeadline:
		return limitError(ETimeout, "the query ran past its deadline of %s and was stopped; ask for less (lower first, limit, depth or maxHops)", cfg.Timeout)
	case stopHungUp:
		return limitError(EClientGone, "the client went away before the answer was ready")
	}
	return nil
}

// EClientGone marks a response whose client hung up; nobody reads it, but a log may.
const EClientGone = "CLIENT_CLOSED_REQUEST"

// countWork is the field middleware that spends the budget: one item per field, and a list's
// length once it is resolved. A field past the budget or the deadline answers null without
// stopNone its resolver; gqlgen takes a Marshaler returned by a middleware as the field's
// answer, so its selection is not resolved either.
func countWork(ctx context.Context, next graphql.Resolver) (any, error) {
	b := budgetOf(ctx)
	fc := graphql.GetFieldContext(ctx)
	if b == nil || fc == nil || fc.Object == "Subscription" {
		// The root field of a subscription opens its stream; its events are counted instead.
		return next(ctx)
	}
	if !b.spend(ctx, 1) {
		return graphql.Null, nil
	}
	res, err := next(ctx)
	if err != nil || res == nil {
		return res, err
	}
	if n := listLen(res); n > 0 && !b.spend(ctx, int64(n)) {
		return graphql.Null, nil
	}
	return res, nil
}

// listLen returns the length of a resolved list, or 0 for anything else.
func listLen(v any) int {
	switch v := v.(type) {
	case string, int, bool, float64:
		return 0
	case []string:
		return len(v)
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice {
		return rv.Len()
	}
	return 0
}
