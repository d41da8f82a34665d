package ingest

import (
	"context"
	"testing"
	"time"
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
