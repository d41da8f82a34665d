package ingest

import (
	"context"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

// TestRunPollsAndStops runs the scheduler until the feeds' articles are on
// the stream, then cancels it: Run must return nil and leave no poll half
// done.
func TestRunPollsAndStops(t *testing.T) {
	site := newSite(t)
	b := newTestBus(t)
	st := newStage(t, b, testConfig(twoFeeds(site)...))
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- st.Run(ctx) }()

	deadline := time.After(20 * time.Second)
	for streamMsgs(t, b) < 3 {
		select {
		case <-deadline:
			cancel()
			t.Fatalf("Run published %d articles, want 3", streamMsgs(t, b))
		case err := <-done:
			t.Fatalf("Run returned early: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	// Both feeds were polled once and are scheduled about a minute ahead.
	for _, f := range twoFeeds(site) {
		fs, _, err := st.loadState(t.Context(), f)
		if err != nil {
			t.Fatal(err)
		}
		if fs.LastSuccess.IsZero() || time.Until(fs.NextPoll) < 30*time.Second {
			t.Errorf("feed %s state after Run: %+v", f.ID, fs)
		}
	}
	if site.hits("/feeds/de.xml") != 1 || site.hits("/feeds/en.xml") != 1 {
		t.Errorf("feeds polled %d and %d times, want once each", site.hits("/feeds/de.xml"), site.hits("/feeds/en.xml"))
	}
}

// TestRunPollsWhenDue: Run polls a feed again once its poll interval has
// passed on the stage's clock, which the test advances instead of waiting
// out the interval.
func TestRunPollsWhenDue(t *testing.T) {
	site := newSite(t)
	b := newTestBus(t)
	cfg := testConfig(twoFeeds(site)...)
	clock := clockwork.NewFakeClockAt(time.Now())
	st, err := New(cfg, Deps{Bus: b, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- st.Run(ctx) }()
	select {
	case <-st.FirstPass():
	case <-ctx.Done():
		t.Fatal("the first pass never ended")
	}
	// The round ticker and the member heartbeat are the clock's timers.
	if err := clock.BlockUntilContext(ctx, 2); err != nil {
		t.Fatal("Run set no round and heartbeat timers on the stage's clock")
	}
	hits := func() (int, int) { return site.hits("/feeds/de.xml"), site.hits("/feeds/en.xml") }
	if de, en := hits(); de != 1 || en != 1 {
		t.Fatalf("first pass polled the feeds %d and %d times, want once each", de, en)
	}
	clock.Advance(2 * cfg.PollInterval)
	for de, en := hits(); de < 2 || en < 2; de, en = hits() {
		select {
		case <-ctx.Done():
			t.Fatalf("feeds polled %d and %d times after their interval passed, want twice each", de, en)
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if de, en := hits(); de != 2 || en != 2 {
		t.Errorf("feeds polled %d and %d times, want twice each", de, en)
	}
}
