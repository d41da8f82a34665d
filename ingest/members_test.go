package ingest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
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

// startMember runs one ingest stage on its own NATS connection, as a
// separate process would. stop cancels it; crash closes its connection
// first, so it cannot say goodbye.
func startMember(t *testing.T, srv *natsembed.Server, cfg Config) (st *Stage, stop, crash func()) {
	t.Helper()
	nc, err := nats.Connect(srv.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	var bc bus.Config
	bc.Defaults()
	b, err := bus.Open(t.Context(), nc, bc, discardLogger())
	if err != nil {
		t.Fatal(err)
	}
	st = newStage(t, b, cfg)
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
// interval: each feed is polled once per interval while both run, both
// poll a share, and after one crashes (no goodbye, its heartbeat simply
// stops) the other polls all feeds within an interval and a heartbeat
// timeout. Across both processes, requests to the host keep the
// per-host gap, and a Retry-After given to one process holds the other
// off too.
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

	_, _, crashB := startMember(t, ns, cfg)
	stageA, stopA, _ := startMember(t, ns, cfg)
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
	jitter := time.Duration(float64(interval) * DefaultPollJitter)
	for _, f := range feeds {
		path := f.URL[len(hs.URL):]
		ts := perFeed[path]
		// Once per interval: consecutive fetches never closer than the
		// interval (a 429 retry is scheduled an interval later too).
		for i := 1; i < len(ts); i++ {
			if d := ts[i].Sub(ts[i-1]); d < interval-50*time.Millisecond {
				t.Errorf("%s fetched twice within %v (interval %v)", f.ID, d, interval)
			}
		}
		// Never left alone longer than an interval plus jitter, scheduling
		// slack and, across the crash, a heartbeat timeout.
		slack := jitter + 2*memberTT + time.Second
		prev := start
		for _, at := range append(ts, end) {
			if at.Sub(prev) > interval+slack+2*time.Second && !(rateHit && prev.Before(busyAt.Add(3*time.Second)) && at.After(busyAt)) {
				t.Errorf("%s not fetched for %v (from %v to %v)", f.ID, at.Sub(prev), prev.Sub(start), at.Sub(start))
			}
			prev = at
		}
		if n, want := len(ts), int(end.Sub(start)/interval); n < want-3 || n > want+1 {
			t.Errorf("%s fetched %d times in %v, want about %d", f.ID, n, end.Sub(start), want)
		}
		if !slices.ContainsFunc(ts, func(x time.Time) bool { return x.After(crashed.Add(memberTT)) }) {
			t.Errorf("%s not fetched after the crash", f.ID)
		}
	}
	// Across both processes, requests to the host keep their gap.
	sort.Slice(all, func(i, j int) bool { return all[i].Before(all[j]) })
	for i := 1; i < len(all); i++ {
		if d := all[i].Sub(all[i-1]); d < gap/2 {
			t.Errorf("two requests to the host %v apart (per-host gap %v), at %v", d, gap, all[i].Sub(start))
		}
	}
	if !rateHit {
		t.Fatal("the 429 was never sent")
	}
	for _, at := range all {
		if at.After(busyAt) && at.Before(busyAt.Add(2*time.Second-50*time.Millisecond)) {
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
