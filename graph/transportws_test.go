package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/kgraph/telegraph/api"
	"github.com/kgraph/telegraph/store"
)

// TestGraphQLTransportWS subscribes with the graphql-transport-ws protocol, the one the
// graphql-ws client library of frontends speaks, and receives an API write.
func TestGraphQLTransportWS(t *testing.T) {
	_, s := newWriter(t, store.Memory)
	cfg := api.Defaults()
	cfg.Tokens = []string{token}
	srv := httptest.NewServer(api.Endpoint(s, discardLog(), cfg))
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	if conn.Subprotocol() != "graphql-transport-ws" {
		t.Fatalf("subprotocol %q", conn.Subprotocol())
	}
	type msg struct {
		Type    string          `json:"type"`
		ID      string          `json:"id,omitempty"`
		Payload json.RawMessage `json:"payload,omitempty"`
	}
	send := func(m msg) {
		if err := wsjson.Write(ctx, conn, m); err != nil {
			t.Fatal(err)
		}
	}
	recv := func() msg {
		for {
			var m msg
			if err := wsjson.Read(ctx, conn, &m); err != nil {
				t.Fatal(err)
			}
			if m.Type != "ping" && m.Type != "pong" {
				return m
			}
		}
	}
	send(msg{Type: "connection_init", Payload: json.RawMessage(`{"Authorization": "Bearer ` + token + `"}`)})
	if m := recv(); m.Type != "connection_ack" {
		t.Fatalf("got %+v, want connection_ack", m)
	}
	q, _ := json.Marshal(map[string]string{"query": `subscription { factAdded(filter: {participant: "Telia"}) { article { key } entities { name } } }`})
	send(msg{Type: "subscribe", ID: "1", Payload: q})

	c := client.New(api.Endpoint(s, discardLog(), cfg), client.AddHeader("Authorization", "Bearer "+token))
	wctx, stop := context.WithCancel(context.Background())
	deal := func(n int) []client.Option { return teliaDeal(fmt.Sprintf("api-tws-%d", n)) }
	wait := stream(wctx, t, c, deal, deal)
	defer wait()
	defer stop()

	m := recv()
	if m.Type != "next" || m.ID != "1" {
		t.Fatalf("got %+v, want next for subscription 1", m)
	}
	var ev struct {
		Data factEvent
	}
	if err := json.Unmarshal(m.Payload, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Data.FactAdded.Article == nil || !strings.HasPrefix(ev.Data.FactAdded.Article.Key, "api-tws-") || !has(names(ev.Data.FactAdded.Entities), "Telia") {
		t.Errorf("event = %+v", ev.Data.FactAdded)
	}
	send(msg{Type: "complete", ID: "1"})
}
