package publish_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/nats-io/nats.go/jetstream"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/natstest"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/publish"
)

// hookReceiver is a webhook endpoint on a real HTTP server. It checks each
// POST the way docs/operations.md tells receivers to (HMAC-SHA256 over
// "id.timestamp.body" with the shared secret, compared in constant time),
// and again with the Standard Webhooks reference library, then answers
// with the next scripted status (204 when the script is used up).
type hookReceiver struct {
	t      *testing.T
	srv    *httptest.Server
	key    []byte // the HMAC key docs/operations.md says the secret stands for
	lib    *standardwebhooks.Webhook
	mu     sync.Mutex
	script []answer
	got    []receivedHook
}

type answer struct {
	code       int
	retryAfter string
}

type receivedHook struct {
	id, timestamp string
	body          []byte
	payload       publish.WebhookPayload
}

func newHookReceiver(t *testing.T, secret string, key []byte) *hookReceiver {
	t.Helper()
	r := &hookReceiver{t: t, key: key}
	var err error
	if strings.HasPrefix(secret, "whsec_") {
		r.lib, err = standardwebhooks.NewWebhook(secret)
	} else {
		r.lib, err = standardwebhooks.NewWebhookRaw([]byte(secret))
	}
	if err != nil {
		t.Fatal(err)
	}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *hookReceiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	id, ts, sig := req.Header.Get("webhook-id"), req.Header.Get("webhook-timestamp"), req.Header.Get("webhook-signature")
	if req.Method != http.MethodPost || req.Header.Get("Content-Type") != "application/json" {
		r.t.Errorf("webhook request %s with Content-Type %q", req.Method, req.Header.Get("Content-Type"))
	}
	// docs/operations.md's recipe, by hand.
	mac := hmac.New(sha256.New, r.key)
	mac.Write([]byte(id + "." + ts + "."))
	mac.Write(body)
	want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if !strings.HasPrefix(id, "msg_") || !hmac.Equal([]byte(sig), []byte(want)) {
		r.t.Errorf("webhook signature %q for id %q does not verify by docs/operations.md's recipe", sig, id)
	}
	// The reference library, as a receiver would use it (the stage's clock
	// is fixed in the past, so skip only its timestamp window).
	if err := r.lib.VerifyIgnoringTimestamp(body, req.Header); err != nil {
		r.t.Errorf("standard webhooks library: %v", err)
	}
	if sec, err := strconv.ParseInt(ts, 10, 64); err != nil || sec != fixedNow.Unix() {
		r.t.Errorf("webhook-timestamp %q, want the stage's clock %d", ts, fixedNow.Unix())
	}
	var p publish.WebhookPayload
	if err := json.Unmarshal(body, &p); err != nil {
		r.t.Errorf("webhook body is not JSON: %v", err)
	}
	r.mu.Lock()
	r.got = append(r.got, receivedHook{id: id, timestamp: ts, body: body, payload: p})
	a := answer{code: http.StatusNoContent}
	if len(r.script) > 0 {
		a, r.script = r.script[0], r.script[1:]
	}
	r.mu.Unlock()
	if a.retryAfter != "" {
		w.Header().Set("Retry-After", a.retryAfter)
	}
	w.WriteHeader(a.code)
}

func (r *hookReceiver) answer(as ...answer) {
	r.mu.Lock()
	r.script = append(r.script, as...)
	r.mu.Unlock()
}

func (r *hookReceiver) received() []receivedHook {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]receivedHook(nil), r.got...)
}

// TestWebhookSignedRetriedOnce: a receiver that is down gets the digest
// after it comes back, signed, and exactly once however often the digest
// is redelivered, also by a restarted stage; mail goes out meanwhile.
func TestWebhookSignedRetriedOnce(t *testing.T) {
	const secret = "a shared secret, not base64"
	t.Setenv("TEST_WEBHOOK_SECRET", secret)
	recv := newHookReceiver(t, secret, []byte(secret))
	var cfg publish.Config
	e := newEnv(t, func(c *publish.Config) {
		c.Email.Subscribers = []publish.SeedSubscriber{{Email: "anna@example.net", Languages: []string{"de"}}}
		c.Webhooks = []publish.WebhookConfig{{URL: recv.srv.URL + "/hook?token=t0ps3cret", SecretEnv: "TEST_WEBHOOK_SECRET"}}
		c.Backoff = []time.Duration{time.Second, 4 * time.Second}
		cfg = *c
	})
	ctx := t.Context()
	d := testDigest("de", "2026-11-29")

	recv.answer(answer{code: 503}, answer{code: 429, retryAfter: "7"})
	err := e.st.Deliver(ctx, d)
	if after, ok := bus.RetryDelay(err); !ok || after != time.Second {
		t.Fatalf("receiver down: verdict %v (retry after %v), want a retry after the first back-off step", err, after)
	}
	if strings.Contains(err.Error(), "t0ps3cret") {
		t.Errorf("the verdict leaks the webhook URL's token: %v", err)
	}
	if n := len(e.smtp.Messages()); n != 1 {
		t.Fatalf("a failing webhook held up the mail: %d mails, want 1", n)
	}
	err = e.st.Deliver(ctx, d)
	if after, ok := bus.RetryDelay(err); !ok || after != 7*time.Second {
		t.Fatalf("429 with Retry-After 7: verdict %v, want a retry after 7s", err)
	}
	if err := e.st.Deliver(ctx, d); err != nil {
		t.Fatalf("receiver back: %v", err)
	}
	if err := e.st.Deliver(ctx, d); err != nil {
		t.Fatalf("redelivery: %v", err)
	}
	// A restarted stage on the same NATS data sends nothing again.
	st2, err := publish.New(cfg, publish.Deps{Bus: e.bus, Clock: clockwork.NewFakeClockAt(fixedNow)})
	if err != nil {
		t.Fatal(err)
	}
	if err := st2.Init(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st2.Deliver(ctx, d); err != nil {
		t.Fatal(err)
	}

	got := recv.received()
	if len(got) != 3 {
		t.Fatalf("receiver got %d POSTs, want 3 (503, 429, then 204 once)", len(got))
	}
	for _, h := range got[1:] {
		if h.id != got[0].id {
			t.Errorf("webhook-id changed between attempts: %q, %q", got[0].id, h.id)
		}
	}
	p := got[2].payload
	if p.Type != "digest.published" || p.Data.Schema != news.PublishedSchema || p.Data.DigestID != d.ID || p.Data.Digest == nil ||
		len(p.Data.Digest.Stories) != 1 || p.Data.ArchiveURL != "https://news.example.org/archive/de/2026-11-29-daily.html" ||
		p.Data.Feeds["atom"] != "https://news.example.org/feeds/de.atom" {
		t.Errorf("payload: %s", got[2].body)
	}
	if n := len(e.smtp.Messages()); n != 1 {
		t.Errorf("%d mails after all redeliveries, want 1", n)
	}
}

// TestWebhookRefusedForGood: a 4xx other than 408/425/429 refuses the
// digest for good; the digest is not held (no retry) and not posted again.
// Empty digests and other languages are not posted at all.
func TestWebhookRefusedForGood(t *testing.T) {
	raw := []byte("0123456789abcdef0123456789abcdef")
	secret := "whsec_" + base64.StdEncoding.EncodeToString(raw)
	recv := newHookReceiver(t, secret, raw)
	e := newEnv(t, func(c *publish.Config) {
		c.Webhooks = []publish.WebhookConfig{{URL: recv.srv.URL, Secret: secret, Languages: []string{"de"}}}
	})
	ctx := t.Context()
	recv.answer(answer{code: http.StatusUnauthorized})
	d := testDigest("de", "2026-11-29")
	for range 2 {
		if err := e.st.Deliver(ctx, d); err != nil {
			t.Fatalf("a refused webhook must not hold the digest: %v", err)
		}
	}
	empty := testDigest("de", "2026-11-30")
	empty.Stories = nil
	for _, x := range []news.Digest{empty, testDigest("en", "2026-11-29")} {
		if err := e.st.Deliver(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	if got := recv.received(); len(got) != 1 {
		t.Fatalf("receiver got %d POSTs, want 1 (refused, not repeated; no empty or English digest)", len(got))
	}
}

// TestPublishedEvent: each digest revision is announced once on
// news.published.<edition>.<lang>, with its links.
func TestPublishedEvent(t *testing.T) {
	e := newEnv(t, nil)
	ctx := t.Context()
	d := testDigest("en", "2026-11-29")
	for range 2 {
		if err := e.st.Deliver(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	d.Revision = 2
	d.CreatedAt = d.CreatedAt.Add(time.Hour)
	if err := e.st.Deliver(ctx, d); err != nil {
		t.Fatal(err)
	}
	var evs []news.Published
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	err := e.bus.ReadSince(rctx, bus.StreamPublished, bus.PublishedSubject("daily", "en"), time.Time{}, func(m jetstream.Msg) error {
		var ev news.Published
		if err := json.Unmarshal(m.Data(), &ev); err != nil {
			return err
		}
		if m.Headers().Get(bus.HeaderSchema) != news.PublishedSchema {
			t.Errorf("event header %s = %q", bus.HeaderSchema, m.Headers().Get(bus.HeaderSchema))
		}
		evs = append(evs, ev)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].Revision != 1 || evs[1].Revision != 2 {
		t.Fatalf("events %+v, want revisions 1 and 2 once each", evs)
	}
	if ev := evs[1]; ev.DigestID != d.ID || ev.Stories != 1 || ev.Digest != nil ||
		ev.ArchiveURL != "https://news.example.org/archive/en/2026-11-29-daily.html" || ev.Feeds["rss"] != "https://news.example.org/feeds/en.xml" {
		t.Errorf("event %+v", ev)
	}
}

// TestWebhookThroughConsumer: the retries are real redeliveries of the
// DIGESTS consumer, spaced by the back-off schedule; the receiver gets the
// digest once it answers 2xx, and nothing after.
func TestWebhookThroughConsumer(t *testing.T) {
	recv := newHookReceiver(t, "s3cret", []byte("s3cret"))
	recv.answer(answer{code: 502}, answer{code: 500})
	b := natstest.Start(t)
	cfg := baseConfig(t)
	cfg.Webhooks = []publish.WebhookConfig{{URL: recv.srv.URL, Secret: "s3cret"}}
	cfg.Backoff = []time.Duration{100 * time.Millisecond, 200 * time.Millisecond}
	st, err := publish.New(cfg, publish.Deps{Bus: b, Clock: clockwork.NewFakeClockAt(fixedNow)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- st.Run(ctx) }()
	defer func() { cancel(); <-done }()
	d := testDigest("en", "2026-11-29")
	if _, err := b.Publish(ctx, bus.DigestSubject(d.Edition, d.Language), d.MsgID(), d, nil); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for len(recv.received()) < 3 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	wctx, wcancel := context.WithTimeout(ctx, 20*time.Second)
	defer wcancel()
	if err := b.WaitIdle(wctx, bus.StreamDigests, "publish", 20*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // longer than any back-off step: nothing more may come
	if got := recv.received(); len(got) != 3 {
		t.Fatalf("receiver got %d POSTs, want 3 (502, 500, then 204)", len(got))
	}
}
