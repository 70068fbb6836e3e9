package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/kgraph/telegraph/api"
	"github.com/kgraph/telegraph/store"
)

const testToken = "0123456789abcdef0123456789abcdef"

type wsMsg struct {
	Type    string          `json:"type"`
	ID      string          `json:"id,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// wsClient is one graphql-transport-ws connection.
type wsClient struct {
	t    *testing.T
	ctx  context.Context
	conn *websocket.Conn
}

func dialWS(t *testing.T, ctx context.Context, url string) *wsClient {
	t.Helper()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(url, "http"), &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.CloseNow() })
	return &wsClient{t, ctx, conn}
}

func (c *wsClient) send(m wsMsg) {
	c.t.Helper()
	if err := wsjson.Write(c.ctx, c.conn, m); err != nil {
		c.t.Fatal(err)
	}
}

// recv returns the next message other than a ping or pong.
func (c *wsClient) recv() wsMsg {
	c.t.Helper()
	for {
		var m wsMsg
		if err := wsjson.Read(c.ctx, c.conn, &m); err != nil {
			c.t.Fatal(err)
		}
		if m.Type != "ping" && m.Type != "pong" {
			return m
		}
	}
}

// init opens the connection, with a bearer token when tok is not empty.
func (c *wsClient) init(tok string) {
	c.t.Helper()
	m := wsMsg{Type: "connection_init"}
	if tok != "" {
		m.Payload = json.RawMessage(`{"Authorization": "Bearer ` + tok + `"}`)
	}
	c.send(m)
	if r := c.recv(); r.Type != "connection_ack" {
		c.t.Fatalf("got %+v, want connection_ack", r)
	}
}

func (c *wsClient) subscribe(id, query string) {
	c.t.Helper()
	q, _ := json.Marshal(map[string]string{"query": query})
	c.send(wsMsg{Type: "subscribe", ID: id, Payload: q})
}

// code returns the first error code of a next or error message.
func code(m wsMsg) string {
	var errs []gqlError
	if m.Type == "next" {
		var p struct{ Errors []gqlError }
		json.Unmarshal(m.Payload, &p)
		errs = p.Errors
	} else {
		json.Unmarshal(m.Payload, &errs)
	}
	if len(errs) == 0 {
		return ""
	}
	return errs[0].Extensions.Code
}

const subscription = `subscription { factAdded { article { key } } }`

func TestWebsocketLimits(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cfg := api.Defaults()
	cfg.Tokens = []string{testToken}
	cfg.MaxSocketOps = 3
	cfg.MaxSocketSubscriptions = 2
	cfg.InitTimeout = 300 * time.Millisecond
	srv := httptest.NewServer(api.Endpoint(loaded(t), discard(), cfg))
	defer srv.Close()

	t.Run("subscriptions need a token", func(t *testing.T) {
		c := dialWS(t, ctx, srv.URL)
		c.init("")
		c.subscribe("1", subscription)
		if m := c.recv(); code(m) != "UNAUTHENTICATED" {
			t.Fatalf("got %+v, want UNAUTHENTICATED", m)
		}
	})
	t.Run("unless the server opens them", func(t *testing.T) {
		open := cfg
		open.OpenSubscriptions = true
		srv := httptest.NewServer(api.Endpoint(loaded(t), discard(), open))
		defer srv.Close()
		c := dialWS(t, ctx, srv.URL)
		c.init("")
		c.subscribe("1", subscription)
		c.subscribe("2", `{ __typename }`) // answered while the subscription stays open
		if m := c.recv(); m.Type != "next" || m.ID != "2" || code(m) != "" {
			t.Fatalf("got %+v, want the query's answer beside an open subscription", m)
		}
	})
	t.Run("subscriptions per socket are capped", func(t *testing.T) {
		c := dialWS(t, ctx, srv.URL)
		c.init(testToken)
		c.subscribe("1", subscription)
		c.subscribe("2", subscription)
		c.subscribe("3", subscription)
		// The three start at once: any one of them may be the one refused.
		m := c.recv()
		if code(m) != api.ESocketBusy {
			t.Fatalf("got %+v, want %s for one of three subscriptions", m, api.ESocketBusy)
		}
		// Ending one gives its place back.
		open := "1"
		if m.ID == "1" {
			open = "2"
		}
		c.send(wsMsg{Type: "complete", ID: open})
		time.Sleep(100 * time.Millisecond)
		c.subscribe("4", subscription)
		c.subscribe("5", `{ __typename }`)
		m = c.recv()
		for m.Type == "complete" { // of the refused subscription, or of the ended one
			m = c.recv()
		}
		if m.ID != "5" || code(m) != "" {
			t.Fatalf("got %+v, want an answer to the query once a subscription ended", m)
		}
	})
	t.Run("a socket that never initialises is closed", func(t *testing.T) {
		c := dialWS(t, ctx, srv.URL)
		start := time.Now()
		var m wsMsg
		err := wsjson.Read(ctx, c.conn, &m)
		if err == nil {
			t.Fatalf("got %+v, want the connection closed", m)
		}
		var ce websocket.CloseError
		if took := time.Since(start); took > 3*time.Second || (!errors.As(err, &ce) && ctx.Err() != nil) {
			t.Fatalf("closed after %v (%v), want about %v", took, err, cfg.InitTimeout)
		}
	})
}

func TestSubscriptionEventsHaveABudget(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, err := store.Open(ctx, store.Memory)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if rep, err := s.Sync(ctx, "../data", nil); err != nil || rep.Err() != nil {
		t.Fatalf("sync: %v %v", err, rep.Err())
	}
	cfg := api.Defaults()
	cfg.Tokens = []string{testToken}
	cfg.MaxEventItems = 20 // the event holds about 35 items, far below MaxItems
	h := api.Endpoint(s, discard(), cfg)
	srv := httptest.NewServer(h)
	defer srv.Close()
	c := dialWS(t, ctx, srv.URL)
	c.init(testToken)
	c.subscribe("1", `subscription { factAdded { relationships { participants { entity { name relationships { key } } } } } }`)
	time.Sleep(200 * time.Millisecond) // the subscription is open before the write
	write := `mutation { putArticle(article: {id: "budget-telia", title: "Telia picks Ericsson", date: "2017-08-01"},
		entities: [{id: "telia", kind: "Company", name: "Telia", quotes: ["Telia has chosen Ericsson"]},
		           {id: "ericsson", kind: "Company", name: "Ericsson", quotes: ["Telia has chosen Ericsson"]}],
		relationships: [{id: "budget-telia-deal", relation: "partnership", quotes: ["Telia has chosen Ericsson"],
		  participants: [{role: "party", entity: "telia"}, {role: "party", entity: "ericsson"}]}]) { added } }`
	if r := post(t, h, write, nil, "Authorization", "Bearer "+testToken); len(r.Errors) > 0 {
		t.Fatalf("write: %v", r.Errors)
	}
	if m := c.recv(); m.Type != "next" || code(m) != api.EResultTooLarge {
		t.Fatalf("got %s %s, want the event refused with %s", m.Type, m.Payload, api.EResultTooLarge)
	}
}
