package index

import "context"

// A Meter is told of the work a walk of the index does, so that a request's walks count
// toward its bounds: it may hold the walk back until the request's turn comes, and stop it by
// returning an error (the context's, when the request's deadline passed or its client left).
type Meter interface {
	Work(ctx context.Context, edges int) error
}

type meterKey struct{}

// WithMeter returns ctx carrying m, which the walks of the index called with it report to.
func WithMeter(ctx context.Context, m Meter) context.Context {
	return context.WithValue(ctx, meterKey{}, m)
}

// paceEvery is how many edges a walk looks at between two checks of its context: a few
// microseconds of work, so that a walk stops soon after its request's deadline whatever the
// degree of the nodes it crosses.
const paceEvery = 1024

// pacer checks a walk's context and reports its work to the context's meter at its first step
// and then every paceEvery edges.
type pacer struct {
	ctx     context.Context
	meter   Meter
	n       int
	started bool
}

func newPacer(ctx context.Context) *pacer {
	m, _ := ctx.Value(meterKey{}).(Meter)
	return &pacer{ctx: ctx, meter: m}
}

// step counts edges looked at (one at least, for the node itself) and returns the context's
// or the meter's error once the walk must stop.
func (p *pacer) step(edges int) error {
	p.n += edges + 1
	if p.started && p.n < paceEvery {
		return nil
	}
	n := p.n
	p.n, p.started = 0, true
	if err := p.ctx.Err(); err != nil {
		return err
	}
	if p.meter != nil {
		return p.meter.Work(p.ctx, n)
	}
	return nil
}
