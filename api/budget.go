package api

import (
	"context"
	"errors"
	"reflect"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/kgraph/telegraph/index"
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
// field still to resolve answers null at once without running its resolver, and the response
// is replaced by one coded error (see stopped), so that a stopped response costs no more than
// the work done before it stopped.
type budget struct {
	max  int64
	used atomic.Int64
	// done is closed when the response's deadline passes, its client hangs up or it stops.
	done   <-chan struct{}
	cancel context.CancelFunc
	// timeout and start bound a subscription event, whose context lives as long as the
	// subscription: start is set by the first field of the event (nanoseconds since the Unix
	// epoch), since the response handler waits for the event before any field runs.
	timeout time.Duration
	start   atomic.Int64
	// why records the first reason the response stopped, one of the stop constants.
	why atomic.Int32
	// lane is where the response queues once it has done heavyItems of work; inLane says it
	// holds a place there, taken once (enter) and given back when the response ends.
	lane   chan struct{}
	heavy  int64 // the items past which the response is heavy
	enter  sync.Once
	inLane atomic.Bool
	left   atomic.Bool // the place was given back (it stays inLane, so it is not taken again)
	// walked counts the edges the response's walks of the index looked at.
	walked atomic.Int64
	// root lets one root field of the response run at a time (see oneRootAtATime).
	root sync.Mutex
}

// heavyItems is the work past which a response is heavy: about 12 ms of a core. Heavy
// responses take turns in a lane of their own, one per two cores, so that however many of them
// run, the other cores stay free for everyday queries.
const heavyItems = 2_500

// heavyEventItems is the same for a subscription event: none, so events take turns from their
// first item. A write sends an event to every subscriber at once, each on its own goroutine, and
// fifty of them running their first few hundred items together queue an everyday query behind
// them as surely as one heavy answer does; an event is pushed, so waiting its turn costs no one.
const heavyEventItems = 0

// laneHeld marks the context of a request that holds a place in the heavy lane from its start
// (a big request, see limitBody): its response does not queue for a second place.
type laneHeld struct{}

// newLane returns the lane heavy responses take turns in.
func newLane() chan struct{} { return make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2)) }

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

// stop records why the response stops, keeping the first reason, and cancels the response's
// context, so that lists still being marshalled skip their remaining items.
func (b *budget) stop(why int32) {
	if b.why.CompareAndSwap(stopNone, why) && b.cancel != nil {
		b.cancel()
	}
}

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
	used := b.used.Add(n)
	if used > b.max {
		b.stop(stopTooLarge)
		return false
	}
	if used > b.heavy {
		if !b.wait() {
			return b.spend(ctx, 0) // stopped while it waited: say why
		}
		if used/yieldItems != (used-n)/yieldItems {
			runtime.Gosched()
		}
	}
	return true
}

// A heavy response lets other goroutines run every yieldItems items and every yieldEdges
// edges walked, about a millisecond of work: without it, a light query that arrives while the
// heavy ones hold every core waits for Go's 10 ms time slice at each of its steps.
const (
	yieldItems = 256
	yieldEdges = 40_000
)

// wait takes the response's place in the heavy lane, waiting for its turn, unless it has one;
// it reports false when the response stopped while it waited.
func (b *budget) wait() bool {
	if b.lane == nil || b.inLane.Load() {
		return true
	}
	b.enter.Do(func() {
		select {
		case b.lane <- struct{}{}:
			b.inLane.Store(true)
		case <-b.done:
		}
	})
	return b.inLane.Load()
}

// heavyEdges is the walking of the index past which a response is heavy too: about 12 ms of a
// core spent in a traversal, a neighbourhood or a path search.
const heavyEdges = 500_000

var _ index.Meter = (*budget)(nil)

// Work counts the edges a walk of the index looked at; a response whose walks pass heavyEdges
// waits for its turn in the heavy lane. It returns the context's error once the response must
// stop.
func (b *budget) Work(ctx context.Context, edges int) error {
	if w := b.walked.Add(int64(edges)); w > heavyEdges {
		if !b.wait() {
			return ctx.Err()
		}
		if w/yieldEdges != (w-int64(edges))/yieldEdges {
			runtime.Gosched()
		}
	}
	if b.why.Load() != stopNone {
		return context.Canceled
	}
	return nil
}

// leave gives back the response's place in the heavy lane, if it took one.
func (b *budget) leave() {
	if b.inLane.Load() && b.left.CompareAndSwap(false, true) {
		<-b.lane
	}
}

// limitWork gives each response its budget and its deadline, and replaces a response that
// stopped by the error that says why. A query or mutation has its deadline counted from when
// the operation started; a subscription event has the same time counted from its first field.
func limitWork(cfg Config, lane chan struct{}) graphql.ResponseMiddleware {
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		if !graphql.HasOperationContext(ctx) {
			return next(ctx) // an error answer before any operation was found
		}
		op := graphql.GetOperationContext(ctx)
		b := &budget{max: int64(cfg.MaxItems), lane: lane, heavy: heavyItems}
		if held, _ := ctx.Value(laneHeld{}).(bool); held {
			b.lane = nil
		}
		if op.Operation != nil && op.Operation.Operation == ast.Subscription {
			b.heavy = heavyEventItems
			b.timeout = cfg.Timeout
			if cfg.MaxEventItems > 0 {
				b.max = int64(min(cfg.MaxItems, cfg.MaxEventItems))
			}
		} else {
			start := op.Stats.OperationStart
			if start.IsZero() {
				start = time.Now()
			}
			var cancel context.CancelFunc
			ctx, cancel = context.WithDeadline(ctx, start.Add(cfg.Timeout))
			defer cancel()
		}
		ctx, b.cancel = context.WithCancel(ctx)
		defer b.cancel()
		b.done = ctx.Done()
		resp := next(index.WithMeter(context.WithValue(ctx, budgetKey{}, b), b))
		b.leave()
		b.spend(ctx, 0) // a deadline or hang-up that only a list noticed: record it
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
		return limitError(EResultTooLarge, "the answer would hold more than %d items (fields and list entries); ask for less: page lists with first/after, or lower limit, depth or maxHops", b.max)
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
// running its resolver; gqlgen takes a Marshaler returned by a middleware as the field's
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
	if n := listLen(res) + textItems(res); n > 0 && !b.spend(ctx, int64(n)) {
		return graphql.Null, nil
	}
	return res, nil
}

// textItems is what a long string weighs beyond its field: one item per KiB past the first, so
// that an answer of long texts (articles' full texts) is bounded like one of many fields.
func textItems(v any) int {
	switch v := v.(type) {
	case string:
		return len(v) >> 10
	case *string:
		if v != nil {
			return len(*v) >> 10
		}
	}
	return 0
}

// oneRootAtATime runs the root fields of a response one after the other. gqlgen runs them
// at once, so that ten aliases of one heavy field would take every core however the heavy lane
// queues responses; in turn, a response takes one core at most, and its own fields answer from
// memory, so taking turns costs them little.
func oneRootAtATime(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	b := budgetOf(ctx)
	if b == nil {
		return next(ctx)
	}
	b.root.Lock()
	defer b.root.Unlock()
	return next(ctx)
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
