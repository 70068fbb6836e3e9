package abuse

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/PID/stat; 100 on every Linux
// architecture Go supports, and not readable without cgo.
const clockTicks = 100

// RSS returns the resident set of process pid in bytes, read from VmRSS in /proc/PID/status. It
// fails when the process is gone or the file has no VmRSS line (a zombie has none).
func RSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		if v, ok := bytes.CutPrefix(line, []byte("VmRSS:")); ok {
			f := bytes.Fields(v)
			if len(f) == 2 && string(f[1]) == "kB" {
				kb, err := strconv.ParseInt(string(f[0]), 10, 64)
				if err != nil {
					return 0, fmt.Errorf("VmRSS of %d: %w", pid, err)
				}
				return kb << 10, nil
			}
		}
	}
	return 0, fmt.Errorf("process %d has no VmRSS (exited)", pid)
}

// CPU returns the processor time process pid has used so far, user and system, from
// /proc/PID/stat. It fails when the process is gone.
func CPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name, in parentheses, may hold spaces: fields are counted after its end.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: no command name", pid)
	}
	f := bytes.Fields(b[i+1:])
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f)+2)
	}
	if f[0][0] == 'Z' {
		return 0, fmt.Errorf("process %d has exited", pid)
	}
	u, err1 := strconv.ParseInt(string(f[11]), 10, 64)
	s, err2 := strconv.ParseInt(string(f[12]), 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%d/stat: utime %q stime %q", pid, f[11], f[12])
	}
	return time.Duration(u+s) * time.Second / clockTicks, nil
}

// alive reports whether process pid exists and has not exited.
func alive(pid int) bool {
	_, err := CPU(pid)
	return err == nil
}

// sample is one reading of the server process.
type sample struct {
	at  time.Time
	rss int64
	cpu time.Duration
}

// sampler reads the server's resident set and CPU time every interval, for the whole run, so
// that any window (a case, the seconds after a hang-up) can be looked up afterwards.
type sampler struct {
	mu      sync.Mutex
	pid     int
	samples []sample
	// killAbove, when positive, is a resident set at which the sampler kills the server, to
	// protect a shared machine from a server that would take all its memory.
	killAbove int64
	killed    []string // what was killed, when
}

func newSampler(pid int, killAbove int64) *sampler {
	return &sampler{pid: pid, killAbove: killAbove}
}

// run samples every interval until stop is closed.
func (s *sampler) run(interval time.Duration, stop <-chan struct{}) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		s.take()
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}

func (s *sampler) take() {
	s.mu.Lock()
	pid := s.pid
	s.mu.Unlock()
	if pid == 0 {
		return
	}
	rss, err1 := RSS(pid)
	cpu, err2 := CPU(pid)
	if err1 != nil || err2 != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.samples = append(s.samples, sample{time.Now(), rss, cpu})
	if s.killAbove > 0 && rss > s.killAbove && pid == s.pid {
		if p, err := os.FindProcess(pid); err == nil && p.Kill() == nil {
			s.killed = append(s.killed, fmt.Sprintf("killed process %d at %s with %s resident (cap %s)", pid, time.Now().Format("15:04:05.000"), mb(rss), mb(s.killAbove)))
		}
	}
}

// follow makes the sampler read another process from now on (after a restart).
func (s *sampler) follow(pid int) {
	s.mu.Lock()
	s.pid = pid
	s.mu.Unlock()
}

// window returns the samples taken between from and to.
func (s *sampler) window(from, to time.Time) []sample {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []sample
	for _, x := range s.samples {
		if !x.at.Before(from) && !x.at.After(to) {
			out = append(out, x)
		}
	}
	return out
}

// peak returns the largest resident set between from and to, and false when nothing was sampled.
func (s *sampler) peak(from, to time.Time) (int64, bool) {
	w := s.window(from, to)
	var p int64
	for _, x := range w {
		p = max(p, x.rss)
	}
	return p, len(w) > 0
}

// cpuRate returns the processor time the server used between from and to, per second of wall
// time (1.0 is one core busy), and false when fewer than two samples fell in the window.
func (s *sampler) cpuRate(from, to time.Time) (float64, bool) {
	w := s.window(from, to)
	if len(w) < 2 {
		return 0, false
	}
	a, b := w[0], w[len(w)-1]
	if b.cpu < a.cpu || !b.at.After(a.at) {
		return 0, false // another process (a restart) in between
	}
	return (b.cpu - a.cpu).Seconds() / b.at.Sub(a.at).Seconds(), true
}

func (s *sampler) kills() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := s.killed
	s.killed = nil
	return k
}
