package publish_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/nats-io/nats.go"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/natsembed"
	"github.com/newsdesk/newsdesk/internal/natstest"
	"github.com/newsdesk/newsdesk/internal/smtptest"
	"github.com/newsdesk/newsdesk/internal/testnet"
	"github.com/newsdesk/newsdesk/publish"
)

// readers are the subscribers of the mail fault tests, all for German.
func readers(n int) []publish.SeedSubscriber {
	var out []publish.SeedSubscriber
	for i := range n {
		out = append(out, publish.SeedSubscriber{Email: fmt.Sprintf("leser%02d@example.net", i), Languages: []string{"de"}})
	}
	return out
}

// copiesPerReader counts the mails each of the readers got.
func copiesPerReader(msgs []smtptest.Message) map[string]int {
	n := map[string]int{}
	for _, m := range msgs {
		for _, to := range m.To {
			n[to]++
		}
	}
	return n
}

// checkOnceEach fails unless every one of subs got exactly one mail.
func checkOnceEach(t *testing.T, subs []publish.SeedSubscriber, msgs []smtptest.Message) {
	t.Helper()
	got := copiesPerReader(msgs)
	for _, s := range subs {
		if got[s.Email] != 1 {
			t.Errorf("%s got %d copies of the digest, want 1 (all: %v)", s.Email, got[s.Email], got)
		}
	}
}

// redeliver calls Deliver the way the consumer would redeliver a digest
// whose verdict was not nil, up to n times; it returns the last verdict.
func redeliver(ctx context.Context, st *publish.Stage, n int) error {
	var err error
	for range n {
		if err = st.Deliver(ctx, testDigest("de", "2026-11-29")); err == nil {
			return nil
		}
	}
	return err
}

// TestRelaySlowerThanTimeoutAfterDATA: a relay that takes longer than
// data_timeout to answer the end of a message has the message, as far as
// anyone can tell. Such a send is in doubt: it is not repeated, nobody
// else's mail waits on it, and it is counted.
func TestRelaySlowerThanTimeoutAfterDATA(t *testing.T) {
	subs := readers(4)
	reg := prometheus.NewRegistry()
	b := natstest.Start(t)
	srv := smtptest.Start(t)
	srv.DelayData(2500 * time.Millisecond)
	cfg := baseConfig(t)
	smtpConfig(t, srv, &cfg)
	cfg.Email.Subscribers = subs
	cfg.Email.SendTimeout = time.Second
	cfg.Email.DataTimeout = time.Second
	st := startStage(t, cfg, publish.Deps{Bus: b, Metrics: reg})
	if err := redeliver(t.Context(), st, 5); err != nil {
		t.Errorf("in-doubt sends must not hold the digest for a retry: %v", err)
	}
	checkOnceEach(t, subs, srv.WaitFor(len(subs), 5*time.Second))
	if n := mailCount(t, reg, "in_doubt"); n != float64(len(subs)) {
		t.Errorf("emails_total{result=in_doubt} = %v, want %d", n, len(subs))
	}
}

// TestSlowRelayWithinDataTimeout: send_timeout bounds the commands, not
// the relay's answer to the message, which gets data_timeout (RFC 5321
// allows ten minutes): a relay that takes longer than send_timeout there
// is waited for, and every mail counts as sent.
func TestSlowRelayWithinDataTimeout(t *testing.T) {
	subs := readers(2)
	reg := prometheus.NewRegistry()
	b := natstest.Start(t)
	srv := smtptest.Start(t)
	srv.DelayData(1500 * time.Millisecond)
	cfg := baseConfig(t)
	smtpConfig(t, srv, &cfg)
	cfg.Email.Subscribers = subs
	cfg.Email.SendTimeout = time.Second
	st := startStage(t, cfg, publish.Deps{Bus: b, Metrics: reg})
	if err := redeliver(t.Context(), st, 1); err != nil {
		t.Fatal(err)
	}
	checkOnceEach(t, subs, srv.Messages())
	if n := mailCount(t, reg, "sent"); n != float64(len(subs)) {
		t.Errorf("emails_total{result=sent} = %v, want %d", n, len(subs))
	}
}

// mailCount reads newsdesk_publish_emails_total{kind="digest",result=…}.
func mailCount(t *testing.T, reg *prometheus.Registry, result string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "newsdesk_publish_emails_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["kind"] == "digest" && labels["result"] == result {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

// TestNATSGoneMidMailing: the NATS server stops right after the relay took
// the second mail, so its delivery record cannot be written, and comes
// back ten seconds later. No reader gets the digest twice, none is
// skipped: nothing is sent without an intent record, and the mail whose
// outcome was never recorded is in doubt, not sent again.
func TestNATSGoneMidMailing(t *testing.T) {
	subs := readers(4)
	store := t.TempDir()
	// It comes back on its port: one from outside the kernel's ephemeral
	// range, so the client's reconnects meanwhile cannot take it.
	ns, err := natsembed.Start(natsembed.Options{StoreDir: store, Listen: testnet.FreeAddr(t)})
	if err != nil {
		t.Fatal(err)
	}
	natsURL := ns.ClientURL()
	stopped := make(chan struct{})
	t.Cleanup(func() { ns.Shutdown() })
	// No reconnect buffer: a record that cannot be written while NATS is
	// away is lost, as it is when the process exits before NATS returns
	// (the buffer lives in the process) or another replica takes over.
	nc, err := nats.Connect(natsURL, nats.MaxReconnects(-1), nats.ReconnectWait(50*time.Millisecond), nats.ReconnectBufSize(-1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	var bcfg bus.Config
	bcfg.Defaults()
	bcfg.RequestTimeout = time.Second
	b, err := bus.Open(t.Context(), nc, bcfg, slog.New(slog.DiscardHandler), bus.Declare)
	if err != nil {
		t.Fatal(err)
	}

	srv := smtptest.Start(t)
	srv.OnMessage(func(n int) {
		if n == 2 {
			ns.Shutdown()
			close(stopped)
		}
	})
	cfg := baseConfig(t)
	smtpConfig(t, srv, &cfg)
	cfg.Email.Subscribers = subs
	clk := clockwork.NewFakeClockAt(fixedNow)
	st := startStage(t, cfg, publish.Deps{Bus: b, Clock: clk})
	ctx := t.Context()
	// The attempts to record the second mail's outcome pause on the
	// stage's clock, the only timer it sets here: a helper moves the
	// clock past each pause and counts them.
	pctx, stopPauses := context.WithCancel(ctx)
	pauses := make(chan int, 1)
	go func() {
		n := 0
		for clk.BlockUntilContext(pctx, 1) == nil {
			clk.Advance(time.Second)
			n++
		}
		pauses <- n
	}()
	if err := st.Deliver(ctx, testDigest("de", "2026-11-29")); err == nil {
		t.Fatal("Deliver succeeded with NATS gone")
	}
	stopPauses()
	if n := <-pauses; n != 2 {
		t.Errorf("%d pauses between attempts to record the outcome, want 2 (three attempts)", n)
	}
	<-stopped
	time.Sleep(time.Second) // NATS stays away a while (10 s in the probe; the length does not matter)
	ns, err = natsembed.Start(natsembed.Options{StoreDir: store, Listen: strings.TrimPrefix(natsURL, "nats://")})
	if err != nil {
		t.Fatal(err)
	}
	for !nc.IsConnected() {
		time.Sleep(20 * time.Millisecond)
	}
	if err := redeliver(ctx, st, 3); err != nil {
		t.Fatalf("after NATS came back: %v", err)
	}
	checkOnceEach(t, subs, srv.Messages())
}

// childEnv carries what a child process needs to run a publish stage
// (TestKillDuringSlowDATA): NATS URL, SMTP address, out_dir.
const childEnv = "NEWSDESK_PUBLISH_TEST_CHILD"

// TestMain lets the test binary serve as the child process of
// TestKillDuringSlowDATA.
func TestMain(m *testing.M) {
	if spec := os.Getenv(childEnv); spec != "" {
		os.Exit(runChildStage(spec))
	}
	os.Exit(m.Run())
}

// childConfig is the config of the child and of the parent's stage after
// it: two German readers over the given relay.
func childConfig(smtpAddr, out string) publish.Config {
	host, port := splitHostPort(smtpAddr)
	return publish.Config{
		OutDir:  out,
		BaseURL: "https://news.example.org",
		Email: publish.EmailConfig{
			From: "Newsdesk <digest@news.example.org>", SMTPHost: host, SMTPPort: port, TLS: "none", RatePerSecond: 1000,
			Subscribers: readers(2),
		},
	}
}

// runChildStage delivers one digest and never returns while the relay
// holds its answer: the parent kills it with SIGKILL meanwhile.
func runChildStage(spec string) int {
	parts := strings.Split(spec, "|")
	nc, err := nats.Connect(parts[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	var bcfg bus.Config
	bcfg.Defaults()
	ctx := context.Background()
	b, err := bus.Open(ctx, nc, bcfg, slog.New(slog.DiscardHandler), bus.Declare)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	st, err := publish.New(childConfig(parts[1], parts[2]), publish.Deps{Bus: b, Clock: clockwork.NewFakeClockAt(fixedNow)})
	if err == nil {
		err = st.Init(ctx)
	}
	if err == nil {
		err = st.Deliver(ctx, testDigest("de", "2026-11-29"))
	}
	fmt.Fprintln(os.Stderr, "child: Deliver returned:", err)
	return 4
}

// TestKillDuringSlowDATA: the process is killed (SIGKILL) while the relay,
// which already has the first reader's mail, has not answered it. A
// restarted stage mails the second reader and not the first again.
func TestKillDuringSlowDATA(t *testing.T) {
	b, natsURL := natstest.StartTCP(t)
	srv := smtptest.Start(t)
	srv.DelayData(time.Minute)
	out := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+natsURL+"|"+srv.Addr+"|"+out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if got := srv.WaitFor(1, 30*time.Second); len(got) != 1 {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("the child sent no mail: %s", stderr.String())
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if strings.Contains(stderr.String(), "Deliver returned") {
		t.Fatalf("the child finished before it was killed: %s", stderr.String())
	}
	srv.DelayData(0)

	reg := prometheus.NewRegistry()
	st, err := publish.New(childConfig(srv.Addr, out), publish.Deps{Bus: b, Metrics: reg, Clock: clockwork.NewFakeClockAt(fixedNow)})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Init(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := redeliver(t.Context(), st, 3); err != nil {
		t.Fatal(err)
	}
	checkOnceEach(t, readers(2), srv.Messages())
	if doubt, sent := mailCount(t, reg, "in_doubt"), mailCount(t, reg, "sent"); doubt != 1 || sent != 1 {
		t.Errorf("restarted stage: %v in doubt, %v sent; want 1 and 1", doubt, sent)
	}
}

// TestInDoubtResend: with email.in_doubt: resend, a send the relay never
// answered is repeated at the digest's next delivery, not at once, under
// the same Message-ID.
func TestInDoubtResend(t *testing.T) {
	subs := readers(1)
	b := natstest.Start(t)
	srv := smtptest.Start(t)
	srv.DelayData(2500 * time.Millisecond)
	cfg := baseConfig(t)
	smtpConfig(t, srv, &cfg)
	cfg.Email.Subscribers = subs
	cfg.Email.SendTimeout = time.Second
	cfg.Email.DataTimeout = time.Second
	cfg.Email.InDoubt = publish.InDoubtResend
	st := startStage(t, cfg, publish.Deps{Bus: b})
	ctx := t.Context()
	err := st.Deliver(ctx, testDigest("de", "2026-11-29"))
	if after, ok := bus.RetryDelay(err); !ok || after != publish.DefaultRetryAfter {
		t.Fatalf("verdict %v, want a retry after email.retry_after", err)
	}
	if n := len(srv.WaitFor(1, 5*time.Second)); n != 1 {
		t.Fatalf("%d mails after the first delivery, want 1 (no retry at once)", n)
	}
	srv.DelayData(0)
	if err := st.Deliver(ctx, testDigest("de", "2026-11-29")); err != nil {
		t.Fatal(err)
	}
	if err := st.Deliver(ctx, testDigest("de", "2026-11-29")); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 2 {
		t.Fatalf("%d mails, want 2 (the in-doubt one repeated once)", len(msgs))
	}
	if a, b := parseMail(t, msgs[0].Data).header.Get("Message-Id"), parseMail(t, msgs[1].Data).header.Get("Message-Id"); a == "" || a != b {
		t.Errorf("the repeat has Message-ID %q, the first %q: want the same", b, a)
	}
}
