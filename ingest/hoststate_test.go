package ingest

import (
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/natstest"
)

// TestHostStateUnavailable: when the shared per-host state cannot be read
// or written (NATS away, its bucket gone, too much contention), the feed
// is not at fault: its error count stays and it is polled again at its
// regular interval, not after ingest.backoff (15 minutes by default). The
// fault test (scripts/fault-test) saw feeds backed off this way for a
// hosts-bucket update that lost to contention.
func TestHostStateUnavailable(t *testing.T) {
	site := newSite(t)
	b, url := natstest.StartTCP(t)
	feeds := twoFeeds(site)
	st := newStage(t, b, testConfig(feeds...))

	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	if err := js.DeleteKeyValue(t.Context(), bus.BucketHosts); err != nil {
		t.Fatal(err)
	}
	stats, err := st.PollOnce(t.Context())
	if stats.FeedsOK != 0 || stats.ItemsPublished != 0 {
		t.Fatalf("polled without the hosts bucket: %+v, %v", stats, err)
	}
	for _, f := range feeds {
		fs, _, err := st.loadState(t.Context(), f)
		if err != nil {
			t.Fatal(err)
		}
		if fs.Errors != 0 {
			t.Errorf("%s: %d errors counted against the feed (%s)", f.ID, fs.Errors, fs.LastError)
		}
		if d := time.Until(fs.NextPoll); d > 2*st.cfg.PollInterval {
			t.Errorf("%s: next poll in %v, want about poll_interval (%v)", f.ID, d.Round(time.Second), st.cfg.PollInterval)
		}
	}
}
