package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/kv"
	hkv "github.com/hidal-go/hidalgo/kv"
	hbolt "github.com/hidal-go/hidalgo/kv/bbolt"
	boltdb "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// boltMmap is the size bolt maps up front, so that a growing store is not remapped (which
// copies nothing but stalls every writer) until it passes this size. The mapping is virtual
// memory only.
const boltMmap = 1 << 30

// openBolt opens a bolt file through go.etcd.io/bbolt, the maintained fork of boltdb, which
// reads and writes the same file format: stores written by boltdb v1.3.1 (this program's
// earlier versions, and Cayley's own bolt backend) open unchanged.
//
// Cayley's filter of the quads and values already stored is kept only when bulk is set: filling
// it reads every quad of the file at open (about 0.8 s and 250 MB of the file's pages a million
// quads) and it takes 80 MB or more whatever the store's size. A load of millions of quads needs
// it (without it each quad and value written is first looked up in the file, and a 10M-quad load
// slowed to half its speed); a server, whose writes are articles, does not.
func openBolt(path string, bulk bool) (graph.QuadStore, *boltdb.DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, nil, fmt.Errorf("create folder for store %s: %w", path, err)
		}
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, nil, fmt.Errorf("store %s is a folder: --db takes the path of a file", path)
	}
	db, err := hbolt.Open(path, &boltdb.Options{Timeout: LockTimeout, InitialMmapSize: boltMmap})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, nil, fmt.Errorf("open store %s: %w (waited %s); stop the other server or use another --db", path, ErrLocked, LockTimeout)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("open store %s: %w", path, err)
	}
	kvdb := boltKV{db}
	// A new store gets all of Cayley's value buckets at once, in small transactions: created
	// one by one inside the first load's transaction, they cost it most of its time.
	if err := kv.Init(kvdb, graph.Options{"upfront": true}); err != nil && !errors.Is(err, graph.ErrDatabaseExists) {
		db.Close()
		return nil, nil, fmt.Errorf("initialise store %s: %w", path, err)
	}
	qs, err := kv.New(kvdb, graph.Options{kv.OptNoBloom: !bulk})
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return qs, db.DB(), nil
}

// boltKV is hidalgo's bbolt database with its own write transaction. Cayley names a bucket in
// every key it writes, and hidalgo's Put searches the root for that bucket (among a
// hundred thousand) before each write; boltWriteTx asks bolt for the bucket, which bolt keeps
// once a write transaction has opened it. Reads go through hidalgo unchanged.
type boltKV struct{ *hbolt.DB }

func (db boltKV) Tx(ctx context.Context, rw bool) (hkv.Tx, error) {
	if !rw {
		return db.DB.Tx(ctx, false)
	}
	tx, err := db.DB.DB().Begin(true)
	if err != nil {
		return nil, err
	}
	return &boltWriteTx{tx: tx}, nil
}

func (db boltKV) View(ctx context.Context, fn func(tx hkv.Tx) error) error {
	return hkv.View(ctx, db, fn)
}

func (db boltKV) Update(ctx context.Context, fn func(tx hkv.Tx) error) error {
	return hkv.Update(ctx, db, fn)
}

// boltWriteTx follows hidalgo's layout: every part of a key but the last names a bucket
// nested in the one before; Put creates missing buckets, and a Put of an empty last part
// with an empty value only creates them.
type boltWriteTx struct{ tx *boltdb.Tx }

var errWriteScan = errors.New("store: scan inside a write transaction is not supported")

// bucket returns the bucket that holds key's last part, creating the path when create is set;
// nil when it does not exist. Bolt keeps the buckets a write transaction has opened, so only
// the first use of each is a search.
func (t *boltWriteTx) bucket(key hkv.Key, create bool) (*boltdb.Bucket, error) {
	b := t.tx.Cursor().Bucket() // the root, whose Bucket and CreateBucket are the tx's own
	for _, p := range key[:max(len(key)-1, 0)] {
		next := b.Bucket(p)
		if next == nil {
			if !create {
				return nil, nil
			}
			var err error
			if next, err = b.CreateBucket(p); err != nil {
				return nil, err
			}
		}
		b = next
	}
	return b, nil
}

func (t *boltWriteTx) Get(ctx context.Context, key hkv.Key) (hkv.Value, error) {
	b, err := t.bucket(key, false)
	if err != nil || b == nil || len(key) == 0 {
		return nil, hkv.ErrNotFound
	}
	v := b.Get(key[len(key)-1])
	if v == nil {
		return nil, hkv.ErrNotFound
	}
	return v, nil
}

func (t *boltWriteTx) GetBatch(ctx context.Context, keys []hkv.Key) ([]hkv.Value, error) {
	vals := make([]hkv.Value, len(keys))
	for i, k := range keys {
		if b, err := t.bucket(k, false); err == nil && b != nil && len(k) > 0 {
			vals[i] = b.Get(k[len(k)-1])
		}
	}
	return vals, nil
}

func (t *boltWriteTx) Put(ctx context.Context, key hkv.Key, val hkv.Value) error {
	if len(key) == 0 {
		return errors.New("store: empty key")
	}
	b, err := t.bucket(key, true)
	if err != nil {
		return err
	}
	last := key[len(key)-1]
	if len(last) == 0 && len(val) == 0 {
		return nil
	}
	return b.Put(last, val)
}

func (t *boltWriteTx) Del(ctx context.Context, key hkv.Key) error {
	b, err := t.bucket(key, false)
	if err != nil || b == nil || len(key) == 0 {
		return err
	}
	return b.Delete(key[len(key)-1])
}

func (t *boltWriteTx) Scan(ctx context.Context, opts ...hkv.IteratorOption) hkv.Iterator {
	return failedIterator{errWriteScan}
}

func (t *boltWriteTx) Commit(ctx context.Context) error {
	if err := bumpWrites(t.tx); err != nil {
		t.tx.Rollback()
		return err
	}
	return t.tx.Commit()
}

func (t *boltWriteTx) Close() error { return t.tx.Rollback() }

// failedIterator is an empty iterator that reports err.
type failedIterator struct{ err error }

func (it failedIterator) Next(context.Context) bool { return false }
func (it failedIterator) Err() error                { return it.err }
func (it failedIterator) Close() error              { return nil }
func (it failedIterator) Reset()                    {}
func (it failedIterator) Key() hkv.Key              { return nil }
func (it failedIterator) Val() hkv.Value            { return nil }
