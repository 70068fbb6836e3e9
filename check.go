package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/kgraph/telegraph/loader"
	"github.com/kgraph/telegraph/places"
)

// checkFiles reads the article files (.kg) of the data folder, or the files given, as load
// would, writing nothing: each problem is a `file:line: message` line, and each attribute value
// that stays text only (a number, date or status the loader cannot read, see loader.Untyped) a
// `file:line: note: ...` line. Problems fail the check; values that stay text do not. For the
// whole folder it also checks the places GeoNames resolves (see checkPlaces).
func checkFiles(c config, files []string, stdout io.Writer) error {
	whole := len(files) == 0
	if whole {
		err := filepath.WalkDir(c.data, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && path != c.data && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(path, ".kg") {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("data folder: %w; set --data (or KG_DATA) to the folder of .kg files, or name the files to check", err)
		}
	}
	bad, untyped := 0, 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		d, err := loader.Parse(f, src)
		if err != nil {
			bad++
			var list loader.ErrorList
			if errors.As(err, &list) {
				for _, e := range list {
					fmt.Fprintln(stdout, e.Error())
				}
			} else {
				fmt.Fprintln(stdout, err)
			}
			continue
		}
		for _, u := range loader.Untyped(d) {
			untyped++
			fmt.Fprintf(stdout, "%s:%d: note: %s %s %q stays text: it states no %s the loader can read\n", u.File, u.Line, u.Subject, u.Key, u.Value, u.Want)
		}
	}
	fmt.Fprintf(stdout, "%d files checked: %d with problems, %d attribute values that stay text only\n", len(files), bad, untyped)
	if bad > 0 {
		return fmt.Errorf("%d of %d files have problems", bad, len(files))
	}
	if whole {
		return checkPlaces(c.data, stdout)
	}
	return nil
}

// checkPlaces reports the places GeoNames leaves unplaced and fails when the folder's
// reference/places.nq is not what `go run ./cmd/kgplaces` would write. A folder without the
// gazetteer has nothing to check.
func checkPlaces(dir string, stdout io.Writer) error {
	if _, err := os.Stat(filepath.Join(dir, places.GazetteerFile)); err != nil {
		return nil
	}
	want, res, err := places.Generate(dir)
	if err != nil {
		return err
	}
	path := filepath.Join(dir, places.OutputFile)
	for _, u := range res.Unresolved {
		fmt.Fprintf(stdout, "%s: note: %s (%s %q) is in no country: %s\n", path, u.Entity, u.Kind, u.Name, u.Reason)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, want) {
		fmt.Fprintf(stdout, "%s: out of date: run go run ./cmd/kgplaces\n", path)
		return fmt.Errorf("%s is out of date", path)
	}
	return nil
}
