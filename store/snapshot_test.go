package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cayleygraph/quad"

	"github.com/kgraph/telegraph/bench/synth"
	"github.com/kgraph/telegraph/index"
	"github.com/kgraph/telegraph/store/storetest"
)

// logBuf collects a store's log lines; the snapshot writer logs from its own goroutine.
type logBuf struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuf) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuf) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// openLogged opens the store at dsn with its log going to the returned buffer.
func openLogged(t *testing.T, dsn string, o Options) (*Store, *logBuf) {
	t.Helper()
	lb := &logBuf{}
	o.Log = slog.New(slog.NewTextHandler(lb, nil))
	s, err := OpenWith(context.Background(), dsn, o)
	if err != nil {
		t.Fatal(err)
	}
	return s, lb
}

// answers renders what a fixed set of lookups give, to compare indexes: every quad in the
// index's order, and for the first entities their name, kind and the quads about them.
func answers(x *index.Index) string {
	var b strings.Builder
	fmt.Fprintf(&b, "quads %d, entities %d, articles %d\n", x.QuadCount(), len(x.Entities()), len(x.Articles()))
	for _, q := range x.Quads().All() {
		fmt.Fprintf(&b, "%+v\n", q)
	}
	for i, e := range x.Entities() {
		if i == 50 {
			break
		}
		fmt.Fprintf(&b, "%s %s %q: %d out, %d in, %d relations\n", e.IRI, e.Kind, e.Name, len(x.SubjectQuads(e.IRI)), len(x.ObjectQuads(e.IRI)), len(e.Relations))
	}
	return b.String()
}

// fresh returns the answers of an index built from every quad of the store.
func fresh(t *testing.T, s *Store) string {
	t.Helper()
	var quads []index.Quad
	in := intern{}
	if err := s.each(context.Background(), func(q quad.Quad) error { quads = append(quads, in.quad(q)); return nil }); err != nil {
		t.Fatal(err)
	}
	return answers(index.Build(quads))
}

func TestSnapshotRoundTrip(t *testing.T) {
	synthFile := filepath.Join(t.TempDir(), "synth.nq")
	f, err := os.Create(synthFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := synth.Plan(20_000, 1).WriteNQuads(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, tc := range []struct {
		name string
		load func(t *testing.T, s *Store)
	}{
		{"curated data", func(t *testing.T, s *Store) { syncDir(t, s, "../data") }},
		{"generated graph", func(t *testing.T, s *Store) {
			if _, err := s.LoadFiles(context.Background(), []string{synthFile}, nil); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "kg.db")
			s, _ := openLogged(t, db, Options{})
			tc.load(t, s)
			want := fresh(t, s)
			if got := answers(s.Index()); got != want {
				t.Fatalf("the written store's index differs from a fresh build")
			}
			if n := s.Index().QuadCount(); n < 1000 {
				t.Fatalf("only %d quads loaded", n)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}

			s, lb := openLogged(t, db, Options{})
			defer s.Close()
			if s.Reads() != 0 {
				t.Errorf("opening with a snapshot made %d passes over the quad store, want 0; log:\n%s", s.Reads(), lb)
			}
			if got := answers(s.Index()); got != want {
				t.Errorf("index read from the snapshot differs from a fresh build:\n%s", firstDiff(got, want))
			}
		})
	}
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d: got %s\nwant %s", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(g), len(w))
}

// boltWithSnapshot returns a bolt store file with articleA written and its snapshot beside it.
func boltWithSnapshot(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	os.Mkdir(data, 0o755)
	write(t, data, "a.kg", articleA)
	db := filepath.Join(dir, "kg.db")
	s, _ := openLogged(t, db, Options{})
	syncDir(t, s, data)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(db + SnapshotSuffix); err != nil {
		t.Fatalf("no snapshot after close: %v", err)
	}
	return db
}

func TestSnapshotNotServedWhenBroken(t *testing.T) {
	other := boltWithSnapshot(t)
	for _, tc := range []struct {
		name  string
		spoil func(t *testing.T, snap []byte) []byte
		want  error
		says  string
	}{
		{"missing", func(t *testing.T, b []byte) []byte { return nil }, errSnapMissing, "no snapshot"},
		{"corrupted byte", func(t *testing.T, b []byte) []byte { b[len(b)/2] ^= 0x40; return b }, errSnapChecksum, "checksum mismatch"},
		{"truncated", func(t *testing.T, b []byte) []byte { return b[:len(b)-7] }, errSnapTruncated, "truncated"},
		{"old version", func(t *testing.T, b []byte) []byte {
			binary.LittleEndian.PutUint32(b[len(snapshotMagic):], snapshotVersion-1)
			return b
		}, errSnapVersion, "format version 0"},
		{"another store", func(t *testing.T, _ []byte) []byte {
			b, err := os.ReadFile(other + SnapshotSuffix)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}, errSnapForeign, "from another store"},
		{"not a snapshot", func(t *testing.T, b []byte) []byte { return []byte("<a> <b> <c> .\n") }, errSnapFormat, "not a snapshot"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := boltWithSnapshot(t)
			snap := db + SnapshotSuffix
			b, err := os.ReadFile(snap)
			if err != nil {
				t.Fatal(err)
			}
			if b = tc.spoil(t, b); b == nil {
				os.Remove(snap)
			} else if err := os.WriteFile(snap, b, 0o644); err != nil {
				t.Fatal(err)
			}
			s, lb := openLogged(t, db, Options{})
			if s.Reads() != 1 {
				t.Errorf("the store was read %d times, want once (the snapshot is not to be served)", s.Reads())
			}
			if got, want := answers(s.Index()), fresh(t, s); got != want {
				t.Errorf("rebuilt index differs from a fresh build:\n%s", firstDiff(got, want))
			}
			if log := lb.String(); !strings.Contains(log, "snapshot not used") || !strings.Contains(log, tc.says) {
				t.Errorf("log = %q, want a line saying the snapshot was not used because %q", log, tc.says)
			}
			s.Close()

			// The reason is decided by type, and the rebuild wrote a good snapshot.
			id, _ := s.storeID(context.Background())
			if _, err := readSnapshot(snap, id, nil); tc.want != errSnapMissing && tc.want != errSnapForeign && errors.Is(err, tc.want) {
				t.Errorf("the snapshot is still %v", err)
			}
			s, lb = openLogged(t, db, Options{})
			defer s.Close()
			if s.Reads() != 0 {
				t.Errorf("after the rebuild the next open read the store %d times, want 0; log:\n%s", s.Reads(), lb)
			}
		})
	}
	t.Run("reasons by type", func(t *testing.T) {
		db := boltWithSnapshot(t)
		good, _ := os.ReadFile(db + SnapshotSuffix)
		path := filepath.Join(t.TempDir(), "x"+SnapshotSuffix)
		for name, tc := range map[string]struct {
			b    []byte
			want error
		}{
			"corrupted": {append(append([]byte{}, good[:40]...), append([]byte{good[40] ^ 1}, good[41:]...)...), errSnapChecksum},
			"truncated": {good[:len(good)/2], errSnapTruncated},
			"header":    {good[:10], errSnapTruncated},
			"empty":     {nil, errSnapFormat},
		} {
			os.WriteFile(path, tc.b, 0o644)
			if _, err := readSnapshot(path, nil, nil); !errors.Is(err, tc.want) {
				t.Errorf("%s: err = %v, want %v", name, err, tc.want)
			}
		}
	})
}

func TestSnapshotStaleAfterWriteIsNotServed(t *testing.T) {
	db := boltWithSnapshot(t)
	old, err := os.ReadFile(db + SnapshotSuffix)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := openLogged(t, db, Options{})
	before := s.Index().QuadCount()
	if _, err := s.Put(context.Background(), "b.kg", []byte(strings.ReplaceAll(strings.ReplaceAll(articleA, "article a", "article b"), "x-y", "x-y2"))); err != nil {
		t.Fatal(err)
	}
	after := s.Index().QuadCount()
	if after <= before {
		t.Fatalf("the write added no quads (%d, then %d)", before, after)
	}
	s.Close()
	// As if the process had died before writing the snapshot of the write.
	if err := os.WriteFile(db+SnapshotSuffix, old, 0o644); err != nil {
		t.Fatal(err)
	}
	s, lb := openLogged(t, db, Options{})
	defer s.Close()
	if got := s.Index().QuadCount(); got != after {
		t.Errorf("index has %d quads, want %d (the snapshot from before the write was served)", got, after)
	}
	if !strings.Contains(lb.String(), "stale") {
		t.Errorf("log = %q, want it to say the snapshot is stale", lb)
	}
}

func TestSnapshotFollowsWritesInTheBackground(t *testing.T) {
	db := boltWithSnapshot(t)
	s, _ := openLogged(t, db, Options{SnapshotEvery: 20 * time.Millisecond})
	defer s.Close()
	if _, err := s.Put(context.Background(), "b.kg", []byte(strings.ReplaceAll(strings.ReplaceAll(articleA, "article a", "article b"), "x-y", "x-y2"))); err != nil {
		t.Fatal(err)
	}
	want := s.Index().QuadCount()
	id, _ := s.storeID(context.Background())
	state, _ := s.storeState(context.Background())
	deadline := time.Now().Add(10 * time.Second)
	for {
		quads, err := readSnapshot(db+SnapshotSuffix, id, state)
		if err == nil && quads.Len() == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no snapshot of the write after 10 s: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestSnapshotKilledMidWrite kills a process with SIGKILL while it writes a snapshot: the next
// start uses the previous one and clears what the killed write left.
func TestSnapshotKilledMidWrite(t *testing.T) {
	if db := os.Getenv("KG_TEST_SNAPSHOT_WRITER"); db != "" {
		// The process to kill: it rewrites the snapshot and stops half way.
		s, err := Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		snapshotPause = func() {
			os.WriteFile(db+".paused", nil, 0o644)
			time.Sleep(time.Minute)
		}
		id, _ := s.storeID(context.Background())
		state, _ := s.storeState(context.Background())
		writeSnapshot(db+SnapshotSuffix, id, state, s.Index().Quads())
		t.Fatal("not killed")
	}
	if testing.Short() {
		t.Skip("starts a process to kill")
	}
	db := boltWithSnapshot(t)
	before, _ := os.ReadFile(db + SnapshotSuffix)
	cmd := exec.Command(os.Args[0], "-test.run=^TestSnapshotKilledMidWrite$")
	cmd.Env = append(os.Environ(), "KG_TEST_SNAPSHOT_WRITER="+db)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(db + ".paused"); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the writer did not reach the middle of its snapshot in 30 s")
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	left, _ := filepath.Glob(db + SnapshotSuffix + ".*.tmp")
	if len(left) != 1 {
		t.Fatalf("the killed write left %d temporary files, want 1 (the test would prove nothing)", len(left))
	}
	if after, _ := os.ReadFile(db + SnapshotSuffix); !bytes.Equal(after, before) {
		t.Fatal("the snapshot changed before the killed write's rename")
	}
	s, lb := openLogged(t, db, Options{})
	defer s.Close()
	if s.Reads() != 0 {
		t.Errorf("the previous snapshot was not used: the store was read %d times; log:\n%s", s.Reads(), lb)
	}
	if left, _ := filepath.Glob(db + SnapshotSuffix + ".*.tmp"); len(left) != 0 {
		t.Errorf("open left %s", left)
	}
}

func TestSnapshotOfSharedDatabase(t *testing.T) {
	dsn := storetest.Postgres(t)
	cache := filepath.Join(t.TempDir(), "index.snapshot")
	a, _ := openLogged(t, dsn, Options{IndexCache: cache})
	if _, err := a.Put(context.Background(), "a.kg", []byte(articleA)); err != nil {
		t.Fatal(err)
	}
	want := answers(a.Index())
	a.Close()

	b, lb := openLogged(t, dsn, Options{IndexCache: cache})
	if b.Reads() != 0 {
		t.Errorf("open with a current snapshot read the database %d times; log:\n%s", b.Reads(), lb)
	}
	if got := answers(b.Index()); got != want {
		t.Errorf("index from the snapshot differs:\n%s", firstDiff(got, want))
	}
	b.Close()

	// Another instance, without a cache, writes: the snapshot is stale.
	c, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Put(context.Background(), "b.kg", []byte(strings.ReplaceAll(strings.ReplaceAll(articleA, "article a", "article b"), "x-y", "x-y2"))); err != nil {
		t.Fatal(err)
	}
	n := c.Index().QuadCount()
	c.Close()
	d, lb := openLogged(t, dsn, Options{IndexCache: cache})
	defer d.Close()
	if got := d.Index().QuadCount(); got != n {
		t.Errorf("index has %d quads, want %d", got, n)
	}
	if !strings.Contains(lb.String(), "stale") {
		t.Errorf("log = %q, want it to say the snapshot is stale", lb)
	}
}
