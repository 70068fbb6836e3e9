package main

// Failure tests: a killed load, a store file held by another process, abusive queries under a
// steady load, and reads during bulk writes. Each logs a line starting "RELIABILITY" with its
// figures; RELIABILITY.md records them with the command that reproduces them.

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	gosync "sync"
	"syscall"
	"testing"
	"time"

	"github.com/cayleygraph/quad/nquads"

	"github.com/kgraph/telegraph/store"
)

var (
	binOnce gosync.Once
	binPath string
	binErr  error
)

// binary builds the command once for the tests that run it as a process.
func binary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "telegraph-bin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "telegraph")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// writeBulkData writes files N-Quads files of perFile quads each into dir and returns every
// quad written, as N-Quads lines.
func writeBulkData(t *testing.T, dir string, files, perFile int) map[string]bool {
	t.Helper()
	all := map[string]bool{}
	for f := range files {
		var b strings.Builder
		label := fmt.Sprintf("kg:article/bulk-%03d", f)
		fmt.Fprintf(&b, "<%s> <kg:kind> \"Article\" <%s> .\n", label, label)
		fmt.Fprintf(&b, "<%s> <kg:date> \"2020-01-01\" <%s> .\n", label, label)
		for i := range perFile - 2 {
			fmt.Fprintf(&b, "<kg:entity/bulk-%d-%d> <kg:attr/n> \"value %d of file %d\" <%s> .\n", f, i%500, i, f, label)
		}
		for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
			all[canonical(t, line)] = true
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("bulk-%03d.nq", f)), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return all
}

func canonical(t *testing.T, line string) string {
	q, err := nquads.Parse(line)
	if err != nil {
		t.Fatalf("parse %q: %v", line, err)
	}
	return q.NQuad()
}

// exported runs export on db and returns its quads without the store's manifest, counting
// repeats.
func exported(t *testing.T, bin, db string) (quads map[string]int, err error) {
	t.Helper()
	out, err := exec.Command(bin, "export", "--db", db).Output()
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	quads = map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.Contains(line, "<"+store.ManifestLabel+">") {
			continue
		}
		quads[canonical(t, line)]++
	}
	return quads, nil
}

// TestKillDuringLoad kills a load of many files with SIGKILL at random moments, ten times. After
// each kill the store must reopen, every file must be either wholly in it or not at all, and a
// second load must end with exactly the source's quads, none repeated.
func TestKillDuringLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and loads 20,000 quads 20 times; .ci/run runs it")
	}
	bin := binary(t)
	data := t.TempDir()
	const files, perFile = 20, 1000
	source := writeBulkData(t, data, files, perFile)

	// How long a whole load takes, so kills land inside it.
	db := filepath.Join(t.TempDir(), "full.db")
	start := time.Now()
	if out, err := exec.Command(bin, "load", "--db", db, "--data", data).CombinedOutput(); err != nil {
		t.Fatalf("load: %v\n%s", err, out)
	}
	full := time.Since(start)

	const trials = 10
	var partial, lost, repeated, halfFiles int
	for trial := range trials {
		db := filepath.Join(t.TempDir(), "kg.db")
		cmd := exec.Command(bin, "load", "--db", db, "--data", data)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(rand.Int64N(int64(full)))
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()

		got, err := exported(t, bin, db)
		if err != nil {
			t.Fatalf("trial %d: the store does not reopen after kill -9 at %s: %v", trial, delay, err)
		}
		if len(got) > 0 && len(got) < len(source) {
			partial++
		}
		// Every file is all or nothing: count each label's quads.
		perLabel := map[string]int{}
		for q := range got {
			perLabel[q[strings.LastIndex(q[:len(q)-2], " <"):]]++
		}
		for l, n := range perLabel {
			if n != perFile {
				halfFiles++
				t.Errorf("trial %d: file %s has %d of its %d quads after the kill", trial, l, n, perFile)
			}
		}

		if out, err := exec.Command(bin, "load", "--db", db, "--data", data).CombinedOutput(); err != nil {
			t.Fatalf("trial %d: re-run: %v\n%s", trial, err, out)
		}
		got, err = exported(t, bin, db)
		if err != nil {
			t.Fatal(err)
		}
		for q := range source {
			if got[q] == 0 {
				lost++
			}
		}
		for q, n := range got {
			if !source[q] {
				t.Errorf("trial %d: quad not in the source: %s", trial, q)
			}
			if n > 1 {
				repeated++
			}
		}
	}
	if lost > 0 || repeated > 0 {
		t.Errorf("%d quads lost, %d repeated", lost, repeated)
	}
	t.Logf("RELIABILITY kill-9: %d trials of a %d-file %d-quad load (full load %s), %d killed part-way, %d files half-written, %d quads lost, %d repeated",
		trials, files, len(source), full.Round(time.Millisecond), partial, halfFiles, lost, repeated)
}

// TestSecondProcessIsRefused opens a bolt store in one process and then in another: the second
// must fail within 5 seconds, saying the file is in use.
func TestSecondProcessIsRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command; .ci/run runs it")
	}
	bin := binary(t)
	db := filepath.Join(t.TempDir(), "kg.db")
	srv := exec.Command(bin, "serve", "--db", db, "--data", "data", "--addr", "127.0.0.1:0")
	var log bytes.Buffer
	srv.Stderr = &log
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { srv.Process.Signal(syscall.SIGKILL); srv.Wait() }()
	for deadline := time.Now().Add(30 * time.Second); !strings.Contains(log.String(), "serving"); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("server did not start:\n%s", log.String())
		}
	}
	start := time.Now()
	out, err := exec.Command(bin, "export", "--db", db).CombinedOutput()
	took := time.Since(start)
	if err == nil {
		t.Fatalf("second process opened the store in use")
	}
	if !strings.Contains(string(out), "in use by another process") || !strings.Contains(string(out), db) {
		t.Errorf("message does not say the file is in use and name it:\n%s", out)
	}
	if took > 5*time.Second {
		t.Errorf("second process took %s to give up, want under 5s", took)
	}
	t.Logf("RELIABILITY lock: second process refused after %s with: %s", took.Round(time.Millisecond), lastLine(out))
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}
