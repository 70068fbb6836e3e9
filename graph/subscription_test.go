package graph_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	"github.com/kgraph/telegraph/api"
	"github.com/kgraph/telegraph/kg"
	"github.com/kgraph/telegraph/store"
)

type factEvent struct {
	FactAdded struct {
		Article       *struct{ Key string }
		Entities      []named
		Relationships []struct {
			Key, Relation string
			Participants  []struct{ Entity named }
		}
	}
}

// stream keeps writing articles, alternating one the subscription must skip and one it must
// see, until ctx is done: the subscription starts at some point after the websocket opens, so
// the test cannot know which write is the first it sees, only that it never sees a skipped one.
// It returns a function that waits for the writer to stop.
func stream(ctx context.Context, t *testing.T, c *client.Client, skip, see func(n int) []client.Option) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for n := 0; ctx.Err() == nil; n++ {
			var resp map[string]any
			write := skip
			if n%2 == 1 {
				write = see
			}
			if err := c.Post(putArticle, &resp, write(n)...); err != nil {
				t.Errorf("write %d: %v", n, err)
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	return func() { <-done }
}

// next reads one event, failing the test after a few seconds.
func next(t *testing.T, sub *client.Subscription) factEvent {
	t.Helper()
	got := make(chan error, 1)
	var ev factEvent
	go func() { got <- sub.Next(&ev) }()
	select {
	case err := <-got:
		if err != nil {
			t.Fatalf("subscription: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10s")
	}
	return ev
}

func TestFactAddedSubscription(t *testing.T) {
	c, _ := newWriter(t, store.Memory)
	zteSupply := func(n int) []client.Option { // a supply by ZTE: no Ericsson, no partnership
		id := fmt.Sprintf("api-zte-supply-%d", n)
		return []client.Option{
			client.Var("a", article(id)),
			client.Var("e", []object{entity("zte", "Company", "ZTE", "ZTE supplies Telia"), entity("telia", "Company", "Telia", "ZTE supplies Telia")}),
			client.Var("r", []object{{"id": id, "relation": "supply", "quotes": []string{"ZTE supplies Telia"},
				"participants": []object{{"role": "supplier", "entity": "zte"}, {"role": "customer", "entity": "telia"}}}}),
		}
	}

	t.Run("new partnerships of Ericsson", func(t *testing.T) {
		sub := c.Websocket(`subscription { factAdded(filter: {participant: "Ericsson", relations: ["partnership"]}) {
			article { key } entities { name } relationships { key relation participants { entity { name } } } } }`)
		defer sub.Close()
		ctx, cancel := context.WithCancel(context.Background())
		wait := stream(ctx, t, c, zteSupply, func(n int) []client.Option { return teliaDeal(fmt.Sprintf("api-telia-%d", n)) })
		defer wait()
		defer cancel()
		for range 2 {
			ev := next(t, sub).FactAdded
			if len(ev.Relationships) != 1 || ev.Relationships[0].Relation != "partnership" || ev.Article == nil {
				t.Fatalf("event = %+v, want one partnership", ev)
			}
			if len(ev.Entities) != 0 {
				t.Errorf("entities %v streamed with a relations filter", ev.Entities)
			}
			var ps []string
			for _, p := range ev.Relationships[0].Participants {
				ps = append(ps, p.Entity.Name)
			}
			if !has(ps, "Ericsson") || ev.Relationships[0].Key != ev.Article.Key+"-deal" {
				t.Errorf("event = %+v, want Ericsson's partnership of its article", ev)
			}
		}
	})

	t.Run("anything in China", func(t *testing.T) {
		sub := c.Websocket(`subscription { factAdded(filter: {country: "China"}) {
			article { key } entities { name } relationships { key relation } } }`)
		defer sub.Close()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		// China Mobile is placed in China by the data files; Telia and ZTE's new supply are not.
		chinaMobile := func(n int) []client.Option {
			id := fmt.Sprintf("api-cm-%d", n)
			return []client.Option{
				client.Var("a", article(id)),
				client.Var("e", []object{entity("china-mobile", "Company", "China Mobile", "China Mobile and Telia"), entity("telia", "Company", "Telia", "China Mobile and Telia")}),
				client.Var("r", []object{partnership(id+"-deal", "China Mobile and Telia", "china-mobile", "telia")}),
			}
		}
		wait := stream(ctx, t, c, func(n int) []client.Option { return teliaDeal(fmt.Sprintf("api-telia-cn-%d", n)) }, chinaMobile)
		defer wait()
		defer cancel()
		for range 2 {
			ev := next(t, sub).FactAdded
			if ev.Article == nil || len(ev.Relationships) != 1 || ev.Relationships[0].Key != ev.Article.Key+"-deal" {
				t.Fatalf("event = %+v, want China Mobile's partnership", ev)
			}
			if got := names(ev.Entities); len(got) != 1 || got[0] != "China Mobile" {
				t.Errorf("entities = %v, want China Mobile only (Telia is not in China)", got)
			}
		}
	})

	t.Run("an unknown relation kind is refused", func(t *testing.T) {
		sub := c.Websocket(`subscription { factAdded(filter: {relations: ["friendship"]}) { article { key } } }`)
		defer sub.Close()
		var ev factEvent
		if err := sub.Next(&ev); err == nil {
			t.Errorf("no error, event %+v", ev)
		}
	})
}

// stalled wraps a handler so that, while hold is set, writes to its taken-over (websocket)
// connections wait until release is closed: a client whose network stopped taking data.
type stalled struct {
	h       http.Handler
	hold    atomic.Bool
	release chan struct{}
}

func (s *stalled) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.h.ServeHTTP(stalledWriter{w, s}, r)
}

type stalledWriter struct {
	http.ResponseWriter
	s *stalled
}

func (w stalledWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, brw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	sc := stalledConn{c, w.s}
	return sc, bufio.NewReadWriter(brw.Reader, bufio.NewWriter(sc)), nil
}

type stalledConn struct {
	net.Conn
	s *stalled
}

func (c stalledConn) Write(p []byte) (int, error) {
	if c.s.hold.Load() {
		<-c.s.release
	}
	return c.Conn.Write(p)
}

// subscriptionError reads the subscription until it ends with an error message and returns
// that message's errors; data messages before it are skipped.
func subscriptionError(t *testing.T, sub *client.Subscription) []gqlErr {
	t.Helper()
	got := make(chan error, 1)
	go func() {
		for {
			var ev factEvent
			if err := sub.Next(&ev); err != nil {
				got <- err
				return
			}
		}
	}()
	var err error
	select {
	case err = <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("the subscription did not end within 10s")
	}
	// An error message's payload is the list of errors (client.RawJsonError for errors in a
	// data message).
	var errs []gqlErr
	msg := err.Error()
	var raw client.RawJsonError
	if errors.As(err, &raw) {
		msg = string(raw.RawMessage)
	}
	if jerr := json.Unmarshal([]byte(msg), &errs); jerr != nil {
		t.Fatalf("subscription ended with %v, not a list of GraphQL errors", err)
	}
	return errs
}

type gqlErr struct {
	Message    string
	Extensions struct{ Code string }
}

// A subscriber whose client stops taking data is disconnected once the store has more changes
// waiting for it than its buffer, and the subscription ends with a SLOW_CONSUMER error.
func TestSlowSubscriberIsDisconnected(t *testing.T) {
	_, s := newWriter(t, store.Memory)
	cfg := api.Defaults()
	cfg.Tokens = []string{token}
	h := &stalled{h: api.Endpoint(s, discardLog(), cfg), release: make(chan struct{})}
	c := client.New(h, client.AddHeader("Authorization", "Bearer "+token))
	sub := c.Websocket(`subscription { factAdded { article { key } entities { name } } }`)
	defer sub.Close()
	for deadline := time.Now().Add(10 * time.Second); s.Subscribers() == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the subscription did not reach the store")
		}
	}

	h.hold.Store(true)
	writes := 0
	for s.Subscribers() > 0 {
		// Besides the queue, one change may sit in each of the store's sender, the resolver
		// and the websocket write that is stalled.
		if writes > store.SubscriberBuffer+4 {
			t.Fatalf("still subscribed after %d writes the client did not take", writes)
		}
		id := fmt.Sprintf("api-slow-%d", writes)
		src := fmt.Sprintf("article %s\n  title: Slow %d\n  date: 2020-01-01\n\nentity slow-co-%d Company\n  name: Slow Co %d\n  quote: Slow Co %d\n", id, writes, writes, writes, writes)
		if _, err := s.Put(context.Background(), "api:"+id+".kg", []byte(src)); err != nil {
			t.Fatal(err)
		}
		writes++
	}
	if writes <= store.SubscriberBuffer {
		t.Errorf("disconnected after %d writes, fewer than the buffer of %d", writes, store.SubscriberBuffer)
	}
	h.hold.Store(false)
	close(h.release)

	errs := subscriptionError(t, sub)
	if len(errs) != 1 || errs[0].Extensions.Code != kg.ESlowConsumer || !strings.Contains(errs[0].Message, "resubscribe") {
		t.Fatalf("errors %+v, want one with code %s that says to resubscribe", errs, kg.ESlowConsumer)
	}
	t.Logf("disconnected after %d writes: %s", writes, errs[0].Message)
}

// Beyond the store's limit of subscriptions, one more is refused with BUSY.
func TestSubscriptionsBeyondTheLimitAreRefused(t *testing.T) {
	c, s := newWriter(t, store.Memory)
	s.LimitSubscribers(1)
	first := c.Websocket(`subscription { factAdded { article { key } } }`)
	defer first.Close()
	for deadline := time.Now().Add(10 * time.Second); s.Subscribers() == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the subscription did not reach the store")
		}
	}
	second := c.Websocket(`subscription { factAdded { article { key } } }`)
	defer second.Close()
	errs := subscriptionError(t, second)
	if len(errs) != 1 || errs[0].Extensions.Code != kg.EBusy {
		t.Fatalf("errors %+v, want one with code %s", errs, kg.EBusy)
	}
}
