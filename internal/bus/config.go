package bus

import (
	"cmp"
	"errors"
	"fmt"
	"strings"
	"time"
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
	// the nats CLI or separate stage processes can reach it. Empty: in-process only.
	Listen string `yaml:"listen"`
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
	c.SyncInterval = cmp.Or(c.SyncInterval, DefaultSyncInterval)
	c.MaxStore = cmp.Or(c.MaxStore, DefaultEmbeddedMaxStore)
	c.SubjectPrefix = cmp.Or(c.SubjectPrefix, DefaultSubjectPrefix)
}

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
	for i, t := range c.Placement.Tags {
		if t == "" || strings.ContainsAny(t, " \t\n") {
			errs = append(errs, fmt.Errorf("nats.placement.tags[%d] %q: want a tag without spaces", i, t))
		}
	}
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
