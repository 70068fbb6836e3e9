package graph_test

import (
	"os"
	"os/exec"
	"testing"

	"github.com/kgraph/telegraph/internal/skipped"
	"github.com/kgraph/telegraph/store/storetest"
)

// TestMain says which groups of this package's tests skipped, and why, even without -v.
func TestMain(m *testing.M) { os.Exit(skipped.Main(m)) }

// TestEveryBackend runs the whole API suite again on each other kind of store, in a child test
// process with KG_TEST_STORE set, so that every query is checked on bolt and PostgreSQL as well
// as on the memory store. The PostgreSQL run needs KG_TEST_POSTGRES_URL (.ci/run sets it).
func TestEveryBackend(t *testing.T) {
	if os.Getenv(storetest.StoreEnv) != "" {
		t.Skip("running inside a per-backend run")
	}
	if testing.Short() {
		t.Skip("-short: API suite on the memory store only")
	}
	for _, backend := range storetest.Backends {
		if backend == "memory" {
			continue
		}
		t.Run(backend, func(t *testing.T) {
			if backend == "postgres" && os.Getenv(storetest.PostgresEnv) == "" {
				skipped.Skip(t, storetest.PostgresGroup, storetest.PostgresWhy)
			}
			cmd := exec.Command(os.Args[0], "-test.run", "^Test", "-test.count=1")
			cmd.Env = append(os.Environ(), storetest.StoreEnv+"="+backend)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("API suite on %s failed: %v\n%s", backend, err, out)
			}
		})
	}
}
