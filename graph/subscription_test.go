package graph_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

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
