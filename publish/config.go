package publish

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/publish/mailer"
	"github.com/newsdesk/newsdesk/publish/render"
)

// Defaults. Every limit and duration of the stage is named here.
const (
	DefaultOutDir      = "out"
	DefaultFeedItems   = 50
	DefaultCacheMaxAge = 5 * time.Minute
	DefaultWorkers     = 1
	// DefaultMaxAckPending caps the digests handed out and not yet done
	// across all publish replicas (digests waiting for an SMTP retry
	// count); it only has to exceed their workers together.
	DefaultMaxAckPending         = 8
	DefaultAckWait               = 2 * time.Minute
	DefaultMaxDeliver            = 10
	DefaultSMTPPortImplicit      = 465
	DefaultSMTPPortStartTLS      = 587
	DefaultSMTPPortNone          = 25
	DefaultSMTPTLS               = mailer.TLSImplicit
	DefaultSendRatePerSecond     = 10.0
	DefaultSendTimeout           = 30 * time.Second
	DefaultDataTimeout           = 10 * time.Minute
	DefaultInDoubt               = InDoubtSkip
	DefaultRetryAfter            = 5 * time.Minute
	DefaultConfirmTTL            = 48 * time.Hour
	DefaultMaxSignupsPerIPHour   = 5
	DefaultResendInterval        = 15 * time.Minute
	DefaultConfirmAttempts       = 50
	DefaultPurgeInterval         = time.Hour
	DefaultWebSubTimeout         = 10 * time.Second
	DefaultWebhookTimeout        = 10 * time.Second
	DefaultConsentTextVersion    = "2026-11-v1"
	DefaultMaxFormBytes          = 4 << 10
	DefaultReadHeaderTimeout     = 5 * time.Second
	DefaultReadTimeout           = 10 * time.Second
	DefaultWriteTimeout          = 30 * time.Second
	DefaultIdleTimeout           = 60 * time.Second
	DefaultShutdownTimeout       = 10 * time.Second
	DefaultSiteAuthor            = "newsdesk"
	DefaultDurable               = "publish"
	DefaultMaxSubscriberLanguage = 4
)

// What to do with a digest mail whose outcome is unknown (email.in_doubt).
const (
	// InDoubtSkip sends it no more: the reader may miss the edition, but
	// never gets it twice.
	InDoubtSkip = "skip"
	// InDoubtResend sends it again at the digest's next delivery, with
	// the same Message-ID: the reader may get it twice.
	InDoubtResend = "resend"
)

// DefaultBackoff is the redelivery schedule for failed digests.
var defaultBackoff = []time.Duration{30 * time.Second, 2 * time.Minute, 10 * time.Minute, 30 * time.Minute}

// DefaultBackoff returns the redelivery schedule used when backoff is unset.
func DefaultBackoff() []time.Duration { return slices.Clone(defaultBackoff) }

// DefaultSiteTitles are the site titles when site_title is unset: each
// built-in language's title.default message (internal/lang).
func DefaultSiteTitles() map[string]string {
	langs := lang.Default()
	out := map[string]string{}
	for _, code := range langs.Codes() {
		out[code] = langs.Get(code).T("title.default")
	}
	return out
}

// CheckLanguages reports every site language that langs does not have,
// naming the registered ones.
func (c *Config) CheckLanguages(langs *lang.Registry) error {
	var errs []error
	for _, code := range slices.Sorted(maps.Keys(c.SiteTitle)) {
		if err := langs.Check(code); err != nil {
			errs = append(errs, fmt.Errorf("publish.site_title: %w", err))
		}
	}
	return errors.Join(errs...)
}

// Config is the publish stage's configuration (YAML key "publish").
type Config struct {
	OutDir  string `yaml:"out_dir"`
	BaseURL string `yaml:"base_url"`
	Listen  string `yaml:"listen"`
	// SiteTitle maps each published language to its site title; its keys
	// are the languages the site offers for subscription.
	SiteTitle  map[string]string `yaml:"site_title"`
	SiteAuthor string            `yaml:"site_author"`
	// ImprintURL and PrivacyURL are linked from every page and mail when
	// set (a German newsletter needs both: Impressum, Datenschutz).
	ImprintURL  string        `yaml:"imprint_url"`
	PrivacyURL  string        `yaml:"privacy_url"`
	FeedItems   int           `yaml:"feed_items"`
	CacheMaxAge time.Duration `yaml:"cache_max_age"`
	// WebSubHub is an optional WebSub hub: feeds advertise it (rel="hub",
	// in the documents and as HTTP Link headers) and the hub is pinged
	// (hub.mode=publish) after each digest.
	WebSubHub     string        `yaml:"websub_hub"`
	WebSubTimeout time.Duration `yaml:"websub_timeout"`
	// Webhooks are URLs every digest with stories is POSTed to as signed
	// JSON (docs/operations.md, "Webhooks").
	Webhooks []WebhookConfig `yaml:"webhooks"`

	Email         EmailConfig         `yaml:"email"`
	Subscriptions SubscriptionsConfig `yaml:"subscriptions"`
	HTTP          HTTPConfig          `yaml:"http"`
	Limits        render.Limits       `yaml:"limits"`

	// Workers is how many digests this process delivers at once.
	Workers int `yaml:"workers"`
	// MaxAckPending caps the digests in flight across every replica (the
	// durable consumer's setting, set by `newsdesk setup`): at least the
	// replicas' workers together, plus the digests that may wait for a
	// retry at the same time.
	MaxAckPending int             `yaml:"max_ack_pending"`
	AckWait       time.Duration   `yaml:"ack_wait"`
	MaxDeliver    int             `yaml:"max_deliver"`
	Backoff       []time.Duration `yaml:"backoff"`
	Durable       string          `yaml:"durable"`
}

// EmailConfig configures newsletter delivery.
type EmailConfig struct {
	SMTPHost        string `yaml:"smtp_host"`
	SMTPPort        int    `yaml:"smtp_port"`
	SMTPUsername    string `yaml:"smtp_username"`
	SMTPPasswordEnv string `yaml:"smtp_password_env"`
	TLS             string `yaml:"tls"` // implicit | starttls | none (localhost only)
	From            string `yaml:"from"`
	ReplyTo         string `yaml:"reply_to"`
	ListID          string `yaml:"list_id"` // ASCII, e.g. "newsdesk.example.org"
	OutboxDir       string `yaml:"outbox_dir"`
	// RatePerSecond caps messages per second to the SMTP relay; writing
	// the outbox is not limited.
	RatePerSecond float64 `yaml:"rate_per_second"`
	// SendTimeout bounds connecting and each SMTP command up to the end
	// of a message's data.
	SendTimeout time.Duration `yaml:"send_timeout"`
	// DataTimeout bounds the wait for the relay's answer to the end of a
	// message (RFC 5321 allows ten minutes). A send that gets no answer
	// in that time is in doubt.
	DataTimeout time.Duration `yaml:"data_timeout"`
	// InDoubt says what becomes of a send whose outcome is unknown (no
	// answer after the data, or the process died between sending and
	// recording): skip (the default: never twice) or resend (never
	// missed, maybe twice).
	InDoubt string `yaml:"in_doubt"`
	// RetryAfter is how long a digest waits before recipients refused
	// with 4xx, or a failing relay, are tried again.
	RetryAfter  time.Duration    `yaml:"retry_after"`
	DKIM        DKIMConfig       `yaml:"dkim"`
	Subscribers []SeedSubscriber `yaml:"subscribers"`
}

// WebhookConfig is one URL that gets every digest with stories.
type WebhookConfig struct {
	URL string `yaml:"url"`
	// SecretEnv names the environment variable that holds the signing
	// secret (required: every webhook is signed).
	SecretEnv string `yaml:"secret_env"`
	// Secret is the signing secret itself, for embedders (the demo's
	// --webhook-secret); it is never read from a file.
	Secret string `yaml:"-"`
	// Languages limits the webhook to digests in these languages; empty:
	// all.
	Languages []string `yaml:"languages"`
	// Timeout bounds one POST, from dialling to the answer.
	Timeout time.Duration `yaml:"timeout"`
}

// DKIMConfig enables DKIM signing when Domain is set.
type DKIMConfig struct {
	Domain   string `yaml:"domain"`
	Selector string `yaml:"selector"`
	KeyFile  string `yaml:"key_file"`
}

// SeedSubscriber is a subscriber the operator adds as confirmed.
type SeedSubscriber struct {
	Email     string   `yaml:"email"`
	Languages []string `yaml:"languages"`
}

// SubscriptionsConfig configures double opt-in.
type SubscriptionsConfig struct {
	ConfirmTTL             time.Duration `yaml:"confirm_ttl"`
	MaxSignupsPerIPPerHour int           `yaml:"max_signups_per_ip_per_hour"`
	// ResendInterval is the least time between two confirmation mails to
	// one address, so the form cannot mail-bomb anyone.
	ResendInterval     time.Duration `yaml:"resend_interval"`
	ConsentTextVersion string        `yaml:"consent_text_version"`
	// ConfirmAttempts is how often a subscription request is tried (its
	// confirmation mail sent) while SMTP fails, retry_after apart, before
	// it is dropped; the person can sign up again.
	ConfirmAttempts int `yaml:"confirm_attempts"`
	// PurgeInterval is how often expired pending signups are deleted.
	PurgeInterval time.Duration `yaml:"purge_interval"`
	MaxFormBytes  int64         `yaml:"max_form_bytes"`
}

// HTTPConfig holds the server's timeouts.
type HTTPConfig struct {
	ReadHeaderTimeout time.Duration `yaml:"read_header_timeout"`
	ReadTimeout       time.Duration `yaml:"read_timeout"`
	WriteTimeout      time.Duration `yaml:"write_timeout"`
	IdleTimeout       time.Duration `yaml:"idle_timeout"`
	ShutdownTimeout   time.Duration `yaml:"shutdown_timeout"`
	// ClientIPHeader names a header set by a trusted reverse proxy that
	// carries the client address (e.g. "X-Real-IP"). Empty: the peer
	// address is used and forwarded headers are ignored, since clients can
	// set them.
	ClientIPHeader string `yaml:"client_ip_header"`
}

// Defaults fills zero fields from the Default… constants.
func (c *Config) Defaults() {
	c.OutDir = cmp.Or(c.OutDir, DefaultOutDir)
	if len(c.SiteTitle) == 0 {
		c.SiteTitle = DefaultSiteTitles()
	}
	c.SiteAuthor = cmp.Or(c.SiteAuthor, DefaultSiteAuthor)
	c.FeedItems = cmp.Or(c.FeedItems, DefaultFeedItems)
	c.CacheMaxAge = cmp.Or(c.CacheMaxAge, DefaultCacheMaxAge)
	c.WebSubTimeout = cmp.Or(c.WebSubTimeout, DefaultWebSubTimeout)
	for i := range c.Webhooks {
		c.Webhooks[i].Timeout = cmp.Or(c.Webhooks[i].Timeout, DefaultWebhookTimeout)
	}
	c.Workers = cmp.Or(c.Workers, DefaultWorkers)
	c.MaxAckPending = cmp.Or(c.MaxAckPending, max(DefaultMaxAckPending, c.Workers))
	c.AckWait = cmp.Or(c.AckWait, DefaultAckWait)
	c.MaxDeliver = cmp.Or(c.MaxDeliver, DefaultMaxDeliver)
	if len(c.Backoff) == 0 {
		c.Backoff = DefaultBackoff()
	}
	c.Durable = cmp.Or(c.Durable, DefaultDurable)
	c.Limits.Defaults()

	e := &c.Email
	e.TLS = cmp.Or(e.TLS, DefaultSMTPTLS)
	if e.SMTPPort == 0 {
		switch e.TLS {
		case mailer.TLSStartTLS:
			e.SMTPPort = DefaultSMTPPortStartTLS
		case mailer.TLSNone:
			e.SMTPPort = DefaultSMTPPortNone
		default:
			e.SMTPPort = DefaultSMTPPortImplicit
		}
	}
	if e.OutboxDir == "" && e.SMTPHost == "" && c.OutDir != "" {
		e.OutboxDir = c.OutDir + "/outbox"
	}
	e.RatePerSecond = cmp.Or(e.RatePerSecond, DefaultSendRatePerSecond)
	e.SendTimeout = cmp.Or(e.SendTimeout, DefaultSendTimeout)
	e.DataTimeout = cmp.Or(e.DataTimeout, DefaultDataTimeout)
	e.InDoubt = cmp.Or(e.InDoubt, DefaultInDoubt)
	e.RetryAfter = cmp.Or(e.RetryAfter, DefaultRetryAfter)

	s := &c.Subscriptions
	s.ConfirmTTL = cmp.Or(s.ConfirmTTL, DefaultConfirmTTL)
	s.MaxSignupsPerIPPerHour = cmp.Or(s.MaxSignupsPerIPPerHour, DefaultMaxSignupsPerIPHour)
	s.ResendInterval = cmp.Or(s.ResendInterval, DefaultResendInterval)
	s.ConfirmAttempts = cmp.Or(s.ConfirmAttempts, DefaultConfirmAttempts)
	s.ConsentTextVersion = cmp.Or(s.ConsentTextVersion, DefaultConsentTextVersion)
	s.PurgeInterval = cmp.Or(s.PurgeInterval, DefaultPurgeInterval)
	s.MaxFormBytes = cmp.Or(s.MaxFormBytes, int64(DefaultMaxFormBytes))

	h := &c.HTTP
	h.ReadHeaderTimeout = cmp.Or(h.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	h.ReadTimeout = cmp.Or(h.ReadTimeout, DefaultReadTimeout)
	h.WriteTimeout = cmp.Or(h.WriteTimeout, DefaultWriteTimeout)
	h.IdleTimeout = cmp.Or(h.IdleTimeout, DefaultIdleTimeout)
	h.ShutdownTimeout = cmp.Or(h.ShutdownTimeout, DefaultShutdownTimeout)
}

// Validate checks a defaulted Config.
func (c *Config) Validate() error {
	var errs []error
	add := func(format string, a ...any) { errs = append(errs, fmt.Errorf("publish."+format, a...)) }

	if c.OutDir == "" {
		add("out_dir is required")
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		add("base_url %q: want an absolute http(s) URL without query", c.BaseURL)
	}
	for _, kv := range [][2]string{{"imprint_url", c.ImprintURL}, {"privacy_url", c.PrivacyURL}} {
		key, v := kv[0], kv[1]
		if v == "" {
			continue
		}
		if u, err := url.Parse(v); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			add("%s %q: want an absolute http(s) URL", key, v)
		}
	}
	if c.WebSubHub != "" {
		if u, err := url.Parse(c.WebSubHub); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			add("websub_hub %q: want an absolute http(s) URL", c.WebSubHub)
		}
	}
	seen := map[string]bool{}
	for i, h := range c.Webhooks {
		if u, err := url.Parse(h.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			add("webhooks[%d].url: want an absolute http(s) URL", i)
		} else if seen[h.URL] {
			add("webhooks[%d].url: listed twice", i)
		}
		seen[h.URL] = true
		if h.Secret == "" && h.SecretEnv == "" {
			add("webhooks[%d].secret_env is required: every webhook is signed", i)
		}
		for _, l := range h.Languages {
			if _, ok := c.SiteTitle[l]; !ok {
				add("webhooks[%d].languages: %q is not a site language (site_title)", i, l)
			}
		}
		if h.Timeout < time.Second || h.Timeout > 5*time.Minute {
			add("webhooks[%d].timeout %s: want 1s..5m", i, h.Timeout)
		}
	}
	if c.Listen != "" {
		if _, _, err := net.SplitHostPort(c.Listen); err != nil {
			add("listen %q: %v", c.Listen, err)
		}
	}
	for lang := range c.SiteTitle {
		if render.LangTag(lang) != lang || lang == "und" {
			add("site_title: language %q is not a lower-case language code", lang)
		}
	}
	if c.FeedItems < 1 || c.FeedItems > 1000 {
		add("feed_items %d: want 1..1000", c.FeedItems)
	}
	if c.CacheMaxAge < 0 || c.CacheMaxAge > 24*time.Hour {
		add("cache_max_age %s: want 0..24h", c.CacheMaxAge)
	}
	if c.Workers < 1 || c.Workers > 64 {
		add("workers %d: want 1..64", c.Workers)
	}
	if c.AckWait < time.Second {
		add("ack_wait %s: want at least 1s", c.AckWait)
	}
	if c.MaxAckPending < c.Workers {
		add("max_ack_pending %d is below workers %d: the consumer would never hand one process enough digests", c.MaxAckPending, c.Workers)
	}
	if c.MaxDeliver < 1 || len(c.Backoff) > c.MaxDeliver {
		add("max_deliver %d must be positive and at least len(backoff) = %d", c.MaxDeliver, len(c.Backoff))
	}
	if bus := strings.ContainsAny(c.Durable, " .*>/\\"); bus || c.Durable == "" {
		add("durable %q: not a valid consumer name", c.Durable)
	}
	errs = append(errs, c.Email.validate()...)
	s := c.Subscriptions
	if s.ConfirmTTL < time.Minute {
		add("subscriptions.confirm_ttl %s: want at least 1m", s.ConfirmTTL)
	}
	if s.PurgeInterval < time.Second {
		add("subscriptions.purge_interval %s: want at least 1s", s.PurgeInterval)
	}
	if s.ConfirmAttempts < 1 || s.ConfirmAttempts > 1000 {
		add("subscriptions.confirm_attempts %d: want 1..1000", s.ConfirmAttempts)
	}
	if s.MaxSignupsPerIPPerHour < 1 {
		add("subscriptions.max_signups_per_ip_per_hour must be positive")
	}
	if s.MaxFormBytes < 256 || s.MaxFormBytes > 1<<20 {
		add("subscriptions.max_form_bytes %d: want 256..1MiB", s.MaxFormBytes)
	}
	return errors.Join(errs...)
}

func (e *EmailConfig) validate() []error {
	var errs []error
	add := func(format string, a ...any) { errs = append(errs, fmt.Errorf("publish.email."+format, a...)) }
	if a, err := mail.ParseAddress(e.From); err != nil {
		add("from %q: %v", e.From, err)
	} else if mailer.DomainOf(a.Address) == "" {
		add("from %q: no domain", e.From)
	}
	if e.ReplyTo != "" {
		if _, err := mail.ParseAddress(e.ReplyTo); err != nil {
			add("reply_to %q: %v", e.ReplyTo, err)
		}
	}
	for _, r := range e.ListID {
		if r < 0x21 || r > 0x7e || r == '<' || r == '>' {
			add("list_id %q: want printable ASCII without <>, e.g. newsdesk.example.org", e.ListID)
			break
		}
	}
	if e.SMTPHost == "" {
		if e.OutboxDir == "" {
			add("outbox_dir is required when smtp_host is empty")
		}
	} else {
		switch e.TLS {
		case mailer.TLSImplicit, mailer.TLSStartTLS:
		case mailer.TLSNone:
			if !isLoopbackHost(e.SMTPHost) {
				add("tls: none is only allowed for a relay on localhost, not %q", e.SMTPHost)
			}
		default:
			add("tls %q: want implicit, starttls or none", e.TLS)
		}
		if e.SMTPPort < 1 || e.SMTPPort > 65535 {
			add("smtp_port %d out of range", e.SMTPPort)
		}
		if e.SMTPUsername != "" && e.SMTPPasswordEnv == "" {
			add("smtp_password_env is required with smtp_username")
		}
	}
	if e.RatePerSecond <= 0 {
		add("rate_per_second must be positive")
	}
	if e.RetryAfter < time.Second {
		add("retry_after %s: want at least 1s", e.RetryAfter)
	}
	if e.SendTimeout < time.Second {
		add("send_timeout %s: want at least 1s", e.SendTimeout)
	}
	if e.DataTimeout < time.Second || e.DataTimeout > time.Hour {
		add("data_timeout %s: want 1s..1h (RFC 5321 suggests 10m)", e.DataTimeout)
	}
	if e.InDoubt != InDoubtSkip && e.InDoubt != InDoubtResend {
		add("in_doubt %q: want skip or resend", e.InDoubt)
	}
	if d := e.DKIM; d.Domain != "" || d.Selector != "" || d.KeyFile != "" {
		if d.Domain == "" || d.Selector == "" || d.KeyFile == "" {
			add("dkim needs domain, selector and key_file together")
		}
	}
	for i, s := range e.Subscribers {
		if _, err := mail.ParseAddress(s.Email); err != nil {
			add("subscribers[%d] %q: %v", i, s.Email, err)
		}
		if len(s.Languages) == 0 {
			add("subscribers[%d]: languages is empty", i)
		}
	}
	return errs
}

// plainTextPorts speak plain text first and upgrade with STARTTLS (25,
// 587) or not at all (1025, where local test relays such as mailpit
// listen).
var plainTextPorts = []int{25, 587, 1025}

// Warnings are settings that pass Validate but are most likely wrong;
// newsdesk check prints them and the stage logs them at start.
func (c *Config) Warnings() []string {
	var out []string
	e := c.Email
	if e.SMTPHost == "" {
		return nil
	}
	if e.TLS == mailer.TLSImplicit && slices.Contains(plainTextPorts, e.SMTPPort) {
		out = append(out, fmt.Sprintf("publish.email.tls is implicit (TLS from the first byte), but smtp_port %d speaks plain text first: "+
			"set tls: starttls (ports 587, 25) or tls: none (a relay on localhost, such as mailpit on 1025)", e.SMTPPort))
	}
	if e.TLS != mailer.TLSImplicit && e.SMTPPort == DefaultSMTPPortImplicit {
		out = append(out, fmt.Sprintf("publish.email.tls is %s, but smtp_port 465 speaks TLS from the first byte: set tls: implicit", e.TLS))
	}
	return out
}

func isLoopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
