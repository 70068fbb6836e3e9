package places

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/kgraph/telegraph/loader"
)

// Gazetteer and output paths, inside the data folder.
const (
	GazetteerFile = "reference/geonames.tsv"
	OutputFile    = "reference/places.nq"
)

// Generate reads the gazetteer and every article file (.kg) under dir and returns the
// N-Quads of OutputFile, with what Resolve found. An article file that does not parse is an
// error: its places cannot be resolved until it does.
func Generate(dir string) ([]byte, *Result, error) {
	f, err := os.Open(filepath.Join(dir, GazetteerFile))
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	g, err := ReadGazetteer(f)
	if err != nil {
		return nil, nil, err
	}
	var docs []*loader.Document
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != dir && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".kg") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		doc, err := loader.Parse(path, src)
		if err != nil {
			return fmt.Errorf("resolve places: %w", err)
		}
		docs = append(docs, doc)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	res := Resolve(g, docs)
	var buf bytes.Buffer
	if err := Write(&buf, g, res); err != nil {
		return nil, nil, err
	}
	return buf.Bytes(), res, nil
}
