package store

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	boltdb "go.etcd.io/bbolt"

	"github.com/kgraph/telegraph/index"
)

// A snapshot is the read index's quads in one file, so that a start reads that file instead of
// every quad through Cayley (about 20 s a million quads on bolt). It is tagged with the store it
// came from and the state of that store it shows, and is used only when both still hold:
//
//	magic      8 bytes  "kgsnap\r\n"
//	version    uint32, little-endian (snapshotVersion)
//	length     uint64, little-endian: bytes of the whole file, checksum included
//	store id   uvarint length, bytes: a random id kept in the store (see storeID)
//	state      uvarint length, bytes: what the store's writes have moved (see storeState)
//	terms      uvarint count, then each term: a flags byte (1 IRI, 2 blank node, 4 datatype,
//	           8 language), its value and, when flagged, datatype and language, each a uvarint
//	           length and bytes
//	quads      uvarint count, then each quad as four uvarint term numbers (subject, predicate,
//	           object, label; the empty label is a term like any other)
//	checksum   uint32, little-endian: CRC-32C of every byte before it
const (
	snapshotMagic   = "kgsnap\r\n"
	snapshotVersion = 1
	// SnapshotSuffix names a bolt store's snapshot: the store file's path with it appended.
	SnapshotSuffix = ".snapshot"
	// DefaultSnapshotEvery is the least time between two snapshots written after writes.
	DefaultSnapshotEvery = 30 * time.Second
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// Why a snapshot was not used. Each is wrapped with the details.
var (
	errSnapMissing   = errors.New("no snapshot")
	errSnapFormat    = errors.New("not a snapshot")
	errSnapVersion   = errors.New("other format version")
	errSnapTruncated = errors.New("truncated")
	errSnapChecksum  = errors.New("checksum mismatch")
	errSnapForeign   = errors.New("from another store")
	errSnapStale     = errors.New("stale")
)

// Options are Open's settings beyond the store's name.
type Options struct {
	// IndexCache is where a SQL database's read index snapshot is kept on this machine: a
	// file path, one per instance. Empty means no snapshot. A bolt store's snapshot is always
	// beside it (the file's path with SnapshotSuffix appended); the memory store has none.
	IndexCache string
	// SnapshotEvery is the least time between two snapshots written after writes; zero means
	// DefaultSnapshotEvery.
	SnapshotEvery time.Duration
	// Log, when set, is told why a snapshot was not used and when one could not be written.
	Log *slog.Logger
	// Bulk readies a bolt store for loads of millions of quads: it keeps Cayley's filter of
	// what the store holds, which spares a lookup in the file per quad and value written but
	// costs a read of every quad at open and 80 MB or more. A server leaves it off.
	Bulk bool
}

// snapshotter keeps a store's snapshot up to date in the background.
type snapshotter struct {
	path    string
	id      []byte // the store's identity
	every   time.Duration
	log     *slog.Logger
	written atomic.Int64 // the index build (indexRef.builds) the snapshot shows
	writeMu sync.Mutex   // one snapshot write at a time
	stop    chan struct{}
	done    chan struct{}
}

// openIndex builds the first read index: from the snapshot when it is valid for the store as it
// is now, else from every quad of the store, and then starts keeping the snapshot up to date.
func (s *Store) openIndex(ctx context.Context, o Options) error {
	path := o.IndexCache
	switch {
	case s.where == Memory:
		path = ""
	case s.bolt != nil:
		path = s.where + SnapshotSuffix
	}
	if path == "" {
		return s.refresh(ctx)
	}
	sn := &snapshotter{path: path, every: o.SnapshotEvery, log: o.Log, stop: make(chan struct{}), done: make(chan struct{})}
	if sn.every <= 0 {
		sn.every = DefaultSnapshotEvery
	}
	if sn.log == nil {
		sn.log = slog.New(slog.DiscardHandler)
	}
	id, err := s.storeID(ctx)
	if err != nil {
		return err
	}
	sn.id = id
	removeTemps(path)
	state, err := s.storeState(ctx)
	if err != nil {
		return err
	}
	quads, err := readSnapshot(path, id, state)
	var first func() // writes the snapshot of the index just built from the store
	if err != nil {
		sn.log.Info("read index snapshot not used; reading every quad of the store", "snapshot", path, "why", err.Error())
		if err := s.refresh(ctx); err != nil {
			return err
		}
		// Nothing else writes yet: the index shows the store as it is, which on bolt is the
		// state read above, and on SQL the generation the scan read.
		ix, builds := s.Index(), s.idx.builds.Load()
		if s.sql != nil {
			state = binary.LittleEndian.AppendUint64(nil, uint64(s.gen.Load()))
		}
		first = func() { s.saveSnapshot(sn, ix, state, builds) }
	} else {
		s.idx.Store(index.BuildTable(quads))
		if s.sql != nil {
			s.gen.Store(int64(binary.LittleEndian.Uint64(state)))
			s.polled.Store(time.Now().UnixNano())
		}
		sn.written.Store(s.idx.builds.Load())
	}
	s.snap = sn
	go s.keepSnapshot(sn, first)
	return nil
}

// keepSnapshot runs first (when set), then writes a snapshot whenever the index changed since
// the last one, at most once every sn.every, until closeSnapshot.
func (s *Store) keepSnapshot(sn *snapshotter, first func()) {
	defer close(sn.done)
	if first != nil {
		first()
	}
	t := time.NewTicker(sn.every)
	defer t.Stop()
	for {
		select {
		case <-sn.stop:
			return
		case <-t.C:
		}
		s.snapshotNow(sn)
	}
}

// closeSnapshot stops the background writer and writes a last snapshot when the index changed
// since the one on disk.
func (s *Store) closeSnapshot() {
	sn := s.snap
	if sn == nil {
		return
	}
	s.snap = nil
	close(sn.stop)
	<-sn.done
	s.snapshotNow(sn)
}

// snapshotNow writes the snapshot of the current index if it changed since the last one.
func (s *Store) snapshotNow(sn *snapshotter) {
	// The index and the store's state are read together under the write lock: between writes,
	// every index put in place shows what the store holds. (A load with LastLoad set leaves
	// the index behind the store, but then puts no index in place, so none is written.)
	s.writeMu.Lock()
	builds := s.idx.builds.Load()
	if builds == sn.written.Load() {
		s.writeMu.Unlock()
		return
	}
	ix := s.Index()
	state, err := s.indexState()
	s.writeMu.Unlock()
	if err != nil {
		sn.log.Warn("could not write the read index snapshot; the next start reads every quad of the store", "snapshot", sn.path, "err", err)
		return
	}
	s.saveSnapshot(sn, ix, state, builds)
}

// saveSnapshot writes ix, the index build builds, as the snapshot of the store in state, unless a
// later build is written already. A failure is logged: a missing snapshot only makes the next
// start slower.
func (s *Store) saveSnapshot(sn *snapshotter, ix *index.Index, state []byte, builds int64) {
	sn.writeMu.Lock()
	defer sn.writeMu.Unlock()
	if builds <= sn.written.Load() {
		return
	}
	if err := writeSnapshot(sn.path, sn.id, state, ix.Quads()); err != nil {
		sn.log.Warn("could not write the read index snapshot; the next start reads every quad of the store", "snapshot", sn.path, "err", err)
		return
	}
	sn.written.Store(builds)
}

// snapshotPause, when set, is called while a snapshot is half written, for tests that kill
// the process there.
var snapshotPause func()

// writeSnapshot writes the table to path as a snapshot of the store id in state. It writes a
// temporary file in the same folder, syncs it and renames it over path, so a crash at any
// point leaves either the previous snapshot or the new one.
func writeSnapshot(path string, id, state []byte, quads *index.Table) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	body := encodeSnapshot(id, state, quads)
	half := len(body) / 2
	if _, err := f.Write(body[:half]); err != nil {
		return err
	}
	if snapshotPause != nil {
		snapshotPause()
	}
	if _, err := f.Write(body[half:]); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return err
	}
	// The rename is durable once the folder is.
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// removeTemps removes what writes of path's snapshot left behind when killed.
func removeTemps(path string) {
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), globEscape(filepath.Base(path))+".*.tmp"))
	for _, f := range left {
		os.Remove(f)
	}
}

func globEscape(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch r {
		case '*', '?', '[', '\\':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// encodeSnapshot returns the snapshot file's bytes: the table's dictionary and rows as they are.
func encodeSnapshot(id, state []byte, t *index.Table) []byte {
	b := make([]byte, 0, 64+6*4*len(t.Rows)+48*len(t.Terms))
	b = append(b, snapshotMagic...)
	b = binary.LittleEndian.AppendUint32(b, snapshotVersion)
	lenAt := len(b)
	b = binary.LittleEndian.AppendUint64(b, 0)
	b = appendBytes(b, id)
	b = appendBytes(b, state)
	b = binary.AppendUvarint(b, uint64(len(t.Terms)))
	for _, t := range t.Terms {
		var flags byte
		if t.IRI {
			flags |= 1
		}
		if t.BNode {
			flags |= 2
		}
		if t.Datatype != "" {
			flags |= 4
		}
		if t.Lang != "" {
			flags |= 8
		}
		b = append(b, flags)
		b = appendString(b, t.Value)
		if t.Datatype != "" {
			b = appendString(b, t.Datatype)
		}
		if t.Lang != "" {
			b = appendString(b, t.Lang)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(t.Rows)))
	for _, r := range t.Rows {
		for _, n := range r {
			b = binary.AppendUvarint(b, uint64(n))
		}
	}
	binary.LittleEndian.PutUint64(b[lenAt:], uint64(len(b)+4))
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, crcTable))
}

func appendString(b []byte, v string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(v))), v...)
}

func appendBytes(b, v []byte) []byte {
	return append(binary.AppendUvarint(b, uint64(len(v))), v...)
}

// readSnapshot reads the snapshot at path in one sequential read and returns its table when it
// is whole and was written for the store id in state; otherwise an error that says why, wrapping
// one of the errSnap errors.
func readSnapshot(path string, id, state []byte) (*index.Table, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, errSnapMissing
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return nil, err
	}
	const head = len(snapshotMagic) + 4 + 8
	if len(b) < len(snapshotMagic) || string(b[:len(snapshotMagic)]) != snapshotMagic {
		return nil, fmt.Errorf("%w: the file does not start with the snapshot mark", errSnapFormat)
	}
	if len(b) < head {
		return nil, fmt.Errorf("%w: %d bytes, shorter than the header", errSnapTruncated, len(b))
	}
	if v := binary.LittleEndian.Uint32(b[len(snapshotMagic):]); v != snapshotVersion {
		return nil, fmt.Errorf("%w: the file has format version %d, this program reads %d", errSnapVersion, v, snapshotVersion)
	}
	if n := binary.LittleEndian.Uint64(b[len(snapshotMagic)+4:]); uint64(len(b)) != n {
		if uint64(len(b)) < n {
			return nil, fmt.Errorf("%w: %d of its %d bytes", errSnapTruncated, len(b), n)
		}
		return nil, fmt.Errorf("%w: %d bytes where the header says %d", errSnapChecksum, len(b), n)
	}
	body := b[:len(b)-4]
	if want, got := binary.LittleEndian.Uint32(b[len(b)-4:]), crc32.Checksum(body, crcTable); want != got {
		return nil, fmt.Errorf("%w: the file's CRC-32C is %08x, its bytes give %08x (the file is damaged)", errSnapChecksum, want, got)
	}
	r := &snapReader{b: body, at: head}
	fileID, fileState := r.bytes(), r.bytes()
	if r.err == nil && !bytes.Equal(fileID, id) {
		return nil, fmt.Errorf("%w: it was written for store %x, this is store %x", errSnapForeign, fileID, id)
	}
	if r.err == nil && !bytes.Equal(fileState, state) {
		return nil, fmt.Errorf("%w: it shows the store at %s, the store is at %s", errSnapStale, showState(fileState), showState(state))
	}
	// Every string of the dictionary points into one copy of its bytes.
	nTerms := r.uvarint()
	if r.err != nil || nTerms > uint64(len(body)) {
		return nil, fmt.Errorf("%w: bad term count", errSnapFormat)
	}
	start := r.at
	type span struct{ value, datatype, lang [2]int }
	spans := make([]span, nTerms)
	flags := make([]byte, nTerms)
	for i := range spans {
		flags[i] = r.byte()
		spans[i].value = r.span(start)
		if flags[i]&4 != 0 {
			spans[i].datatype = r.span(start)
		}
		if flags[i]&8 != 0 {
			spans[i].lang = r.span(start)
		}
	}
	if r.err != nil {
		return nil, fmt.Errorf("%w: %w", errSnapFormat, r.err)
	}
	text := string(body[start:r.at])
	dict := make([]index.Term, nTerms)
	for i, sp := range spans {
		dict[i] = index.Term{
			Value:    text[sp.value[0]:sp.value[1]],
			IRI:      flags[i]&1 != 0,
			BNode:    flags[i]&2 != 0,
			Datatype: text[sp.datatype[0]:sp.datatype[1]],
			Lang:     text[sp.lang[0]:sp.lang[1]],
		}
	}
	nQuads := r.uvarint()
	if r.err != nil || nQuads > uint64(len(body)) {
		return nil, fmt.Errorf("%w: bad quad count", errSnapFormat)
	}
	rows := make([]index.Row, nQuads)
	for i := range rows {
		for j := range rows[i] {
			n := r.uvarint()
			if n >= nTerms {
				if r.err == nil {
					r.err = fmt.Errorf("term %d of %d", n, nTerms)
				}
				n = 0
			}
			rows[i][j] = uint32(n)
		}
	}
	if r.err == nil && r.at != len(body) {
		r.err = fmt.Errorf("%d bytes after the last quad", len(body)-r.at)
	}
	if r.err != nil {
		return nil, fmt.Errorf("%w: %w", errSnapFormat, r.err)
	}
	return &index.Table{Terms: dict, Rows: rows}, nil
}

// snapReader reads a snapshot's fields; the first error sticks and later reads return zeros.
type snapReader struct {
	b   []byte
	at  int
	err error
}

func (r *snapReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b[r.at:])
	if n <= 0 {
		r.err = fmt.Errorf("bad number at byte %d", r.at)
		return 0
	}
	r.at += n
	return v
}

func (r *snapReader) byte() byte {
	if r.err != nil {
		return 0
	}
	if r.at >= len(r.b) {
		r.err = fmt.Errorf("ends at byte %d", r.at)
		return 0
	}
	r.at++
	return r.b[r.at-1]
}

// span reads a length and skips that many bytes, returning where they are relative to base.
func (r *snapReader) span(base int) [2]int {
	n := r.uvarint()
	if r.err != nil {
		return [2]int{}
	}
	if n > uint64(len(r.b)-r.at) {
		r.err = fmt.Errorf("a string of %d bytes at byte %d passes the end", n, r.at)
		return [2]int{}
	}
	from := r.at - base
	r.at += int(n)
	return [2]int{from, from + int(n)}
}

func (r *snapReader) bytes() []byte {
	sp := r.span(0)
	return r.b[sp[0]:sp[1]]
}

// showState renders a store state for a log line: SQL's write counter, or bolt's counters.
func showState(b []byte) string {
	switch len(b) {
	case 8:
		return fmt.Sprintf("generation %d", binary.LittleEndian.Uint64(b))
	case 24:
		return fmt.Sprintf("write %d (Cayley horizon %d, size %d)", binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[8:]), binary.LittleEndian.Uint64(b[16:]))
	}
	return hex.EncodeToString(b)
}

// Bolt keeps the store's identity and write counter in a bucket of its own, beside Cayley's.
var (
	boltOwnBucket = []byte("telegraph")
	boltIDKey     = []byte("id")
	boltWritesKey = []byte("writes")
)

// storeID returns the store's identity, a random id given to it the first time it is asked for.
func (s *Store) storeID(ctx context.Context) ([]byte, error) {
	fresh := make([]byte, 16)
	rand.Read(fresh)
	if s.sql != nil {
		return s.sql.identity(ctx, hex.EncodeToString(fresh))
	}
	var id []byte
	err := s.bolt.Update(func(tx *boltdb.Tx) error {
		b, err := tx.CreateBucketIfNotExists(boltOwnBucket)
		if err != nil {
			return err
		}
		if v := b.Get(boltIDKey); v != nil {
			id = append([]byte(nil), v...)
			return nil
		}
		id = []byte(hex.EncodeToString(fresh))
		return b.Put(boltIDKey, id)
	})
	if err != nil {
		return nil, fmt.Errorf("read store id of %s: %w", s.where, err)
	}
	return id, nil
}

// storeState returns what every write to the store moves. On SQL that is kg_generation; on bolt
// the count of write transactions this program committed (bumped in each, see bumpWrites) and
// Cayley's own horizon and quad count, which writes by any other program move too.
func (s *Store) storeState(ctx context.Context) ([]byte, error) {
	if s.sql != nil {
		g, err := s.sql.generation(ctx)
		if err != nil {
			return nil, err
		}
		return binary.LittleEndian.AppendUint64(nil, uint64(g)), nil
	}
	out := make([]byte, 24)
	err := s.bolt.View(func(tx *boltdb.Tx) error {
		if b := tx.Bucket(boltOwnBucket); b != nil {
			copy(out[0:8], b.Get(boltWritesKey))
		}
		if m := tx.Bucket([]byte("meta")); m != nil {
			copy(out[8:16], m.Get([]byte("horizon")))
			copy(out[16:24], m.Get([]byte("size")))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read store state of %s: %w", s.where, err)
	}
	return out, nil
}

// indexState returns the store state the index shows; the caller holds writeMu. On bolt that is
// the store's state, as no write is under way; on SQL, the generation the index was brought to,
// which other instances' writes may have passed.
func (s *Store) indexState() ([]byte, error) {
	if s.sql != nil {
		return binary.LittleEndian.AppendUint64(nil, uint64(s.gen.Load())), nil
	}
	return s.storeState(context.Background())
}

// bumpWrites counts a write transaction in the transaction itself, so that a snapshot taken
// before it is known to be stale.
func bumpWrites(tx *boltdb.Tx) error {
	b, err := tx.CreateBucketIfNotExists(boltOwnBucket)
	if err != nil {
		return err
	}
	var n uint64
	if v := b.Get(boltWritesKey); len(v) == 8 {
		n = binary.LittleEndian.Uint64(v)
	}
	return b.Put(boltWritesKey, binary.LittleEndian.AppendUint64(nil, n+1))
}

// SQL databases keep their identity in a one-row table, created when a snapshot is first asked
// for.
const (
	identityTable = `CREATE TABLE IF NOT EXISTS kg_store (id INT PRIMARY KEY, uid TEXT NOT NULL)`
	identitySeed  = `INSERT INTO kg_store (id, uid) VALUES (1, $1) ON CONFLICT (id) DO NOTHING`
	identityRead  = `SELECT uid FROM kg_store WHERE id = 1`
)

// identity returns the database's random id, giving it fresh when it has none.
func (b *sqlBackend) identity(ctx context.Context, fresh string) ([]byte, error) {
	if _, err := b.db.ExecContext(ctx, identityTable); err != nil && !alreadyExists(err) {
		return nil, fmt.Errorf("create store id: %w", err)
	}
	if _, err := b.db.ExecContext(ctx, identitySeed, fresh); err != nil {
		return nil, fmt.Errorf("create store id: %w", err)
	}
	var id string
	if err := b.db.QueryRowContext(ctx, identityRead).Scan(&id); err != nil {
		return nil, fmt.Errorf("read store id: %w", err)
	}
	return []byte(id), nil
}
