package bus_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/natstest"
)

// TestUpdateJSONContention: writers racing on one key lose rounds to each
// other but lose no update.
func TestUpdateJSONContention(t *testing.T) {
	b := natstest.Start(t)
	ctx := t.Context()
	type counter struct{ N int }
	const writers, each = 6, 15
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				_, err := bus.UpdateJSON(ctx, b.Hosts(), "k", func(r *bus.Record[counter]) (bool, error) {
					r.Value.N++
					return true, nil
				})
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var got counter
	if ok, err := bus.GetJSON(ctx, b.Hosts(), "k", &got); !ok || err != nil || got.N != writers*each {
		t.Fatalf("counter %d (ok %v, err %v), want %d", got.N, ok, err, writers*each)
	}
}

func TestUpdateJSONOutcomes(t *testing.T) {
	b := natstest.Start(t)
	ctx := t.Context()
	kv := b.Editions()
	type rec struct{ S string }

	// Absent: revision 0, zero value; not writing stores nothing.
	r, err := bus.UpdateJSON(ctx, kv, "a", func(r *bus.Record[rec]) (bool, error) {
		if r.Revision != 0 || r.Value.S != "" || r.Corrupt != nil {
			t.Errorf("absent key read as %+v", r)
		}
		return false, nil
	})
	if err != nil || r.Revision != 0 {
		t.Fatalf("no write: %+v, %v", r, err)
	}
	if _, err := kv.Get(ctx, "a"); !errors.Is(err, bus.ErrNotFound) {
		t.Fatalf("a key nobody wrote: %v", err)
	}
	// The change function's error comes back as is.
	boom := errors.New("boom")
	if _, err := bus.UpdateJSON(ctx, kv, "a", func(*bus.Record[rec]) (bool, error) { return true, boom }); err != boom {
		t.Fatalf("change error: %v", err)
	}
	// A stored value that does not decode is handed over as Corrupt.
	if _, err := kv.Put(ctx, "c", []byte("{not json")); err != nil {
		t.Fatal(err)
	}
	r, err = bus.UpdateJSON(ctx, kv, "c", func(r *bus.Record[rec]) (bool, error) {
		if r.Corrupt == nil || r.Revision == 0 {
			t.Errorf("corrupt value read as %+v", r)
		}
		r.Value.S = "repaired"
		return true, nil
	})
	if err != nil || r.Value.S != "repaired" || r.Corrupt != nil {
		t.Fatalf("repair: %+v, %v", r, err)
	}
	// A conditional write against an old revision is a conflict.
	e, _ := kv.Get(ctx, "c")
	if _, err := kv.Put(ctx, "c", []byte(`{"S":"other"}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := kv.Update(ctx, "c", []byte(`{}`), e.Revision); !errors.Is(err, bus.ErrConflict) {
		t.Fatalf("stale update: %v, want ErrConflict", err)
	}
	if err := kv.Delete(ctx, "c", e.Revision); !errors.Is(err, bus.ErrConflict) {
		t.Fatalf("stale delete: %v, want ErrConflict", err)
	}
	if !bus.IsConflict(fmt.Errorf("wrapped: %w", bus.ErrConflict)) || bus.IsConflict(boom) || bus.IsConflict(nil) {
		t.Fatal("IsConflict")
	}
}
