package publish_test

import (
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/newsdesk/newsdesk/publish"
)

// TestSignupAnswersAlike: the form gives the same answer (status and
// page) for a new, a pending and a confirmed address, and while the relay
// refuses mail; the page says nothing about the address.
func TestSignupAnswersAlike(t *testing.T) {
	e := newEnv(t, func(c *publish.Config) {
		c.Email.Subscribers = []publish.SeedSubscriber{{Email: "confirmed@example.net", Languages: []string{"de"}}}
	})
	form := func(addr string) url.Values { return url.Values{"email": {addr}, "lang": {"de"}} }
	_, want := e.post(t, "/subscribe", form("new@example.net"))
	cases := map[string]string{"pending": "new@example.net", "confirmed": "confirmed@example.net"}
	for name, addr := range cases {
		if code, got := e.post(t, "/subscribe", form(addr)); code != 200 || got != want {
			t.Errorf("%s address: %d, page differs: %v", name, code, got != want)
		}
	}
	e.smtp.RejectRcpt(func(string) *smtp.SMTPError {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"}
	})
	if code, got := e.submit(t, "/subscribe", form("during-outage@example.net")); code != 200 || got != want {
		t.Errorf("relay refusing: %d, page differs: %v", code, got != want)
	}
	if strings.Contains(want, "example.net") {
		t.Errorf("the answer names an address:\n%s", want)
	}
}

// TestSignupWithRelayDown: the relay is not even listening. The form
// answers as it does when the relay is up.
func TestSignupWithRelayDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	e := newEnv(t, func(c *publish.Config) {
		c.Email.SMTPHost, c.Email.SMTPPort = splitHostPort(addr)
		c.Email.RetryAfter = time.Second
	})
	up := newEnv(t, nil)
	_, want := up.post(t, "/subscribe", url.Values{"email": {"x@example.net"}, "lang": {"de"}})
	code, got := e.submit(t, "/subscribe", url.Values{"email": {"y@example.net"}, "lang": {"de"}})
	if code != 200 || got != want {
		t.Errorf("relay down: %d, page differs from relay up: %v", code, got != want)
	}
}

// TestConfirmationRetried: a confirmation the relay refused is sent when
// the request is tried again, and when the person signs up again; either
// way they get one mail, not two.
func TestConfirmationRetried(t *testing.T) {
	e := newEnv(t, func(c *publish.Config) { c.Email.RetryAfter = time.Second })
	e.smtp.RejectRcpt(func(string) *smtp.SMTPError {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"}
	})
	form := url.Values{"email": {"retry@example.net"}, "lang": {"en"}}
	if code, _ := e.submit(t, "/subscribe", form); code != 200 {
		t.Fatal(code)
	}
	if n := len(e.smtp.Messages()); n != 0 {
		t.Fatalf("%d mails while the relay refuses", n)
	}
	// The queue keeps trying; meanwhile the person tries again.
	e.smtp.RejectRcpt(nil)
	if code, _ := e.submit(t, "/subscribe", form); code != 200 {
		t.Fatal(code)
	}
	if n := len(e.smtp.WaitFor(1, 10*time.Second)); n != 1 {
		t.Fatalf("%d confirmation mails after the retry, want 1", n)
	}
	time.Sleep(1500 * time.Millisecond) // the first request's retry comes due
	e.queued(t)
	if n := len(e.smtp.Messages()); n != 1 {
		t.Errorf("%d confirmation mails after the queue's own retry, want still 1", n)
	}
}

// TestConfirmationRetriedByQueue: without anyone trying again, the queue
// sends the confirmation once the relay takes it.
func TestConfirmationRetriedByQueue(t *testing.T) {
	e := newEnv(t, func(c *publish.Config) { c.Email.RetryAfter = time.Second })
	e.smtp.RejectRcpt(func(string) *smtp.SMTPError {
		return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "busy"}
	})
	if code, _ := e.submit(t, "/subscribe", url.Values{"email": {"patient@example.net"}, "lang": {"de"}}); code != 200 {
		t.Fatal(code)
	}
	e.smtp.RejectRcpt(nil)
	msgs := e.smtp.WaitFor(1, 15*time.Second)
	if len(msgs) != 1 || msgs[0].To[0] != "patient@example.net" {
		t.Fatalf("%d mails once the relay accepts, want the confirmation", len(msgs))
	}
	if !confirmRE.MatchString(parseMail(t, msgs[0].Data).parts[0].body) {
		t.Error("the retried mail has no confirmation link")
	}
}

// TestConfirmationSpeaksTheirLanguage: the confirmation mail is written in
// the language the person reads (their browser's choice among the
// languages they subscribed to), not in every site language.
func TestConfirmationSpeaksTheirLanguage(t *testing.T) {
	e := newEnv(t, nil)
	post := func(addr, acceptLang string, langs ...string) {
		req, _ := http.NewRequest(http.MethodPost, e.web.URL+"/subscribe", strings.NewReader(url.Values{"email": {addr}, "lang": langs}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept-Language", acceptLang)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		e.queued(t)
	}
	post("en@example.net", "fr-FR, en;q=0.5", "en")
	post("both-de@example.net", "de-AT,de;q=0.9,en;q=0.8", "de", "en")
	post("both-en@example.net", "en-GB", "de", "en")
	want := map[string]struct{ lang, subject, absent string }{
		"en@example.net":      {"en", "Confirm your subscription", "Bitte"},
		"both-de@example.net": {"de", "Anmeldung bestätigen", "Please"},
		"both-en@example.net": {"en", "Confirm your subscription", "Bitte"},
	}
	msgs := e.smtp.Messages()
	if len(msgs) != len(want) {
		t.Fatalf("%d mails, want %d", len(msgs), len(want))
	}
	for _, m := range msgs {
		w := want[m.To[0]]
		pm := parseMail(t, m.Data)
		if pm.subject != w.subject || pm.header.Get("Content-Language") != w.lang || strings.Contains(pm.parts[0].body, w.absent) {
			t.Errorf("%s: subject %q, Content-Language %q; want %q in %s only:\n%s", m.To[0], pm.subject, pm.header.Get("Content-Language"), w.subject, w.lang, pm.parts[0].body)
		}
	}
}

var unsubLinkRE = regexp.MustCompile(`https://news\.example\.org(/unsubscribe\?t=[A-Za-z0-9._%=-]+)`)

// TestBadUnsubscribeLinkOffersAWayOut: an unsubscribe link that names
// nobody still leads to unsubscribing: its page asks for the address and
// mails a new link to it, if it gets the newsletter; the answer is the
// same either way.
func TestBadUnsubscribeLinkOffersAWayOut(t *testing.T) {
	e := newEnv(t, func(c *publish.Config) {
		c.Email.Subscribers = []publish.SeedSubscriber{{Email: "leser@example.net", Languages: []string{"de"}}}
	})
	bogus := "/unsubscribe?t=" + strings.Repeat("a", 32) + ".bbbbbbbbbbbbbbbbbbbbbbbb"
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		req, _ := http.NewRequest(method, e.web.URL+bogus, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), `action="unsubscribe/link"`) || !strings.Contains(string(body), `name="email"`) {
			t.Fatalf("%s of a bad unsubscribe link: %d\n%s", method, resp.StatusCode, body)
		}
	}
	_, unknown := e.post(t, "/unsubscribe/link", url.Values{"email": {"nobody@example.net"}})
	code, page := e.post(t, "/unsubscribe/link", url.Values{"email": {"Leser@example.net"}})
	if code != 200 || page != unknown {
		t.Errorf("answer for a subscriber differs from one for an unknown address (%d)", code)
	}
	msgs := e.smtp.Messages()
	if len(msgs) != 1 || msgs[0].To[0] != "leser@example.net" {
		t.Fatalf("%d mails, want one new link to the subscriber", len(msgs))
	}
	pm := parseMail(t, msgs[0].Data)
	m := unsubLinkRE.FindStringSubmatch(pm.parts[0].body)
	if m == nil || pm.header.Get("Content-Language") != "de" {
		t.Fatalf("the mail has no unsubscribe link or is not German:\n%s", pm.parts[0].body)
	}
	if code, body := e.post(t, m[1], url.Values{"List-Unsubscribe": {"One-Click"}}); code != 200 || !strings.Contains(body, "abgemeldet") {
		t.Fatalf("the new link does not unsubscribe: %d\n%s", code, body)
	}
	// Asking again at once mails nothing more (no mail bomb), and an
	// unsubscribed address gets no link.
	e.post(t, "/unsubscribe/link", url.Values{"email": {"leser@example.net"}})
	if n := len(e.smtp.Messages()); n != 1 {
		t.Errorf("%d mails after asking again, want 1", n)
	}
}

// TestLegalLinks: with imprint_url and privacy_url set, every page and
// every mail links both; without, none does.
func TestLegalLinks(t *testing.T) {
	const imprint, privacy = "https://verlag.example/impressum", "https://verlag.example/datenschutz"
	e := newEnv(t, func(c *publish.Config) {
		c.ImprintURL, c.PrivacyURL = imprint, privacy
		c.Email.Subscribers = []publish.SeedSubscriber{{Email: "leser@example.net", Languages: []string{"de"}}}
	})
	if err := e.st.Deliver(t.Context(), testDigest("de", "2026-11-29")); err != nil {
		t.Fatal(err)
	}
	_, index := e.get(t, "/", nil)
	_, archive := e.get(t, "/archive/de/", nil)
	_, digest := e.get(t, "/archive/de/2026-11-29-daily.html", nil)
	_, answer := e.post(t, "/subscribe", url.Values{"email": {"neu@example.net"}, "lang": {"de"}})
	pages := map[string]string{"index": index, "archive": archive, "digest": digest, "form answer": answer}
	for name, p := range pages {
		if !strings.Contains(p, `href="`+imprint+`"`) || !strings.Contains(p, `href="`+privacy+`"`) {
			t.Errorf("%s page lacks the imprint or privacy link", name)
		}
	}
	if !strings.Contains(digest, ">Impressum</a>") || !strings.Contains(digest, ">Datenschutz</a>") {
		t.Error("the German digest page does not label the links in German")
	}
	for _, m := range e.smtp.Messages() {
		pm := parseMail(t, m.Data)
		for _, part := range pm.parts {
			if !strings.Contains(part.body, imprint) || !strings.Contains(part.body, privacy) {
				t.Errorf("mail to %s (%s) lacks the links", m.To[0], part.contentType)
			}
		}
	}
	plain := newEnv(t, nil)
	if _, p := plain.get(t, "/", nil); strings.Contains(p, "Impressum") {
		t.Error("links shown without imprint_url")
	}
}
