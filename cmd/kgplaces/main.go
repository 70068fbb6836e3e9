// Command kgplaces writes data/reference/places.nq: the cities and provinces of the articles that
// no article places in a country, placed by GeoNames (see package places). Run it after adding a
// place to an article or refreshing data/reference/geonames.tsv; with -check it writes nothing
// and fails when the file is not what it would write.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/kgraph/telegraph/places"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kgplaces", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("data", "data", "the data folder")
	check := fs.Bool("check", false, "write nothing; fail when the file is out of date")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	out, res, err := places.Generate(*dir)
	if err != nil {
		fmt.Fprintln(stderr, "kgplaces:", err)
		return 1
	}
	path := filepath.Join(*dir, places.OutputFile)
	if *check {
		old, _ := os.ReadFile(path)
		if !bytes.Equal(old, out) {
			fmt.Fprintf(stderr, "kgplaces: %s is out of date: run go run ./cmd/kgplaces\n", path)
			return 1
		}
		fmt.Fprintf(stdout, "%s: up to date\n", path)
		return 0
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		fmt.Fprintln(stderr, "kgplaces:", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s: %d links, %d places left unplaced\n", path, len(res.Links), len(res.Unresolved))
	for _, u := range res.Unresolved {
		fmt.Fprintf(stdout, "  %s: %s\n", u.Entity, u.Reason)
	}
	return 0
}
