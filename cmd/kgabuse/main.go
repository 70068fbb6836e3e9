// Command kgabuse sends hostile requests to a running telegraph server that serves a synthetic
// graph (cmd/kggen), while a steady client asks ordinary questions, and prints a Markdown table
// of what each case cost: the answers and their codes, the slowest, the server's memory over
// idle, and a verdict against the targets. It exits with status 1 when a target was missed.
// See package cmd/kgabuse/abuse for the cases and the targets.
//
// Usage:
//
//	go run ./cmd/kggen -quads 500000 -o /tmp/kg-500k.nq.gz
//	telegraph load --db /tmp/kg.db /tmp/kg-500k.nq.gz
//	telegraph serve --db /tmp/kg.db --data /tmp/empty --token $TOKEN --addr 127.0.0.1:8080 2>serve.log & pid=$!
//	until grep -q msg=serving serve.log; do sleep 1; done
//	go run ./cmd/kgabuse -url http://127.0.0.1:8080 -pid $pid -token $TOKEN -quads 500000
//
// With a token it writes three small articles (a new company partnering "Company 0") and reads
// them back at the end. The table goes to stdout, a line per step to stderr.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/kgraph/telegraph/bench/synth"
	"github.com/kgraph/telegraph/cmd/kgabuse/abuse"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole program; it returns the exit code: 0 when every target was met, 1 when one
// was missed, 2 when the run could not start.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kgabuse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		cfg          abuse.Config
		quads        int
		cases        string
		strictP99    bool
		killAboveMiB int64
		remote       bool
	)
	fs.StringVar(&cfg.URL, "url", "http://127.0.0.1:8080", "the server's base URL")
	fs.IntVar(&cfg.PID, "pid", 0, "the server's process id, to read its memory and CPU from /proc (0: not measured)")
	fs.StringVar(&cfg.Token, "token", os.Getenv("KG_TOKEN"), "a bearer token that may write (KG_TOKEN); empty: no writes")
	fs.DurationVar(&cfg.Deadline, "deadline", 5*time.Second, "the server's deadline per request (its --timeout)")
	fs.IntVar(&quads, "quads", 100_000, "size the graph was generated with (kggen -quads), to name its companies")
	fs.DurationVar(&cfg.Baseline, "baseline", 4*time.Second, "how long the normal queries run alone first")
	fs.IntVar(&cfg.Burst, "burst", 4, "requests of a case sent at once, after one sent alone")
	fs.DurationVar(&cfg.ClientTimeout, "client-timeout", 0, "limit of every request the harness sends (default: deadline + 3s)")
	fs.DurationVar(&cfg.ConnHold, "hold", 11*time.Second, "how long the idle connections are held")
	fs.StringVar(&cases, "cases", "", "regular expression: run only the cases whose name matches")
	fs.BoolVar(&strictP99, "strict-p99", false, "fail when the normal queries' p99 under attack is over twice the baseline (off: reported only)")
	fs.Int64Var(&killAboveMiB, "kill-above", 0, "kill the server (SIGKILL) when its resident set passes this many MiB, to protect a shared machine; 0: never")
	fs.BoolVar(&remote, "remote", false, "allow a server that is not on a loopback address")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "kgabuse: send hostile requests to a telegraph server and report what they cost\n\nUsage: kgabuse [flags]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if !remote && !loopback(cfg.URL) {
		fmt.Fprintf(stderr, "kgabuse: -url %s is not a loopback address; pass -remote to attack it anyway\n", cfg.URL)
		return 2
	}
	if quads < 1000 {
		fmt.Fprintf(stderr, "kgabuse: -quads %d: want at least 1000\n", quads)
		return 2
	}
	cfg.Companies = synth.Plan(quads, 1).Companies
	if cases != "" {
		re, err := regexp.Compile(cases)
		if err != nil {
			fmt.Fprintf(stderr, "kgabuse: -cases: %v\n", err)
			return 2
		}
		cfg.Cases = re
	}
	cfg.KillAbove = killAboveMiB << 20
	cfg.Log = stderr
	rep, err := abuse.Run(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "kgabuse:", err)
		return 2
	}
	rep.Markdown(stdout, strictP99)
	if len(rep.Failures(strictP99)) > 0 {
		return 1
	}
	return 0
}

func loopback(u string) bool {
	for _, p := range []string{"http://127.", "http://localhost", "http://[::1]"} {
		if strings.HasPrefix(u, p) {
			return true
		}
	}
	return false
}
