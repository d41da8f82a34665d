package publish_test

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/newsdesk/newsdesk/internal/natstest"
	"github.com/newsdesk/newsdesk/publish"
)

func TestConfigYAMLAndDefaults(t *testing.T) {
	const src = `
out_dir: /srv/news
base_url: https://news.example.org
listen: 127.0.0.1:8080
site_title: {de: "Überblick", en: "Digest"}
cache_max_age: 1h
email:
  smtp_host: smtp.example.org
  tls: starttls
  from: "Newsdesk <digest@news.example.org>"
  rate_per_second: 2.5
  send_timeout: 20s
  subscribers:
    - {email: ops@example.org, languages: [de]}
subscriptions:
  confirm_ttl: 24h
  max_signups_per_ip_per_hour: 3
backoff: [10s, 1m]
`
	var c publish.Config
	if err := yaml.Unmarshal([]byte(src), &c); err != nil {
		t.Fatal(err)
	}
	c.Defaults()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"cache_max_age", c.CacheMaxAge, time.Hour},
		{"smtp_port for starttls", c.Email.SMTPPort, publish.DefaultSMTPPortStartTLS},
		{"send_timeout", c.Email.SendTimeout, 20 * time.Second},
		{"feed_items", c.FeedItems, publish.DefaultFeedItems},
		{"confirm_ttl", c.Subscriptions.ConfirmTTL, 24 * time.Hour},
		{"backoff", len(c.Backoff), 2},
		{"durable", c.Durable, publish.DefaultDurable},
		{"outbox unused with smtp", c.Email.OutboxDir, ""},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	valid := func() publish.Config {
		return publish.Config{OutDir: t.TempDir(), BaseURL: "https://news.example.org", Email: publish.EmailConfig{From: "d@news.example.org"}}
	}
	tests := []struct {
		name    string
		mutate  func(*publish.Config)
		wantErr string
	}{
		{"ok", func(*publish.Config) {}, ""},
		{"outbox by default", func(c *publish.Config) {}, ""},
		{"no base url", func(c *publish.Config) { c.BaseURL = "" }, "base_url"},
		{"base url javascript", func(c *publish.Config) { c.BaseURL = "javascript:alert(1)" }, "base_url"},
		{"no from", func(c *publish.Config) { c.Email.From = "" }, "email.from"},
		{"tls none remote", func(c *publish.Config) { c.Email.SMTPHost = "smtp.example.org"; c.Email.TLS = "none" }, "localhost"},
		{"tls none local", func(c *publish.Config) { c.Email.SMTPHost = "127.0.0.1"; c.Email.TLS = "none" }, ""},
		{"tls bogus", func(c *publish.Config) { c.Email.SMTPHost = "smtp.example.org"; c.Email.TLS = "maybe" }, "tls"},
		{"user without password env", func(c *publish.Config) { c.Email.SMTPHost = "smtp.example.org"; c.Email.SMTPUsername = "u" }, "smtp_password_env"},
		{"password env unset", func(c *publish.Config) {
			// Only a process that sends needs it: MissingSecrets.
			c.Email.SMTPHost = "smtp.example.org"
			c.Email.SMTPUsername = "u"
			c.Email.SMTPPasswordEnv = "NEWSDESK_TEST_UNSET_VAR"
		}, ""},
		{"list id non-ascii", func(c *publish.Config) { c.Email.ListID = "tägliche.example.org" }, "list_id"},
		{"dkim partial", func(c *publish.Config) { c.Email.DKIM.Domain = "news.example.org" }, "dkim"},
		{"bad seed", func(c *publish.Config) {
			c.Email.Subscribers = []publish.SeedSubscriber{{Email: "nope", Languages: []string{"de"}}}
		}, "subscribers[0]"},
		{"site title lang", func(c *publish.Config) { c.SiteTitle = map[string]string{"DE!": "x"} }, "site_title"},
		{"backoff longer than max_deliver", func(c *publish.Config) { c.MaxDeliver = 2; c.Backoff = []time.Duration{1, 2, 3} }, "max_deliver"},
		{"listen", func(c *publish.Config) { c.Listen = "8080" }, "listen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid()
			tt.mutate(&c)
			c.Defaults()
			err := c.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("error %v, want one mentioning %q", err, tt.wantErr)
			}
		})
	}
}

// TestMissingSecrets: Validate accepts secrets named by unset variables
// (commands that send nothing load the config too); MissingSecrets names
// each with its key, and the stage, which sends, refuses to start.
func TestMissingSecrets(t *testing.T) {
	const pw, hook = "NEWSDESK_TEST_PW_UNSET", "NEWSDESK_TEST_HOOK_UNSET"
	for _, v := range []string{pw, hook} {
		t.Setenv(v, "x")
		os.Unsetenv(v)
	}
	c := publish.Config{OutDir: t.TempDir(), BaseURL: "https://news.example.org", Email: publish.EmailConfig{
		From: "d@news.example.org", SMTPHost: "smtp.example.org", SMTPUsername: "u", SMTPPasswordEnv: pw,
	}, Webhooks: []publish.WebhookConfig{
		{URL: "https://hooks.example.org/a", SecretEnv: hook},
		{URL: "https://hooks.example.org/b", Secret: "given"},
	}}
	c.Defaults()
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	var got []string
	for _, err := range c.MissingSecrets() {
		got = append(got, err.Error())
	}
	want := []string{
		"publish.email.smtp_password_env: environment variable " + pw + " is not set",
		"publish.webhooks[0].secret_env: environment variable " + hook + " is not set or empty",
	}
	if !slices.Equal(got, want) {
		t.Errorf("MissingSecrets:\n got %q\nwant %q", got, want)
	}
	if _, err := publish.New(c, publish.Deps{}); err == nil || !strings.Contains(err.Error(), pw) {
		t.Errorf("New without the secrets: %v", err)
	}
	t.Setenv(pw, "")
	t.Setenv(hook, "s")
	if m := c.MissingSecrets(); len(m) != 0 {
		t.Errorf("with the variables set (the password empty): %v", m)
	}
}

func TestNewRejectsUnregisteredLanguage(t *testing.T) {
	cfg := publish.Config{BaseURL: "https://news.example.org", SiteTitle: map[string]string{"de": "A", "fr": "B"}}
	cfg.Email.From = "D <d@example.org>"
	_, err := publish.New(cfg, publish.Deps{Bus: natstest.Start(t)})
	if err == nil || !strings.Contains(err.Error(), `language "fr" is not registered (registered: de, en)`) {
		t.Fatalf("New = %v", err)
	}
}
