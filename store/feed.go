package store

import (
	"context"
	"sync"
	"weak"

	"github.com/kgraph/telegraph/index"
	"github.com/kgraph/telegraph/kg"
)

// SubscriberBuffer is how many changes may wait for one subscriber. A subscriber that has that
// many waiting when another change comes is dropped (see Subscribe): a write never waits for a
// reader, and a reader that cannot keep up learns that it missed changes instead of missing
// them silently.
const SubscriberBuffer = 8

// DefaultMaxSubscribers is how many subscriptions a store serves at once until
// LimitSubscribers says otherwise.
const DefaultMaxSubscribers = 100

// feed fans changes out to subscribers.
type feed struct {
	mu   sync.Mutex
	max  int // 0 means DefaultMaxSubscribers
	subs map[*subscriber]struct{}
}

// feedOnce creates a store's feed on first use, so Open needs no change for it.
type feedOnce struct {
	once sync.Once
	feed *feed
}

func (s *Store) feed() *feed {
	s.changes.once.Do(func() { s.changes.feed = &feed{subs: map[*subscriber]struct{}{}} })
	return s.changes.feed
}

// subscriber is one subscription's end of the feed.
type subscriber struct {
	queue   chan queued   // changes not yet sent, at most SubscriberBuffer
	dropped chan struct{} // closed when the feed drops the subscriber
	err     error         // why it was dropped, set before dropped is closed
}

// queued is a change waiting for its subscriber. It holds the change's IRIs and counts, and
// the index that first showed the write only weakly: a subscriber that does not read does not
// keep old versions of the read index alive (each is the whole graph), only its queue's IRIs.
// The change is resolved when it is sent: with the index it names if that is still alive
// (it is the current one, or something else holds it), or else with the current index, which
// shows the write and whatever came after it. A change being sent holds its index until it is
// taken, so a subscriber that stops reading keeps one index alive at most.
type queued struct {
	c   Change // Index nil
	idx weak.Pointer[index.Index]
}

// LimitSubscribers sets how many subscriptions the store serves at once; n < 1 restores
// DefaultMaxSubscribers. Subscriptions open beyond a lowered limit are kept.
func (s *Store) LimitSubscribers(n int) {
	f := s.feed()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.max = max(n, 0)
}

// Subscribers returns how many subscriptions are open.
func (s *Store) Subscribers() int {
	f := s.feed()
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.subs)
}

// Subscribe returns a channel that receives every write applied through Put, DeleteArticle,
// Delete and Merge from now until ctx is done, in the order they were applied; the channel is
// closed then. A change that waited for its subscriber while newer indexes replaced the one it
// was made in, and nothing else held that one, comes with the current index, which shows the
// write and what came after it (see queued). The store may end a subscription first, and then
// says why in a last value whose Err alone is set:
//   - a subscriber that has SubscriberBuffer changes waiting when another comes is dropped
//     with a SLOW_CONSUMER error (kg.ESlowConsumer): the changes it has not taken are
//     discarded, and it must subscribe again and catch up by reading;
//   - when the store already serves as many subscriptions as its limit (see
//     LimitSubscribers), the subscription is refused: the channel's only value has a BUSY
//     error (kg.EBusy).
func (s *Store) Subscribe(ctx context.Context) <-chan Change {
	f := s.feed()
	sub := &subscriber{queue: make(chan queued, SubscriberBuffer), dropped: make(chan struct{})}
	f.mu.Lock()
	limit := f.max
	if limit == 0 {
		limit = DefaultMaxSubscribers
	}
	if len(f.subs) >= limit {
		f.mu.Unlock()
		refused := make(chan Change, 1)
		refused <- Change{Err: kg.Errorf(kg.EBusy, "the server already streams changes to %d subscribers, its most; try again later", limit)}
		close(refused)
		return refused
	}
	f.subs[sub] = struct{}{}
	f.mu.Unlock()
	out := make(chan Change)
	go s.send(ctx, sub, out)
	return out
}

// send passes the subscriber's queued changes to out, one at a time, until ctx is done or the
// feed drops the subscriber, then leaves the feed and closes out; a dropped subscriber is sent
// why first.
func (s *Store) send(ctx context.Context, sub *subscriber, out chan<- Change) {
	defer close(out)
	defer func() {
		f := s.feed()
		f.mu.Lock()
		delete(f.subs, sub)
		f.mu.Unlock()
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-sub.dropped:
			tellDropped(ctx, sub, out)
			return
		case q := <-sub.queue:
			select {
			case <-sub.dropped: // both were ready: the backlog of a dropped subscriber is not sent
				tellDropped(ctx, sub, out)
				return
			default:
			}
			c := q.c
			if c.Index = q.idx.Value(); c.Index == nil {
				c.Index = s.Index()
			}
			select {
			case out <- c:
			case <-ctx.Done():
				return
			case <-sub.dropped:
				tellDropped(ctx, sub, out)
				return
			}
		}
	}
}

// tellDropped tells a dropped subscriber why, unless its context ends first.
func tellDropped(ctx context.Context, sub *subscriber, out chan<- Change) {
	select {
	case out <- Change{Err: sub.err}:
	case <-ctx.Done():
	}
}

// notify queues c for every subscriber, and drops those whose queue is full.
func (s *Store) notify(c Change) {
	q := queued{c: c, idx: weak.Make(c.Index)}
	q.c.Index = nil
	f := s.feed()
	f.mu.Lock()
	defer f.mu.Unlock()
	for sub := range f.subs {
		select {
		case sub.queue <- q:
		default:
			delete(f.subs, sub)
			sub.err = kg.Errorf(kg.ESlowConsumer, "the subscriber fell more than %d changes behind and was disconnected; resubscribe", SubscriberBuffer)
			close(sub.dropped)
		}
	}
}
