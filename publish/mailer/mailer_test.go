package mailer_test

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-msgauth/dkim"

	"github.com/newsdesk/newsdesk/internal/smtptest"
	"github.com/newsdesk/newsdesk/publish/mailer"
)

func message() mailer.Message {
	return mailer.Message{
		From:        &mail.Address{Name: "Nachrichten Köln", Address: "digest@news.example.org"},
		To:          "leser@example.net",
		Subject:     "Tägliche Übersicht – Grüße aus Köln",
		Date:        time.Date(2026, 11, 29, 8, 0, 0, 0, time.FixedZone("CET", 3600)),
		MessageID:   "abc123@news.example.org",
		ListID:      "Daily <daily.news.example.org>",
		Unsubscribe: "https://news.example.org/unsubscribe?t=abcdef.ghijkl",
		Bulk:        true,
		Text:        "Grüße\n",
		HTML:        "<p>Grüße</p>",
	}
}

func TestBuildRefusesHeaderInjection(t *testing.T) {
	for name, mut := range map[string]func(*mailer.Message){
		"subject":     func(m *mailer.Message) { m.Subject = "x\r\nBcc: a@b.c" },
		"to":          func(m *mailer.Message) { m.To = "a@b.c\nBcc: d@e.f" },
		"unsubscribe": func(m *mailer.Message) { m.Unsubscribe = "https://x.y/\r\nX: y" },
		"list-id":     func(m *mailer.Message) { m.ListID = "Tägliche <x.y>" },
		"language":    func(m *mailer.Message) { m.Language = "de, <x>" },
	} {
		m := message()
		mut(&m)
		if _, err := mailer.Build(m); err == nil {
			t.Errorf("%s: Build accepted a hostile header", name)
		}
	}
}

func writeKey(t *testing.T) (*rsa.PrivateKey, string) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "dkim.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	if err := os.WriteFile(path, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	return key, path
}

// TestDKIMVerifies signs a message with the stage's signer, sends it over a
// real SMTP conversation, and verifies what arrived with go-msgauth using a
// LookupTXT stub: the signature must hold and cover List-Unsubscribe-Post.
func TestDKIMVerifies(t *testing.T) {
	key, path := writeKey(t)
	k, err := mailer.LoadDKIM("news.example.org", "nd2026", path)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := mailer.Build(message())
	if err != nil {
		t.Fatal(err)
	}
	signed, err := k.Sign(raw)
	if err != nil {
		t.Fatal(err)
	}
	srv := smtptest.Start(t)
	host, port, _ := strings.Cut(srv.Addr, ":")
	p := 0
	for _, c := range port {
		p = p*10 + int(c-'0')
	}
	s, err := mailer.NewSMTP(mailer.SMTPConfig{Host: host, Port: p, TLS: mailer.TLSNone, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(t.Context(), "digest@news.example.org", "leser@example.net", signed); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("%d messages arrived", len(got))
	}
	pub, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	txt := "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(pub)
	verifs, err := dkim.VerifyWithOptions(bytes.NewReader(got[0].Data), &dkim.VerifyOptions{
		LookupTXT: func(domain string) ([]string, error) {
			if domain != "nd2026._domainkey.news.example.org" {
				t.Errorf("lookup of %q", domain)
			}
			return []string{txt}, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(verifs) != 1 || verifs[0].Err != nil {
		t.Fatalf("verification: %+v", verifs)
	}
	v := verifs[0]
	for _, h := range []string{"list-unsubscribe", "list-unsubscribe-post", "list-id", "from", "subject", "message-id"} {
		found := false
		for _, f := range v.HeaderKeys {
			if strings.EqualFold(f, h) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s not in h= %v", h, v.HeaderKeys)
		}
	}
	if !strings.Contains(string(got[0].Data), "c=relaxed/relaxed") {
		t.Error("signature is not relaxed/relaxed")
	}

	// Tampering breaks it: the test can fail.
	bad := bytes.Replace(got[0].Data, []byte("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), []byte("List-Unsubscribe-Post: List-Unsubscribe=Two-Click"), 1)
	verifs, err = dkim.VerifyWithOptions(bytes.NewReader(bad), &dkim.VerifyOptions{LookupTXT: func(string) ([]string, error) { return []string{txt}, nil }})
	if err == nil && len(verifs) == 1 && verifs[0].Err == nil {
		t.Error("a tampered List-Unsubscribe-Post still verifies")
	}
}

func TestOutboxWritesEML(t *testing.T) {
	dir := t.TempDir()
	o := &mailer.Outbox{Dir: dir, Now: func() time.Time { return time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC) }}
	raw, err := mailer.Build(message())
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := o.Send(t.Context(), "digest@news.example.org", "leser@example.net", raw); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if len(files) != 2 {
		t.Fatalf("%d .eml files, want 2", len(files))
	}
	data, _ := os.ReadFile(files[0])
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if m.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Error("outbox mail lost its headers")
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".tmp-*"))
	if len(left) != 0 {
		t.Errorf("temp files left: %v", left)
	}
}

func TestSMTPUnreachableIsNotPermanent(t *testing.T) {
	s, err := mailer.NewSMTP(mailer.SMTPConfig{Host: "127.0.0.1", Port: 1, TLS: mailer.TLSNone, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(t.Context(), "a@b.example", "c@d.example", []byte("Subject: x\r\n\r\nx\r\n"))
	if err == nil || mailer.IsPermanent(err) {
		t.Fatalf("unreachable relay: %v (must be a transient error)", err)
	}
}

func TestImplicitTLSRefusesPlainServer(t *testing.T) {
	srv := smtptest.Start(t)
	host, port, _ := strings.Cut(srv.Addr, ":")
	p := 0
	for _, c := range port {
		p = p*10 + int(c-'0')
	}
	for _, mode := range []string{mailer.TLSImplicit, mailer.TLSStartTLS} {
		s, err := mailer.NewSMTP(mailer.SMTPConfig{Host: host, Port: p, TLS: mode, Timeout: 2 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Send(t.Context(), "a@b.example", "c@d.example", []byte("Subject: x\r\n\r\nx\r\n")); err == nil {
			t.Errorf("tls %s: sent over a plain-text connection", mode)
		}
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages went out without TLS", n)
	}
}
