package graph_test

import (
	"os"
	"os/exec"
	"testing"

	"github.com/kgraph/telegraph/store/storetest"
)

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
				t.Skip(storetest.PostgresEnv + " is not set: no PostgreSQL server to run the API suite on (.ci/run starts one)")
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
