package cluster

import (
	"cmp"
	"errors"
	"fmt"
	"time"
)

// Defaults for Config.
const (
	DefaultThreshold          = 0.45
	DefaultTextThreshold      = 0.85
	DefaultEmbeddingThreshold = 0.82
	DefaultTimeWindow         = 48 * time.Hour
	DefaultMaxLeadChars       = 1500
)

// Config tunes story grouping (summarize.cluster in the configuration).
type Config struct {
	// Threshold is the cosine similarity (0..1) of two articles' anchors —
	// names, product codes, numbers, glossary concepts, the words German
	// and English texts share — at which they report the same story.
	Threshold float64 `yaml:"threshold"`
	// TextThreshold is the cosine similarity of all content words at which
	// two articles in one language are the same story (a rewrite).
	TextThreshold float64 `yaml:"text_threshold"`
	// EmbeddingThreshold is the cosine similarity of embeddings at which two
	// articles are the same story (used only with use_embeddings).
	EmbeddingThreshold float64 `yaml:"embedding_threshold"`
	// TimeWindow: articles published further apart need proportionally
	// stronger evidence to be one story, and past four windows never are.
	TimeWindow    time.Duration `yaml:"time_window"`
	UseEmbeddings bool          `yaml:"use_embeddings"`
	// MaxLeadChars of each article's text feed the comparison.
	MaxLeadChars int `yaml:"max_lead_chars"`
}

// Defaults fills zero fields with the Default… constants.
func (c *Config) Defaults() {
	c.Threshold = cmp.Or(c.Threshold, DefaultThreshold)
	c.TextThreshold = cmp.Or(c.TextThreshold, DefaultTextThreshold)
	c.EmbeddingThreshold = cmp.Or(c.EmbeddingThreshold, DefaultEmbeddingThreshold)
	c.TimeWindow = cmp.Or(c.TimeWindow, DefaultTimeWindow)
	c.MaxLeadChars = cmp.Or(c.MaxLeadChars, DefaultMaxLeadChars)
}

// Validate reports every problem with a defaulted Config.
func (c Config) Validate() error {
	var errs []error
	for _, t := range []struct {
		name string
		v    float64
	}{{"threshold", c.Threshold}, {"text_threshold", c.TextThreshold}, {"embedding_threshold", c.EmbeddingThreshold}} {
		if t.v <= 0 || t.v >= 1 {
			errs = append(errs, fmt.Errorf("%s %v: want in (0,1)", t.name, t.v))
		}
	}
	if c.TimeWindow < time.Hour {
		errs = append(errs, fmt.Errorf("time_window %v: want at least 1h", c.TimeWindow))
	}
	if c.MaxLeadChars < 100 {
		errs = append(errs, fmt.Errorf("max_lead_chars %d: want at least 100", c.MaxLeadChars))
	}
	return errors.Join(errs...)
}
