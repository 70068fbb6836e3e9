package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kgraph/telegraph/api"
)

// apiFlags adds the flags of the GraphQL endpoint's limits and write tokens.
func (c *config) apiFlags(fs *flag.FlagSet) {
	d := api.Defaults()
	c.api = d
	if v := env("KG_TOKEN", ""); v != "" {
		c.api.Tokens = splitList(v)
	}
	fs.Func("token", "bearer token that may write through mutations; repeat for several (KG_TOKEN, comma-separated); none: read-only", func(s string) error {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("empty token")
		}
		if !c.tokenFlag {
			c.api.Tokens, c.tokenFlag = nil, true // flags replace the environment's tokens
		}
		c.api.Tokens = append(c.api.Tokens, strings.TrimSpace(s))
		return nil
	})
	fs.IntVar(&c.api.MaxDepth, "max-depth", c.envInt("KG_MAX_DEPTH", d.MaxDepth), "deepest nesting of a query (KG_MAX_DEPTH)")
	fs.IntVar(&c.api.MaxAliases, "max-aliases", c.envInt("KG_MAX_ALIASES", d.MaxAliases), "most aliased fields in a query (KG_MAX_ALIASES)")
	fs.IntVar(&c.api.MaxTokens, "max-tokens", c.envInt("KG_MAX_TOKENS", d.MaxTokens), "most lexical tokens in a query document (KG_MAX_TOKENS)")
	fs.IntVar(&c.api.MaxCost, "max-cost", c.envInt("KG_MAX_COST", d.MaxCost), "highest cost of a query, list fields counted by page size (KG_MAX_COST)")
	fs.Int64Var(&c.api.MaxBody, "max-body", int64(c.envInt("KG_MAX_BODY", int(d.MaxBody))), "largest request body in bytes; larger gets HTTP 413 (KG_MAX_BODY)")
	fs.DurationVar(&c.api.Timeout, "timeout", c.envDuration("KG_TIMEOUT", d.Timeout), "deadline of each request (KG_TIMEOUT)")
	fs.BoolVar(&c.api.Introspection, "introspection", c.envBool("KG_INTROSPECTION", d.Introspection), "answer schema introspection queries; the playground needs it (KG_INTROSPECTION)")
	fs.IntVar(&c.api.MaxItems, "max-items", c.envInt("KG_MAX_ITEMS", d.MaxItems), "most items (fields and list entries) one answer may hold, counted while it is built (KG_MAX_ITEMS)")
	fs.IntVar(&c.api.MaxEventItems, "max-event-items", c.envInt("KG_MAX_EVENT_ITEMS", d.MaxEventItems), "most items one subscription event may hold (KG_MAX_EVENT_ITEMS)")
	fs.BoolVar(&c.api.OpenSubscriptions, "open-subscriptions", c.envBool("KG_OPEN_SUBSCRIPTIONS", d.OpenSubscriptions), "let clients without a write token subscribe (KG_OPEN_SUBSCRIPTIONS)")
	fs.IntVar(&c.api.MaxSocketOps, "max-socket-ops", c.envInt("KG_MAX_SOCKET_OPS", d.MaxSocketOps), "most operations one websocket runs at once (KG_MAX_SOCKET_OPS)")
	fs.IntVar(&c.api.MaxSocketSubscriptions, "max-socket-subscriptions", c.envInt("KG_MAX_SOCKET_SUBSCRIPTIONS", d.MaxSocketSubscriptions), "most subscriptions one websocket holds (KG_MAX_SOCKET_SUBSCRIPTIONS)")
	fs.DurationVar(&c.api.InitTimeout, "ws-init-timeout", c.envDuration("KG_WS_INIT_TIMEOUT", d.InitTimeout), "time a websocket has to send connection_init (KG_WS_INIT_TIMEOUT)")
	fs.DurationVar(&c.api.ReadTimeout, "read-timeout", c.envDuration("KG_READ_TIMEOUT", d.ReadTimeout), "time to read one request, body included (KG_READ_TIMEOUT)")
	fs.DurationVar(&c.api.WriteTimeout, "write-timeout", c.envDuration("KG_WRITE_TIMEOUT", d.WriteTimeout), "time to write one answer, websockets excepted (KG_WRITE_TIMEOUT)")
	fs.DurationVar(&c.api.IdleTimeout, "idle-timeout", c.envDuration("KG_IDLE_TIMEOUT", d.IdleTimeout), "time a keep-alive connection may wait for its next request (KG_IDLE_TIMEOUT)")
	fs.IntVar(&c.api.Export.MaxDumps, "max-dumps", c.envInt("KG_MAX_DUMPS", d.Export.MaxDumps), "most /export/graph dumps running at once; more get 503 BUSY (KG_MAX_DUMPS)")
	fs.DurationVar(&c.api.Export.DumpTimeout, "dump-timeout", c.envDuration("KG_DUMP_TIMEOUT", d.Export.DumpTimeout), "deadline of one /export/graph dump (KG_DUMP_TIMEOUT)")
	fs.IntVar(&c.api.MaxConns, "max-conns", c.envInt("KG_MAX_CONNS", d.MaxConns), "most open connections; more are closed when accepted (KG_MAX_CONNS)")
	fs.IntVar(&c.api.ResponseCache, "response-cache", c.envInt("KG_RESPONSE_CACHE", d.ResponseCache), "MiB of recent query answers kept, keyed by document, variables and read index; 0: off (KG_RESPONSE_CACHE)")
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// envInt, envBool and envDuration read a typed environment variable, recording a value that
// does not parse so that run reports it instead of silently using the default.
func (c *config) envInt(key string, def int) int {
	v := env(key, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		c.bad = append(c.bad, fmt.Sprintf("%s=%q is not a whole number", key, v))
		return def
	}
	return n
}

func (c *config) envBool(key string, def bool) bool {
	v := env(key, "")
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		c.bad = append(c.bad, fmt.Sprintf("%s=%q is not true or false", key, v))
		return def
	}
	return b
}

func (c *config) envDuration(key string, def time.Duration) time.Duration {
	v := env(key, "")
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		c.bad = append(c.bad, fmt.Sprintf("%s=%q is not a duration such as 5s", key, v))
		return def
	}
	return d
}

// MinTokenLength is the fewest characters a write token may have: a short token is guessed by
// anyone who may send requests.
const MinTokenLength = 16

// check returns what is wrong with the configuration, or nil: limits that are not positive,
// environment values that do not parse, write tokens shorter than MinTokenLength.
func (c *config) check() error {
	bad := c.bad
	for _, l := range []struct {
		name string
		v    int64
	}{{"max-depth", int64(c.api.MaxDepth)}, {"max-aliases", int64(c.api.MaxAliases)}, {"max-tokens", int64(c.api.MaxTokens)},
		{"max-cost", int64(c.api.MaxCost)}, {"max-body", c.api.MaxBody}, {"timeout", int64(c.api.Timeout)},
		{"max-items", int64(c.api.MaxItems)}, {"max-event-items", int64(c.api.MaxEventItems)}, {"max-socket-ops", int64(c.api.MaxSocketOps)},
		{"max-socket-subscriptions", int64(c.api.MaxSocketSubscriptions)}, {"ws-init-timeout", int64(c.api.InitTimeout)},
		{"read-timeout", int64(c.api.ReadTimeout)}, {"write-timeout", int64(c.api.WriteTimeout)},
		{"idle-timeout", int64(c.api.IdleTimeout)}, {"max-conns", int64(c.api.MaxConns)},
		{"max-dumps", int64(c.api.Export.MaxDumps)}, {"dump-timeout", int64(c.api.Export.DumpTimeout)},
		{"batch", int64(c.batch)}, {"refresh", int64(c.refresh)},
		{"change-log-age", int64(c.changeLog.MaxAge)}, {"change-log-size", int64(c.changeLog.MaxChanges)}} {
		if l.v <= 0 {
			bad = append(bad, fmt.Sprintf("--%s must be positive", l.name))
		}
	}
	for i, t := range c.api.Tokens {
		// The token itself stays out of the message: it is a secret and may end up in logs.
		if n := utf8.RuneCountInString(t); n < MinTokenLength {
			bad = append(bad, fmt.Sprintf("write token %d of %d (--token or KG_TOKEN) has %d characters; a token needs at least %d: use a long random one, such as the output of `openssl rand -hex 24`", i+1, len(c.api.Tokens), n, MinTokenLength))
		}
	}
	if c.api.ResponseCache < 0 {
		bad = append(bad, "--response-cache must not be negative (0 turns it off)")
	}
	if c.memHeadroom < 0 {
		bad = append(bad, "--mem-headroom must not be negative (0 leaves Go's defaults)")
	}
	if len(bad) > 0 {
		return fmt.Errorf("configuration: %s", strings.Join(bad, "; "))
	}
	return nil
}
