package publish_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/natstest"
	"github.com/newsdesk/newsdesk/internal/smtptest"
	"github.com/newsdesk/newsdesk/publish"
)

// TestRateLimitSMTPOnly: email.rate_per_second holds back sends to an SMTP
// relay; .eml files written to the outbox are not held back. The rate
// here allows one mail and then one per 1,000 s, so a throttled send
// cannot happen within the test's deadline (the limiter says so at once).
func TestRateLimitSMTPOnly(t *testing.T) {
	subs := readers(5)
	for _, relay := range []bool{false, true} {
		b := natstest.Start(t)
		cfg := baseConfig(t)
		var srv *smtptest.Server
		if relay {
			srv = smtptest.Start(t)
			smtpConfig(t, srv, &cfg)
		}
		cfg.Email.Subscribers = subs
		cfg.Email.RatePerSecond = 0.001
		st, err := publish.New(cfg, publish.Deps{Bus: b, Clock: clockwork.NewFakeClockAt(fixedNow)})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		defer cancel()
		if err := st.Init(ctx); err != nil {
			t.Fatal(err)
		}
		err = st.Deliver(ctx, testDigest("de", "2026-11-29"))
		if !relay {
			emls, _ := filepath.Glob(filepath.Join(cfg.OutDir, "outbox", "*.eml"))
			if err != nil || len(emls) != len(subs) {
				t.Errorf("outbox: %d files, verdict %v; want %d files at once", len(emls), err, len(subs))
			}
			continue
		}
		if _, ok := bus.RetryDelay(err); !ok {
			t.Errorf("relay: verdict %v, want a retry (the rate limit holds the rest back)", err)
		}
		if n := len(srv.Messages()); n != 1 {
			t.Errorf("relay: %d mails within the deadline, want 1 (the burst)", n)
		}
	}
}
