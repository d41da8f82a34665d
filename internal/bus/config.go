package bus

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/nats-io/nkeys"
)

// Defaults for Config.
const (
	DefaultDataDir          = "data/nats"
	DefaultReplicas         = 1
	DefaultArticleMaxAge    = 7 * 24 * time.Hour
	DefaultDigestMaxAge     = 90 * 24 * time.Hour
	DefaultDLQMaxAge        = 30 * 24 * time.Hour
	DefaultSignupMaxAge     = 72 * time.Hour
	DefaultDuplicateWindow  = time.Hour
	DefaultDigestsPerSubj   = 200
	DefaultArticleMaxBytes  = 256 << 10
	DefaultDigestMaxBytes   = 512 << 10
	DefaultSeenTTL          = 30 * 24 * time.Hour
	DefaultDeliveriesTTL    = 180 * 24 * time.Hour
	DefaultHostStateTTL     = 48 * time.Hour
	DefaultRequestTimeout   = 10 * time.Second
	DefaultStartupTimeout   = 10 * time.Second
	DefaultBindWait         = 2 * time.Minute
	DefaultSyncInterval     = 10 * time.Second
	DefaultEmbeddedMaxStore = 4 << 30
	// DefaultSubjectPrefix is the first token of every subject.
	DefaultSubjectPrefix = "news"
)

// Config says which NATS to use and how to lay out streams and buckets.
type Config struct {
	// URL of an external NATS server or cluster (comma-separated URLs).
	// Empty means: start the embedded server on DataDir.
	URL string `yaml:"url"`
	// CredsFile is a NATS credentials file (user JWT and nkey seed, as
	// nsc writes it) for a server in operator mode.
	CredsFile string `yaml:"creds_file"`
	// NKeySeedFile holds a user nkey seed ("SU…") to authenticate with a
	// server that lists the user's public key. Not with CredsFile.
	NKeySeedFile string `yaml:"nkey_seed_file"`
	// TLS for the connection to NATS: CA to verify the servers, and a
	// client certificate where the servers ask for one.
	TLS TLSFiles `yaml:"tls"`
	// SubjectPrefix is the first token(s) of every newsdesk subject
	// (<prefix>.article.…, <prefix>.digest.…, <prefix>.dlq.…), to fit an
	// account's subject namespace and permissions. Streams and buckets
	// keep their names: one newsdesk per account (or JetStream domain).
	SubjectPrefix string `yaml:"subject_prefix"`
	// Placement puts streams and buckets on servers of a cluster or with
	// tags (server_tags in the nats-server config).
	Placement Placement `yaml:"placement"`
	// DataDir holds the embedded server's JetStream store.
	DataDir string `yaml:"data_dir"`
	// Listen makes the embedded server also listen on this host:port so that
	// the nats CLI or separate stage processes can reach it. Empty: in-process
	// only. A missing host means loopback (":4222" is 127.0.0.1:4222); any
	// other address than loopback needs ListenNKeys or ListenTLS.CAFile, so
	// nobody who reaches the port can publish a digest or read subscribers.
	Listen string `yaml:"listen"`
	// ListenNKeys are the public user nkeys ("U…") the embedded listener
	// accepts; a client signs in with the matching seed (nkey_seed_file).
	ListenNKeys []string `yaml:"listen_nkeys"`
	// ListenTLS serves the embedded listener over TLS (CertFile, KeyFile);
	// with CAFile, clients must present a certificate signed by it.
	ListenTLS TLSFiles `yaml:"listen_tls"`
	// SyncInterval is how often the embedded server fsyncs; 0 keeps the default.
	SyncInterval time.Duration `yaml:"sync_interval"`
	// MaxStore caps the embedded server's JetStream disk use in bytes.
	MaxStore int64 `yaml:"max_store"`
	// Replicas for streams and buckets (3 in a cluster).
	Replicas      int           `yaml:"replicas"`
	ArticleMaxAge time.Duration `yaml:"article_max_age"`
	DigestMaxAge  time.Duration `yaml:"digest_max_age"`
	DLQMaxAge     time.Duration `yaml:"dlq_max_age"`
	// SignupMaxAge is the longest a subscription request waits in the
	// SIGNUPS queue (for instance while SMTP is down) before it is dropped.
	SignupMaxAge    time.Duration `yaml:"signup_max_age"`
	DuplicateWindow time.Duration `yaml:"duplicate_window"`
	DigestsPerSubj  int64         `yaml:"digests_per_subject"`
	ArticleMaxBytes int32         `yaml:"article_max_bytes"`
	DigestMaxBytes  int32         `yaml:"digest_max_bytes"`
	SeenTTL         time.Duration `yaml:"seen_ttl"`
	// DeliveriesTTL is how long a record of "digest X went to subscriber Y"
	// is kept; it only needs to outlive redeliveries of that digest.
	DeliveriesTTL time.Duration `yaml:"deliveries_ttl"`
	// HostStateTTL is how long a host's politeness record (next request
	// slot, back-off) outlives its last use; it must exceed
	// ingest.backoff.max_retry_after so no back-off is forgotten early.
	HostStateTTL   time.Duration `yaml:"host_state_ttl"`
	RequestTimeout time.Duration `yaml:"request_timeout"`
	StartupTimeout time.Duration `yaml:"startup_timeout"`
	// BindWait is how long a process on nats.url keeps trying to bind to
	// the streams and buckets while JetStream does not answer (a cluster
	// electing a leader after a node crashed) before it gives up. A
	// layout that is not the config's fails at once.
	BindWait time.Duration `yaml:"bind_wait"`
}

// Defaults fills zero fields with the named defaults.
func (c *Config) Defaults() {
	c.DataDir = cmp.Or(c.DataDir, DefaultDataDir)
	c.Replicas = cmp.Or(c.Replicas, DefaultReplicas)
	c.ArticleMaxAge = cmp.Or(c.ArticleMaxAge, DefaultArticleMaxAge)
	c.DigestMaxAge = cmp.Or(c.DigestMaxAge, DefaultDigestMaxAge)
	c.DLQMaxAge = cmp.Or(c.DLQMaxAge, DefaultDLQMaxAge)
	c.SignupMaxAge = cmp.Or(c.SignupMaxAge, DefaultSignupMaxAge)
	c.DuplicateWindow = cmp.Or(c.DuplicateWindow, DefaultDuplicateWindow)
	c.DigestsPerSubj = cmp.Or(c.DigestsPerSubj, DefaultDigestsPerSubj)
	c.ArticleMaxBytes = cmp.Or(c.ArticleMaxBytes, DefaultArticleMaxBytes)
	c.DigestMaxBytes = cmp.Or(c.DigestMaxBytes, DefaultDigestMaxBytes)
	c.SeenTTL = cmp.Or(c.SeenTTL, DefaultSeenTTL)
	c.DeliveriesTTL = cmp.Or(c.DeliveriesTTL, DefaultDeliveriesTTL)
	c.HostStateTTL = cmp.Or(c.HostStateTTL, DefaultHostStateTTL)
	c.RequestTimeout = cmp.Or(c.RequestTimeout, DefaultRequestTimeout)
	c.StartupTimeout = cmp.Or(c.StartupTimeout, DefaultStartupTimeout)
	c.BindWait = cmp.Or(c.BindWait, DefaultBindWait)
	c.SyncInterval = cmp.Or(c.SyncInterval, DefaultSyncInterval)
	c.MaxStore = cmp.Or(c.MaxStore, DefaultEmbeddedMaxStore)
	c.SubjectPrefix = cmp.Or(c.SubjectPrefix, DefaultSubjectPrefix)
}

// TLSFiles names PEM files.
type TLSFiles struct {
	// CAFile verifies the other side's certificate.
	CAFile string `yaml:"ca_file"`
	// CertFile and KeyFile are this side's certificate and key.
	CertFile string `yaml:"cert_file"`
	KeyFile  string `yaml:"key_file"`
}

func (t TLSFiles) set() bool { return t.CAFile != "" || t.CertFile != "" || t.KeyFile != "" }

// Placement selects servers for streams and buckets.
type Placement struct {
	// Cluster names the cluster (of a super-cluster) to place them in.
	Cluster string `yaml:"cluster"`
	// Tags every chosen server must carry (server_tags).
	Tags []string `yaml:"tags"`
}

func (p Placement) set() bool { return p.Cluster != "" || len(p.Tags) > 0 }

// Validate checks a defaulted Config.
func (c *Config) Validate() error {
	var errs []error
	if c.Replicas < 1 || c.Replicas > 5 {
		errs = append(errs, fmt.Errorf("nats.replicas %d: want 1..5", c.Replicas))
	}
	if c.URL == "" && c.DataDir == "" {
		errs = append(errs, errors.New("nats.data_dir is required for the embedded server"))
	}
	if c.URL == "" && c.Replicas > 1 {
		errs = append(errs, fmt.Errorf("nats.replicas %d: the embedded server is one node; replicas need a cluster (nats.url)", c.Replicas))
	}
	if c.URL == "" && c.Placement.set() {
		errs = append(errs, errors.New("nats.placement: the embedded server is one node without tags; placement needs a cluster (nats.url)"))
	}
	if c.DuplicateWindow > c.ArticleMaxAge {
		errs = append(errs, errors.New("nats.duplicate_window must not exceed nats.article_max_age"))
	}
	if c.ArticleMaxBytes < 1024 || c.DigestMaxBytes < 1024 {
		errs = append(errs, errors.New("nats.article_max_bytes and nats.digest_max_bytes must be at least 1024"))
	}
	if err := checkPrefix(c.SubjectPrefix); err != nil {
		errs = append(errs, fmt.Errorf("nats.subject_prefix %q: %w", c.SubjectPrefix, err))
	}
	if c.CredsFile != "" && c.NKeySeedFile != "" {
		errs = append(errs, errors.New("nats.creds_file and nats.nkey_seed_file: give one (a creds file carries its own seed)"))
	}
	errs = append(errs, c.TLS.validate("nats.tls"), c.ListenTLS.validate("nats.listen_tls"))
	for i, t := range c.Placement.Tags {
		if t == "" || strings.ContainsAny(t, " \t\n") {
			errs = append(errs, fmt.Errorf("nats.placement.tags[%d] %q: want a tag without spaces", i, t))
		}
	}
	errs = append(errs, c.validateListen())
	return errors.Join(errs...)
}

// checkPrefix accepts one or more dot-separated subject tokens without
// wildcards, not in the $-reserved space.
func checkPrefix(p string) error {
	if strings.HasPrefix(p, "$") || strings.HasPrefix(p, "_") {
		return errors.New("names starting with $ or _ are reserved")
	}
	for tok := range strings.SplitSeq(p, ".") {
		if tok == "" {
			return errors.New("empty token")
		}
		for _, r := range tok {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
				return fmt.Errorf("token %q: want letters, digits, - and _", tok)
			}
		}
	}
	return nil
}

func (t TLSFiles) validate(key string) error {
	if (t.CertFile == "") != (t.KeyFile == "") {
		return fmt.Errorf("%s: cert_file and key_file go together", key)
	}
	return nil
}

// validateListen refuses an embedded listener that anyone off this
// machine could use without credentials.
func (c *Config) validateListen() error {
	var errs []error
	for i, k := range c.ListenNKeys {
		if !nkeys.IsValidPublicUserKey(k) {
			errs = append(errs, fmt.Errorf("nats.listen_nkeys[%d]: not a public user nkey (U…)", i))
		}
	}
	if c.ListenTLS.CAFile != "" && c.ListenTLS.CertFile == "" {
		errs = append(errs, errors.New("nats.listen_tls.ca_file checks client certificates: the listener needs cert_file and key_file too"))
	}
	if c.Listen == "" {
		if len(c.ListenNKeys) > 0 || c.ListenTLS.set() {
			errs = append(errs, errors.New("nats.listen_nkeys and nats.listen_tls apply to nats.listen, which is not set"))
		}
		return errors.Join(errs...)
	}
	host, _, err := net.SplitHostPort(c.Listen)
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("nats.listen %q: %w", c.Listen, err))...)
	}
	if !IsLoopback(host) && len(c.ListenNKeys) == 0 && c.ListenTLS.CAFile == "" {
		errs = append(errs, fmt.Errorf("nats.listen %q is reachable from other machines: set nats.listen_nkeys (or nats.listen_tls.ca_file for client certificates), or listen on 127.0.0.1", c.Listen))
	}
	return errors.Join(errs...)
}

// IsLoopback reports whether a listen host reaches only this machine; an
// empty host is taken as loopback (newsdesk binds it to 127.0.0.1).
func IsLoopback(host string) bool {
	if host == "" || strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
