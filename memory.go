package main

import (
	"context"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// followHeap keeps the runtime's memory limit at what the server holds (the live heap after the
// last collection, and the runtime's own memory) plus headroom bytes, never above ceiling, until
// ctx is done; it does nothing when GOMEMLIMIT is set. Go's default lets the heap grow to twice
// what is live before collecting, so a server whose read index holds a gigabyte could take
// another gigabyte for a burst of requests and keep it from the system; with the limit the
// collector runs as the heap nears it and the runtime returns what lies above it. The limit
// follows the live heap, so an index that grows with writes raises it.
func followHeap(ctx context.Context, headroom, ceiling int64) {
	if _, ok := os.LookupEnv("GOMEMLIMIT"); ok || headroom <= 0 {
		return
	}
	samples := []metrics.Sample{
		{Name: "/gc/heap/live:bytes"},
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
	}
	var set int64
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		metrics.Read(samples)
		v := func(i int) int64 { return int64(samples[i].Value.Uint64()) }
		runtimeOwn := v(1) - v(2) - v(3) - v(4) - v(5) // stacks, metadata, buffers
		limit := v(0) + runtimeOwn + headroom
		if ceiling > 0 {
			limit = min(limit, ceiling)
		}
		if d := limit - set; d > 16<<20 || d < -16<<20 {
			debug.SetMemoryLimit(limit)
			set = limit
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
