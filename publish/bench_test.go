package publish_test

import (
	"fmt"
	"testing"

	"github.com/newsdesk/newsdesk/internal/natstest"
	"github.com/newsdesk/newsdesk/internal/smtptest"
	"github.com/newsdesk/newsdesk/publish"
)

// BenchmarkDeliverPerRecipient measures one digest mailed to 100
// subscribers over a real SMTP conversation with the in-process server,
// including the KV delivery records; ns/op divided by 100 is the cost per
// recipient (the relay's own rate limit is what bounds production).
func BenchmarkDeliverPerRecipient(b *testing.B) {
	bs := natstest.Start(b)
	srv := smtptest.Start(b)
	cfg := baseConfigB(b)
	host, port := splitHostPort(srv.Addr)
	cfg.Email.SMTPHost, cfg.Email.SMTPPort, cfg.Email.TLS = host, port, "none"
	cfg.Email.RatePerSecond = 1e6
	for i := range 100 {
		cfg.Email.Subscribers = append(cfg.Email.Subscribers, publish.SeedSubscriber{Email: fmt.Sprintf("r%03d@example.net", i), Languages: []string{"de"}})
	}
	st, err := publish.New(cfg, publish.Deps{Bus: bs})
	if err != nil {
		b.Fatal(err)
	}
	if err := st.Init(b.Context()); err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		d := testDigest("de", "2026-11-29")
		d.ID = fmt.Sprintf("digest:bench:%d", i)
		d.Date = fmt.Sprintf("2026-%02d-%02d", i/28%12+1, i%28+1)
		d.Edition = fmt.Sprintf("e%d", i)
		i++
		if err := st.Deliver(b.Context(), d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*100)/1e6, "ms/recipient")
}
