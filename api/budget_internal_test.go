package api

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

func TestHeavyResponsesTakeTurns(t *testing.T) {
	lane := make(chan struct{}, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	first := &budget{max: 1 << 40, lane: lane, done: ctx.Done()}
	if !first.spend(ctx, heavyItems+1) || !first.inLane.Load() {
		t.Fatal("the first heavy response did not get the lane")
	}
	if !first.spend(ctx, heavyItems) {
		t.Fatal("the response in the lane was stopped")
	}
	light := &budget{max: 1 << 40, lane: lane, done: ctx.Done()}
	if !light.spend(ctx, heavyItems/2) {
		t.Fatal("a light response waited for the lane")
	}
	second := &budget{max: 1 << 40, lane: lane, done: ctx.Done()}
	go func() { time.Sleep(50 * time.Millisecond); first.leave() }()
	start := time.Now()
	if !second.spend(ctx, heavyItems+1) {
		t.Fatalf("the second heavy response was stopped (%d) instead of waiting its turn", second.why.Load())
	}
	if waited := time.Since(start); waited < 40*time.Millisecond {
		t.Errorf("the second heavy response went on after %v, before the first left the lane", waited)
	}
	third := &budget{max: 1 << 40, lane: lane, done: ctx.Done()}
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
