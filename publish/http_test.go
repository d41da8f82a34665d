package publish_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/natstest"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/smtptest"
	"github.com/newsdesk/newsdesk/publish"
)

type env struct {
	bus  *bus.Bus
	st   *publish.Stage
	web  *httptest.Server
	smtp *smtptest.Server
	clk  *clockwork.FakeClock
	cfg  publish.Config
}

// deliver hands each digest to the stage, in order, as its consumer does.
func (e *env) deliver(t *testing.T, ds ...news.Digest) {
	t.Helper()
	for _, d := range ds {
		if err := e.st.Deliver(t.Context(), d); err != nil {
			t.Fatalf("deliver %s revision %d: %v", d.ID, d.Revision, err)
		}
	}
}

func newEnv(t *testing.T, mutate func(*publish.Config)) *env {
	t.Helper()
	return newEnvLog(t, mutate, nil)
}

// newEnvLog is newEnv with the stage logging to log (nil: nowhere).
func newEnvLog(t *testing.T, mutate func(*publish.Config), log *slog.Logger) *env {
	t.Helper()
	b := natstest.Start(t)
	srv := smtptest.Start(t)
	cfg := baseConfig(t)
	smtpConfig(t, srv, &cfg)
	if mutate != nil {
		mutate(&cfg)
	}
	clk := clockwork.NewFakeClockAt(fixedNow)
	st, err := publish.New(cfg, publish.Deps{Bus: b, Clock: clk, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Init(t.Context()); err != nil {
		t.Fatal(err)
	}
	// Run consumes the signup queue (and digests nobody publishes here).
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- st.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	// The purge ticker is the clock's one waiter: once it is armed, at
	// fixedNow, a test that advances the clock knows when it fires.
	if err := clk.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal(err)
	}
	web := httptest.NewServer(st.Handler())
	t.Cleanup(web.Close)
	return &env{bus: b, st: st, web: web, smtp: srv, clk: clk, cfg: cfg}
}

// queued waits until the signup queue has handled every request, so that
// a test sees the mails they called for (and only those).
func (e *env) queued(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	if err := e.bus.WaitIdle(ctx, bus.StreamSignups, "publish-signups", 10*time.Millisecond); err != nil {
		t.Fatal(err)
	}
}

// submit posts a form and does not wait for the queue (which cannot go
// idle while the relay refuses its mail).
func (e *env) submit(t *testing.T, path string, form url.Values) (int, string) {
	t.Helper()
	resp, err := http.PostForm(e.web.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (e *env) post(t *testing.T, path string, form url.Values) (int, string) {
	t.Helper()
	resp, err := http.PostForm(e.web.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if path == "/subscribe" || path == "/unsubscribe/link" {
		// These queue their mail: wait until the queue has handled it.
		e.queued(t)
	}
	return resp.StatusCode, string(b)
}

func (e *env) get(t *testing.T, path string, hdr map[string]string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.web.URL+path, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestFeedsOverHTTPWithConditionalGET(t *testing.T) {
	e := newEnv(t, nil)
	if err := e.st.Deliver(t.Context(), testDigest("de", "2026-11-29")); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ path, ctype string }{
		{"/feeds/de.xml", "application/rss+xml; charset=utf-8"},
		{"/feeds/de.atom", "application/atom+xml; charset=utf-8"},
		{"/feeds/de.json", "application/feed+json"},
		{"/digests/de.json", "application/json"},
		{"/archive/de/", "text/html; charset=utf-8"},
		{"/archive/de/2026-11-29-daily.html", "text/html; charset=utf-8"},
	} {
		resp, body := e.get(t, tt.path, nil)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != tt.ctype {
			t.Errorf("%s: %d %q, want 200 %q", tt.path, resp.StatusCode, resp.Header.Get("Content-Type"), tt.ctype)
			continue
		}
		etag := resp.Header.Get("ETag")
		if !regexp.MustCompile(`^"[A-Za-z0-9_-]+"$`).MatchString(etag) {
			t.Errorf("%s: ETag %q is not a strong ETag", tt.path, etag)
		}
		if resp.Header.Get("Cache-Control") != "public, max-age=300" {
			t.Errorf("%s: Cache-Control %q", tt.path, resp.Header.Get("Cache-Control"))
		}
		lm := resp.Header.Get("Last-Modified")
		if lm != "Sun, 29 Nov 2026 06:00:00 GMT" {
			t.Errorf("%s: Last-Modified %q, want the digest's time", tt.path, lm)
		}
		if len(body) == 0 {
			t.Errorf("%s: empty body", tt.path)
		}
		for _, h := range []map[string]string{{"If-None-Match": etag}, {"If-Modified-Since": lm}} {
			r2, b2 := e.get(t, tt.path, h)
			if r2.StatusCode != http.StatusNotModified || b2 != "" {
				t.Errorf("%s with %v: %d, want 304 and no body", tt.path, h, r2.StatusCode)
			}
			if r2.Header.Get("ETag") != etag || r2.Header.Get("Cache-Control") == "" {
				t.Errorf("%s: 304 must repeat ETag and Cache-Control", tt.path)
			}
		}
	}
	// The latest digest is served as published; an older one does not replace it.
	if err := e.st.Deliver(t.Context(), testDigest("de", "2026-11-20")); err != nil {
		t.Fatal(err)
	}
	_, body := e.get(t, "/digests/de.json", nil)
	var latest news.Digest
	if err := json.Unmarshal([]byte(body), &latest); err != nil || latest.ID != testDigest("de", "2026-11-29").ID || len(latest.Stories) != 1 {
		t.Errorf("digests/de.json: %v, id %q", err, latest.ID)
	}
	// A redelivery changes nothing: same ETag, same Last-Modified.
	before, _ := e.get(t, "/feeds/de.xml", nil)
	e.clk.Advance(time.Hour)
	if err := e.st.Deliver(t.Context(), testDigest("de", "2026-11-29")); err != nil {
		t.Fatal(err)
	}
	after, _ := e.get(t, "/feeds/de.xml", nil)
	if before.Header.Get("ETag") != after.Header.Get("ETag") || before.Header.Get("Last-Modified") != after.Header.Get("Last-Modified") {
		t.Error("redelivering the same digest changed the feed's validators")
	}
	if resp, _ := e.get(t, "/feeds/../../etc/passwd", nil); resp.StatusCode != 404 {
		t.Errorf("path traversal: %d", resp.StatusCode)
	}
	if resp, _ := e.get(t, "/healthz", nil); resp.StatusCode != 200 {
		t.Errorf("healthz: %d", resp.StatusCode)
	}
}

var confirmRE = regexp.MustCompile(`https://news\.example\.org(/confirm\?t=[A-Za-z0-9._%=-]+)`)

func TestDoubleOptIn(t *testing.T) {
	e := newEnv(t, nil)
	ctx := t.Context()
	resp, body := e.get(t, "/", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, `action="subscribe"`) {
		t.Fatalf("index: %d\n%s", resp.StatusCode, body)
	}

	code, page := e.post(t, "/subscribe", url.Values{"email": {"Dora@Example.net"}, "lang": {"de"}})
	if code != 200 {
		t.Fatalf("subscribe: %d %s", code, page)
	}
	msgs := e.smtp.Messages()
	if len(msgs) != 1 || msgs[0].To[0] != "dora@example.net" {
		t.Fatalf("want one confirmation mail to dora, got %d", len(msgs))
	}
	pm := parseMail(t, msgs[0].Data)
	if pm.header.Get("List-Unsubscribe") != "" || pm.header.Get("Precedence") != "" {
		t.Error("the confirmation mail is not a list mail")
	}
	if !strings.Contains(pm.subject, "bestätigen") {
		t.Errorf("confirmation subject %q", pm.subject)
	}
	m := confirmRE.FindStringSubmatch(pm.parts[0].body)
	if m == nil {
		t.Fatalf("no confirm link in:\n%s", pm.parts[0].body)
	}
	confirmPath := m[1]

	// Before confirming, a digest does not reach her.
	if err := e.st.Deliver(ctx, testDigest("de", "2026-11-27")); err != nil {
		t.Fatal(err)
	}
	if n := len(e.smtp.Messages()); n != 1 {
		t.Fatalf("unconfirmed address got a digest (%d mails)", n)
	}

	// Signing up again at once: same answer, no second mail.
	code, page2 := e.post(t, "/subscribe", url.Values{"email": {"dora@example.net"}, "lang": {"de"}})
	if code != 200 || page2 != page {
		t.Errorf("repeat signup: %d, page differs=%v", code, page2 != page)
	}
	if n := len(e.smtp.Messages()); n != 1 {
		t.Errorf("repeat signup sent another mail (%d)", n)
	}

	// Following the link (as a mail scanner would) only shows a button.
	resp, body = e.get(t, confirmPath, nil)
	if resp.StatusCode != 200 || !strings.Contains(body, `method="post"`) || !strings.Contains(body, "Bestätigen") {
		t.Fatalf("confirm page: %d\n%s", resp.StatusCode, body)
	}
	if err := e.st.Deliver(ctx, testDigest("de", "2026-11-28")); err != nil {
		t.Fatal(err)
	}
	if n := len(e.smtp.Messages()); n != 1 {
		t.Fatalf("a GET of the confirm link subscribed the address (%d mails)", n)
	}
	code, body = e.post(t, confirmPath, nil)
	if code != 200 || !strings.Contains(body, "bestätigt") {
		t.Fatalf("confirm: %d\n%s", code, body)
	}
	if code, _ := e.post(t, confirmPath, nil); code != 200 {
		t.Errorf("second click on the confirm button: %d, want 200", code)
	}
	if resp, body := e.get(t, confirmPath, nil); resp.StatusCode != 200 || strings.Contains(body, `method="post"`) {
		t.Errorf("confirm link after confirming: %d, shows a button again", resp.StatusCode)
	}
	// A confirmed address signing up again gets the same page and no mail.
	if code, p := e.post(t, "/subscribe", url.Values{"email": {"dora@example.net"}, "lang": {"de"}}); code != 200 || p != page {
		t.Errorf("signup of a confirmed address: %d, page differs=%v", code, p != page)
	}

	if err := e.st.Deliver(ctx, testDigest("de", "2026-11-29")); err != nil {
		t.Fatal(err)
	}
	msgs = e.smtp.Messages()
	if len(msgs) != 2 || msgs[1].To[0] != "dora@example.net" {
		t.Fatalf("confirmed subscriber did not get the digest (%d mails)", len(msgs))
	}
	if got := parseMail(t, msgs[1].Data).subject; got != "Tägliche Übersicht, 29. November: Exportkontrollen für KI-Chips verschärft" {
		t.Errorf("digest subject %q", got)
	}
	// English digests do not reach a German-only subscriber.
	if err := e.st.Deliver(ctx, testDigest("en", "2026-11-29")); err != nil {
		t.Fatal(err)
	}
	if n := len(e.smtp.Messages()); n != 2 {
		t.Errorf("language filter: %d mails, want 2", n)
	}
}

// purgeSignal is a log destination that reports each purge of expired
// signups (the stage logs one line per purge that removed any).
type purgeSignal chan struct{}

func (p purgeSignal) Write(b []byte) (int, error) {
	if bytes.Contains(b, []byte("purged expired signups")) {
		select {
		case p <- struct{}{}:
		default:
		}
	}
	return len(b), nil
}

// TestConfirmLinkExpires: a confirm link past confirm_ttl is refused
// (410) and its signup gets no digest; Run's ticker, on the stage's
// clock, purges the request, after which the link is unknown (404).
func TestConfirmLinkExpires(t *testing.T) {
	purged := make(purgeSignal, 1)
	e := newEnvLog(t, func(c *publish.Config) { c.Subscriptions.PurgeInterval = 72 * time.Hour },
		slog.New(slog.NewJSONHandler(purged, nil)))
	if code, _ := e.post(t, "/subscribe", url.Values{"email": {"late@example.net"}, "lang": {"en"}}); code != 200 {
		t.Fatal(code)
	}
	m := confirmRE.FindStringSubmatch(parseMail(t, e.smtp.Messages()[0].Data).parts[0].body)
	if m == nil {
		t.Fatal("no confirm link")
	}
	e.clk.Advance(49 * time.Hour)
	if resp, _ := e.get(t, m[1], nil); resp.StatusCode != http.StatusGone {
		t.Errorf("expired confirm link: %d, want 410", resp.StatusCode)
	}
	if err := e.st.Deliver(t.Context(), testDigest("en", "2026-12-01")); err != nil {
		t.Fatal(err)
	}
	if n := len(e.smtp.Messages()); n != 1 {
		t.Errorf("expired signup got a digest")
	}
	// The purge ticker comes due: the expired request goes, the link is
	// dead.
	e.clk.Advance(23 * time.Hour)
	select {
	case <-purged:
	case <-time.After(20 * time.Second):
		t.Fatal("the purge ticker did not purge the expired signup")
	}
	if resp, _ := e.get(t, m[1], nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("purged signup's confirm link: %d, want 404", resp.StatusCode)
	}
	// A forged token with the right shape is refused too.
	forged := "/confirm?t=" + strings.Repeat("a", 32) + "." + strings.Repeat("b", 32)
	if resp, _ := e.get(t, forged, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("forged token: %d, want 404", resp.StatusCode)
	}
	for _, p := range []string{"/confirm", "/confirm?t=", "/confirm?t=%0d%0a", "/unsubscribe?t=x.y", "/unsubscribe?t=" + strings.Repeat("a", 32) + "." + strings.Repeat("b", 32)} {
		if resp, _ := e.get(t, p, nil); resp.StatusCode < 400 || resp.StatusCode >= 500 {
			t.Errorf("GET %s: %d, want 4xx", p, resp.StatusCode)
		}
	}
}

func TestHostileSignups(t *testing.T) {
	e := newEnv(t, func(c *publish.Config) { c.Subscriptions.MaxSignupsPerIPPerHour = 3 })
	tests := []struct {
		name string
		form url.Values
		want int
	}{
		{"header injection", url.Values{"email": {"a@example.net\r\nBcc: victim@example.org"}, "lang": {"de"}}, 400},
		{"lf injection", url.Values{"email": {"a@example.net\nSubject: x"}, "lang": {"de"}}, 400},
		{"script", url.Values{"email": {"<script>alert(1)</script>@example.net"}, "lang": {"de"}}, 400},
		{"display name", url.Values{"email": {"Eve <eve@example.net>"}, "lang": {"de"}}, 400},
		{"two addresses", url.Values{"email": {"a@example.net, b@example.net"}, "lang": {"de"}}, 400},
		{"no domain dot", url.Values{"email": {"root@localhost"}, "lang": {"de"}}, 400},
		{"too long", url.Values{"email": {strings.Repeat("a", 250) + "@example.net"}, "lang": {"de"}}, 400},
		{"no language", url.Values{"email": {"a@example.net"}}, 400},
		{"unknown language", url.Values{"email": {"a@example.net"}, "lang": {"<script>"}}, 400},
		{"empty", url.Values{}, 400},
	}
	for _, tt := range tests {
		code, body := e.post(t, "/subscribe", tt.form)
		if code != tt.want {
			t.Errorf("%s: status %d, want %d", tt.name, code, tt.want)
		}
		if strings.Contains(body, "<script>") || strings.Contains(body, "victim") {
			t.Errorf("%s: input reflected into the page", tt.name)
		}
	}
	// A huge body is cut off.
	resp, err := http.Post(e.web.URL+"/subscribe", "application/x-www-form-urlencoded", strings.NewReader("email=a%40example.net&lang=de&x="+strings.Repeat("A", 1<<20)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("huge body: %d, want 413", resp.StatusCode)
	}
	// The honeypot field: a success page, but no mail.
	if code, _ := e.post(t, "/subscribe", url.Values{"email": {"bot@example.net"}, "lang": {"de"}, "website": {"http://spam"}}); code != 200 {
		t.Errorf("honeypot: %d", code)
	}
	if n := len(e.smtp.Messages()); n != 0 {
		t.Fatalf("hostile posts caused %d mails", n)
	}
	// Per-IP limit: three signups an hour, then 429.
	for i, want := range []int{200, 200, 200, 429} {
		code, _ := e.post(t, "/subscribe", url.Values{"email": {"user" + string(rune('a'+i)) + "@example.net"}, "lang": {"en"}})
		if code != want {
			t.Errorf("signup %d: %d, want %d", i, code, want)
		}
	}
	if n := len(e.smtp.Messages()); n != 3 {
		t.Errorf("%d confirmation mails, want 3", n)
	}
	// Wrong methods.
	if resp, _ := e.get(t, "/subscribe", nil); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /subscribe: %d", resp.StatusCode)
	}
}

func TestHandlerBeforeInit(t *testing.T) {
	cfg := baseConfig(t)
	st, err := publish.New(cfg, publish.Deps{Bus: natstest.Start(t)})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	st.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/subscribe", strings.NewReader("email=a%40example.net&lang=de")))
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("subscribe before Init: %d, want 503", rec.Code)
	}
	rec = httptest.NewRecorder()
	st.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusOK {
		t.Errorf("index before Init: %d", rec.Code)
	}
}

// TestResignupKeepsProof: an address that confirmed, unsubscribed and
// signed up again but never confirmed the second time ends up unsubscribed
// with its original consent record kept as proof.
func TestResignupKeepsProof(t *testing.T) {
	e := newEnv(t, nil)
	ctx := t.Context()
	signup := func() string {
		t.Helper()
		n := len(e.smtp.Messages())
		if code, _ := e.post(t, "/subscribe", url.Values{"email": {"eva@example.net"}, "lang": {"en"}}); code != 200 {
			t.Fatal(code)
		}
		msgs := e.smtp.Messages()
		if len(msgs) != n+1 {
			t.Fatalf("no confirmation mail")
		}
		m := confirmRE.FindStringSubmatch(parseMail(t, msgs[n].Data).parts[0].body)
		return m[1]
	}
	if code, _ := e.post(t, signup(), nil); code != 200 {
		t.Fatal("confirm failed")
	}
	if err := e.st.Deliver(ctx, testDigest("en", "2026-11-29")); err != nil {
		t.Fatal(err)
	}
	msgs := e.smtp.Messages()
	mm := unsubRE.FindStringSubmatch(parseMail(t, msgs[len(msgs)-1].Data).header.Get("List-Unsubscribe"))
	u, _ := url.Parse(mm[1])
	if code, _ := e.post(t, u.RequestURI(), url.Values{"List-Unsubscribe": {"One-Click"}}); code != 200 {
		t.Fatal("unsubscribe failed")
	}
	e.clk.Advance(time.Hour)
	signup() // never confirmed
	e.clk.Advance(49 * time.Hour)
	if err := e.st.Init(ctx); err != nil {
		t.Fatal(err)
	}
	keys, err := e.bus.Subscribers().Keys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var rec publish.Subscriber
	for _, k := range keys {
		if strings.HasPrefix(k, "sub.") {
			entry, _ := e.bus.Subscribers().Get(ctx, k)
			if err := json.Unmarshal(entry.Value, &rec); err != nil {
				t.Fatal(err)
			}
		}
	}
	if rec.Status != publish.StatusUnsubscribed || rec.Consent.ConfirmedAt.IsZero() || rec.Consent.RequestIP != "127.0.0.1" {
		t.Fatalf("record after purge: %+v", rec)
	}
	if n := len(e.smtp.Messages()); n != 3 {
		t.Fatalf("%d mails", n)
	}
	if err := e.st.Deliver(ctx, testDigest("en", "2026-12-02")); err != nil {
		t.Fatal(err)
	}
	if n := len(e.smtp.Messages()); n != 3 {
		t.Error("an unsubscribed address got a digest after the purge")
	}
}

func TestClientIPHeader(t *testing.T) {
	e := newEnv(t, func(c *publish.Config) {
		c.Subscriptions.MaxSignupsPerIPPerHour = 1
		c.HTTP.ClientIPHeader = "X-Real-IP"
	})
	post := func(ip, addr string) int {
		req, _ := http.NewRequest(http.MethodPost, e.web.URL+"/subscribe", strings.NewReader(url.Values{"email": {addr}, "lang": {"de"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Real-IP", ip)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if c := post("198.51.100.1", "a@example.net"); c != 200 {
		t.Fatal(c)
	}
	if c := post("198.51.100.2", "b@example.net"); c != 200 {
		t.Errorf("a second client behind the proxy was limited: %d", c)
	}
	if c := post("198.51.100.1", "c@example.net"); c != 429 {
		t.Errorf("the first client's second signup: %d, want 429", c)
	}
}

func TestWebSub(t *testing.T) {
	var mu sync.Mutex
	var pings []url.Values
	hub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		mu.Lock()
		pings = append(pings, r.PostForm)
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer hub.Close()
	e := newEnv(t, func(c *publish.Config) { c.WebSubHub = hub.URL + "/hub" })
	if err := e.st.Deliver(t.Context(), testDigest("de", "2026-11-29")); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if len(pings) != 1 || pings[0].Get("hub.mode") != "publish" || len(pings[0]["hub.url"]) != 3 || pings[0]["hub.url"][0] != "https://news.example.org/feeds/de.xml" {
		t.Errorf("hub pings: %v", pings)
	}
	mu.Unlock()
	for _, p := range []string{"/feeds/de.xml", "/feeds/de.atom", "/feeds/de.json"} {
		resp, body := e.get(t, p, nil)
		link := resp.Header.Get("Link")
		if !strings.Contains(link, `<`+hub.URL+`/hub>; rel="hub"`) || !strings.Contains(link, `<https://news.example.org`+p+`>; rel="self"`) {
			t.Errorf("%s: Link %q", p, link)
		}
		if !strings.Contains(body, hub.URL+"/hub") {
			t.Errorf("%s does not advertise the hub in the document", p)
		}
	}
}
