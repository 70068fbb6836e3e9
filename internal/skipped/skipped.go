// Package skipped makes test groups that cannot run on this machine say so in the default
// output of `go test ./...`, which shows nothing of a passing package but its "ok" line.
//
// A test calls Skip instead of t.Skip, naming its group and what would enable it; the
// package's TestMain calls Main, which prints one line per group that skipped. For example:
//
//	func TestMain(m *testing.M) { os.Exit(skipped.Main(m)) }
package skipped

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
)

var (
	mu     sync.Mutex
	groups = map[string]string{} // group → what is missing and how to enable it
	counts = map[string]int{}
)

// Skip records that t skipped as part of group because of why (what is missing and how to
// enable it), then skips t. Main prints the group once, however many tests it skipped.
func Skip(t testing.TB, group, why string) {
	t.Helper()
	mu.Lock()
	if _, ok := groups[group]; !ok {
		groups[group] = why
	}
	counts[group]++
	mu.Unlock()
	t.Skip(group + " skipped: " + why)
}

// Main runs m's tests and returns their exit code, after printing one line for each group that
// skipped. The go command keeps a passing package's output to itself unless -v is given, so
// without -v the lines go to the terminal (/dev/tty) when there is one, and to stderr
// otherwise; with -v, to stderr. A result that go test takes from its cache prints nothing;
// -count=1 runs the tests again.
func Main(m *testing.M) int {
	code := m.Run()
	mu.Lock()
	defer mu.Unlock()
	if len(groups) == 0 {
		return code
	}
	w := io.Writer(os.Stderr)
	if !testing.Verbose() {
		if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
			defer tty.Close()
			w = tty
		}
	}
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	slices.Sort(names)
	for _, g := range names {
		fmt.Fprintf(w, "SKIP %s: %s (%d %s skipped): %s\n", pkg(), g, counts[g], plural(counts[g], "test", "tests"), groups[g])
	}
	return code
}

// pkg names the package under test by its folder relative to the module's root, such as
// ./store: go test runs a package's tests in its folder.
func pkg() string {
	wd, err := os.Getwd()
	if err != nil {
		return "?"
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			rel, _ := filepath.Rel(dir, wd)
			if rel == "." {
				return "."
			}
			return "./" + filepath.ToSlash(rel)
		}
		if dir == filepath.Dir(dir) {
			return wd
		}
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
