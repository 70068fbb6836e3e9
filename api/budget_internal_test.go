package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

func TestHeavyResponsesTakeTurns(t *testing.T) {
	lane := make(chan struct{}, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	first := &budget{max: 1 << 40, lane: lane, heavy: heavyItems, done: ctx.Done()}
	if !first.spend(ctx, heavyItems+1) || !first.inLane.Load() {
		t.Fatal("the first heavy response did not get the lane")
	}
	if !first.spend(ctx, heavyItems) {
		t.Fatal("the response in the lane was stopped")
	}
	light := &budget{max: 1 << 40, lane: lane, heavy: heavyItems, done: ctx.Done()}
	if !light.spend(ctx, heavyItems/2) {
		t.Fatal("a light response waited for the lane")
	}
	second := &budget{max: 1 << 40, lane: lane, heavy: heavyItems, done: ctx.Done()}
	go func() { time.Sleep(50 * time.Millisecond); first.leave() }()
	start := time.Now()
	if !second.spend(ctx, heavyItems+1) {
		t.Fatalf("the second heavy response was stopped (%d) instead of waiting its turn", second.why.Load())
	}
	if waited := time.Since(start); waited < 40*time.Millisecond {
		t.Errorf("the second heavy response went on after %v, before the first left the lane", waited)
	}
	third := &budget{max: 1 << 40, lane: lane, heavy: heavyItems, done: ctx.Done()}
	if third.spend(ctx, heavyItems+1) || third.why.Load() != stopDeadline {
		t.Errorf("a heavy response that waits past its deadline: why = %d, want %d", third.why.Load(), stopDeadline)
	}
}

func TestRootFieldsTakeTurns(t *testing.T) {
	ctx := context.WithValue(context.Background(), budgetKey{}, &budget{})
	var running, most atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			oneRootAtATime(ctx, func(context.Context) graphql.Marshaler {
				n := running.Add(1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				time.Sleep(5 * time.Millisecond)
				running.Add(-1)
				return graphql.Null
			})
		})
	}
	wg.Wait()
	if most.Load() != 1 {
		t.Errorf("%d root fields of one response ran at once, want 1", most.Load())
	}
}

// A subscription event is heavy far sooner than a query: an event past heavyEventItems waits
// for its turn in the lane, a query of the same size does not.
func TestSubscriptionEventsTakeTurns(t *testing.T) {
	cfg := Defaults()
	lane := make(chan struct{}, 1)
	lane <- struct{}{} // another heavy response holds the lane
	spendAs := func(op ast.Operation) time.Duration {
		ctx := graphql.WithOperationContext(context.Background(), &graphql.OperationContext{
			Operation: &ast.OperationDefinition{Operation: op},
		})
		var waited time.Duration
		limitWork(cfg, lane)(ctx, func(ctx context.Context) *graphql.Response {
			b := budgetOf(ctx)
			start := time.Now()
			if !b.spend(ctx, heavyEventItems+1) {
				t.Errorf("%s: the budget stopped the response (%d)", op, b.why.Load())
			}
			waited = time.Since(start)
			return &graphql.Response{Data: []byte("null")}
		})
		return waited
	}
	if waited := spendAs(ast.Query); waited > 20*time.Millisecond {
		t.Errorf("a query of %d items waited %v for the lane", heavyEventItems+1, waited)
	}
	go func() { time.Sleep(50 * time.Millisecond); <-lane }()
	if waited := spendAs(ast.Subscription); waited < 40*time.Millisecond {
		t.Errorf("a subscription event of %d items went on after %v, before the lane was free", heavyEventItems+1, waited)
	}
}

// A big request takes its turn in the lane before it is decoded, keeps it until it has
// answered, and tells the budget so; a small one never waits; one that waits its timeout is
// refused with BUSY.
func TestBigRequestsTakeTurns(t *testing.T) {
	cfg := Defaults()
	cfg.Timeout = 100 * time.Millisecond
	lane := make(chan struct{}, 1)
	var ran, held atomic.Bool
	var inLane, afterAnswer atomic.Int32
	h := limitBody(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ran.Store(true)
		h, _ := r.Context().Value(laneHeld{}).(bool)
		held.Store(h)
		inLane.Store(int32(len(lane)))
		w.Write([]byte(`{"data":null}`)) // a client that never reads this must not keep the lane
		afterAnswer.Store(int32(len(lane)))
	}), cfg, lane)
	big := `{"query":"{ __typename }","variables":{"pad":"` + strings.Repeat("x", bigRequest) + `"}}`
	send := func(method, target, body string) *httptest.ResponseRecorder {
		ran.Store(false)
		held.Store(false)
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}

	lane <- struct{}{} // a heavy answer holds the lane
	if w := send(http.MethodPost, "/query", `{"query":"{ __typename }"}`); !ran.Load() || held.Load() {
		t.Errorf("a small request while the lane was taken: ran %v, held the lane %v (status %d)", ran.Load(), held.Load(), w.Code)
	}
	// A websocket's upgrade with a long query string would hold the lane for as long as the
	// socket stays open: it never takes it.
	ran.Store(false)
	upgrade := httptest.NewRequest(http.MethodGet, "/query?pad="+strings.Repeat("x", bigRequest), nil)
	upgrade.Header.Set("Upgrade", "websocket")
	h.ServeHTTP(httptest.NewRecorder(), upgrade)
	if !ran.Load() || held.Load() {
		t.Errorf("a websocket upgrade with a long query string while the lane was taken: ran %v, held the lane %v", ran.Load(), held.Load())
	}
	if w := send(http.MethodPost, "/query", big); ran.Load() || w.Code != http.StatusServiceUnavailable ||
		!strings.Contains(w.Body.String(), `"BUSY"`) || w.Header().Get("Retry-After") == "" {
		t.Errorf("a big request while the lane stayed taken: ran %v, status %d, Retry-After %q, body %s",
			ran.Load(), w.Code, w.Header().Get("Retry-After"), w.Body.String())
	}
	<-lane
	for _, r := range []struct{ method, target, body string }{
		{http.MethodPost, "/query", big},
		{http.MethodGet, "/query?query=%7B__typename%7D&pad=" + strings.Repeat("x", bigRequest), ""},
	} {
		send(r.method, r.target, r.body)
		if !ran.Load() || !held.Load() || inLane.Load() != 1 || afterAnswer.Load() != 0 {
			t.Errorf("%s of a big request with the lane free: ran %v, held %v, lane places taken while it ran %d, once its answer started %d",
				r.method, ran.Load(), held.Load(), inLane.Load(), afterAnswer.Load())
		}
		if len(lane) != 0 {
			t.Fatalf("%s of a big request kept its place in the lane after it answered", r.method)
		}
	}
}

// Big requests waiting for their turn hold their bodies: past maxBigWaiting of them, one more
// is refused at once.
func TestBigRequestsWaitingAreBounded(t *testing.T) {
	cfg := Defaults()
	cfg.Timeout = time.Minute
	lane := make(chan struct{}, 1)
	lane <- struct{}{} // a heavy answer holds the lane throughout
	h := limitBody(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}), cfg, lane)
	big := `{"query":"{ __typename }","variables":{"pad":"` + strings.Repeat("x", bigRequest) + `"}}`
	post := func(ctx context.Context) *httptest.ResponseRecorder {
		req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/query", strings.NewReader(big))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	ctx, cancel := context.WithCancel(context.Background())
	answered := make(chan *httptest.ResponseRecorder, maxBigWaiting+1)
	var wg sync.WaitGroup
	for range maxBigWaiting + 1 {
		wg.Go(func() { answered <- post(ctx) })
	}
	defer func() { cancel(); wg.Wait() }()
	select {
	case w := <-answered:
		if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), `"BUSY"`) {
			t.Errorf("one big request more than %d waiting: status %d, body %s; want 503 BUSY", maxBigWaiting, w.Code, w.Body.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("%d big requests all waited for their turn; one more than %d should have been refused", maxBigWaiting+1, maxBigWaiting)
	}
	select {
	case w := <-answered:
		t.Errorf("a second of %d big requests was answered (%d) while the lane stayed taken", maxBigWaiting+1, w.Code)
	case <-time.After(100 * time.Millisecond):
	}
}
