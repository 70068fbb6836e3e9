package main

import (
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kgraph/telegraph/bench/synth"
	"github.com/kgraph/telegraph/cmd/kgabuse/abuse"
)

// TestHostileRequests serves a generated graph (KG_ABUSE_QUADS quads, 100,000 by default) from
// a bolt store and runs the hostile-request harness of cmd/kgabuse against it, with a write
// token. It logs the harness's table, each line starting "RELIABILITY", and fails when a target
// other than the normal queries' p99 ratio is missed (that one moves with whatever else the
// machine runs, so it is reported only). A server that passes KG_ABUSE_RSS_CAP MiB of resident
// memory (4096 by default) is killed, to spare the machine, and started again for the next case.
func TestHostileRequests(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds the command, loads a generated graph and attacks it for a few minutes")
	}
	quads := envInt(t, "KG_ABUSE_QUADS", 100_000)
	rssCap := int64(envInt(t, "KG_ABUSE_RSS_CAP", 4096)) << 20
	bin := binary(t)
	dir := t.TempDir()

	graph := filepath.Join(dir, "graph.nq.gz")
	f, err := os.Create(graph)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	plan := synth.Plan(quads, 1)
	if err := plan.WriteNQuads(zw); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	db := filepath.Join(dir, "kg.db")
	start := time.Now()
	if out, err := exec.Command(bin, "load", "--db", db, graph).CombinedOutput(); err != nil {
		t.Fatalf("load: %v\n%s", err, out)
	}
	t.Logf("loaded %d quads in %s", quads, time.Since(start).Round(time.Millisecond))
	data := filepath.Join(dir, "data") // empty: the graph is the loaded file, kept by syncs
	if err := os.Mkdir(data, 0o755); err != nil {
		t.Fatal(err)
	}
	var tok [16]byte
	rand.Read(tok[:])
	token := hex.EncodeToString(tok[:])

	var srv *served
	t.Cleanup(func() { srv.stop() })
	srv, err = serveStore(bin, db, data, token, dir)
	if err != nil {
		t.Fatal(err)
	}
	restart := func() (string, int, error) {
		srv.stop()
		s, err := serveStore(bin, db, data, token, dir)
		if err != nil {
			return "", 0, err
		}
		srv = s
		return s.url, s.pid, nil
	}

	ctx := context.Background()
	if d, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, d.Add(-30*time.Second))
		defer cancel()
	}
	rep, err := abuse.Run(ctx, abuse.Config{
		URL: srv.url, PID: srv.pid, Token: token, Deadline: 5 * time.Second, Companies: plan.Companies,
		KillAbove: rssCap, Restart: restart, Log: testLog{t},
	})
	if err != nil {
		t.Fatalf("%v\nserver log:\n%s", err, srv.logTail())
	}
	var table strings.Builder
	rep.Markdown(&table, false)
	t.Logf("RELIABILITY hostile requests: %d quads, %d companies, commit %s", quads, plan.Companies, commit())
	for _, line := range strings.Split(strings.TrimRight(table.String(), "\n"), "\n") {
		t.Logf("RELIABILITY %s", line)
	}
	if missed := rep.Failures(false); len(missed) > 0 {
		t.Errorf("%d target(s) missed:\n  %s\nlast lines of the server log:\n%s", len(missed), strings.Join(missed, "\n  "), srv.logTail())
	}
}

// served is a running `telegraph serve`.
type served struct {
	cmd      *exec.Cmd
	url, log string
	pid      int
}

var servingAddr = regexp.MustCompile(`msg=serving addr=(\S+)`)

// serveStore starts `telegraph serve` on the bolt store with an empty data folder and the token,
// on a free loopback port, and waits until it serves. A server that refuses to start on an empty
// data folder without --prune gets it.
func serveStore(bin, db, data, token, dir string) (*served, error) {
	args := []string{"serve", "--db", db, "--data", data, "--token", token, "--addr", "127.0.0.1:0"}
	s, err := startServe(bin, args, dir)
	if err != nil && strings.Contains(err.Error(), "--prune") {
		s, err = startServe(bin, append(args, "--prune"), dir)
	}
	return s, err
}

func startServe(bin string, args []string, dir string) (*served, error) {
	log, err := os.CreateTemp(dir, "serve-*.log")
	if err != nil {
		return nil, err
	}
	defer log.Close()
	cmd := exec.Command(bin, args...)
	cmd.Stderr = log
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	s := &served{cmd: cmd, log: log.Name(), pid: cmd.Process.Pid}
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		b, _ := os.ReadFile(s.log)
		if m := servingAddr.FindSubmatch(b); m != nil {
			s.url = "http://" + string(m[1])
			// The process is reaped by the goroutine above, so a dead server leaves no zombie
			// that /proc would still list.
			return s, nil
		}
		select {
		case err := <-exited:
			return nil, fmt.Errorf("telegraph %s exited before serving (%v):\n%s", strings.Join(args, " "), err, b)
		default:
		}
	}
	cmd.Process.Kill()
	return nil, fmt.Errorf("telegraph serve did not report its address within 2 minutes:\n%s", s.logTail())
}

// stop kills the server: a graceful shutdown would wait for whatever hostile request still runs.
func (s *served) stop() {
	if s == nil {
		return
	}
	s.cmd.Process.Kill()
	for i := 0; i < 100 && alivePID(s.pid); i++ {
		time.Sleep(20 * time.Millisecond)
	}
}

func alivePID(pid int) bool {
	_, err := abuse.CPU(pid)
	return err == nil
}

// logTail is the end of the server's log, for failure messages.
func (s *served) logTail() string {
	b, _ := os.ReadFile(s.log)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-20):], "\n")
}

func envInt(t *testing.T, key string, def int) int {
	v := os.Getenv(key)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q: want a positive whole number", key, v)
	}
	return n
}

// commit names the code under test, for the figures' record.
func commit() string {
	out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	c := strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 {
		c += " with uncommitted changes"
	}
	return c
}

// testLog passes the harness's progress lines to the test log.
type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	for _, line := range slices.DeleteFunc(strings.Split(string(p), "\n"), func(s string) bool { return s == "" }) {
		l.t.Log(line)
	}
	return len(p), nil
}
