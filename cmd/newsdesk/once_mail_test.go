package main

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/smtptest"
	"github.com/newsdesk/newsdesk/publish"
)

// TestOnceSaysWhatItMailed: after run --once, a new operator reads where
// the newsletter went: to how many of the language's subscribers, through
// which relay or into which outbox; and, with nobody subscribed yet, that
// nobody was mailed and how to add someone.
func TestOnceSaysWhatItMailed(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	date := time.Now().UTC().Format(time.DateOnly)

	t.Run("smtp", func(t *testing.T) {
		relay := smtptest.Start(t)
		c := newCronSetup(t, relay.Addr)
		code, out, errOut := runCmd(ctx, "run", "--once", "--config", c.config)
		if code != 0 {
			t.Fatalf("exit %d\n%s%s", code, out, errOut)
		}
		for _, lang := range []string{"de", "en"} {
			want := "publish: delivered " + news.DigestID("daily", date, lang, "p1") + "#r1: mail reached 2 of 2 " + lang + " subscribers, through SMTP " + relay.Addr
			if !strings.Contains(out, want) {
				t.Errorf("stdout lacks %q:\n%s", want, out)
			}
		}
	})

	t.Run("outbox, nobody subscribed", func(t *testing.T) {
		c := newCronSetup(t, "127.0.0.1:2525")
		raw, err := os.ReadFile(c.config)
		if err != nil {
			t.Fatal(err)
		}
		// No relay, no subscribers: the mails would go to the outbox.
		s := regexp.MustCompile(`(?m)^    (smtp_host|smtp_port|tls):.*\n|^    subscribers:\n(      - .*\n)*`).ReplaceAllString(string(raw), "")
		if err := os.WriteFile(c.config, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := runCmd(ctx, "run", "--once", "--config", c.config)
		if code != 0 {
			t.Fatalf("exit %d\n%s%s\nconfig:\n%s", code, out, errOut, s)
		}
		want := "publish: delivered " + news.DigestID("daily", date, "de", "p1") + "#r1: no confirmed de subscribers, nobody mailed (newsdesk subscribers add EMAIL --lang de)"
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	})
}

// TestMailReachSay: what run --once says of one delivered digest.
func TestMailReachSay(t *testing.T) {
	tests := []struct {
		m    mailReach
		want string
	}{
		{mailReach{}, ""},
		{mailReach{lang: "de"}, ": to feeds and archive; no stories, so no mail"},
		{mailReach{lang: "de", stories: 3}, ": no confirmed de subscribers, nobody mailed (newsdesk subscribers add EMAIL --lang de)"},
		{mailReach{lang: "en", stories: 3, MailCount: publish.MailCount{Subscribers: 3, Sent: 3}}, ": mail reached 3 of 3 en subscribers, through SMTP x:25"},
		{mailReach{lang: "en", stories: 3, MailCount: publish.MailCount{Subscribers: 3, Sent: 3, Earlier: 2}},
			": mail reached 3 of 3 en subscribers, through SMTP x:25 (2 of them had an earlier revision and get no second mail)"},
	}
	for _, tt := range tests {
		if got := tt.m.say("SMTP x:25"); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.m, got, tt.want)
		}
	}
}
