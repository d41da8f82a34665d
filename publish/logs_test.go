package publish_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"

	"github.com/newsdesk/newsdesk/publish"
)

// syncBuffer is a bytes.Buffer safe for the stage's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestAddressesNeverLogged drives every path that handles an address
// (seed, signup, confirmation, digest mail with a relay that quotes the
// recipient in its refusals, a record that cannot be mailed, a request
// for a new unsubscribe link) with the stage logging at debug level: the
// log must name no address.
func TestAddressesNeverLogged(t *testing.T) {
	var logs syncBuffer
	e := newEnvLog(t, func(c *publish.Config) {
		c.Email.Subscribers = []publish.SeedSubscriber{
			{Email: "seed@example.net", Languages: []string{"de"}},
			{Email: "Gone@Example.net", Languages: []string{"de"}},
			{Email: "later@example.net", Languages: []string{"de"}},
		}
	}, slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	e.smtp.RejectRcpt(func(rcpt string) *smtp.SMTPError {
		switch rcpt {
		case "gone@example.net":
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "<GONE@example.net>: no such user"}
		case "later@example.net":
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 2, 1}, Message: "<later@example.net> greylisted"}
		}
		return nil
	})
	bad := publish.Subscriber{ID: strings.Repeat("e", 32), Email: "x@example.net\r\nBcc: victim@example.net", Languages: []string{"de"},
		Status: publish.StatusConfirmed, UnsubSecret: "abcdefghijklmnopqrstuvwxyz"}
	data, _ := json.Marshal(bad)
	if _, err := e.bus.Subscribers().Put(t.Context(), "sub."+bad.ID, data); err != nil {
		t.Fatal(err)
	}
	e.post(t, "/subscribe", url.Values{"email": {"form@example.net"}, "lang": {"de"}})
	if m := confirmRE.FindStringSubmatch(parseMail(t, e.smtp.Messages()[0].Data).parts[0].body); m != nil {
		e.post(t, m[1], nil)
	}
	_ = e.st.Deliver(t.Context(), testDigest("de", "2026-11-29"))
	e.post(t, "/unsubscribe/link", url.Values{"email": {"seed@example.net"}})
	out := logs.String()
	if !strings.Contains(out, "marking bounced") || !strings.Contains(out, "greylisted") {
		t.Fatalf("the test did not reach the refusals:\n%s", out)
	}
	if strings.Contains(strings.ToLower(out), "example.net") {
		for _, line := range strings.Split(out, "\n") {
			if strings.Contains(strings.ToLower(line), "example.net") {
				t.Errorf("log names an address: %s", line)
			}
		}
	}
}
