// Command telegraph serves a knowledge graph of the telecom and cloud industry over GraphQL.
//
// Facts live as quads in Cayley, each labelled with the article it comes from; the server keeps
// the store in step with the data folder and answers queries from an in-memory index.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/kgraph/telegraph/api"
	"github.com/kgraph/telegraph/store"
	"github.com/kgraph/telegraph/web"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	limitMemory()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// limitMemory asks Go's collector, unless GOMEMLIMIT says otherwise, to keep the heap under
// three quarters of the machine's memory. Its default lets the heap reach twice what is live,
// which a load of ten million quads (about 9 GB live) would take past the machine's memory.
func limitMemory() {
	if _, ok := os.LookupEnv("GOMEMLIMIT"); ok {
		return
	}
	if total := physicalMemory(); total > 0 {
		debug.SetMemoryLimit(total / 4 * 3)
	}
}

// physicalMemory returns the memory this process may use in bytes: the machine's
// (/proc/meminfo), or its control group's limit when lower; 0 when neither is known.
func physicalMemory() int64 {
	var total int64
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) == 3 && f[0] == "MemTotal:" && f[2] == "kB" {
				if kb, err := strconv.ParseInt(f[1], 10, 64); err == nil {
					total = kb << 10
				}
			}
		}
	}
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 && (total == 0 || n < total) {
			total = n
		}
	}
	return total
}

const usage = `telegraph: a GraphQL server over a knowledge graph of the telecom and cloud industry.

Usage:
  telegraph [serve] [flags]     serve the graph (GraphiQL at /, the explorer at /explore,
                                the API at /query)
  telegraph load [flags] [FILE...]
                                bring the store in step with the data folder, or load the
                                given article (.kg) and N-Quads (.nq, .nq.gz) files
  telegraph export [flags]      write every quad as N-Quads to stdout
  telegraph check [flags] [FILE...]
                                read the data folder's article files (or the given ones)
                                without writing: their problems, and the attribute values
                                that stay text (no number, date or status the loader can read)

Flags (each also read from its environment variable):
`

// config is the configuration shared by every subcommand.
type config struct {
	addr, db, data string
	metricsAddr    string     // where /metrics is served apart from the API; empty: with it
	api            api.Config // the endpoint's limits and write tokens (flags_api.go)
	tokenFlag      bool       // --token given: it replaces KG_TOKEN
	bad            []string   // environment values that do not parse
	refresh        time.Duration
	memHeadroom    int64 // MiB the heap may take above what is live before the collector runs
	batch          int
	changeLog      store.ChangeLog // how much of a shared database's change log writes keep
	prune          bool            // a sync may remove all or most data files' facts
	indexCache     string          // where a SQL database's read index snapshot is kept
}

func (c *config) flags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", env("KG_ADDR", ":8080"), "address to serve on (KG_ADDR)")
	fs.StringVar(&c.metricsAddr, "metrics-addr", env("KG_METRICS_ADDR", ""), "address to serve /metrics on, apart from the API (which then has none); empty: /metrics beside the API (KG_METRICS_ADDR)")
	fs.StringVar(&c.db, "db", env("KG_DB", "kg.db"), "store: a bolt file path, \"memory\", postgres://user:pass@host:5432/db or cockroach://user@host:26257/db (KG_DB)")
	fs.StringVar(&c.data, "data", env("KG_DATA", "data"), "data folder to keep the store in step with (KG_DATA)")
	fs.BoolVar(&c.prune, "prune", c.envBool("KG_PRUNE", false), "let a sync remove the facts of every file gone from the data folder even when that is all or most of them; without it such a sync is refused (KG_PRUNE)")
	c.apiFlags(fs)
	fs.DurationVar(&c.refresh, "refresh", c.envDuration("KG_REFRESH", 2*time.Second), "on a shared database, how often to look for other instances' writes (KG_REFRESH)")
	fs.Int64Var(&c.memHeadroom, "mem-headroom", int64(c.envInt("KG_MEM_HEADROOM", 384)), "MiB of memory a serving process may take above what it holds before the collector runs hard; 0 leaves Go's default, as GOMEMLIMIT does (KG_MEM_HEADROOM)")
	fs.IntVar(&c.batch, "batch", c.envInt("KG_BATCH", store.DefaultBatch), "quads written per transaction when loading (KG_BATCH)")
	fs.DurationVar(&c.changeLog.MaxAge, "change-log-age", c.envDuration("KG_CHANGE_LOG_AGE", store.DefaultChangeLogAge), "on a shared database, how long a write's change stays in the log other instances follow (KG_CHANGE_LOG_AGE)")
	fs.StringVar(&c.indexCache, "index-cache", env("KG_INDEX_CACHE", ""), "on a SQL database, file of this instance's read index snapshot, read at start instead of every quad when it is current; empty: none (a bolt store's is always <db>.snapshot) (KG_INDEX_CACHE)")
	fs.IntVar(&c.changeLog.MaxChanges, "change-log-size", c.envInt("KG_CHANGE_LOG_SIZE", store.DefaultChangeLogSize), "on a shared database, how many of the latest writes' changes the log keeps (KG_CHANGE_LOG_SIZE)")
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	return fs
}

func env(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}

// run is the whole program; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var c config
	fs := c.flags(cmd, stderr)
	switch cmd {
	case "serve", "load", "export", "check":
	case "help":
		fs.Usage()
		return 0
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n", cmd)
		fs.Usage()
		return 2
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if err := c.check(); err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	var err error
	switch cmd {
	case "serve":
		if fs.NArg() > 0 {
			fmt.Fprintf(stderr, "serve takes no arguments, got %q\n", fs.Args())
			return 2
		}
		err = serve(ctx, c, log)
	case "load":
		err = load(ctx, c, fs.Args(), stderr, log)
	case "export":
		err = export(ctx, c, stdout)
	case "check":
		err = checkFiles(c, fs.Args(), stdout)
	}
	if err != nil {
		if cmd == "serve" {
			log.Error(cmd+" failed", "err", err)
		} else {
			// load and export are run by people at a terminal and by scripts: a plain line.
			fmt.Fprintf(stderr, "telegraph %s: %v\n", cmd, err)
		}
		return 1
	}
	return 0
}

func serve(ctx context.Context, c config, log *slog.Logger) error {
	s, err := store.OpenWith(ctx, c.db, store.Options{IndexCache: c.indexCache, Log: log})
	if err != nil {
		return err
	}
	defer s.Close()
	s.Batch = c.batch
	s.ChangeLog = c.changeLog
	c.api.Metrics = api.NewMetrics()
	s.Written = loadGauges(c.api.Metrics)
	if err := sync(ctx, s, c.data, c.prune, os.Stderr, nil, log); err != nil {
		log.Warn("data folder not fully loaded; serving what the store holds", "err", err)
	}
	for _, f := range s.Partial() {
		log.Warn("the store holds only part of this file: a load of it stopped part way; run `telegraph load FILE` with it again (`telegraph load` for a file of the data folder) to finish it; /healthz says degraded until then", "file", f)
	}
	// What the start left behind (the snapshot's bytes, the build's maps, the sync's parse) goes
	// back to the system now rather than when the runtime's scavenger gets to it; beside the
	// first requests, not before them.
	go debug.FreeOSMemory()
	go followHeap(ctx, c.memHeadroom<<20, physicalMemory()/4*3)
	if s.Shared() {
		// Other instances may write to the same database: keep the index in step with them.
		go s.Follow(ctx, c.refresh, func(err error) { log.Warn("could not check the database for other instances' writes", "err", err) })
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (set --addr or KG_ADDR)", c.addr, err)
	}
	if c.metricsAddr != "" {
		mln, err := net.Listen("tcp", c.metricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("listen on %s: %w (set --metrics-addr or KG_METRICS_ADDR)", c.metricsAddr, err)
		}
		c.api.MetricsApart = true
		mux := http.NewServeMux()
		mux.Handle("/metrics", c.api.Metrics)
		metrics := api.Server(mux, c.api, log)
		defer metrics.Close() // a scrape needs no draining
		go metrics.Serve(api.Listen(mln, 64, log))
		log.Info("serving metrics", "addr", mln.Addr().String(), "url", "http://"+displayAddr(mln.Addr().String())+"/metrics")
	}
	srv := api.Server(api.Handler(s, log, c.api), c.api, log)
	ln = api.Listen(ln, c.api.MaxConns, log)
	if open, ok := ln.(interface{ Open() int64 }); ok {
		c.api.Metrics.Gauge("telegraph_connections_open", "Open client connections (at most --max-conns).", func() float64 { return float64(open.Open()) })
	}
	log.Info("serving", "addr", ln.Addr().String(), "store", s.Where(), "quads", s.Index().QuadCount(),
		"playground", "http://"+displayAddr(ln.Addr().String())+"/",
		"explorer", "http://"+displayAddr(ln.Addr().String())+"/explore", "writes", len(c.api.Tokens) > 0)
	if tcp, ok := ln.Addr().(*net.TCPAddr); len(c.api.Tokens) > 0 && (!ok || !tcp.IP.IsLoopback()) {
		// This server speaks plain HTTP: off the machine, anyone on the path can read a token.
		log.Warn("WRITE TOKENS TRAVEL IN CLEAR TEXT: this server has no TLS and listens beyond this machine, so a bearer token sent to it can be read on the network; "+
			"put a TLS proxy in front and serve on a loopback address (--addr 127.0.0.1:8080)", "addr", ln.Addr().String())
	}
	if !web.Built() {
		log.Warn("the web front end is not built into this binary; / and /explore serve only how to build it", "build", web.BuildCommand)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shut)
}

func displayAddr(a string) string {
	if strings.HasPrefix(a, "[::]") {
		return "localhost" + a[4:]
	}
	if strings.HasPrefix(a, "0.0.0.0") {
		return "localhost" + a[7:]
	}
	return a
}

func load(ctx context.Context, c config, files []string, stderr io.Writer, log *slog.Logger) error {
	if len(files) == 0 {
		// Checked before Open, which would create a store file for nothing.
		fi, err := os.Stat(c.data)
		if err == nil && !fi.IsDir() {
			err = fmt.Errorf("%s is not a folder", c.data)
		}
		if err != nil {
			return fmt.Errorf("data folder: %w; set --data (or KG_DATA) to the folder of .kg and .nq files, or name the files to load", err)
		}
	}
	s, err := store.OpenWith(ctx, c.db, store.Options{IndexCache: c.indexCache, Log: log, Bulk: true})
	if err != nil {
		return err
	}
	defer s.Close()
	s.Batch = c.batch
	s.ChangeLog = c.changeLog
	s.Written = written(stderr, log)
	if len(files) == 0 {
		return sync(ctx, s, c.data, c.prune, stderr, stderr, log)
	}
	s.LastLoad = true // the process ends here; a server builds its index when it starts
	rep, err := s.LoadFiles(ctx, files, progress(stderr, "loading"))
	if err != nil {
		return err
	}
	return report(rep, stderr, log)
}

// sync brings the store in step with the data folder and logs what changed; problems with files
// go to report as report says. Unless prune is set, a sync that would remove all or most data
// files' facts is refused with an error that says how to allow it.
func sync(ctx context.Context, s *store.Store, dir string, prune bool, stderr, problems io.Writer, log *slog.Logger) error {
	do := s.Sync
	if prune {
		do = s.SyncAndPrune
	}
	rep, err := do(ctx, dir, progress(stderr, "syncing "+dir))
	var pe *store.PruneError
	if errors.As(err, &pe) {
		return fmt.Errorf("%w; if they are gone on purpose, run again with --prune (or KG_PRUNE=true)", err)
	}
	if err != nil {
		return err
	}
	return report(rep, problems, log)
}

// report logs what a load or sync changed and returns an error when a file was not loaded.
// Each problem with a file (file:line: message, as the loader words it) is written as a plain
// line to problems, for a person to read and an editor to jump to; with problems nil, as for
// the server, it is logged.
func report(rep *store.Report, problems io.Writer, log *slog.Logger) error {
	for _, err := range rep.Failed {
		for _, line := range strings.Split(err.Error(), "\n") {
			if problems != nil {
				fmt.Fprintln(problems, line)
			} else {
				log.Error("not loaded", "problem", line)
			}
		}
	}
	log.Info("store in step", "loaded", len(rep.Loaded), "unchanged", len(rep.Unchanged), "removed", len(rep.Removed),
		"failed", len(rep.Failed), "quads_added", rep.Added, "quads_deleted", rep.Deleted)
	if len(rep.Failed) > 0 {
		return fmt.Errorf("%d file(s) not loaded; each was left as it was in the store", len(rep.Failed))
	}
	return nil
}

// progress returns a progress bar on a terminal, and nothing elsewhere.
func progress(w io.Writer, what string) store.Progress {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	var bar *progressbar.ProgressBar
	return func(done, total int, file string) {
		if bar == nil {
			if total < 5 {
				return
			}
			bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(what),
				progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
		}
		bar.Set(done)
		if done == total {
			bar.Finish()
		}
	}
}

// written reports the progress of a large file's write: a bar on a terminal, else a log line per
// transaction with the rate so far.
func written(w io.Writer, log *slog.Logger) func(path string, done, total int) {
	var (
		bar   *progressbar.ProgressBar
		file  string
		start time.Time
	)
	f, tty := w.(*os.File)
	tty = tty && term.IsTerminal(int(f.Fd()))
	return func(path string, done, total int) {
		if path != file {
			file, start, bar = path, time.Now(), nil
		}
		if tty {
			if bar == nil {
				bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription("writing "+path),
					progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("quads"))
			}
			bar.Set(done)
			if done == total {
				bar.Finish()
				fmt.Fprintln(w)
			}
			return
		}
		if done == 0 {
			return
		}
		rate := float64(done) / time.Since(start).Seconds()
		log.Info("writing", "file", path, "quads", done, "of", total, "quads_per_s", int(rate))
	}
}

// loadGauges adds the gauges of a load's progress to m and returns the store's Written callback
// that moves them. The server listens once its start-up load is done, so a scrape shows the
// last file that load wrote.
func loadGauges(m *api.Metrics) func(path string, done, total int) {
	var done, total atomic.Int64
	m.Gauge("telegraph_load_quads_written", "Quads of the file being loaded (or last loaded) written so far.", func() float64 { return float64(done.Load()) })
	m.Gauge("telegraph_load_quads_total", "Quads the file being loaded (or last loaded) changes in all.", func() float64 { return float64(total.Load()) })
	return func(_ string, d, t int) {
		done.Store(int64(d))
		total.Store(int64(t))
	}
}

func export(ctx context.Context, c config, stdout io.Writer) error {
	s, err := store.Open(ctx, c.db)
	if err != nil {
		return err
	}
	defer s.Close()
	return s.Export(ctx, stdout)
}
