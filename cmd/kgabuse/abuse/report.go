package abuse

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"
)

// Report is what a run measured.
type Report struct {
	Config         Config
	Started, Ended time.Time
	// IdleRSS is the server's resident set before the first request of the run (0: no PID).
	IdleRSS int64
	// Baseline is the normal queries alone; Attack the normal queries sent while cases ran.
	Baseline, Attack NormalStats
	// BaselineCPU is the server's processor use under the normal queries alone, in cores.
	BaselineCPU float64
	// NormalFailures counts the normal answers that were not a plain answer, by label.
	NormalFailures map[string]int
	Cases          []CaseResult
	// Restarts says when the server was found dead and started again.
	Restarts []string
	// HealthStatus is the status of GET /healthz after the last case (0: no answer, see HealthErr).
	HealthStatus int
	HealthErr    error
	Writes       WriteCheck
}

// CaseResult is one case's outcomes and verdict.
type CaseResult struct {
	Name     string
	Outcomes []Outcome
	// PeakRSS is the highest resident set above idle while the case ran (HasRSS: it was measured).
	PeakRSS int64
	HasRSS  bool
	// StartRSS is how far above idle the resident set already was when the case started (0 when
	// within 128 MiB): memory earlier cases left behind, which the case's verdict does not count.
	StartRSS int64
	// Normal is the normal queries sent while the case ran.
	Normal NormalStats
	Notes  []string
	// Skipped, when set, says why the case did not run.
	Skipped string
	// Pass is the verdict; Reasons say which targets were missed.
	Pass    bool
	Reasons []string

	fails  []string // case-specific targets missed
	window window
}

// WriteCheck is what the run wrote and found again at the end.
type WriteCheck struct {
	// Skipped says why nothing was written (no token, or the case that writes did not run).
	Skipped                     string
	Sent, Acknowledged, Present int
	Missing                     []string
}

// judge sets the verdict from the outcomes and the targets.
func (c *CaseResult) judge(deadline time.Duration) {
	failed := map[string]int{}
	late, slowest := 0, time.Duration(0)
	for _, o := range c.Outcomes {
		if o.Failed {
			failed[o.Label]++
		}
		if !o.Untimed && o.Latency > deadline+Slack {
			late++
			slowest = max(slowest, o.Latency)
		}
	}
	for _, l := range slices.Sorted(maps.Keys(failed)) {
		c.Reasons = append(c.Reasons, fmt.Sprintf("%d× %s", failed[l], l))
	}
	if late > 0 {
		c.Reasons = append(c.Reasons, fmt.Sprintf("%d ended later than deadline + %s (slowest %s)", late, ms(Slack), secs(slowest)))
	}
	if c.HasRSS && c.PeakRSS-c.StartRSS > MaxRSSGrowth {
		if c.StartRSS > 0 {
			c.Reasons = append(c.Reasons, fmt.Sprintf("RSS rose %s during the case, to %s over idle (target at most %s over idle)", mb(c.PeakRSS-c.StartRSS), mb(c.PeakRSS), mb(MaxRSSGrowth)))
		} else {
			c.Reasons = append(c.Reasons, fmt.Sprintf("RSS rose %s over idle (target at most %s)", mb(c.PeakRSS), mb(MaxRSSGrowth)))
		}
	}
	c.Reasons = append(c.Reasons, c.fails...)
	c.Pass = len(c.Reasons) == 0
}

// summary is one line for the progress log.
func (c *CaseResult) summary() string {
	v := "PASS"
	if !c.Pass {
		v = "FAIL: " + strings.Join(c.Reasons, "; ")
	}
	return fmt.Sprintf("%d requests: %s; max %s; RSS %s; %s", len(c.Outcomes), c.outcomeCounts(), c.maxLatency(), c.rss(), v)
}

func (c *CaseResult) outcomeCounts() string {
	n := map[string]int{}
	for _, o := range c.Outcomes {
		n[o.Label]++
	}
	labels := slices.Sorted(maps.Keys(n))
	sort.SliceStable(labels, func(i, j int) bool { return n[labels[i]] > n[labels[j]] })
	var parts []string
	for _, l := range labels {
		parts = append(parts, fmt.Sprintf("%d× %s", n[l], l))
	}
	return strings.Join(parts, ", ")
}

func (c *CaseResult) maxLatency() string {
	var timed, untimed time.Duration
	for _, o := range c.Outcomes {
		if o.Untimed {
			untimed = max(untimed, o.Latency)
		} else {
			timed = max(timed, o.Latency)
		}
	}
	switch {
	case timed > 0:
		return secs(timed)
	case untimed > 0:
		return secs(untimed) + " (client's)"
	}
	return "–"
}

func (c *CaseResult) rss() string {
	if !c.HasRSS {
		return "–"
	}
	return mb(c.PeakRSS)
}

func (c *CaseResult) maxBytes() string {
	var b int64
	for _, o := range c.Outcomes {
		b = max(b, o.Bytes)
	}
	return size(b)
}

// P99Ratio is the normal queries' p99 under attack over their baseline p99 (0 when unmeasured).
func (r *Report) P99Ratio() float64 {
	if r.Baseline.P99 == 0 {
		return 0
	}
	return float64(r.Attack.P99) / float64(r.Baseline.P99)
}

// Failures lists the targets the server missed; the p99 ratio counts only when strictP99 is set,
// since on a shared machine it moves with whatever else runs.
func (r *Report) Failures(strictP99 bool) []string {
	var out []string
	for _, c := range r.Cases {
		if c.Skipped != "" {
			out = append(out, fmt.Sprintf("%s: %s", c.Name, c.Skipped))
		} else if !c.Pass {
			out = append(out, fmt.Sprintf("%s: %s", c.Name, strings.Join(c.Reasons, "; ")))
		}
	}
	// Memory that stays: no case's own verdict counts what earlier cases left behind.
	for _, c := range r.Cases {
		if c.HasRSS && c.PeakRSS > MaxRSSGrowth && c.StartRSS > 0 && c.PeakRSS-c.StartRSS <= MaxRSSGrowth {
			out = append(out, fmt.Sprintf("the server's RSS stayed above idle + %s after the cases that raised it (%s over idle during %q)", mb(MaxRSSGrowth), mb(c.PeakRSS), c.Name))
			break
		}
	}
	if r.Baseline.Failed+r.Attack.Failed > 0 {
		out = append(out, fmt.Sprintf("normal queries: %d failed with an internal error or a broken connection", r.Baseline.Failed+r.Attack.Failed))
	}
	if r.HealthStatus != 200 {
		out = append(out, "unhealthy afterwards: "+r.health())
	}
	if len(r.Restarts) > 0 {
		out = append(out, fmt.Sprintf("the server died and was restarted %d time(s)", len(r.Restarts)))
	}
	if w := r.Writes; w.Skipped == "" && (w.Acknowledged < w.Sent || w.Present < w.Acknowledged) {
		out = append(out, fmt.Sprintf("writes: %d sent, %d acknowledged, %d present afterwards", w.Sent, w.Acknowledged, w.Present))
	}
	if strictP99 && r.P99Ratio() > MaxP99Ratio {
		out = append(out, fmt.Sprintf("normal-query p99 under attack %.2f× baseline (target at most %.0f×)", r.P99Ratio(), MaxP99Ratio))
	}
	return out
}

func (r *Report) health() string {
	if r.HealthStatus == 0 {
		return fmt.Sprintf("GET /healthz got no answer (%v)", r.HealthErr)
	}
	return fmt.Sprintf("GET /healthz %d", r.HealthStatus)
}

// Markdown writes the table, the notes and the summary lines, ending with a RESULT line.
func (r *Report) Markdown(w io.Writer, strictP99 bool) {
	cfg := r.Config
	fmt.Fprintf(w, "Hostile requests against %s: deadline %s (+%s slack), %d at once per burst, client timeout %s; idle RSS %s.\n\n",
		cfg.URL, secs(cfg.Deadline), ms(Slack), cfg.Burst, secs(cfg.ClientTimeout), orDash(r.IdleRSS > 0, mb(r.IdleRSS)))
	fmt.Fprintln(w, "| case | requests | outcomes (code counts) | max latency | peak RSS over idle | largest answer | normal p99 | verdict |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|")
	for _, c := range r.Cases {
		if c.Skipped != "" {
			fmt.Fprintf(w, "| %s | 0 | – | – | – | – | – | %s |\n", cell(c.Name), cell(c.Skipped))
			continue
		}
		verdict := "PASS"
		if !c.Pass {
			verdict = "FAIL: " + strings.Join(c.Reasons, "; ")
		}
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s | %s | %s |\n", cell(c.Name), len(c.Outcomes), cell(c.outcomeCounts()),
			c.maxLatency(), c.rss(), c.maxBytes(), orDash(c.Normal.N > 0, ms(c.Normal.P99)), cell(verdict))
	}
	fmt.Fprintln(w)
	for _, c := range r.Cases {
		for _, n := range c.Notes {
			fmt.Fprintf(w, "- %s: %s\n", c.Name, n)
		}
	}
	for _, s := range r.Restarts {
		fmt.Fprintf(w, "- restart %s\n", s)
	}
	fmt.Fprintln(w)
	enforced := "reported, not enforced"
	if strictP99 {
		enforced = "enforced"
	}
	fmt.Fprintf(w, "Normal queries: baseline p50 %s p99 %s (%d); under attack p50 %s p99 %s (%d, %d not a plain answer%s); p99 ratio %.2f× (target at most %.0f×, %s).\n",
		ms(r.Baseline.P50), ms(r.Baseline.P99), r.Baseline.N, ms(r.Attack.P50), ms(r.Attack.P99), r.Attack.N, r.Attack.Errors,
		failureList(r.NormalFailures), r.P99Ratio(), MaxP99Ratio, enforced)
	fmt.Fprintf(w, "Afterwards: %s.", r.health())
	if r.Writes.Skipped != "" {
		fmt.Fprintf(w, " Writes: %s.\n", r.Writes.Skipped)
	} else {
		fmt.Fprintf(w, " Writes: %d sent, %d acknowledged, %d present afterwards", r.Writes.Sent, r.Writes.Acknowledged, r.Writes.Present)
		if len(r.Writes.Missing) > 0 {
			fmt.Fprintf(w, " (missing: %s)", strings.Join(r.Writes.Missing, ", "))
		}
		fmt.Fprintln(w, ".")
	}
	if f := r.Failures(strictP99); len(f) > 0 {
		fmt.Fprintf(w, "RESULT: FAIL, %d target(s) missed in %s:\n", len(f), secs(r.Ended.Sub(r.Started)))
		for _, s := range f {
			fmt.Fprintf(w, "  - %s\n", s)
		}
	} else {
		fmt.Fprintf(w, "RESULT: PASS, every target met in %s.\n", secs(r.Ended.Sub(r.Started)))
	}
}

func failureList(m map[string]int) string {
	if len(m) == 0 {
		return ""
	}
	var parts []string
	for _, l := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%d× %s", m[l], l))
	}
	return ": " + strings.Join(parts, ", ")
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func orDash(ok bool, s string) string {
	if !ok {
		return "–"
	}
	return s
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}

func secs(d time.Duration) string {
	if d < time.Second {
		return ms(d)
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

func mb(b int64) string {
	return fmt.Sprintf("%d MiB", b>>20)
}

func size(b int64) string {
	switch {
	case b >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(b)/1e6)
	case b >= 1e3:
		return fmt.Sprintf("%.1f kB", float64(b)/1e3)
	}
	return fmt.Sprintf("%d B", b)
}
