package abuse

import (
	"context"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/kgraph/telegraph/bench/synth"
)

// steady is the normal client: two workers asking ordinary questions with a short pause
// between them, for the whole run, recording each answer's latency.
type steady struct {
	h       *harness
	client  *http.Client
	mu      sync.Mutex
	answers []normalAnswer
}

type normalAnswer struct {
	at   time.Time // when it was sent
	took time.Duration
	ok   bool // 200 with data and no error
	// failed: an internal error or a reset connection, as for hostile requests.
	failed bool
	label  string
}

// NormalStats are the latencies of the normal queries in a span of time.
type NormalStats struct {
	N, Errors     int // answers, and those that were not a plain 200 with data
	Failed        int // of the errors, internal errors and connections reset or refused
	P50, P99, Max time.Duration
}

const steadyWorkers = 2

func newSteady(h *harness) *steady {
	return &steady{h: h, client: &http.Client{Transport: newTransport(steadyWorkers)}}
}

// normalQuery returns one of the ordinary questions, about a random company past the hubs.
func (s *steady) normalQuery(r *rand.Rand) []byte {
	n := s.h.cfg.Companies
	mid := min(101, n-1) // companies past 100 have few partners
	some := synth.CompanyName(mid + r.IntN(max(n-mid, 1)))
	small := synth.CompanyName(n/2 + r.IntN(max(n-n/2, 1))) // the long tail: a handful of partners
	switch r.IntN(3) {
	case 0:
		return gql(`query($n: String!) { entity(name: $n) { name } }`, map[string]any{"n": some})
	case 1:
		return gql(`query($n: String!) { partners(of: $n) { name } }`, map[string]any{"n": some})
	default:
		return gql(`query($n: String!) { neighborhood(of: $n, depth: 1) { nodes { id name } edges { source target kind } } }`, map[string]any{"n": small})
	}
}

// start runs the workers until the returned function is called; it returns once they stopped.
func (s *steady) start(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for w := range steadyWorkers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 0x5eed))
			for ctx.Err() == nil {
				url, _ := s.h.target()
				at := time.Now()
				o := send(ctx, s.client, url, jsonRequest(s.normalQuery(r)), s.h.cfg.ClientTimeout)
				if ctx.Err() != nil {
					return // stopped mid-request: not an answer
				}
				s.mu.Lock()
				s.answers = append(s.answers, normalAnswer{at: at, took: o.Latency, ok: o.Label == "200 ok", failed: o.Failed, label: o.Label})
				s.mu.Unlock()
				sleep(ctx, 10*time.Millisecond) // steady, not saturating
			}
		})
	}
	return func() { cancel(); wg.Wait() }
}

// stats returns the latencies of the answers to questions sent in any of the windows.
func (s *steady) stats(ws ...window) NormalStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	var lat []time.Duration
	var st NormalStats
	for _, a := range s.answers {
		for _, w := range ws {
			if w.has(a.at) {
				lat = append(lat, a.took)
				st.Max = max(st.Max, a.took)
				if !a.ok {
					st.Errors++
				}
				if a.failed {
					st.Failed++
				}
				break
			}
		}
	}
	st.N = len(lat)
	st.P50, st.P99 = percentile(lat, 0.50), percentile(lat, 0.99)
	return st
}

// failures counts, by label, the normal answers in the windows that were not a plain answer.
func (s *steady) failures(ws ...window) map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for _, a := range s.answers {
		if a.ok {
			continue
		}
		for _, w := range ws {
			if w.has(a.at) {
				out[a.label]++
				break
			}
		}
	}
	return out
}
