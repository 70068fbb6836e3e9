package abuse

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"syscall"
	"time"
)

// Outcome is what one hostile request (or one subscriber, or one held connection) came to.
type Outcome struct {
	// Label groups outcomes in the table: "200 ok", "200 DEPTH_LIMIT_EXCEEDED", "413
	// REQUEST_TOO_LARGE", "disconnected", "client timeout", or what a case's own client saw.
	Label   string
	Latency time.Duration
	// Bytes is the size of the answer as read (all of it, unless the client stopped reading).
	Bytes int64
	// Failed is set for the answers no hostile request may get: an internal error, a connection
	// the server reset or closed without an answer, a server that was not there.
	Failed bool
	// Untimed is set when the latency is the client's own choice (a hang-up, a slow reader, a held
	// connection) and so is not held to the deadline.
	Untimed bool
}

// Client-side outcomes of a request that got no answer.
const (
	LabelClientTimeout = "client timeout"
	LabelDisconnected  = "disconnected"
	LabelRefused       = "connection refused"
)

// prefixSize is how much of an answer is kept to find its error code; the rest is counted and
// dropped, so a huge answer costs the harness no memory.
const prefixSize = 64 << 10

// request is one HTTP request a case sends; body is called once per send, so one large body can
// be shared by concurrent sends without being copied.
type request struct {
	method string
	path   string // with its query string
	body   func() (io.Reader, int64)
	ctype  string
	header http.Header
}

// jsonRequest is a POST to /query of a JSON body.
func jsonRequest(body []byte) request {
	return request{method: http.MethodPost, path: "/query", ctype: "application/json",
		body: func() (io.Reader, int64) { return bytes.NewReader(body), int64(len(body)) }}
}

// gql returns the JSON body of a GraphQL request.
func gql(query string, vars map[string]any) []byte {
	m := map[string]any{"query": query}
	if vars != nil {
		m["variables"] = vars
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err) // only strings, numbers and lists of them
	}
	return b
}

// send sends req to base and reads the whole answer, with timeout as the client's limit.
func send(ctx context.Context, c *http.Client, base string, req request, timeout time.Duration) Outcome {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var body io.Reader
	var n int64
	if req.body != nil {
		body, n = req.body()
	}
	method := req.method
	if method == "" {
		method = http.MethodPost
	}
	hr, err := http.NewRequestWithContext(ctx, method, base+req.path, body)
	if err != nil {
		return Outcome{Label: "bad request: " + err.Error(), Failed: true}
	}
	if body != nil {
		hr.ContentLength = n
	}
	if req.ctype != "" {
		hr.Header.Set("Content-Type", req.ctype)
	}
	for k, v := range req.header {
		hr.Header[k] = v
	}
	start := time.Now()
	resp, err := c.Do(hr)
	if err != nil {
		return transportOutcome(err, time.Since(start), 0)
	}
	defer resp.Body.Close()
	prefix, total, err := readAnswer(resp.Body)
	took := time.Since(start)
	if err != nil {
		o := transportOutcome(err, took, total)
		o.Label = fmt.Sprintf("%d then %s", resp.StatusCode, o.Label)
		return o
	}
	return answerOutcome(resp.StatusCode, prefix, total, took)
}

// readAnswer reads r to its end, keeping its first prefixSize bytes.
func readAnswer(r io.Reader) (prefix []byte, total int64, err error) {
	buf := make([]byte, prefixSize)
	n, err := io.ReadFull(r, buf)
	total = int64(n)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return buf[:n], total, nil
	}
	if err != nil {
		return buf[:n], total, err
	}
	rest, err := io.Copy(io.Discard, r)
	return buf, total + rest, err
}

// answerOutcome labels an HTTP answer by its status and its first error's code.
func answerOutcome(status int, prefix []byte, total int64, took time.Duration) Outcome {
	code, hasErrors := errorCode(prefix)
	o := Outcome{Latency: took, Bytes: total}
	switch {
	case hasErrors:
		o.Label = fmt.Sprintf("%d %s", status, code)
	case status == http.StatusOK:
		o.Label = "200 ok"
	default:
		o.Label = fmt.Sprintf("%d without a code", status)
	}
	o.Failed = code == "INTERNAL" || (status >= 500 && !hasErrors)
	return o
}

var firstCode = regexp.MustCompile(`"code":"([A-Za-z_]+)"`)

// errorCode finds the first error's extensions.code in the start of a GraphQL answer (gqlgen
// writes "errors" before "data"), or the "code" of an export error ({"error", "code"}).
// hasErrors is false when the answer carries no error at all.
func errorCode(prefix []byte) (code string, hasErrors bool) {
	if i := bytes.Index(prefix, []byte(`"errors":[`)); i >= 0 {
		var errs []struct {
			Extensions struct {
				Code any `json:"code"`
			} `json:"extensions"`
		}
		dec := json.NewDecoder(bytes.NewReader(prefix[i+len(`"errors":`):]))
		if err := dec.Decode(&errs); err != nil || len(errs) == 0 {
			// A list of errors longer than the prefix: take the first code in it.
			if m := firstCode.FindSubmatch(prefix[i:]); m != nil {
				return string(m[1]), true
			}
			if len(prefix) == prefixSize {
				return "(first error longer than 64 kB)", true
			}
			return "(errors unreadable)", true
		}
		if c, ok := errs[0].Extensions.Code.(string); ok && c != "" {
			return c, true
		}
		return "(no code)", true
	}
	var export struct {
		Error *string `json:"error"`
		Code  string  `json:"code"`
	}
	if json.Unmarshal(prefix, &export) == nil && export.Error != nil {
		if export.Code == "" {
			return "(no code)", true
		}
		return export.Code, true
	}
	return "", false
}

// transportOutcome labels a request that got no (whole) answer.
func transportOutcome(err error, took time.Duration, n int64) Outcome {
	o := Outcome{Latency: took, Bytes: n, Label: transportLabel(err)}
	o.Failed = o.Label != LabelClientTimeout
	return o
}

func transportLabel(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded),
		errors.As(err, &ne) && ne.Timeout():
		return LabelClientTimeout
	case errors.Is(err, syscall.ECONNREFUSED):
		return LabelRefused
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, io.EOF),
		errors.Is(err, io.ErrUnexpectedEOF), strings.Contains(err.Error(), "server closed"):
		return LabelDisconnected
	}
	msg := err.Error()
	if len(msg) > 60 {
		msg = msg[:60] + "…"
	}
	return "error: " + msg
}

// newTransport returns a transport of its own for a client, so that one case's connections are
// never reused by another or by the steady client.
func newTransport(conns int) *http.Transport {
	return &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		IdleConnTimeout:     30 * time.Second,
		DisableCompression:  true,
	}
}
