package abuse

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/coder/websocket"
)

// wsConn is a client of the graphql-transport-ws protocol, enough to subscribe, run queries over
// the socket and see how the server ends it.
type wsConn struct {
	c *websocket.Conn
}

// wsMsg is a server message; only the start of a large payload is kept.
type wsMsg struct {
	Type    string
	ID      string
	Code    string // the first error's code, for "next" with errors and "error"
	HasErr  bool
	Bytes   int64
	payload []byte // the start of the payload
}

// dialWS opens a websocket to /query speaking graphql-transport-ws.
func dialWS(ctx context.Context, base string, timeout time.Duration) (*wsConn, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	url := "ws" + strings.TrimPrefix(base, "http") + "/query"
	c, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		return nil, err
	}
	c.SetReadLimit(-1) // a heavy answer is one message; read streams it, keeping its start only
	return &wsConn{c: c}, nil
}

func (w *wsConn) send(ctx context.Context, timeout time.Duration, msg map[string]any) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	b, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	return w.c.Write(ctx, websocket.MessageText, b)
}

// init sends connection_init, with the token when given, and waits for connection_ack.
func (w *wsConn) init(ctx context.Context, timeout time.Duration, token string) (wsMsg, error) {
	payload := map[string]any{}
	if token != "" {
		payload["Authorization"] = "Bearer " + token
	}
	if err := w.send(ctx, timeout, map[string]any{"type": "connection_init", "payload": payload}); err != nil {
		return wsMsg{}, err
	}
	for {
		m, err := w.read(ctx, timeout)
		if err != nil || m.Type != "ping" {
			return m, err
		}
		w.send(ctx, timeout, map[string]any{"type": "pong"})
	}
}

func (w *wsConn) subscribe(ctx context.Context, timeout time.Duration, id, query string) error {
	return w.send(ctx, timeout, map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{"query": query}})
}

var wsTail = regexp.MustCompile(`"id":"([^"]*)","type":"([a-z_]+)"\}\s*$`)

// read returns the next message, streaming its payload and keeping only its start.
func (w *wsConn) read(ctx context.Context, timeout time.Duration) (wsMsg, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	_, r, err := w.c.Reader(ctx)
	if err != nil {
		return wsMsg{}, err
	}
	head := make([]byte, prefixSize)
	n, err := io.ReadFull(r, head)
	head = head[:n]
	total := int64(n)
	var tail []byte
	if err == nil {
		// Larger than the kept start: keep a short tail too, where gqlgen writes id and type.
		tb := &tailBuffer{max: 512}
		m, err := io.Copy(tb, r)
		total += m
		if err != nil {
			return wsMsg{}, err
		}
		tail = tb.b
	} else if err != io.EOF && err != io.ErrUnexpectedEOF {
		return wsMsg{}, err
	}
	m := wsMsg{Bytes: total}
	if tail == nil {
		var full struct {
			Type    string          `json:"type"`
			ID      string          `json:"id"`
			Payload json.RawMessage `json:"payload"`
		}
		if err := json.Unmarshal(head, &full); err != nil {
			return m, fmt.Errorf("message is not JSON: %.80q", head)
		}
		m.Type, m.ID, m.payload = full.Type, full.ID, full.Payload
	} else {
		if s := wsTail.FindSubmatch(tail); s != nil {
			m.ID, m.Type = string(s[1]), string(s[2])
		} else {
			m.Type = "(unreadable)"
		}
		m.payload = head
	}
	switch m.Type {
	case "error":
		// The payload is a list of errors.
		m.Code, m.HasErr = errorCode(append([]byte(`{"errors":`), m.payload...))
	default:
		m.Code, m.HasErr = errorCode(m.payload)
	}
	return m, nil
}

// closeOutcome labels how a websocket ended from the client's side of a read error.
func closeOutcome(err error) string {
	var ce websocket.CloseError
	if errors.As(err, &ce) {
		if ce.Reason != "" {
			return fmt.Sprintf("closed by server %d %q", ce.Code, ce.Reason)
		}
		return fmt.Sprintf("closed by server %d", ce.Code)
	}
	return transportLabel(err)
}

func (w *wsConn) close() { w.c.CloseNow() }

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	b   []byte
	max int
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = bytes.Clone(t.b[len(t.b)-t.max:])
	}
	return len(p), nil
}
