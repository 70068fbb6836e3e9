package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
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
// A write of a file that takes several transactions marks the file with predPartial in its
// first and removes the mark with the manifest changes in its last, so a store left with a mark
// holds part of a file: the process writing it ended part way.
const (
	ManifestLabel = "kg:manifest"
	filePrefix    = "kg:file/"
	sourcePrefix  = "kg:source/"
	predHash      = "kg:sha256"
	predOwns      = "kg:owns"
	predPartial   = "kg:partial" // object: the hash being written, or "removal"
	dataKeyPrefix = "data/"
	fileKeyPrefix = "file:"
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
	quads  *index.Table // without repeats, in the file's order
	doc    *loader.Document
	names  map[string][]nameDecl // normalised name or alias -> the document's entities going by it
}

// run holds what one sync has written so far, so later files are checked against it.
type run struct {
	owner    map[string]string          // label -> file key, from the manifest and this run
	entities map[string]*decl           // entity IRI -> declaration from this run
	rels     map[string]*decl           // relation IRI -> declaration from this run
	hashes   map[string]string          // file key -> hash in the manifest
	owned    map[string][]string        // file key -> labels in the manifest
	names    map[string][]nameDecl      // normalised name or alias -> entities of this run going by it
	replaced map[string]bool            // labels this run rewrote: what the index holds for them is stale
	byName   map[string][]*index.Entity // the index's entities by name or alias, made when first needed
}

// nameDecl is one name or alias an entity of this run goes by.
type nameDecl struct {
	iri, key string
	alias    bool
}

type decl struct {
	kind, name, key string
}

// Sync brings the store in step with the data folder dir: new and changed files are loaded,
// files that were removed have their facts dropped, unchanged files are skipped. A file with an
// error is reported in the Report and leaves the store exactly as it was for that file.
//
// A sync that would drop the facts of every data file the store holds, or of more than half of
// them, is refused with a *PruneError before anything is written: an emptied folder, or another
// folder than the one loaded, looks like that. SyncAndPrune does it anyway. A dir that does not
// exist or is not a folder is an error that writes nothing.
func (s *Store) Sync(ctx context.Context, dir string, progress Progress) (*Report, error) {
	return s.sync(ctx, dir, pruneFew, progress)
}

// SyncAndPrune is Sync that drops the facts of every file removed from dir, however many
// were: run on an empty folder, it empties the store of data files.
func (s *Store) SyncAndPrune(ctx context.Context, dir string, progress Progress) (*Report, error) {
	return s.sync(ctx, dir, pruneAll, progress)
}

func (s *Store) sync(ctx context.Context, dir string, mode pruning, progress Progress) (*Report, error) {
	files, err := dataFiles(dir)
	if err != nil {
		return nil, err
	}
	keys := make([]string, len(files))
	for i, f := range files {
		rel, _ := filepath.Rel(dir, f)
		keys[i] = dataKeyPrefix + filepath.ToSlash(rel)
	}
	rep, err := s.load(ctx, files, keys, mode, progress)
	var pe *PruneError
	if errors.As(err, &pe) {
		pe.Dir = dir
	}
	return rep, err
}

// pruning says what a load does with data files the store holds but the load was not given.
type pruning int

const (
	keepMissing pruning = iota // LoadFiles: the files named are all there is to do
	pruneFew                   // Sync: drop them, unless they are all or most of the data files
	pruneAll                   // SyncAndPrune: drop them
)

// PruneError is a sync refused because it would drop the facts of every data file the store
// holds, or of more than half of them. Nothing was written.
type PruneError struct {
	Dir    string   // the data folder synced
	Remove []string // the data files, relative to the folder, whose facts would go
	Loaded int      // the data files the store holds
}

func (e *PruneError) Error() string {
	const shown = 10
	list := strings.Join(e.Remove[:min(len(e.Remove), shown)], ", ")
	if len(e.Remove) > shown {
		list += fmt.Sprintf(" and %d more", len(e.Remove)-shown)
	}
	return fmt.Sprintf("sync of data folder %s refused: it would remove the facts of %d of the %d data files in the store (%s), which are not in the folder; nothing was changed", e.Dir, len(e.Remove), e.Loaded, list)
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
		keys[i] = fileKeyPrefix + filepath.ToSlash(abs)
	}
	return s.load(ctx, paths, keys, keepMissing, progress)
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
		err = s.catchUp(ctx)
	}
	if err != nil {
		unlock()
		return nil, err
	}
	return unlock, nil
}

func (s *Store) load(ctx context.Context, paths, keys []string, mode pruning, progress Progress) (*Report, error) {
	unlock, err := s.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	ix := s.Index()
	r := newRun(ix)
	present := make(map[string]bool, len(keys))
	for _, key := range keys {
		present[key] = true
	}
	var gone []string // data files the store holds that the load was not given
	loaded := 0
	for _, key := range sortedKeys(r.hashes) {
		if strings.HasPrefix(key, dataKeyPrefix) {
			loaded++
			if !present[key] {
				gone = append(gone, key)
			}
		}
	}
	if mode == pruneFew && len(gone) > 0 && 2*len(gone) > loaded {
		pe := &PruneError{Loaded: loaded}
		for _, key := range gone {
			pe.Remove = append(pe.Remove, strings.TrimPrefix(key, dataKeyPrefix))
		}
		return &Report{}, pe
	}
	rep := &Report{}
	ch := &changes{deleted: map[index.Quad]bool{}}
	var stopped error
	for i, path := range paths {
		if stopped = ctx.Err(); stopped != nil {
			break
		}
		key := keys[i]
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
	if mode != keepMissing && stopped == nil {
		for _, key := range gone {
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
	added   []index.QuadList // the quads added, list after list
	deleted map[index.Quad]bool
	partial bool     // a write failed after some of its transactions committed
	keys    []string // the files or API articles written, for the change log
	ahead   *pending
}

// pending is one write's share of the changes and, when built ahead, the index for all
// changes up to and including it, built while the write runs.
type pending struct {
	ready  chan struct{} // closed once prepare no longer reads the changes
	added  []index.QuadList
	gone   []index.Quad
	built  chan struct{} // closed when ix is set; nil unless built ahead
	ix     *index.Index
	nAdded int // len(changes.added) and len(changes.deleted) that ix reflects
	nGone  int
}

// prepare returns a write's share of the changes and, when ahead is set, starts building the
// next index on another goroutine. That goroutine reads ch until ready is closed; record
// waits for that before it changes ch.
func (ch *changes) prepare(ix *index.Index, gone []index.Quad, added []index.QuadList, ahead bool) *pending {
	p := &pending{ready: make(chan struct{}), gone: gone, added: added}
	if !ahead {
		close(p.ready)
		return p
	}
	p.built = make(chan struct{})
	go func() {
		drop := ch.deleted
		if len(gone) > 0 {
			drop = make(map[index.Quad]bool, len(ch.deleted)+len(gone))
			for q := range ch.deleted {
				drop[q] = true
			}
			for _, q := range gone {
				drop[q] = true
			}
		}
		next := nextQuads(ix, drop, ch.added, added)
		close(p.ready)
		p.ix = index.BuildTable(next)
		close(p.built)
	}()
	return p
}

// record adds a written pending's quads to ch.
func (ch *changes) record(p *pending) {
	<-p.ready
	for _, q := range p.gone {
		ch.deleted[q] = true
	}
	ch.added = append(ch.added, p.added...)
	if p.built != nil {
		p.nAdded, p.nGone = len(ch.added), len(ch.deleted)
		ch.ahead = p
	}
}

// nextQuads returns the quads of ix without those in drop, followed by those of added and more,
// as the table of the next index.
func nextQuads(ix *index.Index, drop map[index.Quad]bool, added, more []index.QuadList) *index.Table {
	return ix.Next(drop, append(added[:len(added):len(added)], more...)...)
}

// addedQuads returns the quads of the lists in one slice.
func addedQuads(lists []index.QuadList) []index.Quad {
	var out []index.Quad
	for _, l := range lists {
		for i := range l.Len() {
			out = append(out, l.At(i))
		}
	}
	return out
}

// countQuads returns the number of quads of the lists.
func countQuads(lists []index.QuadList) int {
	n := 0
	for _, l := range lists {
		n += l.Len()
	}
	return n
}

// publish swaps in the index for what the load wrote and, on a shared database, records the
// write and logs its change so that other instances bring theirs up to date.
func (s *Store) publish(ctx context.Context, ix *index.Index, ch *changes) error {
	switch p := ch.ahead; {
	case s.LastLoad:
	case ch.partial:
		// What reached the store is not known exactly: read it back.
		if err := s.refresh(ctx); err != nil {
			return err
		}
	case p != nil && p.nAdded == len(ch.added) && p.nGone == len(ch.deleted):
		// Both only grow, so equal lengths mean nothing changed after the index built ahead.
		<-p.built
		s.idx.Store(p.ix)
	default:
		s.idx.Store(index.BuildTable(nextQuads(ix, ch.deleted, ch.added, nil)))
	}
	if s.sql == nil {
		return nil
	}
	before := s.gen.Load()
	g, err := s.sql.record(ctx, ch.keys, ch, s.ChangeLog)
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
		hashes: map[string]string{}, owned: map[string][]string{}, names: map[string][]nameDecl{}, replaced: map[string]bool{}}
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
		u.doc, u.labels = doc, []string{string(doc.Label())}
		enc := index.NewEncoder()
		for _, q := range doc.Quads() {
			enc.Add(toIndex(q))
		}
		u.quads = enc.Table()
		if err := r.consistent(ix, u); err != nil {
			return nil, err
		}
	case strings.HasSuffix(path, ".nq"), strings.HasSuffix(path, ".nq.gz"), strings.HasSuffix(path, ".nquads"):
		def := quad.IRI(sourcePrefix + key)
		seen := map[string]bool{}
		lines, err := loader.CountLines(path, bytes.NewReader(src))
		if err != nil {
			return nil, err
		}
		// The file is held as a table, each distinct term once and 16 bytes a quad, sized
		// once: grown by appending, an array of millions is copied again and again.
		enc := index.NewEncoder()
		enc.Grow(lines)
		set := newQuadSet(lines)
		err = loader.ReadNQuads(path, bytes.NewReader(src), def, func(q quad.Quad) error {
			if l := quad.StringOf(q.Label); !seen[l] {
				seen[l] = true
				u.labels = append(u.labels, labelKey(q.Label))
			}
			r := enc.Row(toIndex(q))
			if set.add(enc.Rows(), r) {
				enc.AddRow(r)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		u.quads = enc.Table()
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
// other file: the same id is the same kind (and, for entities, the same name) everywhere, and
// no alias is another entity's name or alias (see nameClashes).
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
	errs = append(errs, r.nameClashes(ix, u, own)...)
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// nameClashes reports each alias of the document's entities that is the name or an alias of
// another entity, and each name that is another entity's alias, whether that entity is in the
// same document, an earlier file of this run or the store: a lookup by that name could find
// either. Two entities may share a canonical name (ids tell them apart), and former names are
// history, so neither counts. own are the document's labels, whose stored facts it replaces
// along with those of the labels its file owned before. It records the document's names in
// u.names for commit.
func (r *run) nameClashes(ix *index.Index, u *unit, own map[string]bool) loader.ErrorList {
	var errs loader.ErrorList
	if old := r.owned[u.key]; len(old) > 0 {
		own = maps.Clone(own)
		for _, l := range old {
			own[l] = true
		}
	}
	u.names = map[string][]nameDecl{}
	for _, e := range u.doc.Entities {
		iri := mergedInto(ix, kg.EntityIRI(e.ID))
		for i, n := range append([]string{e.Name}, e.Aliases...) {
			d, k := nameDecl{iri: iri, key: u.key, alias: i > 0}, index.Normalize(n)
			if other := r.nameClash(ix, u, own, d, k); other != "" {
				what := "name"
				if d.alias {
					what = "alias"
				}
				errs = append(errs, &loader.Error{File: u.doc.Path, Line: e.Line, Msg: fmt.Sprintf(
					"%s %s %q is %s: a name or alias may stand for one entity only; drop the alias, or use the other entity's id if both are the same thing",
					e.ID, what, n, other)})
			}
			u.names[k] = append(u.names[k], d)
		}
	}
	return errs
}

// nameClash describes the first other entity whose name or alias k clashes with d, or returns "".
func (r *run) nameClash(ix *index.Index, u *unit, own map[string]bool, d nameDecl, k string) string {
	clashes := func(o nameDecl) bool { return o.iri != d.iri && (d.alias || o.alias) }
	for _, o := range u.names[k] {
		if clashes(o) {
			return fmt.Sprintf("%s of %s in this article", nameOrAlias(o.alias), kg.LocalID(o.iri))
		}
	}
	for _, o := range r.names[k] {
		if o.key != u.key && clashes(o) {
			return fmt.Sprintf("%s of %s in %s", nameOrAlias(o.alias), kg.LocalID(o.iri), strings.TrimPrefix(o.key, dataKeyPrefix))
		}
	}
	for _, e := range r.users(ix, k) {
		if e.IRI == d.iri {
			continue
		}
		if alias, file, ok := r.storedName(ix, e, k, own); ok && clashes(nameDecl{iri: e.IRI, alias: alias}) {
			return fmt.Sprintf("%s of %s (a %s) in %s", nameOrAlias(alias), e.ID, e.Kind, strings.TrimPrefix(file, dataKeyPrefix))
		}
	}
	return ""
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

// users returns the entities of ix that go by the normalised name or alias k.
func (r *run) users(ix *index.Index, k string) []*index.Entity {
	if r.byName == nil {
		r.byName = entitiesByName(ix)
	}
	return r.byName[k]
}

// entitiesByName maps each normalised name and alias (not former name) of ix's entities to
// the entities that go by it.
func entitiesByName(ix *index.Index) map[string][]*index.Entity {
	out := map[string][]*index.Entity{}
	for _, e := range ix.Entities() {
		for _, n := range append([]string{e.Name}, e.Aliases...) {
			n = index.Normalize(n)
			if !slices.Contains(out[n], e) {
				out[n] = append(out[n], e)
			}
		}
	}
	return out
}

// storedName reports whether the store still gives e the normalised name or alias k once the
// document with the labels own replaces its facts and this run's earlier files replace theirs,
// whether it is an alias (a merged entity's name is one), and the file that states it.
func (r *run) storedName(ix *index.Index, e *index.Entity, k string, own map[string]bool) (alias bool, file string, ok bool) {
	for _, iri := range append([]string{e.IRI}, mergedFrom(ix, e.IRI)...) {
		for _, q := range ix.SubjectQuads(iri) {
			if (q.Predicate.Value != kg.PredName && q.Predicate.Value != kg.PredAlias) || own[q.Label.Value] || r.replaced[q.Label.Value] {
				continue
			}
			if index.Normalize(q.Object.Value) != k {
				continue
			}
			file = r.owner[q.Label.Value]
			if file == "" {
				file = "the store"
			}
			return q.Predicate.Value == kg.PredAlias || q.Subject.Value != e.IRI, file, true
		}
	}
	return false, "", false
}

// mergedInto returns the entity that iri was merged into through the API, following chains,
// or iri itself.
func mergedInto(ix *index.Index, iri string) string {
	seen := map[string]bool{}
	for !seen[iri] {
		seen[iri] = true
		next := ""
		for _, q := range ix.SubjectQuads(iri) {
			if q.Label.Value == kg.EditsLabel && q.Predicate.Value == kg.PredMergedInto {
				next = q.Object.Value
			}
		}
		if next == "" {
			break
		}
		iri = next
	}
	return iri
}

// mergedFrom returns the entities merged into iri through the API, directly or through others.
func mergedFrom(ix *index.Index, iri string) []string {
	var out []string
	seen := map[string]bool{iri: true}
	for todo := []string{iri}; len(todo) > 0; {
		cur := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		for _, q := range ix.ObjectQuads(cur) {
			if q.Label.Value == kg.EditsLabel && q.Predicate.Value == kg.PredMergedInto && !seen[q.Subject.Value] {
				seen[q.Subject.Value] = true
				out = append(out, q.Subject.Value)
				todo = append(todo, q.Subject.Value)
			}
		}
	}
	return out
}

func nameOrAlias(alias bool) string {
	if alias {
		return "an alias"
	}
	return "the name"
}

// commit records a written unit so that later files of the same run are checked against it.
func (r *run) commit(u *unit) {
	for _, l := range union(r.owned[u.key], u.labels) {
		r.replaced[l] = true
	}
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
	for k, list := range u.names {
		r.names[k] = append(r.names[k], list...)
	}
	for _, rel := range u.doc.Relations {
		r.rels[kg.RelationIRI(rel.ID)] = &decl{rel.Kind, "", u.key}
	}
}

// write replaces the quads of the unit's labels (and of the labels the file owned before) with
// the unit's quads, and updates the manifest. Up to Batch quads go in one transaction and the
// manifest changes go in the last, so an interrupted write leaves the file unrecorded: the next
// load of it compares the file with what did reach the store and writes the difference.
//
// A write of more than one transaction works out its part of the next read index on the other
// core while it writes, and builds that index there too; publish takes it when no later file
// of the load changed anything.
func (s *Store) write(ctx context.Context, ix *index.Index, r *run, u *unit, path string, ch *changes) (added, deleted int, err error) {
	rp := replace(ix, r, u)
	gone := append(rp.dels[:len(rp.dels):len(rp.dels)], rp.lastDels...)
	p := ch.prepare(ix, gone, []index.QuadList{rp.adds, index.Quads(rp.lastAdds)}, !s.LastLoad && len(rp.dels)+rp.adds.Len() > s.batch())
	mark := partialMark(u.key, u.hash)
	if err := s.apply(ctx, rp.dels, rp.adds, rp.lastDels, rp.lastAdds, path, unless(rp.old[mark], mark)); err != nil {
		<-p.ready // it reads ch until then
		if errors.Is(err, errPartial) {
			ch.partial = true
		}
		return 0, 0, err
	}
	ch.record(p)
	ch.keys = append(ch.keys, u.key)
	return rp.adds.Len(), len(rp.dels), nil
}

// replacement is the change that replaces what a file (or an article written through the API)
// stated before with what it states now: the quads of its labels and of the labels it owned
// before, and its manifest entry, give way to the unit's quads and its new manifest entry.
// Facts and manifest quads are kept apart, so that a write in several transactions can change
// the manifest in the last.
type replacement struct {
	old            map[index.Quad]bool // what the file's labels and manifest entry hold now
	dels, lastDels []index.Quad        // facts and manifest quads to delete, sorted
	adds           index.QuadList      // facts to add, in the file's order
	lastAdds       []index.Quad        // manifest quads to add
}

// replace works out the replacement of u's file in ix. It takes u.quads (and sets it to nil:
// a file may be millions of quads, and the replacement holds what is still needed).
func replace(ix *index.Index, r *run, u *unit) *replacement {
	old := map[index.Quad]bool{}
	for _, l := range union(r.owned[u.key], u.labels) {
		for _, q := range ix.LabelQuads(l) {
			old[q] = true
		}
	}
	for _, q := range ix.SubjectQuads(filePrefix + u.key) {
		if q.Label.Value == ManifestLabel {
			old[q] = true
		}
	}
	manifest := manifestFor(u)
	rp := &replacement{old: old}
	if len(old) > 0 {
		// A new file (the usual bulk load) has nothing to delete and skips this set.
		want := make(map[index.Quad]bool, u.quads.Len()+len(manifest))
		for _, q := range u.quads.All() {
			want[q] = true
		}
		for _, q := range manifest {
			want[q] = true
		}
		for q := range old {
			switch {
			case want[q]:
			case q.Label.Value == ManifestLabel:
				rp.lastDels = append(rp.lastDels, q)
			default:
				rp.dels = append(rp.dels, q)
			}
		}
		sortQuads(rp.dels)
		sortQuads(rp.lastDels)
	}
	// u.quads has no repeats, so each is added at most once, in the file's order; the next
	// index's table starts from it.
	rp.adds = u.quads
	if len(old) > 0 {
		rp.adds = u.quads.Select(func(q index.Quad) bool { return !old[q] })
	}
	u.quads = nil
	for _, q := range manifest {
		if !old[q] {
			rp.lastAdds = append(rp.lastAdds, q)
		}
	}
	return rp
}

// manifestFor returns the manifest entry of a unit: its content's hash and the labels it owns.
func manifestFor(u *unit) []index.Quad {
	in := intern{}
	file := quad.IRI(filePrefix + u.key)
	out := []index.Quad{in.quad(quad.Quad{Subject: file, Predicate: quad.IRI(predHash), Object: quad.String(u.hash), Label: quad.IRI(ManifestLabel)})}
	for _, l := range u.labels {
		out = append(out, in.quad(quad.Quad{Subject: file, Predicate: quad.IRI(predOwns), Object: quad.IRI(l), Label: quad.IRI(ManifestLabel)}))
	}
	return out
}

// partialMark returns the mark of a file whose write (of the content with the hash, or
// "removal") is under way.
func partialMark(key, what string) index.Quad {
	in := intern{}
	return in.quad(quad.Quad{Subject: quad.IRI(filePrefix + key), Predicate: quad.IRI(predPartial), Object: quad.String(what), Label: quad.IRI(ManifestLabel)})
}

// unless returns nil when has is set (the store holds the mark already), else the mark.
func unless(has bool, mark index.Quad) *index.Quad {
	if has {
		return nil
	}
	return &mark
}

// Partial returns the files whose last write stopped part way, so that the store holds part of
// what they state: a file loaded by name as its absolute path, a data file as its path in the
// data folder. Loading the file again (a sync, for a data file) finishes the write and clears it.
func (s *Store) Partial() []string {
	var out []string
	for _, q := range s.Index().LabelQuads(ManifestLabel) {
		if q.Predicate.Value != predPartial {
			continue
		}
		key := strings.TrimPrefix(q.Subject.Value, filePrefix)
		if rest, ok := strings.CutPrefix(key, fileKeyPrefix); ok {
			key = filepath.FromSlash(rest)
		} else {
			key = strings.TrimPrefix(key, dataKeyPrefix)
		}
		if !slices.Contains(out, key) {
			out = append(out, key)
		}
	}
	sort.Strings(out)
	return out
}

// errPartial marks a write that failed after some of its transactions had committed.
var errPartial = errors.New("part of the file reached the store; load it again to finish")

func (s *Store) batch() int {
	if s.Batch > 0 {
		return s.Batch
	}
	return DefaultBatch
}

// apply deletes dels and adds adds in transactions of up to Batch quads, with the manifest
// changes (lastDels, lastAdds) in the last of them. When that takes more than one transaction
// and mark is set, the first adds mark and the last deletes it, so that a store left between
// them says it holds part of the file (see Partial).
func (s *Store) apply(ctx context.Context, dels []index.Quad, adds index.QuadList, lastDels, lastAdds []index.Quad, path string, mark *index.Quad) error {
	size := s.batch()
	total := len(dels) + adds.Len()
	committed := false
	if total <= size {
		mark = nil
	}
	if s.Written != nil && total > 0 {
		s.Written(path, 0, total)
	}
	buf := make([]graph.Delta, 0, min(size, total)+len(lastDels)+len(lastAdds)+1)
	for done := 0; ; {
		if err := ctx.Err(); err != nil {
			return partial(err, committed)
		}
		end := min(done+size, total)
		buf = buf[:0]
		if mark != nil && done == 0 {
			buf = append(buf, graph.Delta{Quad: fromIndex(*mark), Action: graph.Add})
		}
		for i := done; i < end; i++ {
			if i < len(dels) {
				buf = append(buf, graph.Delta{Quad: fromIndex(dels[i]), Action: graph.Delete})
			} else {
				buf = append(buf, graph.Delta{Quad: fromIndex(adds.At(i - len(dels))), Action: graph.Add})
			}
		}
		if end == total {
			for _, q := range lastDels {
				buf = append(buf, graph.Delta{Quad: fromIndex(q), Action: graph.Delete})
			}
			for _, q := range lastAdds {
				buf = append(buf, graph.Delta{Quad: fromIndex(q), Action: graph.Add})
			}
			if mark != nil {
				buf = append(buf, graph.Delta{Quad: fromIndex(*mark), Action: graph.Delete})
			}
		}
		if len(buf) > 0 {
			if err := s.qs.ApplyDeltas(buf, graph.IgnoreOpts{}); err != nil {
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
	var content, last []index.Quad
	for _, l := range r.owned[key] {
		content = append(content, ix.LabelQuads(l)...)
	}
	for _, q := range ix.SubjectQuads(filePrefix + key) {
		if q.Label.Value == ManifestLabel {
			last = append(last, q)
		}
	}
	mark := partialMark(key, "removal")
	if err := s.apply(ctx, content, index.Quads(nil), last, nil, key, unless(slices.Contains(last, mark), mark)); err != nil {
		if errors.Is(err, errPartial) {
			ch.partial = true
		}
		return 0, err
	}
	for _, q := range content {
		ch.deleted[q] = true
	}
	for _, q := range last {
		ch.deleted[q] = true
	}
	ch.keys = append(ch.keys, key)
	return len(content), nil
}

// quadSet tells which quads were seen before, for files of millions of them: it maps a 64-bit
// hash of each quad's row to its place in the caller's rows and keeps the rare row whose hash
// another has in an exact set.
type quadSet struct {
	seed  maphash.Seed
	first map[uint64]int32
	more  map[index.Row]bool
}

func newQuadSet(size int) *quadSet {
	return &quadSet{seed: maphash.MakeSeed(), first: make(map[uint64]int32, size), more: map[index.Row]bool{}}
}

// add reports whether q is new, given the rows seen so far (in the order add accepted them).
// Rows of one encoder are equal exactly when their quads are.
func (s *quadSet) add(seen []index.Row, q index.Row) bool {
	h := maphash.Comparable(s.seed, q)
	i, ok := s.first[h]
	switch {
	case !ok:
		s.first[h] = int32(len(seen))
		return true
	case seen[i] == q || s.more[q]:
		return false
	default:
		s.more[q] = true
		return true
	}
}

// sortQuads puts quads in a stable order, so that writes are deterministic.
func sortQuads(qs []index.Quad) {
	sort.Slice(qs, func(i, j int) bool { return fromIndex(qs[i]).String() < fromIndex(qs[j]).String() })
}

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

// dataFiles lists the data files under dir, sorted. A dir that does not exist or is not a
// folder is an error.
func dataFiles(dir string) ([]string, error) {
	if fi, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("read data folder: %w", err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("read data folder: %s is not a folder", dir)
	}
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
