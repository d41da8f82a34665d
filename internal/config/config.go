// Package config loads newsdesk's YAML configuration. It goes one way:
// YAML → strict decode (unknown keys are errors) → defaults → Validate() →
// the stage constructors. Each stage owns its section's type, defaults and
// validation; this package composes them and resolves relative paths.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/newsdesk/newsdesk/ingest"
	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/publish"
	"github.com/newsdesk/newsdesk/summarize"
)

// DefaultShutdownTimeout bounds graceful shutdown.
const DefaultShutdownTimeout = 30 * time.Second

// Config is the whole file.
type Config struct {
	NATS      bus.Config       `yaml:"nats"`
	Log       Log              `yaml:"log"`
	Metrics   Metrics          `yaml:"metrics"`
	Ingest    ingest.Config    `yaml:"ingest"`
	Summarize summarize.Config `yaml:"summarize"`
	Publish   publish.Config   `yaml:"publish"`
	// ShutdownTimeout bounds how long stages get to finish in-flight work.
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"`

	// Dir is the directory of the config file; relative topic paths are
	// resolved against it. Empty for configs read from elsewhere.
	Dir string `yaml:"-"`
	// Langs are the languages editions and the site may use; Defaults
	// sets the built-in ones (lang.Default) when nil. The stages get the
	// same registry in their Deps.
	Langs *lang.Registry `yaml:"-"`
}

// Log configures the process logger.
type Log struct {
	Level  string `yaml:"level"`  // debug, info, warn, error; default info
	Format string `yaml:"format"` // text or json; default text
}

// Metrics configures the Prometheus endpoint.
type Metrics struct {
	// Listen is the address for /metrics; empty disables it. When publish
	// serves HTTP, /metrics is also mounted there.
	Listen string `yaml:"listen"`
}

// Load reads and checks the file at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	c, err := Parse(data, dir)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return c, nil
}

// Parse decodes data strictly, applies defaults and validates. dir is the
// base for relative topic paths.
func Parse(data []byte, dir string) (*Config, error) {
	c, err := Decode(data)
	if err != nil {
		return nil, err
	}
	c.Dir = dir
	if dir != "" {
		c.Ingest.ResolvePaths(dir)
	}
	c.Defaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// Decode only decodes, strictly: unknown keys and trailing documents are
// errors. Callers that adjust the config (the demo) call Defaults and
// Validate themselves.
func Decode(data []byte) (*Config, error) {
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("decode: %w", err)
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, errors.New("decode: more than one YAML document")
	}
	return &c, nil
}

// Defaults fills every zero field with its named default.
func (c *Config) Defaults() {
	c.NATS.Defaults()
	c.Ingest.Defaults()
	c.Summarize.Defaults()
	c.Publish.Defaults()
	if c.Log.Level == "" {
		c.Log.Level = "info"
	}
	if c.Log.Format == "" {
		c.Log.Format = "text"
	}
	if c.ShutdownTimeout == 0 {
		c.ShutdownTimeout = DefaultShutdownTimeout
	}
	if c.Langs == nil {
		c.Langs = lang.Default()
	}
}

// Validate checks every section and joins what is wrong.
func (c *Config) Validate() error {
	// Each section's errors already name their keys ("ingest.feeds[0].url").
	errs := []error{c.NATS.Validate(), c.Ingest.Validate(), c.Summarize.Validate(), c.Publish.Validate()}
	if c.Langs != nil {
		// A language nobody registered would get English labels and no
		// stemming; say which ones there are instead.
		errs = append(errs, c.Summarize.CheckLanguages(c.Langs), c.Publish.CheckLanguages(c.Langs))
	}
	if _, err := ParseLevel(c.Log.Level); err != nil {
		errs = append(errs, fmt.Errorf("log.level: %w", err))
	}
	if c.Log.Format != "text" && c.Log.Format != "json" {
		errs = append(errs, fmt.Errorf("log.format %q: want text or json", c.Log.Format))
	}
	return errors.Join(errs...)
}

// ParseLevel maps a level name onto slog.
func ParseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(s))); err != nil {
		return 0, fmt.Errorf("level %q: want debug, info, warn or error", s)
	}
	return l, nil
}

// NewLogger builds the process logger from the config.
func (c *Config) NewLogger(w io.Writer) *slog.Logger {
	lvl, _ := ParseLevel(c.Log.Level)
	opts := &slog.HandlerOptions{Level: lvl}
	if c.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
