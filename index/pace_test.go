package index_test

import (
	"context"
	"errors"
	"testing"

	"github.com/kgraph/telegraph/bench"
	"github.com/kgraph/telegraph/index"
)

// meter counts the work reported to it and refuses past a bound.
type meter struct {
	edges, stopAt int
}

var errStop = errors.New("stop")

func (m *meter) Work(_ context.Context, edges int) error {
	m.edges += edges
	if m.stopAt > 0 && m.edges > m.stopAt {
		return errStop
	}
	return nil
}

func TestWalksReportToTheMeter(t *testing.T) {
	d := bench.Load(20_000)
	v := d.Index.At("")
	hub, err := v.Lookup("Company 0")
	if err != nil {
		t.Fatal(err)
	}
	walks := map[string]func(ctx context.Context) error{
		"traverse": func(ctx context.Context) error {
			_, err := v.Traverse(ctx, hub, index.Both, 4, nil)
			return err
		},
		"neighborhood": func(ctx context.Context) error {
			_, err := v.Neighborhood(ctx, hub, 4, 5000, nil)
			return err
		},
	}
	for name, walk := range walks {
		t.Run(name, func(t *testing.T) {
			all := &meter{}
			if err := walk(index.WithMeter(context.Background(), all)); err != nil {
				t.Fatal(err)
			}
			if all.edges < 5_000 {
				t.Fatalf("the walk reported %d edges, want the thousands it looked at", all.edges)
			}
			stop := &meter{stopAt: all.edges / 2}
			if err := walk(index.WithMeter(context.Background(), stop)); !errors.Is(err, errStop) {
				t.Errorf("err = %v, want the meter's", err)
			}
		})
	}
}
