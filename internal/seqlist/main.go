// Command seqlist rewrites gqlgen's generated executor so that the items of a list are
// marshalled one after another on the request's goroutine instead of one goroutine each.
//
// gqlgen marshals every list of objects with graphql.MarshalSliceConcurrently, which starts a
// goroutine (and, with a worker limit, takes a semaphore) per item, whatever the limit. Every
// resolver of this server answers from the in-memory index without waiting on anything, so the
// goroutines buy no overlap; they cost a stack, a context and a scheduling each, which was half
// the CPU of a neighbourhood's answer (BENCHMARKS.md, B5). go generate runs this after gqlgen:
//
//	seqlist generated.go
//
// Each call becomes a call of the package's marshalList with the same length and function. The
// rewrite is idempotent, and fails when it finds no call to rewrite, so a gqlgen that changes
// the call's shape is noticed at generation instead of leaving the goroutines in.
package main

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
)

var call = regexp.MustCompile(`graphql\.MarshalSliceConcurrently\(ctx, len\(v\), -?\d+, (?:true|false), `)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: seqlist FILE.go")
		os.Exit(2)
	}
	if err := rewrite(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "seqlist:", err)
		os.Exit(1)
	}
}

func rewrite(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out := call.ReplaceAll(src, []byte("marshalList(ctx, len(v), "))
	if bytes.Equal(out, src) {
		if bytes.Contains(src, []byte("marshalList(ctx, len(v), ")) {
			return nil // already rewritten
		}
		return fmt.Errorf("%s: no graphql.MarshalSliceConcurrently call of the expected shape", path)
	}
	return os.WriteFile(path, out, 0o644)
}
