// Command kggen writes a synthetic industry graph of a given size as N-Quads (gzipped when the
// output file ends in .gz), for benchmarks: companies in countries and partnerships whose degrees
// follow a power law. See package bench/synth.
//
// Usage:
//
//	go run ./cmd/kggen -quads 1000000 -o /tmp/kg-1m.nq.gz
package main

import (
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kgraph/telegraph/bench/synth"
)

func main() {
	n := flag.Int("quads", 1_000_000, "about how many quads to write")
	seed := flag.Uint64("seed", 1, "random seed; the same size and seed give the same graph")
	out := flag.String("o", "-", "output file (.nq or .nq.gz), or - for stdout")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "kggen: write a synthetic industry graph as N-Quads\n\nUsage: kggen [-quads N] [-seed S] [-o FILE]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if err := run(*n, *seed, *out); err != nil {
		fmt.Fprintln(os.Stderr, "kggen:", err)
		os.Exit(1)
	}
}

func run(n int, seed uint64, out string) error {
	if n < 1000 {
		return fmt.Errorf("-quads %d: want at least 1000", n)
	}
	var w io.Writer = os.Stdout
	if out != "-" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
		if strings.HasSuffix(out, ".gz") {
			zw := gzip.NewWriter(f)
			defer zw.Close()
			w = zw
		}
	}
	g := synth.Plan(n, seed)
	if err := g.WriteNQuads(w); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	fmt.Fprintf(os.Stderr, "kggen: %d companies in %d countries; the biggest hub is %q\n", g.Companies, synth.Countries, synth.CompanyName(0))
	return nil
}
