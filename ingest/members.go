package ingest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/newsdesk/newsdesk/internal/bus"
)

// Feed sharing between ingest processes. Every process running Run
// heartbeats a key in the ingest_members bucket every member_ttl/3. A
// feed belongs to the live member that ranks first for it by rendezvous
// hashing (highest hash of member id and feed id), so each process polls
// its share and, when a member joins or leaves, only the feeds that member
// wins or held change hands. A member whose heartbeat is older than
// member_ttl counts as dead; its feeds go to the others at their next due
// time. Ownership only decides who tries: the compare-and-set claim on
// the feed's state (pollFeed) is what makes a feed polled once per
// interval, even while two members disagree about who is alive.
//
// Liveness is judged on the server's timestamps (a heartbeat's age is
// measured against this member's own latest heartbeat), so the processes'
// clocks need not agree for it.

// memberRecord is the value of a heartbeat.
type memberRecord struct {
	ID      string    `json:"id"`
	Host    string    `json:"host"`
	PID     int       `json:"pid"`
	Started time.Time `json:"started"`
	Feeds   int       `json:"feeds"` // configured feeds, for operators
}

// members is this process's view of the live ingest members.
type members struct {
	kv  *bus.KV
	rec memberRecord
	ttl time.Duration

	mu   sync.Mutex
	live []string // sorted member ids, self included
}

// newMemberID names this process: host name and a random suffix.
func newMemberID() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	host, _ := os.Hostname()
	return tokenize(host) + "-" + hex.EncodeToString(b[:])
}

func newMembers(kv *bus.KV, id string, ttl time.Duration, feeds int, now time.Time) *members {
	host, _ := os.Hostname()
	return &members{
		kv:   kv,
		rec:  memberRecord{ID: id, Host: host, PID: os.Getpid(), Started: now, Feeds: feeds},
		ttl:  ttl,
		live: []string{id},
	}
}

// tokenize keeps what a KV key may hold (a-z, 0-9, '-'), at most 32 bytes.
func tokenize(s string) string {
	b := make([]byte, 0, min(len(s), 32))
	for i := 0; i < len(s) && len(b) < 32; i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-':
			b = append(b, c)
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		default:
			b = append(b, '-')
		}
	}
	if len(b) == 0 {
		return "ingest"
	}
	return string(b)
}

// heartbeat writes this member's key and refreshes the live set from the
// bucket; keys dead for ten TTLs are removed.
func (m *members) heartbeat(ctx context.Context) error {
	data, _ := json.Marshal(m.rec)
	if _, err := m.kv.Put(ctx, m.rec.ID, data); err != nil {
		return fmt.Errorf("ingest members: heartbeat: %w", err)
	}
	self, err := m.kv.Get(ctx, m.rec.ID)
	if err != nil {
		return fmt.Errorf("ingest members: heartbeat: %w", err)
	}
	serverNow := self.Created
	keys, err := m.kv.Keys(ctx)
	if err != nil {
		return fmt.Errorf("ingest members: listing: %w", err)
	}
	live := []string{m.rec.ID}
	for _, k := range keys {
		if k == m.rec.ID {
			continue
		}
		e, err := m.kv.Get(ctx, k)
		if err != nil {
			continue // gone meanwhile
		}
		age := serverNow.Sub(e.Created)
		switch {
		case age <= m.ttl:
			live = append(live, k)
		case age > 10*m.ttl:
			_ = m.kv.Delete(ctx, k, 0) // long dead; keep the bucket small
		}
	}
	slices.Sort(live)
	m.mu.Lock()
	m.live = live
	m.mu.Unlock()
	return nil
}

// leave deletes this member's key, so the others take its feeds over at
// once instead of after member_ttl.
func (m *members) leave(ctx context.Context) {
	_ = m.kv.Delete(ctx, m.rec.ID, 0) // if this fails, the key ages out
}

// current returns the live member ids.
func (m *members) current() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.live
}

// owner is the member of live that ranks first for feed.
func owner(live []string, feed string) string {
	var best string
	var bestScore uint64
	for _, id := range live {
		h := fnv.New64a()
		h.Write([]byte(id))
		h.Write([]byte{0})
		h.Write([]byte(feed))
		if s := mix64(h.Sum64()); best == "" || s > bestScore {
			best, bestScore = id, s
		}
	}
	return best
}

// mix64 is the splitmix64 finalizer: FNV alone leaves ids that differ in
// their last bytes too close for a fair share.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// run heartbeats until ctx ends, every ttl/3.
func (m *members) run(ctx context.Context, clock clockwork.Clock, onErr func(error)) {
	t := clock.NewTicker(m.ttl / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.Chan():
			if err := m.heartbeat(ctx); err != nil && ctx.Err() == nil {
				onErr(err)
			}
		}
	}
}
