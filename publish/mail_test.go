package publish_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/emersion/go-smtp"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/natstest"
	"github.com/newsdesk/newsdesk/internal/smtptest"
	"github.com/newsdesk/newsdesk/publish"
)

// smtpConfig points cfg at the in-process SMTP server (plain text is
// allowed because it listens on 127.0.0.1).
func smtpConfig(t *testing.T, srv *smtptest.Server, cfg *publish.Config) {
	t.Helper()
	cfg.Email.SMTPHost, cfg.Email.SMTPPort = splitHostPort(srv.Addr)
	cfg.Email.TLS = "none"
	cfg.Email.RatePerSecond = 1000
}

func splitHostPort(addr string) (string, int) {
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	return host, p
}

type parsedMail struct {
	header  mail.Header
	subject string
	parts   []mailPart
}

type mailPart struct {
	contentType string
	body        string
}

func parseMail(t *testing.T, raw []byte) parsedMail {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse mail: %v", err)
	}
	subj, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("decode subject: %v", err)
	}
	pm := parsedMail{header: m.Header, subject: subj}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("content-type: %v", err)
	}
	if !strings.HasPrefix(mt, "multipart/") {
		body := decodeBody(t, m.Header.Get("Content-Transfer-Encoding"), m.Body)
		pm.parts = append(pm.parts, mailPart{mt, body})
		return pm
	}
	if mt != "multipart/alternative" {
		t.Fatalf("top-level type %s, want multipart/alternative", mt)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("multipart: %v", err)
		}
		ct, cparams, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if cs := strings.ToLower(cparams["charset"]); cs != "utf-8" {
			t.Errorf("part %s charset %q, want utf-8", ct, cs)
		}
		if cte := p.Header.Get("Content-Transfer-Encoding"); cte != "quoted-printable" {
			t.Errorf("part %s transfer encoding %q, want quoted-printable", ct, cte)
		}
		pm.parts = append(pm.parts, mailPart{ct, decodeBody(t, p.Header.Get("Content-Transfer-Encoding"), p)})
	}
	return pm
}

func decodeBody(t *testing.T, cte string, r io.Reader) string {
	t.Helper()
	if strings.EqualFold(cte, "quoted-printable") {
		r = quotedprintable.NewReader(r)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("body: %v", err)
	}
	return string(b)
}

var unsubRE = regexp.MustCompile(`^<(https://news\.example\.org/unsubscribe\?t=[A-Za-z0-9._%-]+)>$`)

func TestDigestMailOverSMTPAndOneClickUnsubscribe(t *testing.T) {
	b := natstest.Start(t)
	srv := smtptest.Start(t)
	cfg := baseConfig(t)
	smtpConfig(t, srv, &cfg)
	cfg.Email.Subscribers = []publish.SeedSubscriber{
		{Email: "anna@example.net", Languages: []string{"de"}},
		{Email: "bob@example.net", Languages: []string{"de", "en"}},
		{Email: "carol@example.net", Languages: []string{"en"}},
	}
	st := startStage(t, cfg, publish.Deps{Bus: b})
	ctx := t.Context()
	web := httptest.NewServer(st.Handler())
	defer web.Close()

	d := testDigest("de", "2026-11-28")
	d.Stories[0].Summary = "Washington weitet die Regeln aus [1]. Peking kritisiert den Schritt [2]. <script>alert(1)</script>"
	if err := st.Deliver(ctx, d); err != nil {
		t.Fatal(err)
	}
	// Redelivery of the same digest mails nobody twice.
	if err := st.Deliver(ctx, d); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 2 {
		t.Fatalf("got %d mails, want 2 (anna, bob)", len(msgs))
	}
	var annaUnsub string
	for _, m := range msgs {
		pm := parseMail(t, m.Data)
		// The edition's name, the date and the lead story (the digest's
		// title up to its colon is the name).
		if want := "Tägliche Übersicht, 28. November: Exportkontrollen für KI-Chips verschärft"; pm.subject != want {
			t.Errorf("subject %q, want %q", pm.subject, want)
		}
		if raw := pm.header.Get("Subject"); !strings.Contains(raw, "=?UTF-8?") && !strings.Contains(raw, "=?utf-8?") {
			t.Errorf("raw subject %q is not RFC 2047 encoded", raw)
		}
		if len(pm.parts) != 2 || pm.parts[0].contentType != "text/plain" || pm.parts[1].contentType != "text/html" {
			t.Fatalf("parts %+v, want text/plain then text/html", pm.parts)
		}
		if id := pm.header.Get("Message-Id"); !strings.HasSuffix(id, "@news.example.org>") {
			t.Errorf("Message-ID %q does not name the sending domain", id)
		}
		if _, err := pm.header.Date(); err != nil {
			t.Errorf("Date: %v", err)
		}
		if got := pm.header.Get("Content-Language"); got != "de" {
			t.Errorf("Content-Language %q, want de", got)
		}
		if got := pm.header.Get("List-Id"); got != "<daily.news.example.org>" {
			t.Errorf("List-Id %q", got)
		}
		if got := pm.header.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
			t.Errorf("List-Unsubscribe-Post %q", got)
		}
		lu := pm.header.Get("List-Unsubscribe")
		mm := unsubRE.FindStringSubmatch(lu)
		if mm == nil {
			t.Fatalf("List-Unsubscribe %q is not one https URI with a token", lu)
		}
		if strings.Contains(lu, "example.net") {
			t.Errorf("List-Unsubscribe leaks the address: %q", lu)
		}
		text, html := pm.parts[0].body, pm.parts[1].body
		for _, body := range []string{text, html} {
			if !strings.Contains(body, strings.ReplaceAll(mm[1], "&", "&amp;")) && !strings.Contains(body, mm[1]) {
				t.Errorf("body lacks the visible unsubscribe link %s", mm[1])
			}
		}
		if !strings.Contains(html, `<a href="https://www.heise.de/news/1"`) {
			t.Errorf("html lacks the linked citation [1]")
		}
		if strings.Contains(html, "<script>") {
			t.Errorf("html contains an unescaped script tag")
		}
		if !strings.Contains(text, "[1] USA verschärfen Exportregeln — heise online") {
			t.Errorf("text lacks the numbered source list:\n%s", text)
		}
		if m.To[0] == "anna@example.net" {
			annaUnsub = mm[1]
		}
	}
	if annaUnsub == "" {
		t.Fatal("no mail to anna")
	}

	// GET shows a page and changes nothing (link scanners send GETs).
	u, _ := url.Parse(annaUnsub)
	resp, err := http.Get(web.URL + u.RequestURI())
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), `<form method="post"`) {
		t.Fatalf("GET unsubscribe: %d %s", resp.StatusCode, page)
	}
	// RFC 8058 one-click POST, no cookies, must answer 200 without redirect.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = client.Post(web.URL+u.RequestURI(), "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("one-click POST: status %d, want 200", resp.StatusCode)
	}

	// The next digest reaches bob only.
	if err := st.Deliver(ctx, testDigest("de", "2026-11-29")); err != nil {
		t.Fatal(err)
	}
	msgs = srv.Messages()[2:]
	if len(msgs) != 1 || msgs[0].To[0] != "bob@example.net" {
		var to []string
		for _, m := range msgs {
			to = append(to, m.To...)
		}
		t.Fatalf("after unsubscribe the digest went to %v, want [bob@example.net]", to)
	}
}

func TestSMTPErrorsRetryAndBounce(t *testing.T) {
	b := natstest.Start(t)
	srv := smtptest.Start(t)
	cfg := baseConfig(t)
	smtpConfig(t, srv, &cfg)
	cfg.Email.Subscribers = []publish.SeedSubscriber{
		{Email: "ok@example.net", Languages: []string{"en"}},
		{Email: "full@example.net", Languages: []string{"en"}},
		{Email: "gone@example.net", Languages: []string{"en"}},
	}
	st := startStage(t, cfg, publish.Deps{Bus: b})
	ctx := t.Context()
	srv.RejectRcpt(func(rcpt string) *smtp.SMTPError {
		switch rcpt {
		case "full@example.net":
			return &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 2, 2}, Message: "mailbox full"}
		case "gone@example.net":
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
		}
		return nil
	})
	d := testDigest("en", "2026-11-29")
	err := st.Deliver(ctx, d)
	if err == nil || bus.IsPermanent(err) {
		t.Fatalf("a 4xx recipient must give a retry verdict, got %v", err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("%d mails delivered, want 1", n)
	}
	// The redelivery retries only the 4xx recipient, who now accepts.
	srv.RejectRcpt(func(rcpt string) *smtp.SMTPError {
		if rcpt == "gone@example.net" {
			t.Errorf("bounced address %s was tried again", rcpt)
		}
		return nil
	})
	if err := st.Deliver(ctx, d); err != nil {
		t.Fatalf("redelivery: %v", err)
	}
	msgs := srv.Messages()
	if len(msgs) != 2 || msgs[1].To[0] != "full@example.net" {
		t.Fatalf("redelivery sent %d mails; want exactly one more, to full@", len(msgs))
	}
	// A bounced address gets no later digest either.
	if err := st.Deliver(ctx, testDigest("en", "2026-11-30")); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Messages()); n != 4 {
		t.Fatalf("next digest: %d mails total, want 4 (ok, full)", n)
	}
}

// TestCorruptSubscriberDoesNotBlockOthers: a record whose address cannot
// go into a header (written by something else, or corrupted) is skipped;
// everyone else still gets the digest and the digest is not retried.
func TestCorruptSubscriberDoesNotBlockOthers(t *testing.T) {
	e := newEnv(t, func(c *publish.Config) {
		c.Email.Subscribers = []publish.SeedSubscriber{{Email: "ok@example.net", Languages: []string{"de"}}}
	})
	bad := publish.Subscriber{ID: strings.Repeat("f", 32), Email: "x@example.net\r\nBcc: victim@example.org", Languages: []string{"de"},
		Status: publish.StatusConfirmed, UnsubSecret: "abcdefghijklmnopqrstuvwxyz"}
	data, _ := json.Marshal(bad)
	if _, err := e.bus.Subscribers().Put(t.Context(), "sub."+bad.ID, data); err != nil {
		t.Fatal(err)
	}
	if err := e.st.Deliver(t.Context(), testDigest("de", "2026-11-29")); err != nil {
		t.Fatalf("Deliver: %v", err)
	}
	msgs := e.smtp.Messages()
	if len(msgs) != 1 || msgs[0].To[0] != "ok@example.net" {
		t.Fatalf("mails: %d", len(msgs))
	}
	if strings.Contains(string(msgs[0].Data), "victim") {
		t.Fatal("injected header reached a mail")
	}
}
