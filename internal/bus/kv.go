package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdesk/newsdesk/internal/retry"
)

// The two outcomes of a KV operation that are not failures. Stages test
// for them with errors.Is; the JetStream error codes behind them (10071 on
// a single replica, 10164 on replicated buckets, the client's own
// sentinels) are decoded here and nowhere else.
var (
	// ErrNotFound: the key does not exist (or was deleted).
	ErrNotFound = errors.New("key not found")
	// ErrConflict: a compare-and-set lost: Create found the key, or
	// Update or a conditional Delete found a revision other than the one
	// it was given. Read again and decide again.
	ErrConflict = errors.New("compare-and-set conflict")
)

// IsConflict reports whether err is a lost compare-and-set, also when it
// comes straight from the JetStream client.
func IsConflict(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrConflict) || errors.Is(err, jetstream.ErrKeyExists) || errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
		return true
	}
	var apiErr *jetstream.APIError
	return errors.As(err, &apiErr) && (apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence ||
		apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequenceConstant)
}

// KV is one of newsdesk's key-value buckets. Its errors wrap ErrNotFound
// and ErrConflict where those apply, and name the bucket and key.
type KV struct {
	kv jetstream.KeyValue
}

// Entry is a stored value.
type Entry struct {
	Key      string
	Value    []byte
	Revision uint64
	// Created is when the server stored this revision (its clock).
	Created time.Time
}

// kvError is a failed KV operation; it unwraps to both the kind
// (ErrNotFound, ErrConflict) and the client's error.
type kvError struct {
	op, bucket, key string
	kind, err       error
}

func (e *kvError) Error() string {
	return fmt.Sprintf("%s %s/%s: %v", e.op, e.bucket, e.key, e.err)
}

func (e *kvError) Unwrap() []error {
	if e.kind != nil {
		return []error{e.kind, e.err}
	}
	return []error{e.err}
}

func (k *KV) fail(op, key string, err error) error {
	if err == nil {
		return nil
	}
	e := &kvError{op: op, bucket: k.kv.Bucket(), key: key, err: err}
	switch {
	case errors.Is(err, jetstream.ErrKeyNotFound), errors.Is(err, jetstream.ErrKeyDeleted):
		e.kind = ErrNotFound
	case IsConflict(err):
		e.kind = ErrConflict
	}
	return e
}

// Bucket is the bucket's name.
func (k *KV) Bucket() string { return k.kv.Bucket() }

// Get returns the key's current value; ErrNotFound when there is none.
func (k *KV) Get(ctx context.Context, key string) (Entry, error) {
	e, err := k.kv.Get(ctx, key)
	if err != nil {
		return Entry{}, k.fail("get", key, err)
	}
	return Entry{Key: key, Value: e.Value(), Revision: e.Revision(), Created: e.Created()}, nil
}

// Put stores value whatever is there and returns the new revision.
func (k *KV) Put(ctx context.Context, key string, value []byte) (uint64, error) {
	rev, err := k.kv.Put(ctx, key, value)
	return rev, k.fail("put", key, err)
}

// Create stores value only if the key does not exist: the atomic "first
// seen" gate. ErrConflict when it does.
func (k *KV) Create(ctx context.Context, key string, value []byte) (uint64, error) {
	rev, err := k.kv.Create(ctx, key, value)
	return rev, k.fail("create", key, err)
}

// Update stores value only if the key's revision is still rev; with rev 0
// it is Create. ErrConflict when someone wrote in between.
func (k *KV) Update(ctx context.Context, key string, value []byte, rev uint64) (uint64, error) {
	if rev == 0 {
		return k.Create(ctx, key, value)
	}
	nrev, err := k.kv.Update(ctx, key, value, rev)
	return nrev, k.fail("update", key, err)
}

// Delete removes the key. With rev > 0 only if that is still its
// revision (ErrConflict otherwise).
func (k *KV) Delete(ctx context.Context, key string, rev uint64) error {
	var opts []jetstream.KVDeleteOpt
	if rev > 0 {
		opts = append(opts, jetstream.LastRevision(rev))
	}
	return k.fail("delete", key, k.kv.Delete(ctx, key, opts...))
}

// Keys lists the bucket's keys (none is not an error).
func (k *KV) Keys(ctx context.Context) ([]string, error) {
	lister, err := k.kv.ListKeys(ctx)
	if err != nil {
		return nil, k.fail("list", "*", err)
	}
	var keys []string
	for key := range lister.Keys() {
		keys = append(keys, key)
	}
	return keys, nil
}

// GetJSON reads key from kv into v. It returns (false, nil) when the key does
// not exist.
func GetJSON(ctx context.Context, kv *KV, key string, v any) (bool, error) {
	e, err := kv.Get(ctx, key)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("bus: %w", err)
	}
	if err := json.Unmarshal(e.Value, v); err != nil {
		return false, fmt.Errorf("bus: decoding %s/%s: %w", kv.Bucket(), key, err)
	}
	return true, nil
}

// PutJSON stores v as JSON under key.
func PutJSON(ctx context.Context, kv *KV, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("bus: encoding %s/%s: %w", kv.Bucket(), key, err)
	}
	if _, err := kv.Put(ctx, key, data); err != nil {
		return fmt.Errorf("bus: %w", err)
	}
	return nil
}

// Record is a JSON value as UpdateJSON hands it to its change function.
type Record[T any] struct {
	Value T
	// Revision is the stored revision; 0 when the key does not exist.
	Revision uint64
	// Corrupt is set when the stored bytes did not decode into T; Value is
	// then the zero T and the change function decides what that means.
	Corrupt error
}

// MaxUpdateAttempts bounds UpdateJSON's read-decide-write rounds under
// contention; each lost round means another writer made progress.
const MaxUpdateAttempts = 50

// Between lost rounds UpdateJSON waits a random time up to a limit that
// doubles from updateBackoffBase to updateBackoffMax. Without the wait, a
// dozen writers on one key of a replicated bucket (ingest replicas booking
// request slots of one host) kept colliding, and a writer that read from a
// follower a moment behind the leader lost round after round: 50 in a row
// on a three-node cluster.
const (
	updateBackoffBase = 2 * time.Millisecond
	updateBackoffMax  = 200 * time.Millisecond
)

// updateBackoff is the wait after the attempt-th lost round (0-based):
// random, so colliding writers spread out.
func updateBackoff(attempt int) time.Duration {
	limit := retry.Exponential(updateBackoffBase, updateBackoffMax, attempt)
	return time.Duration(rand.Int64N(int64(limit))) + 1
}

// UpdateJSON is the compare-and-set update: it reads key, lets change edit
// the value (or decide not to write: write false), and stores it only if
// nobody wrote the key in between; when someone did, it reads again and
// asks change again. change must depend on nothing but the record it is
// given (and may be called several times). It returns the record as
// stored, or as read when change did not write. An error from change ends
// the update and is returned as is.
func UpdateJSON[T any](ctx context.Context, kv *KV, key string, change func(r *Record[T]) (write bool, err error)) (Record[T], error) {
	for attempt := range MaxUpdateAttempts {
		if attempt > 0 {
			t := time.NewTimer(updateBackoff(attempt - 1))
			select {
			case <-ctx.Done():
				t.Stop()
				return Record[T]{}, fmt.Errorf("bus: %s/%s: %w", kv.Bucket(), key, ctx.Err())
			case <-t.C:
			}
		}
		var r Record[T]
		e, err := kv.Get(ctx, key)
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			return r, fmt.Errorf("bus: %w", err)
		default:
			r.Revision = e.Revision
			if err := json.Unmarshal(e.Value, &r.Value); err != nil {
				var zero T
				r.Value, r.Corrupt = zero, fmt.Errorf("bus: decoding %s/%s: %w", kv.Bucket(), key, err)
			}
		}
		write, err := change(&r)
		if err != nil || !write {
			return r, err
		}
		data, err := json.Marshal(r.Value)
		if err != nil {
			return r, fmt.Errorf("bus: encoding %s/%s: %w", kv.Bucket(), key, err)
		}
		rev, err := kv.Update(ctx, key, data, r.Revision)
		if err == nil {
			r.Revision, r.Corrupt = rev, nil
			return r, nil
		}
		if !errors.Is(err, ErrConflict) {
			return r, fmt.Errorf("bus: %w", err)
		}
	}
	return Record[T]{}, fmt.Errorf("bus: %s/%s: %d concurrent updates in a row: %w", kv.Bucket(), key, MaxUpdateAttempts, ErrConflict)
}
