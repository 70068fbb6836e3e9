package api

import (
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Server returns an http.Server for h with cfg's timeouts: a request must arrive whole within
// ReadTimeout (its header within 10 s at most), an answer be written within WriteTimeout, and a
// keep-alive connection with no request is closed after IdleTimeout. A websocket's connection
// loses these deadlines when it is taken over, and lives as long as its client keeps it.
func Server(h http.Handler, cfg Config, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: min(10*time.Second, cfg.ReadTimeout),
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	}
}

// Listen wraps ln so that at most max connections are open at once: one more is closed as soon
// as it is accepted, which its client sees at once, rather than left waiting in the kernel's
// queue behind connections that may never send anything.
func Listen(ln net.Listener, max int, log *slog.Logger) net.Listener {
	return &capListener{Listener: ln, max: int64(max), log: log}
}

type capListener struct {
	net.Listener
	max      int64
	open     atomic.Int64
	log      *slog.Logger
	lastWarn atomic.Int64
}

func (l *capListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if l.open.Add(1) > l.max {
			l.open.Add(-1)
			c.Close()
			if now := time.Now().Unix(); l.lastWarn.Swap(now) != now { // at most one line a second
				l.log.Warn("connection refused: too many open connections", "max", l.max, "flag", "--max-conns")
			}
			continue
		}
		return &capConn{Conn: c, l: l}, nil
	}
}

// Open returns the number of connections open now.
func (l *capListener) Open() int64 { return l.open.Load() }

type capConn struct {
	net.Conn
	l    *capListener
	once sync.Once
}

func (c *capConn) Close() error {
	c.once.Do(func() { c.l.open.Add(-1) })
	return c.Conn.Close()
}
