package store

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"testing"
	"weak"

	"github.com/kgraph/telegraph/index"
	"github.com/kgraph/telegraph/kg"
)

func memory(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), Memory)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// put writes the n-th article of a feed test and returns the index that first shows it.
func put(t *testing.T, s *Store, n int) weak.Pointer[index.Index] {
	t.Helper()
	src := fmt.Sprintf("article feed-%d\n  title: Feed %d\n  date: 2020-01-01\n\nentity feed-co-%d Company\n  name: Feed Co %d\n  quote: Feed Co %d\n", n, n, n, n, n)
	c, err := s.Put(context.Background(), fmt.Sprintf("api:feed-%d.kg", n), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return weak.Make(c.Index)
}

// A subscriber that does not read is dropped once its queue is full, learns why, and is sent
// nothing of its backlog.
func TestSlowSubscriberIsDropped(t *testing.T) {
	s := memory(t)
	changes := s.Subscribe(context.Background())
	writes := 0
	for s.Subscribers() > 0 {
		if writes > 2*SubscriberBuffer {
			t.Fatalf("still subscribed after %d writes it did not read", writes)
		}
		put(t, s, writes)
		writes++
	}
	// The queue holds SubscriberBuffer changes; one more may be on its way to the channel.
	if writes <= SubscriberBuffer || writes > SubscriberBuffer+2 {
		t.Errorf("dropped after %d writes, want %d or %d", writes, SubscriberBuffer+1, SubscriberBuffer+2)
	}
	var got []Change
	for c := range changes {
		got = append(got, c)
	}
	if len(got) == 0 || len(got) > 2 {
		t.Fatalf("%d values after the drop, want the one on its way at most, then why", len(got))
	}
	last := got[len(got)-1]
	var ke *kg.Error
	if !errors.As(last.Err, &ke) || ke.Code != kg.ESlowConsumer || last.Index != nil || last.Article != "" {
		t.Fatalf("last value %+v, want only Err, with code %s", last, kg.ESlowConsumer)
	}
	if len(got) == 2 && (got[0].Err != nil || got[0].Index == nil) {
		t.Errorf("first value %+v, want a change", got[0])
	}
	t.Logf("dropped after %d writes: %s", writes, last.Err)

	// The end of a subscription's context is no error.
	ctx, cancel := context.WithCancel(context.Background())
	changes = s.Subscribe(ctx)
	cancel()
	for c := range changes {
		t.Errorf("value %+v after the context ended", c)
	}
}

func TestSubscriptionsAreCapped(t *testing.T) {
	s := memory(t)
	s.LimitSubscribers(2)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	first := s.Subscribe(ctx)
	s.Subscribe(context.Background())
	var got []Change
	for c := range s.Subscribe(context.Background()) {
		got = append(got, c)
	}
	var ke *kg.Error
	if len(got) != 1 || !errors.As(got[0].Err, &ke) || ke.Code != kg.EBusy {
		t.Fatalf("third subscription gave %+v, want one value with code %s", got, kg.EBusy)
	}

	cancel()
	for range first { // closed once the subscription has left the feed
	}
	if s.Subscribers() != 1 {
		t.Errorf("%d subscribers, want 1", s.Subscribers())
	}
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	fourth := s.Subscribe(ctx)
	put(t, s, 0)
	if c := <-fourth; c.Err != nil || c.Article != kg.ArticleIRI("feed-0") {
		t.Errorf("a subscription after one ended gave %+v, want the write", c)
	}
}

// Changes waiting for a subscriber do not keep the indexes they were made in alive: only the
// one on its way to the channel does, and the others are sent with the current index.
func TestQueuedChangesDoNotHoldOldIndexes(t *testing.T) {
	s := memory(t)
	changes := s.Subscribe(context.Background())
	var made []weak.Pointer[index.Index]
	for n := range SubscriberBuffer {
		made = append(made, put(t, s, n))
	}
	runtime.GC()
	runtime.GC()
	alive := 0
	for _, w := range made {
		if w.Value() != nil {
			alive++
		}
	}
	// The current index and the one on its way to the channel.
	if alive > 2 {
		t.Errorf("%d of %d indexes alive with %d changes waiting, want at most 2", alive, len(made), len(made))
	}

	for n := range SubscriberBuffer {
		c := <-changes
		if c.Article != kg.ArticleIRI(fmt.Sprintf("feed-%d", n)) || c.Index == nil || c.Index.Entity(kg.EntityIRI(fmt.Sprintf("feed-co-%d", n))) == nil {
			t.Fatalf("change %d: article %s, index %p, want feed-%d with its entity", n, c.Article, c.Index, n)
		}
	}
}
