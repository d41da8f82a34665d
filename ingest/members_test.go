package ingest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/natsembed"
)

func TestOwnerSharesFairlyAndStably(t *testing.T) {
	two := []string{"host-a-0a1b2c", "host-b-3d4e5f"}
	three := append(slices.Clone(two), "host-c-6a7b8c")
	counts := map[string]int{}
	moved := 0
	for i := range 3000 {
		id := fmt.Sprintf("feed-%d", i)
		o2, o3 := owner(two, id), owner(three, id)
		counts[o2]++
		if o2 != o3 && o3 != three[2] {
			moved++ // a feed moved between the two old members
		}
	}
	if counts[two[0]] < 1300 || counts[two[1]] < 1300 {
		t.Errorf("uneven share: %v", counts)
	}
	if moved != 0 {
		t.Errorf("%d feeds moved between members that both stayed", moved)
	}
	if owner([]string{"only"}, "x") != "only" {
		t.Error("a single member does not own everything")
	}
}

// fetchLog records when each path of a test server was requested.
type fetchLog struct {
	mu    sync.Mutex
	times map[string][]time.Time
	all   []time.Time
}

func (l *fetchLog) add(path string, t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.times[path] = append(l.times[path], t)
	l.all = append(l.all, t)
}

func (l *fetchLog) snapshot() (map[string][]time.Time, []time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := map[string][]time.Time{}
	for k, v := range l.times {
		m[k] = slices.Clone(v)
	}
	return m, slices.Clone(l.all)
}

// slotLog records the request slots the members book.
type slotLog struct {
	mu    sync.Mutex
	slots []time.Time
}

// recordingGate is the stage's own hostGate, recording each slot it books.
type recordingGate struct {
	hostGate
	log *slotLog
}

func (g recordingGate) reserve(ctx context.Context, host string) (time.Time, error) {
	slot, err := g.hostGate.reserve(ctx, host)
	if err == nil {
		g.log.mu.Lock()
		g.log.slots = append(g.log.slots, slot)
		g.log.mu.Unlock()
	}
	return slot, err
}

// setupLayout declares streams and buckets once, as `newsdesk setup`
// does before stage processes start; the members only bind.
func setupLayout(t *testing.T, srv *natsembed.Server) {
	t.Helper()
	nc, err := nats.Connect(srv.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	var bc bus.Config
	bc.Defaults()
	if _, err := bus.Open(t.Context(), nc, bc, discardLogger(), bus.Declare); err != nil {
		t.Fatal(err)
	}
}

// startMember runs one ingest stage on its own NATS connection, as a
// separate process would. stop cancels it; crash closes its connection
// first, so it cannot say goodbye.
func startMember(t *testing.T, srv *natsembed.Server, cfg Config, slots *slotLog) (st *Stage, stop, crash func()) {
	t.Helper()
	nc, err := nats.Connect(srv.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	var bc bus.Config
	bc.Defaults()
	b, err := bus.Open(t.Context(), nc, bc, discardLogger(), bus.Bind)
	if err != nil {
		t.Fatal(err)
	}
	st = newStage(t, b, cfg)
	st.fetcher.hosts = recordingGate{st.fetcher.hosts, slots}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := st.Run(ctx); err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done; nc.Close() }) }
	crash = func() { once.Do(func() { nc.Close(); cancel(); <-done }) }
	t.Cleanup(stop)
	return st, stop, crash
}

// TestTwoProcessesShareFeeds runs two ingest stages, each with its own
// connection, on one real embedded nats-server, against a server of 12
// feeds on one host, and counts the fetches of each feed per poll
// interval: each feed is polled at most once per interval while both
// run, both poll a share, and after one crashes (no goodbye, its
// heartbeat simply stops) the other polls all feeds. Across both
// processes, the request slots booked for the host keep the per-host gap,
// and a Retry-After given to one process holds the other off too.
func TestTwoProcessesShareFeeds(t *testing.T) {
	if testing.Short() {
		t.Skip("runs for about 15 seconds")
	}
	const (
		nFeeds   = 12
		interval = 2 * time.Second
		gap      = 100 * time.Millisecond
		memberTT = 600 * time.Millisecond
	)
	log := &fetchLog{times: map[string][]time.Time{}}
	var (
		mu      sync.Mutex
		busyAt  time.Time // when the host answered 429
		rateHit bool
	)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := time.Now()
		log.add(r.URL.Path, now)
		mu.Lock()
		send429 := r.URL.Path == "/feeds/f07.xml" && !rateHit && now.Sub(startOf(log)) > 3*interval
		if send429 {
			rateHit, busyAt = true, now
		}
		mu.Unlock()
		if send429 {
			w.Header().Set("Retry-After", "2")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>%s</title><link>http://x.example/</link></channel></rss>`, r.URL.Path)
	}))
	defer hs.Close()

	ns, err := natsembed.Start(natsembed.Options{StoreDir: t.TempDir(), Listen: "127.0.0.1:-1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ns.Shutdown)
	setupLayout(t, ns)
	var feeds []FeedConfig
	for i := range nFeeds {
		feeds = append(feeds, FeedConfig{ID: fmt.Sprintf("f%02d", i), URL: fmt.Sprintf("%s/feeds/f%02d.xml", hs.URL, i)})
	}
	cfg := testConfig(feeds...)
	cfg.PollInterval = interval
	cfg.MaxUnchangedFactor = 1 // an unchanged feed keeps its interval
	cfg.PerHostInterval = gap
	cfg.PerHostConcurrency = 4
	cfg.MemberTTL = memberTT
	cfg.ClaimTimeout = interval
	cfg.Backoff.Initial = interval // a failed poll is retried after an interval, too

	slots := &slotLog{}
	_, _, crashB := startMember(t, ns, cfg, slots)
	stageA, stopA, _ := startMember(t, ns, cfg, slots)
	time.Sleep(6 * interval)
	// Both members have a share: the feed states name who polled last.
	share := map[string]int{}
	for _, f := range feeds {
		fs, _, err := stageA.loadState(t.Context(), f)
		if err != nil {
			t.Fatal(err)
		}
		share[fs.PolledBy]++
	}
	if len(share) != 2 {
		t.Errorf("feeds last polled by %v, want two members sharing them", share)
	}
	crashed := time.Now()
	crashB()
	time.Sleep(4 * interval)
	stopA()
	end := time.Now()

	perFeed, all := log.snapshot()
	start := startOf(log)
	for _, f := range feeds {
		path := f.URL[len(hs.URL):]
		ts := perFeed[path]
		// Once per interval: a poll is scheduled an interval after the
		// previous one ended (a failed one too), so the server never sees
		// a feed twice within an interval, however slow the machine.
		for i := 1; i < len(ts); i++ {
			if d := ts[i].Sub(ts[i-1]); d < interval {
				t.Errorf("%s fetched twice within %v (interval %v)", f.ID, d, interval)
			}
		}
		if n, most := len(ts), int(end.Sub(start)/interval)+1; n > most {
			t.Errorf("%s fetched %d times in %v, more than once per interval", f.ID, n, end.Sub(start))
		}
		// Polled on, before and after the crash, also the feeds the
		// crashed member had. How long a feed may wait while ownership
		// moves is a matter of the machine's load, so it is not bounded
		// here: a wall-clock bound failed this test on a loaded CI runner.
		if !slices.ContainsFunc(ts, func(x time.Time) bool { return x.Before(crashed) }) {
			t.Errorf("%s not fetched before the crash", f.ID)
		}
		if !slices.ContainsFunc(ts, func(x time.Time) bool { return x.After(crashed.Add(memberTT)) }) {
			t.Errorf("%s not fetched after the crash", f.ID)
		}
	}
	// Across both processes, the request slots booked for the host keep
	// the per-host gap (a request leaves at its slot or later; when it is
	// late, the next is not early).
	slots.mu.Lock()
	booked := slices.Clone(slots.slots)
	slots.mu.Unlock()
	slices.SortFunc(booked, func(a, b time.Time) int { return a.Compare(b) })
	if len(booked) < len(all) {
		t.Errorf("%d slots booked for %d requests", len(booked), len(all))
	}
	for i := 1; i < len(booked); i++ {
		if d := booked[i].Sub(booked[i-1]); d < gap {
			t.Errorf("two request slots %v apart (per-host gap %v), at %v", d, gap, booked[i].Sub(start))
		}
	}
	// The Retry-After one member got holds the other off too. A request
	// booked before the 429 came back may still arrive in its first moments.
	if !rateHit {
		t.Fatal("the 429 was never sent")
	}
	for _, at := range all {
		if at.After(busyAt.Add(time.Second)) && at.Before(busyAt.Add(2*time.Second-50*time.Millisecond)) {
			t.Errorf("the host was asked at %v, %v into its Retry-After of 2s", at.Sub(start), at.Sub(busyAt))
		}
	}
}

func startOf(l *fetchLog) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.all) == 0 {
		return time.Now()
	}
	return l.all[0]
}
