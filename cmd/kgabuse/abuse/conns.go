package abuse

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// wsFailed says whether a websocket ended the way no request may: reset, or dropped without a
// close frame. A close frame with a code is a refusal and fine.
func wsFailed(label string) bool {
	return label == LabelDisconnected || label == LabelRefused || strings.HasPrefix(label, "error: ")
}

// subscriptions opens 50 subscribers with a heavy selection and one that never reads, then
// makes three writes (when it has a token) and waits for every subscriber to see them.
func subscriptions(ctx context.Context, r *caseRun) {
	h := r.h
	base, _ := h.target()
	timeout := h.cfg.ClientTimeout
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type subscriber struct {
		conn  *wsConn
		setup *Outcome // set when the subscription never started
		ready time.Duration

		mu       sync.Mutex
		arrivals []time.Time
		bytes    int64
		code     string // the first error code in a message
		end      string // how the socket ended before the case did
	}
	open := func(s *subscriber, who string) {
		start := time.Now()
		c, err := dialWS(cctx, base, timeout)
		if err != nil {
			l := transportLabel(err)
			s.setup = &Outcome{Label: who + ": dial " + l, Latency: time.Since(start), Failed: wsFailed(l)}
			return
		}
		m, err := c.init(cctx, timeout, h.cfg.Token)
		if err == nil && m.Type == "connection_ack" {
			err = c.subscribe(cctx, timeout, "1", heavySubscription)
		}
		switch {
		case err != nil:
			l := closeOutcome(err)
			s.setup = &Outcome{Label: who + ": " + l, Latency: time.Since(start), Failed: wsFailed(l)}
		case m.Type != "connection_ack":
			s.setup = &Outcome{Label: fmt.Sprintf("%s: init answered %s %s", who, m.Type, m.Code), Latency: time.Since(start)}
		default:
			s.conn, s.ready = c, time.Since(start)
			return
		}
		c.close()
	}

	const n = 50
	subs := make([]*subscriber, n)
	silent := &subscriber{}
	r.concurrently(n+1, func(i int) {
		if i == n {
			open(silent, "non-reader")
			return
		}
		subs[i] = &subscriber{}
		open(subs[i], "subscriber")
	})
	var readers sync.WaitGroup
	for _, s := range subs {
		if s.conn == nil {
			continue
		}
		readers.Go(func() {
			for {
				m, err := s.conn.read(cctx, time.Hour)
				s.mu.Lock()
				switch {
				case cctx.Err() != nil:
				case err != nil:
					s.end = closeOutcome(err)
				case m.Type == "ping":
					s.mu.Unlock()
					s.conn.send(cctx, timeout, map[string]any{"type": "pong"})
					continue
				default:
					s.bytes += m.Bytes
					if m.Type == "next" {
						s.arrivals = append(s.arrivals, time.Now())
					}
					if m.HasErr && s.code == "" {
						s.code = m.Code
					}
					if m.Type == "next" {
						s.mu.Unlock()
						continue
					}
					s.end = "server sent " + m.Type
				}
				s.mu.Unlock()
				return
			}
		})
	}
	sleep(ctx, 500*time.Millisecond) // the subscriptions register before the writes

	var writeStarts []time.Time
	if h.cfg.Token != "" {
		for k := range 3 {
			writeStarts = append(writeStarts, time.Now())
			o := h.putArticle(cctx, k)
			o.Label = "putArticle: " + o.Label
			r.add(o)
		}
		// Every subscriber should see every write; wait up to the client's timeout for them.
		until := time.Now().Add(timeout)
		for time.Now().Before(until) && ctx.Err() == nil {
			all := true
			for _, s := range subs {
				if s.conn == nil {
					continue
				}
				s.mu.Lock()
				if len(s.arrivals) < len(writeStarts) && s.end == "" {
					all = false
				}
				s.mu.Unlock()
			}
			if all {
				break
			}
			sleep(ctx, 50*time.Millisecond)
		}
	} else {
		sleep(ctx, time.Second)
		r.note("no token: no writes, so no events; the outcomes say whether the subscriptions were accepted")
	}
	waited := time.Now()
	cancel()
	for _, s := range append(subs, silent) {
		if s.conn != nil {
			s.conn.close()
		}
	}
	readers.Wait()

	missing, short := 0, 0
	for _, s := range subs {
		if s.setup != nil {
			r.add(*s.setup)
			continue
		}
		o := Outcome{Bytes: s.bytes, Latency: s.ready}
		if len(writeStarts) == 0 {
			o.Label = "subscriber: acknowledged"
		} else {
			got := min(len(s.arrivals), len(writeStarts))
			for k := range got {
				o.Latency = max(o.Latency, s.arrivals[k].Sub(writeStarts[k]))
			}
			// An event neither sent nor refused (the server ending the subscription with a
			// code refuses the rest) is a request that never finished.
			if got < len(writeStarts) && s.end == "" {
				missing += len(writeStarts) - got
				short++
			}
			o.Label = fmt.Sprintf("subscriber: %d of %d events", len(s.arrivals), len(writeStarts))
		}
		if s.code != "" {
			o.Label += ", error " + s.code
			o.Failed = s.code == "INTERNAL"
		}
		if s.end != "" {
			o.Label += ", then " + s.end
			o.Failed = o.Failed || wsFailed(s.end)
		}
		r.add(o)
	}
	if missing > 0 {
		r.fail("%d subscribers lacked %d events in all, %s after the last write began, with no error or end from the server", short, missing, secs(waited.Sub(writeStarts[len(writeStarts)-1])))
	}
	if silent.setup != nil {
		r.add(*silent.setup)
	} else {
		r.add(Outcome{Label: "non-reader: acknowledged, never read", Latency: silent.ready, Untimed: true})
	}
}

// subscribeWithoutToken subscribes with no token in connection_init and records whether the
// server accepts it.
func subscribeWithoutToken(ctx context.Context, r *caseRun) {
	base, _ := r.h.target()
	timeout := r.h.cfg.ClientTimeout
	one := func() Outcome {
		start := time.Now()
		c, err := dialWS(ctx, base, timeout)
		if err != nil {
			l := transportLabel(err)
			return Outcome{Label: "dial " + l, Latency: time.Since(start), Failed: wsFailed(l)}
		}
		defer c.close()
		m, err := c.init(ctx, timeout, "")
		if err != nil {
			l := closeOutcome(err)
			return Outcome{Label: "init: " + l, Latency: time.Since(start), Failed: wsFailed(l)}
		}
		if m.Type != "connection_ack" {
			return Outcome{Label: strings.TrimSpace("init answered " + m.Type + " " + m.Code), Latency: time.Since(start)}
		}
		acked := time.Since(start)
		if err := c.subscribe(ctx, timeout, "1", `subscription { factAdded { article { key } } }`); err != nil {
			l := closeOutcome(err)
			return Outcome{Label: "subscribe: " + l, Latency: time.Since(start), Failed: wsFailed(l)}
		}
		// A refusal comes at once; no answer within a second means the subscription is on.
		wctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		m, err = c.read(wctx, time.Hour)
		switch {
		case wctx.Err() != nil:
			return Outcome{Label: "accepted: ack, no refusal within 1 s", Latency: acked}
		case err != nil:
			l := closeOutcome(err)
			return Outcome{Label: "subscribe: " + l, Latency: time.Since(start), Failed: wsFailed(l)}
		}
		return Outcome{Label: strings.TrimSpace("subscribe answered " + m.Type + " " + m.Code), Latency: time.Since(start), Bytes: m.Bytes,
			Failed: m.Code == "INTERNAL"}
	}
	r.add(one())
	r.concurrently(r.h.cfg.Burst, func(int) { r.add(one()) })
}

// exports sends eight GET /export/graph at once: four read the answer slowly (4 kB every 100
// ms) and hang up after 6 s, four write the request on a raw socket and never read at all.
func exports(ctx context.Context, r *caseRun) {
	base, _ := r.h.target()
	const hold = 6 * time.Second
	timeout := r.h.cfg.ClientTimeout
	client := &http.Client{Transport: newTransport(8)}
	defer client.CloseIdleConnections()
	r.concurrently(8, func(i int) {
		if i%2 == 1 {
			r.add(nonReader(ctx, base, "/export/graph", hold))
			return
		}
		cctx, cancel := context.WithTimeout(ctx, max(hold, timeout))
		defer cancel()
		start := time.Now()
		req, _ := http.NewRequestWithContext(cctx, http.MethodGet, base+"/export/graph", nil)
		resp, err := client.Do(req)
		if err != nil {
			r.add(transportOutcome(err, time.Since(start), 0))
			return
		}
		defer resp.Body.Close()
		headers := time.Since(start)
		if resp.StatusCode != http.StatusOK {
			prefix, total, err := readAnswer(resp.Body)
			if err != nil {
				r.add(transportOutcome(err, time.Since(start), total))
				return
			}
			r.add(answerOutcome(resp.StatusCode, prefix, total, headers))
			return
		}
		// The latency is the time to the headers: after them the client sets the pace.
		o := Outcome{Label: "200, slow reader hung up after 6 s", Latency: headers}
		buf := make([]byte, 4096)
		for time.Since(start) < hold {
			k, err := io.ReadFull(resp.Body, buf)
			o.Bytes += int64(k)
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				o.Label = "200, read whole (slowly)"
				break
			}
			if err != nil {
				o.Label = "200, then cut off by the server: " + transportLabel(err)
				break
			}
			sleep(ctx, 100*time.Millisecond)
		}
		r.add(o)
	})
}

// nonReader writes a GET for path on a raw connection, never reads, and hangs up after hold.
func nonReader(ctx context.Context, base, path string, hold time.Duration) Outcome {
	host := hostOf(base)
	d := net.Dialer{Timeout: 5 * time.Second}
	start := time.Now()
	c, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return transportOutcome(err, time.Since(start), 0)
	}
	defer c.Close()
	c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if _, err := fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", path, host); err != nil {
		return transportOutcome(err, time.Since(start), 0)
	}
	sleep(ctx, hold)
	return Outcome{Label: fmt.Sprintf("non-reader held %s without reading", secs(hold)), Latency: time.Since(start), Untimed: true}
}

func hostOf(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	return u.Host
}

// idleConnections opens 2,000 TCP connections that send nothing and holds them, asking a
// normal question on a new connection every second meanwhile.
func idleConnections(ctx context.Context, r *caseRun) {
	h := r.h
	base, _ := h.target()
	host := hostOf(base)
	const n, dialers = 2000, 64
	hold := h.cfg.ConnHold

	conns := make([]net.Conn, n)
	outcomes := make([]Outcome, n)
	var closing atomic.Bool
	var mu sync.Mutex
	var readers sync.WaitGroup
	next := make(chan int)
	go func() {
		defer close(next)
		for i := range n {
			next <- i
		}
	}()
	start := time.Now()
	r.concurrently(dialers, func(int) {
		d := net.Dialer{Timeout: 3 * time.Second}
		for i := range next {
			t := time.Now()
			c, err := d.DialContext(ctx, "tcp", host)
			if err != nil {
				outcomes[i] = Outcome{Label: "dial: " + transportLabel(err), Latency: time.Since(t), Untimed: true}
				continue
			}
			conns[i] = c
			opened := time.Now()
			outcomes[i] = Outcome{Label: "held open " + secs(hold), Untimed: true}
			readers.Go(func() {
				var b [512]byte
				k, _ := c.Read(b[:])
				if closing.Load() {
					return
				}
				mu.Lock()
				defer mu.Unlock()
				after := time.Since(opened)
				switch {
				case k > 0:
					outcomes[i] = Outcome{Label: "server sent bytes unasked", Latency: after, Bytes: int64(k), Untimed: true}
				default:
					outcomes[i] = Outcome{Label: fmt.Sprintf("closed by server after about %d s", int(after.Round(time.Second).Seconds())),
						Latency: after, Untimed: true}
				}
			})
		}
	})
	r.note("opening %d connections took %s", n, secs(time.Since(start)))

	// Ordinary questions, each on a connection of its own, while the idle ones are held.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true, DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext}}
	rng := rand.New(rand.NewPCG(7, 7))
	for holdStart := time.Now(); time.Since(holdStart) < hold && ctx.Err() == nil; {
		o := send(ctx, fresh, base, jsonRequest(h.normal.normalQuery(rng)), h.cfg.ClientTimeout)
		o.Label = "normal query on a new connection: " + o.Label
		r.add(o)
		sleep(ctx, time.Second)
	}
	closing.Store(true)
	for _, c := range conns {
		if c != nil {
			c.Close()
		}
	}
	readers.Wait()
	mu.Lock()
	defer mu.Unlock()
	for _, o := range outcomes {
		r.add(o)
	}
}

// websocketQueries runs 40 fan-outs on the hub at once as query operations over one socket.
func websocketQueries(ctx context.Context, r *caseRun) {
	h := r.h
	base, _ := h.target()
	timeout := h.cfg.ClientTimeout
	start := time.Now()
	c, err := dialWS(ctx, base, timeout)
	if err != nil {
		l := transportLabel(err)
		r.add(Outcome{Label: "dial " + l, Latency: time.Since(start), Failed: wsFailed(l)})
		return
	}
	defer c.close()
	m, err := c.init(ctx, timeout, h.cfg.Token)
	if err != nil || m.Type != "connection_ack" {
		l := "init answered " + m.Type + " " + m.Code
		if err != nil {
			l = "init: " + closeOutcome(err)
		}
		r.add(Outcome{Label: l, Latency: time.Since(start), Failed: err != nil && wsFailed(closeOutcome(err))})
		return
	}
	const n = 40
	sent := make([]time.Time, n)
	results := make([]*Outcome, n)
	for i := range n {
		sent[i] = time.Now()
		if err := c.subscribe(ctx, timeout, "q"+strconv.Itoa(i), fanOut); err != nil {
			l := closeOutcome(err)
			results[i] = &Outcome{Label: "send: " + l, Failed: wsFailed(l)}
		}
	}
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	open := func() int {
		k := 0
		for _, o := range results {
			if o == nil || o.Label == "" {
				k++
			}
		}
		return k
	}
	got := make([]Outcome, n) // the answer ("next") before its "complete"
	for open() > 0 {
		m, err := c.read(rctx, time.Hour)
		if err != nil {
			l := LabelClientTimeout
			if rctx.Err() == nil {
				l = closeOutcome(err)
			}
			for i, o := range results {
				if o == nil || o.Label == "" {
					results[i] = &Outcome{Label: "no answer: " + l, Latency: time.Since(sent[i]), Failed: l != LabelClientTimeout && wsFailed(l)}
				}
			}
			break
		}
		i, err := strconv.Atoi(strings.TrimPrefix(m.ID, "q"))
		if m.Type == "ping" {
			c.send(ctx, timeout, map[string]any{"type": "pong"})
			continue
		}
		if err != nil || i < 0 || i >= n {
			continue
		}
		switch m.Type {
		case "next":
			got[i] = Outcome{Label: "ok", Bytes: m.Bytes}
			if m.HasErr {
				got[i].Label, got[i].Failed = m.Code, m.Code == "INTERNAL"
			}
		case "error":
			results[i] = &Outcome{Label: "error " + m.Code, Latency: time.Since(sent[i]), Bytes: m.Bytes, Failed: m.Code == "INTERNAL"}
		case "complete":
			o := got[i]
			if o.Label == "" {
				o.Label = "complete without an answer"
			}
			o.Latency = time.Since(sent[i])
			results[i] = &o
		}
	}
	for _, o := range results {
		r.add(*o)
	}
}

// silentWebsocket is a websocket that never sends connection_init, open for the whole run.
type silentWebsocket struct {
	opened time.Time
	conn   *wsConn
	cancel context.CancelFunc
	done   chan struct{}
	dialed string // what happened when it was opened, when not open
	// set by the reader when the server ended it
	ended    time.Duration
	how      string
	messages []string
	// dropped says how earlier ones ended: a server that died takes its sockets with it.
	dropped []string
}

func (h *harness) openSilentWebsocket(ctx context.Context) *silentWebsocket {
	s := &silentWebsocket{}
	s.open(ctx, h)
	return s
}

func (s *silentWebsocket) open(ctx context.Context, h *harness) {
	s.opened, s.done, s.conn, s.dialed, s.ended, s.how, s.messages = time.Now(), make(chan struct{}), nil, "", 0, "", nil
	base, _ := h.target()
	c, err := dialWS(ctx, base, h.cfg.ClientTimeout)
	if err != nil {
		s.dialed = "dial " + transportLabel(err)
		close(s.done)
		return
	}
	s.conn = c
	rctx, cancel := context.WithCancel(ctx)
	s.cancel = cancel
	go func() {
		defer close(s.done)
		for {
			m, err := c.read(rctx, 24*time.Hour)
			if rctx.Err() != nil {
				return
			}
			if err != nil {
				s.ended, s.how = time.Since(s.opened), closeOutcome(err)
				return
			}
			s.messages = append(s.messages, m.Type)
		}
	}()
}

// stop stops watching and returns how the websocket ended, or that it is still open.
func (s *silentWebsocket) stop() Outcome {
	held := time.Since(s.opened)
	if s.conn == nil {
		return Outcome{Label: s.dialed, Untimed: true}
	}
	s.cancel()
	<-s.done
	s.conn.close()
	if s.how != "" {
		return Outcome{Label: fmt.Sprintf("%s after %s", s.how, secs(s.ended.Round(100*time.Millisecond))), Latency: s.ended, Untimed: true}
	}
	return Outcome{Label: "still open at the end of the run", Latency: held, Untimed: true}
}

// reopen opens a new one after the server was restarted.
func (s *silentWebsocket) reopen(ctx context.Context, h *harness) {
	s.dropped = append(s.dropped, s.stop().Label)
	s.open(ctx, h)
}

// result stops watching the websocket and says how the server treated it.
func (s *silentWebsocket) result(h *harness) CaseResult {
	held := time.Since(s.opened)
	o := s.stop()
	res := CaseResult{Name: "websocket that never sends connection_init (open from the baseline to the end)", Outcomes: []Outcome{o}}
	res.Notes = append(res.Notes, fmt.Sprintf("watched for %s", secs(held)))
	for _, d := range s.dropped {
		res.Notes = append(res.Notes, "an earlier one went when the server died and was restarted: "+d)
	}
	if len(s.messages) > 0 {
		res.Notes = append(res.Notes, "the server sent: "+strings.Join(s.messages, ", "))
	}
	res.judge(h.cfg.Deadline)
	return res
}
