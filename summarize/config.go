package summarize

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/summarize/cluster"
	"github.com/newsdesk/newsdesk/summarize/llm"
)

// Defaults for Config. Every limit and duration of the stage is here.
const (
	DefaultPromptVersion = "p1"

	DefaultEditionName       = "daily"
	DefaultEditionAt         = "07:00"
	DefaultEditionTimeZone   = "Europe/Berlin"
	DefaultEditionMaxStories = 8
	DefaultEditionLookback   = 24 * time.Hour

	// A brief's input is the title plus the lead paragraphs up to this many
	// characters (about 400 tokens of German): news is written lead first,
	// and tokens are the pipeline's limit (DESIGN.md). It is the largest
	// single lever on the stage's token cost.
	DefaultBriefMaxInputChars = 1600
	DefaultBriefMaxTokens     = 220
	DefaultBriefSentences     = 3

	DefaultDigestMaxTokens          = 900
	DefaultDigestOverviewMaxTokens  = 300
	DefaultDigestMaxSourcesPerStory = 6
	DefaultDigestStorySentences     = 3

	DefaultMemory  = 7 * 24 * time.Hour
	DefaultCatchUp = 2 * time.Hour
	// DefaultLockTTL is the edition lease: its holder renews it every
	// third of it, and another replica takes over a slot whose holder has
	// not renewed it for this long (it died).
	DefaultLockTTL = 30 * time.Second
	// DefaultEditionAttempts caps how often the scheduler composes a slot
	// that keeps failing; run --once and recompose always try.
	DefaultEditionAttempts = 5
	// DefaultIngestWait is the longest the scheduler waits for the first
	// ingest pass of this process before it composes anyway.
	DefaultIngestWait = 10 * time.Minute
	DefaultWorkers    = 2
	// DefaultMaxAckPending caps the articles being briefed across all
	// replicas together; it only has to exceed their workers together.
	DefaultMaxAckPending = 16
	// DefaultPauseInitial and DefaultPauseMax bound the waits between
	// tries while the LLM is unavailable.
	DefaultPauseInitial = 2 * time.Second
	DefaultPauseMax     = 5 * time.Minute
	DefaultAckWait      = 2 * time.Minute
	DefaultMaxDeliv     = 5
	// DefaultLLMDeadline is how long an edition waits for the LLM in total
	// before it falls back to extractive text and goes out.
	DefaultLLMDeadline = 10 * time.Minute
)

// DefaultBackoff are the redelivery delays for failed briefs.
var defaultBackoff = []time.Duration{30 * time.Second, 2 * time.Minute, 10 * time.Minute, 30 * time.Minute}

// DefaultBackoff returns the default redelivery delays (a fresh slice: the
// package keeps no mutable globals that callers could change).
func DefaultBackoff() []time.Duration { return slices.Clone(defaultBackoff) }

// Config configures the summarize stage. YAML key: summarize.
type Config struct {
	// LLM is the OpenAI-compatible server; an empty base_url means no LLM:
	// every edition is composed by the extractive summarizer.
	LLM llm.Config `yaml:"llm"`
	// PromptVersion is part of every brief cache key and digest id; bump it
	// when prompts change so old cached briefs are not reused.
	PromptVersion string          `yaml:"prompt_version"`
	Editions      []EditionConfig `yaml:"editions"`
	Brief         BriefConfig     `yaml:"brief"`
	Digest        DigestConfig    `yaml:"digest"`
	Cluster       cluster.Config  `yaml:"cluster"`
	Glossary      Glossary        `yaml:"glossary"`
	// Workers is the number of articles this process briefs at once (its
	// share of the LLM's parallel slots). Replicas add up.
	Workers int `yaml:"workers"`
	// MaxAckPending caps the articles handed out and not yet briefed
	// across every replica together (the durable consumer's setting, set
	// by `newsdesk setup`): at least the replicas' workers together, at
	// most what the LLM servers take at once. Articles waiting to be
	// retried count too.
	MaxAckPending int             `yaml:"max_ack_pending"`
	AckWait       time.Duration   `yaml:"ack_wait"`
	MaxDeliver    int             `yaml:"max_deliver"`
	Backoff       []time.Duration `yaml:"backoff"`
	// Pause: while the LLM answers 429 or 5xx or times out, briefing
	// pauses: the article waits in this process (deliveries are not spent)
	// and is tried again after Initial, doubling up to Max (or the
	// server's Retry-After); no other article is taken meanwhile.
	Pause PauseConfig `yaml:"pause"`
	// LLMDeadline bounds all LLM work of one edition; after it the rest of
	// the edition is composed extractively so it still goes out on time.
	LLMDeadline time.Duration `yaml:"llm_deadline"`
	// Memory is how long earlier editions' stories are remembered, to mark
	// continuing stories as updates.
	Memory time.Duration `yaml:"memory"`
	// CatchUp: on start, a scheduled edition missed by at most this long is
	// still composed (once across replicas).
	CatchUp time.Duration `yaml:"catch_up"`
	// LockTTL is the edition lease: the replica composing an edition slot
	// renews its lock every third of it; a lock not renewed for this long
	// (its holder died) is taken over by another replica or a restarted
	// process. Replicas' clocks must agree to well within it (NTP).
	LockTTL time.Duration `yaml:"lock_ttl"`
	// EditionAttempts caps how often the scheduler composes a slot that
	// keeps failing (run --once and recompose always try once more).
	EditionAttempts int `yaml:"edition_attempts"`
	// IngestWait: a process running ingest too composes its first edition
	// only after ingest's first pass over every feed, but waits at most
	// this long for it.
	IngestWait time.Duration `yaml:"ingest_wait"`
}

// PauseConfig bounds the waits of a paused consumer.
type PauseConfig struct {
	Initial time.Duration `yaml:"initial"`
	Max     time.Duration `yaml:"max"`
}

// EditionConfig is one scheduled edition.
type EditionConfig struct {
	Name string `yaml:"name"` // subject token: "daily", "morning"
	// At lists local times "HH:MM" in TimeZone.
	At         []string `yaml:"at"`
	TimeZone   string   `yaml:"time_zone"`
	Languages  []string `yaml:"languages"`
	MaxStories int      `yaml:"max_stories"`
	// Lookback caps the window: articles ingested since the previous
	// edition, at most Lookback before this one.
	Lookback time.Duration `yaml:"lookback"`
	// Title per language; defaults name the topic generically.
	Title map[string]string `yaml:"title"`
	// MinRelevance drops articles whose topic score is below it.
	MinRelevance float64 `yaml:"min_relevance"`

	loc *time.Location
}

// BriefConfig is about per-article briefs.
type BriefConfig struct {
	MaxInputChars int `yaml:"max_input_chars"`
	MaxTokens     int `yaml:"max_tokens"`
	// Sentences is the length of an extractive brief.
	Sentences int `yaml:"sentences"`
}

// DigestConfig is about story summaries and the digest.
type DigestConfig struct {
	// MaxTokens for one story call (German and English together).
	MaxTokens int `yaml:"max_tokens"`
	// OverviewMaxTokens for one overview call per language.
	OverviewMaxTokens  int `yaml:"overview_max_tokens"`
	MaxSourcesPerStory int `yaml:"max_sources_per_story"`
	// StorySentences is the length of an extractive story summary.
	StorySentences int `yaml:"story_sentences"`
	// OtherLanguageText: a story with no source in an edition's language
	// appears there anyway (every language of an edition carries every
	// story), with its source's headline, outlet, link and a label saying
	// the source is in another language. Without an LLM to translate it,
	// true adds sentences of the source in the source's language; false
	// (the default) shows the headline and link only.
	OtherLanguageText bool `yaml:"other_language_text"`
}

// Defaults fills zero fields with the named defaults.
func (c *Config) Defaults() {
	c.LLM.Defaults()
	c.PromptVersion = cmp.Or(c.PromptVersion, DefaultPromptVersion)
	if len(c.Editions) == 0 {
		c.Editions = []EditionConfig{{Name: DefaultEditionName}}
	}
	for i := range c.Editions {
		c.Editions[i].Defaults()
	}
	c.Brief.MaxInputChars = cmp.Or(c.Brief.MaxInputChars, DefaultBriefMaxInputChars)
	c.Brief.MaxTokens = cmp.Or(c.Brief.MaxTokens, DefaultBriefMaxTokens)
	c.Brief.Sentences = cmp.Or(c.Brief.Sentences, DefaultBriefSentences)
	c.Digest.MaxTokens = cmp.Or(c.Digest.MaxTokens, DefaultDigestMaxTokens)
	c.Digest.OverviewMaxTokens = cmp.Or(c.Digest.OverviewMaxTokens, DefaultDigestOverviewMaxTokens)
	c.Digest.MaxSourcesPerStory = cmp.Or(c.Digest.MaxSourcesPerStory, DefaultDigestMaxSourcesPerStory)
	c.Digest.StorySentences = cmp.Or(c.Digest.StorySentences, DefaultDigestStorySentences)
	c.Cluster.Defaults()
	c.Glossary.Defaults()
	c.Workers = cmp.Or(c.Workers, DefaultWorkers)
	c.MaxAckPending = cmp.Or(c.MaxAckPending, max(DefaultMaxAckPending, c.Workers))
	c.Pause.Initial = cmp.Or(c.Pause.Initial, DefaultPauseInitial)
	c.Pause.Max = cmp.Or(c.Pause.Max, DefaultPauseMax)
	c.AckWait = cmp.Or(c.AckWait, DefaultAckWait)
	c.MaxDeliver = cmp.Or(c.MaxDeliver, DefaultMaxDeliv)
	if len(c.Backoff) == 0 {
		c.Backoff = DefaultBackoff()
	}
	c.LLMDeadline = cmp.Or(c.LLMDeadline, DefaultLLMDeadline)
	c.Memory = cmp.Or(c.Memory, DefaultMemory)
	c.CatchUp = cmp.Or(c.CatchUp, DefaultCatchUp)
	c.LockTTL = cmp.Or(c.LockTTL, DefaultLockTTL)
	c.EditionAttempts = cmp.Or(c.EditionAttempts, DefaultEditionAttempts)
	c.IngestWait = cmp.Or(c.IngestWait, DefaultIngestWait)
}

// Defaults fills zero fields of one edition.
func (e *EditionConfig) Defaults() {
	e.Name = cmp.Or(e.Name, DefaultEditionName)
	if len(e.At) == 0 {
		e.At = []string{DefaultEditionAt}
	}
	e.TimeZone = cmp.Or(e.TimeZone, DefaultEditionTimeZone)
	if len(e.Languages) == 0 {
		e.Languages = []string{"de", "en"}
	}
	e.MaxStories = cmp.Or(e.MaxStories, DefaultEditionMaxStories)
	e.Lookback = cmp.Or(e.Lookback, DefaultEditionLookback)
	if e.Title == nil {
		e.Title = map[string]string{}
	}
	e.defaultTitles(lang.Default())
}

// defaultTitles sets the title of each language without one to the
// catalog's title.default. Defaults uses the built-in languages; New fills
// in the languages of the registry it is given.
func (e *EditionConfig) defaultTitles(langs *lang.Registry) {
	for _, l := range e.Languages {
		if e.Title[l] == "" {
			if reg, ok := langs.Lookup(l); ok {
				e.Title[l] = reg.T("title.default")
			}
		}
	}
}

// titles fills in default titles from langs.
func (c *Config) titles(langs *lang.Registry) {
	for i := range c.Editions {
		c.Editions[i].defaultTitles(langs)
	}
}

// CheckLanguages reports every edition language and glossary language that
// langs does not have, naming the registered ones.
func (c *Config) CheckLanguages(langs *lang.Registry) error {
	var errs []error
	for i, e := range c.Editions {
		for _, l := range e.Languages {
			if err := langs.Check(l); err != nil && langRe.MatchString(l) {
				errs = append(errs, fmt.Errorf("summarize.editions[%d].languages: %w", i, err))
			}
		}
	}
	for _, l := range c.Glossary.languages() {
		if err := langs.Check(l); err != nil && langRe.MatchString(l) {
			errs = append(errs, fmt.Errorf("summarize.glossary: %w", err))
		}
	}
	return errors.Join(errs...)
}

var (
	clockRe = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	tokenRe = regexp.MustCompile(`^[a-z0-9_-]{1,32}$`)
	langRe  = regexp.MustCompile(`^[a-z]{2}$`)
)

// Validate checks a defaulted Config.
func (c *Config) Validate() error {
	var errs []error
	if err := c.LLM.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("summarize.llm: %w", err))
	}
	if !tokenRe.MatchString(c.PromptVersion) {
		errs = append(errs, fmt.Errorf("summarize.prompt_version %q: want 1-32 of a-z 0-9 _ -", c.PromptVersion))
	}
	seen := map[string]bool{}
	for i := range c.Editions {
		e := &c.Editions[i]
		if seen[e.Name] {
			errs = append(errs, fmt.Errorf("summarize.editions: duplicate name %q", e.Name))
		}
		seen[e.Name] = true
		if err := e.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("summarize.editions[%d]: %w", i, err))
		}
	}
	if c.Brief.MaxInputChars < 200 {
		errs = append(errs, fmt.Errorf("summarize.brief.max_input_chars %d: want at least 200", c.Brief.MaxInputChars))
	}
	if c.Brief.MaxTokens < 32 || c.Digest.MaxTokens < 64 || c.Digest.OverviewMaxTokens < 32 {
		errs = append(errs, errors.New("summarize.brief.max_tokens (≥32), digest.max_tokens (≥64) and digest.overview_max_tokens (≥32) are too small"))
	}
	if c.Brief.Sentences < 1 || c.Digest.StorySentences < 1 || c.Digest.MaxSourcesPerStory < 1 {
		errs = append(errs, errors.New("summarize.brief.sentences, digest.story_sentences and digest.max_sources_per_story must be at least 1"))
	}
	if err := c.Cluster.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("summarize.cluster: %w", err))
	}
	if err := c.Glossary.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("summarize.glossary: %w", err))
	}
	if c.Workers < 1 || c.Workers > 256 {
		errs = append(errs, fmt.Errorf("summarize.workers %d: want 1..256", c.Workers))
	}
	if c.MaxAckPending < c.Workers {
		errs = append(errs, fmt.Errorf("summarize.max_ack_pending %d is below workers %d: the consumer would never hand one process enough articles", c.MaxAckPending, c.Workers))
	}
	if c.Pause.Initial <= 0 || c.Pause.Max < c.Pause.Initial {
		errs = append(errs, fmt.Errorf("summarize.pause: initial %v, max %v: want 0 < initial <= max", c.Pause.Initial, c.Pause.Max))
	}
	if c.AckWait < time.Second {
		errs = append(errs, fmt.Errorf("summarize.ack_wait %v: want at least 1s", c.AckWait))
	}
	if c.MaxDeliver < 1 {
		errs = append(errs, fmt.Errorf("summarize.max_deliver %d: want at least 1", c.MaxDeliver))
	}
	if len(c.Backoff) > c.MaxDeliver {
		// The server rejects it: "max deliver is required to be > length of backoff values".
		errs = append(errs, fmt.Errorf("summarize.backoff has %d steps: want at most max_deliver (%d)", len(c.Backoff), c.MaxDeliver))
	}
	for _, d := range c.Backoff {
		if d <= 0 {
			errs = append(errs, fmt.Errorf("summarize.backoff: %v is not positive", d))
		}
	}
	if c.LLMDeadline < time.Second {
		errs = append(errs, fmt.Errorf("summarize.llm_deadline %v: want at least 1s", c.LLMDeadline))
	}
	if c.Memory < 0 || c.CatchUp < 0 {
		errs = append(errs, errors.New("summarize.memory and catch_up must not be negative"))
	}
	if c.LockTTL < time.Second || c.LockTTL > time.Hour {
		errs = append(errs, fmt.Errorf("summarize.lock_ttl %v: want 1s..1h (it is how long a dead replica's edition waits for a takeover)", c.LockTTL))
	}
	if c.EditionAttempts < 1 {
		errs = append(errs, fmt.Errorf("summarize.edition_attempts %d: want at least 1", c.EditionAttempts))
	}
	if c.IngestWait < 0 {
		errs = append(errs, fmt.Errorf("summarize.ingest_wait %v: must not be negative", c.IngestWait))
	}
	return errors.Join(errs...)
}

// Validate checks a defaulted edition.
func (e *EditionConfig) Validate() error {
	var errs []error
	if !tokenRe.MatchString(e.Name) {
		errs = append(errs, fmt.Errorf("name %q: want 1-32 of a-z 0-9 _ -", e.Name))
	}
	for _, at := range e.At {
		if !clockRe.MatchString(at) {
			errs = append(errs, fmt.Errorf("at %q: want HH:MM", at))
		}
	}
	loc, err := time.LoadLocation(e.TimeZone)
	if err != nil {
		errs = append(errs, fmt.Errorf("time_zone %q: %w", e.TimeZone, err))
	} else {
		e.loc = loc
	}
	seen := map[string]bool{}
	for _, l := range e.Languages {
		if !langRe.MatchString(l) {
			errs = append(errs, fmt.Errorf("language %q: want an ISO 639-1 code like de", l))
		}
		if seen[l] {
			errs = append(errs, fmt.Errorf("language %q listed twice", l))
		}
		seen[l] = true
	}
	if e.MaxStories < 1 || e.MaxStories > 50 {
		errs = append(errs, fmt.Errorf("max_stories %d: want 1..50", e.MaxStories))
	}
	if e.Lookback < time.Hour {
		errs = append(errs, fmt.Errorf("lookback %v: want at least 1h", e.Lookback))
	}
	if e.MinRelevance < 0 {
		errs = append(errs, fmt.Errorf("min_relevance %v: must not be negative", e.MinRelevance))
	}
	return errors.Join(errs...)
}

// location returns the edition's time zone (UTC before Validate).
func (e *EditionConfig) location() *time.Location {
	if e.loc != nil {
		return e.loc
	}
	if loc, err := time.LoadLocation(e.TimeZone); err == nil {
		return loc
	}
	return time.UTC
}
