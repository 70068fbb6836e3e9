package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/kgraph/telegraph/index"
	"github.com/kgraph/telegraph/kg"
	"github.com/kgraph/telegraph/loader"
)

// Manifest quads record, under ManifestLabel, which data file owns which labels and the hash of
// the content last loaded from it; sync compares hashes so that unchanged files cost nothing.
const (
	ManifestLabel = "kg:manifest"
	filePrefix    = "kg:file/"
	sourcePrefix  = "kg:source/"
	predHash      = "kg:sha256"
	predOwns      = "kg:owns"
	dataKeyPrefix = "data/"
)

// Progress is told about each file as it is handled.
type Progress func(done, total int, file string)

// Report says what a sync or load did.
type Report struct {
	Loaded    []string // files whose facts were written
	Unchanged []string // files already in the store as they are
	Removed   []string // files whose facts were dropped
	Failed    []error  // one error per file that was left as it was
	Added     int      // quads added
	Deleted   int      // quads deleted
}

// Err returns the failures as one error, or nil.
func (r *Report) Err() error { return errors.Join(r.Failed...) }

// unit is the content of one data file, ready to be written.
type unit struct {
	key    string
	hash   string
	labels []string
	quads  []quad.Quad
	doc    *loader.Document
}

// run holds what one sync has written so far, so later files are checked against it.
type run struct {
	owner    map[string]string   // label -> file key, from the manifest and this run
	entities map[string]*decl    // entity IRI -> declaration from this run
	rels     map[string]*decl    // relation IRI -> declaration from this run
	hashes   map[string]string   // file key -> hash in the manifest
	owned    map[string][]string // file key -> labels in the manifest
}

type decl struct {
	kind, name, key string
}

// Sync brings the store in step with the data folder dir: new and changed files are loaded,
// files that were removed have their facts dropped, unchanged files are skipped. A file with an
// error is reported in the Report and leaves the store exactly as it was for that file.
func (s *Store) Sync(ctx context.Context, dir string, progress Progress) (*Report, error) {
	files, err := dataFiles(dir)
	if err != nil {
		return nil, err
	}
	keys := make([]string, len(files))
	for i, f := range files {
		rel, _ := filepath.Rel(dir, f)
		keys[i] = dataKeyPrefix + filepath.ToSlash(rel)
	}
	return s.load(ctx, files, keys, true, progress)
}

// LoadFiles loads the named files (article files or N-Quads), replacing what an earlier load of
// the same file wrote. Files loaded this way are kept by later syncs of the data folder.
func (s *Store) LoadFiles(ctx context.Context, paths []string, progress Progress) (*Report, error) {
	keys := make([]string, len(paths))
	for i, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, err
		}
		keys[i] = "file:" + filepath.ToSlash(abs)
	}
	return s.load(ctx, paths, keys, false, progress)
}

// beginWrite takes the store's write lock and, on a shared database, the writers' lock across
// instances, then brings the index up to date with what other instances wrote: one writer at a
// time, each starting from what the others wrote. unlock releases both locks.
func (s *Store) beginWrite(ctx context.Context) (unlock func(), err error) {
	s.writeMu.Lock()
	if s.sql == nil {
		return s.writeMu.Unlock, nil
	}
	release, err := s.sql.lockWriters(ctx)
	if err != nil {
		s.writeMu.Unlock()
		return nil, err
	}
	unlock = func() { release(); s.writeMu.Unlock() }
	g, err := s.sql.generation(ctx)
	if err == nil && g != s.gen.Load() {
		err = s.refresh(ctx)
	}
	if err != nil {
		unlock()
		return nil, err
	}
	return unlock, nil
}

func (s *Store) load(ctx context.Context, paths, keys []string, prune bool, progress Progress) (*Report, error) {
	unlock, err := s.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	ix := s.Index()
	r := newRun(ix)
	rep := &Report{}
	ch := &changes{deleted: map[index.Quad]bool{}}
	present := map[string]bool{}
	var stopped error
	for i, path := range paths {
		if stopped = ctx.Err(); stopped != nil {
			break
		}
		key := keys[i]
		present[key] = true
		if progress != nil {
			progress(i, len(paths), path)
		}
		src, err := os.ReadFile(path)
		if err != nil {
			rep.Failed = append(rep.Failed, fmt.Errorf("%s: %w", path, err))
			continue
		}
		sum := sha256.Sum256(src)
		hash := hex.EncodeToString(sum[:])
		if r.hashes[key] == hash {
			rep.Unchanged = append(rep.Unchanged, path)
			continue
		}
		u, err := r.parse(ix, path, key, hash, src)
		if err != nil {
			rep.Failed = append(rep.Failed, err)
			continue
		}
		added, deleted, err := s.write(ctx, ix, r, u, path, ch)
		if err != nil {
			rep.Failed = append(rep.Failed, fmt.Errorf("%s: %w", path, err))
			continue
		}
		r.commit(u)
		rep.Loaded = append(rep.Loaded, path)
		rep.Added += added
		rep.Deleted += deleted
	}
	if stopped == nil {
		stopped = ctx.Err()
	}
	if progress != nil && stopped == nil {
		progress(len(paths), len(paths), "")
	}
	if prune && stopped == nil {
		for _, key := range sortedKeys(r.hashes) {
			if !strings.HasPrefix(key, dataKeyPrefix) || present[key] {
				continue
			}
			deleted, err := s.drop(ctx, ix, r, key, ch)
			if err != nil {
				rep.Failed = append(rep.Failed, fmt.Errorf("%s: drop removed file: %w", key, err))
				continue
			}
			rep.Removed = append(rep.Removed, strings.TrimPrefix(key, dataKeyPrefix))
			rep.Deleted += deleted
		}
	}
	if len(rep.Loaded) > 0 || len(rep.Removed) > 0 || ch.partial {
		// Even a cancelled load publishes what it wrote: the index must show the store.
		if err := s.publish(context.WithoutCancel(ctx), ix, ch); err != nil {
			return rep, errors.Join(stopped, err)
		}
	}
	return rep, stopped
}

// changes are the quads one load wrote, kept so that the next index is built from the previous
// one and these, without reading the whole store back.
type changes struct {
	added   []index.Quad
	deleted map[index.Quad]bool
	partial bool // a write failed after some of its transactions committed
}

// publish swaps in the index for what the load wrote and, on a shared database, records the
// write so that other instances rebuild theirs.
func (s *Store) publish(ctx context.Context, ix *index.Index, ch *changes) error {
	if ch.partial {
		// What reached the store is not known exactly: read it back.
		if err := s.refresh(ctx); err != nil {
			return err
		}
	} else {
		old := ix.Quads()
		next := make([]index.Quad, 0, len(old)-len(ch.deleted)+len(ch.added))
		for _, q := range old {
			if !ch.deleted[q] {
				next = append(next, q)
			}
		}
		s.idx.Store(index.Build(append(next, ch.added...)))
	}
	if s.sql == nil {
		return nil
	}
	before := s.gen.Load()
	g, err := s.sql.bump(ctx)
	if err != nil {
		return err
	}
	if g != before+1 && !ch.partial {
		// Someone wrote beside us (possible on CockroachDB, which has no writer lock).
		return s.refresh(ctx)
	}
	s.gen.Store(g)
	return nil
}

func newRun(ix *index.Index) *run {
	r := &run{owner: map[string]string{}, entities: map[string]*decl{}, rels: map[string]*decl{},
		hashes: map[string]string{}, owned: map[string][]string{}}
	for _, q := range ix.LabelQuads(ManifestLabel) {
		key := strings.TrimPrefix(q.Subject.Value, filePrefix)
		switch q.Predicate.Value {
		case predHash:
			r.hashes[key] = q.Object.Value
		case predOwns:
			r.owned[key] = append(r.owned[key], q.Object.Value)
			r.owner[q.Object.Value] = key
		}
	}
	return r
}

// parse reads one file into a unit and checks it against the rest of the graph.
func (r *run) parse(ix *index.Index, path, key, hash string, src []byte) (*unit, error) {
	u := &unit{key: key, hash: hash}
	switch {
	case strings.HasSuffix(path, ".kg"):
		doc, err := loader.Parse(path, src)
		if err != nil {
			return nil, err
		}
		u.doc, u.quads, u.labels = doc, doc.Quads(), []string{string(doc.Label())}
		if err := r.consistent(ix, u); err != nil {
			return nil, err
		}
	case strings.HasSuffix(path, ".nq"), strings.HasSuffix(path, ".nq.gz"), strings.HasSuffix(path, ".nquads"):
		def := quad.IRI(sourcePrefix + key)
		seen := map[string]bool{}
		dedup := map[quad.Quad]bool{}
		err := loader.ReadNQuads(path, bytes.NewReader(src), def, func(q quad.Quad) error {
			if l := quad.StringOf(q.Label); !seen[l] {
				seen[l] = true
				u.labels = append(u.labels, labelKey(q.Label))
			}
			if !dedup[q] {
				dedup[q] = true
				u.quads = append(u.quads, q)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		for _, l := range u.labels {
			if l == ManifestLabel {
				return nil, &loader.Error{File: path, Msg: "quads may not use the label <" + ManifestLabel + ">, which the store keeps for itself"}
			}
		}
	default:
		return nil, &loader.Error{File: path, Msg: "unknown file type: use .kg for articles or .nq / .nq.gz for N-Quads"}
	}
	for _, l := range u.labels {
		if other, ok := r.owner[l]; ok && other != key {
			return nil, &loader.Error{File: path, Msg: fmt.Sprintf("label <%s> is already used by %s: an article id may appear in one file only", l, other)}
		}
	}
	return u, nil
}

// consistent checks that the entities and relationships a document declares agree with every
// other file: the same id is the same kind (and, for entities, the same name) everywhere.
func (r *run) consistent(ix *index.Index, u *unit) error {
	var errs loader.ErrorList
	own := map[string]bool{}
	for _, l := range u.labels {
		own[l] = true
	}
	check := func(line int, iri, kindPred, kind, name string, pending map[string]*decl) {
		if d := pending[iri]; d != nil && d.key != u.key {
			if d.kind != kind || (name != "" && d.name != name) {
				errs = append(errs, &loader.Error{File: u.doc.Path, Line: line, Msg: conflict(iri, kind, name, d.kind, d.name, d.key)})
				return
			}
		}
		for _, q := range ix.SubjectQuads(iri) {
			if own[q.Label.Value] {
				continue
			}
			if q.Predicate.Value == kindPred && q.Object.Value != kind {
				errs = append(errs, &loader.Error{File: u.doc.Path, Line: line, Msg: conflict(iri, kind, name, q.Object.Value, "", r.owner[q.Label.Value])})
				return
			}
			if name != "" && q.Predicate.Value == kg.PredName && q.Object.Value != name {
				errs = append(errs, &loader.Error{File: u.doc.Path, Line: line, Msg: conflict(iri, kind, name, kind, q.Object.Value, r.owner[q.Label.Value])})
				return
			}
		}
	}
	for _, e := range u.doc.Entities {
		check(e.Line, kg.EntityIRI(e.ID), kg.PredKind, e.Kind, e.Name, r.entities)
	}
	for _, rel := range u.doc.Relations {
		check(rel.Line, kg.RelationIRI(rel.ID), kg.PredRelation, rel.Kind, "", r.rels)
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

func conflict(iri, kind, name, otherKind, otherName, otherFile string) string {
	id := kg.LocalID(iri)
	if otherFile == "" {
		otherFile = "another file"
	}
	if otherName != "" && otherName != name {
		return fmt.Sprintf("%s is named %q here but %q in %s: use one canonical name and put the other in `alias:`", id, name, otherName, strings.TrimPrefix(otherFile, dataKeyPrefix))
	}
	return fmt.Sprintf("%s is a %s here but a %s in %s: one id names one thing; use another id or fix the kind", id, kind, otherKind, strings.TrimPrefix(otherFile, dataKeyPrefix))
}

// commit records a written unit so that later files of the same run are checked against it.
func (r *run) commit(u *unit) {
	for _, old := range r.owned[u.key] {
		delete(r.owner, old)
	}
	for _, l := range u.labels {
		r.owner[l] = u.key
	}
	r.owned[u.key] = u.labels
	r.hashes[u.key] = u.hash
	if u.doc == nil {
		return
	}
	for _, e := range u.doc.Entities {
		r.entities[kg.EntityIRI(e.ID)] = &decl{e.Kind, e.Name, u.key}
	}
	for _, rel := range u.doc.Relations {
		r.rels[kg.RelationIRI(rel.ID)] = &decl{rel.Kind, "", u.key}
	}
}

// write replaces the quads of the unit's labels (and of the labels the file owned before) with
// the unit's quads, and updates the manifest. Up to Batch quads go in one transaction and the
// manifest changes go in the last, so an interrupted write leaves the file unrecorded: the next
// load of it compares the file with what did reach the store and writes the difference.
func (s *Store) write(ctx context.Context, ix *index.Index, r *run, u *unit, path string, ch *changes) (added, deleted int, err error) {
	old := map[quad.Quad]index.Quad{}
	for _, l := range union(r.owned[u.key], u.labels) {
		for _, q := range ix.LabelQuads(l) {
			old[fromIndex(q)] = q
		}
	}
	for _, q := range ix.SubjectQuads(filePrefix + u.key) {
		if q.Label.Value == ManifestLabel {
			old[fromIndex(q)] = q
		}
	}
	file := quad.IRI(filePrefix + u.key)
	manifest := []quad.Quad{{Subject: file, Predicate: quad.IRI(predHash), Object: quad.String(u.hash), Label: quad.IRI(ManifestLabel)}}
	for _, l := range u.labels {
		manifest = append(manifest, quad.Quad{Subject: file, Predicate: quad.IRI(predOwns), Object: quad.IRI(l), Label: quad.IRI(ManifestLabel)})
	}
	var content, last []graph.Delta
	if len(old) > 0 {
		// A new file (the usual bulk load) has nothing to delete and skips this set.
		want := make(map[quad.Quad]bool, len(u.quads)+len(manifest))
		for _, q := range u.quads {
			want[q] = true
		}
		for _, q := range manifest {
			want[q] = true
		}
		for q, iq := range old {
			if want[q] {
				continue
			}
			d := graph.Delta{Quad: q, Action: graph.Delete}
			if isManifest(q) {
				last = append(last, d)
				continue
			}
			content = append(content, d)
			ch.deleted[iq] = true
			deleted++
		}
		sortDeltas(content)
	}
	// u.quads has no duplicates (the parsers drop them), so each is added at most once, in the
	// file's order.
	for _, q := range u.quads {
		if _, ok := old[q]; !ok {
			content = append(content, graph.Delta{Quad: q, Action: graph.Add})
			added++
		}
	}
	for _, q := range manifest {
		if _, ok := old[q]; !ok {
			last = append(last, graph.Delta{Quad: q, Action: graph.Add})
		}
	}
	if err := s.apply(ctx, content, last, path); err != nil {
		if errors.Is(err, errPartial) {
			ch.partial = true
		}
		return 0, 0, err
	}
	for _, d := range last {
		if d.Action == graph.Delete {
			ch.deleted[old[d.Quad]] = true
		}
	}
	in := intern{}
	for _, d := range append(content, last...) {
		if d.Action == graph.Add {
			ch.added = append(ch.added, in.quad(d.Quad))
		}
	}
	return added, deleted, nil
}

// errPartial marks a write that failed after some of its transactions had committed.
var errPartial = errors.New("part of the file reached the store; load it again to finish")

// apply writes content in transactions of up to Batch quads, then last (the manifest changes)
// with the final part of the content.
func (s *Store) apply(ctx context.Context, content, last []graph.Delta, path string) error {
	size := s.Batch
	if size <= 0 {
		size = DefaultBatch
	}
	total := len(content)
	committed := false
	if s.Written != nil && total > 0 {
		s.Written(path, 0, total)
	}
	for done := 0; ; {
		if err := ctx.Err(); err != nil {
			return partial(err, committed)
		}
		end := min(done+size, total)
		batch := content[done:end]
		if end == total {
			batch = append(batch[:len(batch):len(batch)], last...)
		}
		if len(batch) > 0 {
			if err := s.qs.ApplyDeltas(batch, graph.IgnoreOpts{}); err != nil {
				return partial(fmt.Errorf("write: %w", err), committed)
			}
			committed = true
		}
		done = end
		if s.Written != nil && total > 0 {
			s.Written(path, done, total)
		}
		if done == total {
			return nil
		}
	}
}

func partial(err error, committed bool) error {
	if committed {
		return fmt.Errorf("%w (%w)", err, errPartial)
	}
	return err
}

// drop deletes every quad a removed file owned, and its manifest entry; the manifest entry goes
// last, so an interrupted drop is finished by the next sync.
func (s *Store) drop(ctx context.Context, ix *index.Index, r *run, key string, ch *changes) (int, error) {
	var content, last []graph.Delta
	var gone []index.Quad
	for _, l := range r.owned[key] {
		for _, q := range ix.LabelQuads(l) {
			content = append(content, graph.Delta{Quad: fromIndex(q), Action: graph.Delete})
			gone = append(gone, q)
		}
	}
	for _, q := range ix.SubjectQuads(filePrefix + key) {
		if q.Label.Value == ManifestLabel {
			last = append(last, graph.Delta{Quad: fromIndex(q), Action: graph.Delete})
			gone = append(gone, q)
		}
	}
	if err := s.apply(ctx, content, last, key); err != nil {
		if errors.Is(err, errPartial) {
			ch.partial = true
		}
		return 0, err
	}
	for _, q := range gone {
		ch.deleted[q] = true
	}
	return len(content), nil
}

// sortDeltas puts deletions before additions, each in a stable order, so that writes are
// deterministic.
func sortDeltas(ds []graph.Delta) {
	sort.SliceStable(ds, func(i, j int) bool {
		if ds[i].Action != ds[j].Action {
			return ds[i].Action == graph.Delete
		}
		if ds[i].Action == graph.Delete {
			return ds[i].Quad.String() < ds[j].Quad.String()
		}
		return false
	})
}

func isManifest(q quad.Quad) bool { return q.Label == quad.IRI(ManifestLabel) }

func labelKey(v quad.Value) string {
	switch v := v.(type) {
	case quad.IRI:
		return string(v)
	case quad.BNode:
		return "_:" + string(v)
	default:
		return quad.StringOf(v)
	}
}

func fromIndex(q index.Quad) quad.Quad {
	return quad.Quad{Subject: value(q.Subject), Predicate: value(q.Predicate), Object: value(q.Object), Label: value(q.Label)}
}

func value(t index.Term) quad.Value {
	switch {
	case t.Value == "" && !t.IRI && !t.BNode && t.Datatype == "" && t.Lang == "":
		return nil
	case t.IRI:
		return quad.IRI(t.Value)
	case t.BNode:
		return quad.BNode(t.Value)
	case t.Lang != "":
		return quad.LangString{Value: quad.String(t.Value), Lang: t.Lang}
	case t.Datatype != "":
		return quad.TypedString{Value: quad.String(t.Value), Type: quad.IRI(t.Datatype)}
	default:
		return quad.String(t.Value)
	}
}

func union(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range append(append([]string{}, a...), b...) {
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// dataFiles lists the data files under dir, sorted.
func dataFiles(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		name := d.Name()
		if strings.HasSuffix(name, ".kg") || strings.HasSuffix(name, ".nq") || strings.HasSuffix(name, ".nq.gz") {
			out = append(out, path)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read data folder: %w", err)
	}
	sort.Strings(out)
	return out, nil
}
