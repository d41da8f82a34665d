// Package config loads newsdesk's YAML configuration. It goes one way:
// YAML → strict decode (unknown keys are errors) → defaults → Validate() →
// the stage constructors. Each stage owns its section's type, defaults and
// validation; this package composes them, resolves every relative path
// against the config file's directory, and makes errors name the key's
// full path ("ingest.feeds[3].langauge: unknown key; did you mean
// language?").
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
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

	// Dir is the directory of the config file; relative paths are
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
	// Listen is the address for /metrics (a server of its own, apart from
	// publish.listen, so a reverse proxy never exposes it); empty disables it.
	Listen string `yaml:"listen"`
}

// Load reads and checks the file at path. adjust runs on the decoded file
// before defaults and validation (the command line's --nats).
func Load(path string, adjust ...func(*Config)) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	c, err := parse(data, dir, adjust)
	if err != nil {
		return nil, &FileError{Path: path, Err: err}
	}
	return c, nil
}

// FileError is what is wrong with a config file: one problem on the line,
// several each on a line of its own.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string {
	msg := e.Err.Error()
	if !strings.Contains(msg, "\n") {
		return "config " + e.Path + ": " + msg
	}
	return "config " + e.Path + ":\n  " + strings.ReplaceAll(msg, "\n", "\n  ")
}

func (e *FileError) Unwrap() error { return e.Err }

// Parse decodes data strictly, applies defaults, resolves relative paths
// against dir (the config file's directory; "" leaves them as they are)
// and validates.
func Parse(data []byte, dir string) (*Config, error) { return parse(data, dir, nil) }

func parse(data []byte, dir string, adjust []func(*Config)) (*Config, error) {
	c, err := Decode(data)
	if err != nil {
		return nil, err
	}
	for _, f := range adjust {
		f(c)
	}
	c.Dir = dir
	c.Defaults()
	if dir != "" {
		c.ResolvePaths(dir)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// Decode only decodes, strictly: unknown keys and trailing documents are
// errors. Callers that adjust the config (the demo) call Defaults and
// Validate themselves. Every error names the key's full path and line;
// an unknown key also the closest known one.
func Decode(data []byte) (*Config, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("decode: %w", err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, errors.New("decode: more than one YAML document")
	}
	keys := checkKeys(&doc, reflect.TypeFor[Config]())
	if len(keys.problems) > 0 {
		errs := make([]error, len(keys.problems))
		for i, p := range keys.problems {
			errs[i] = p
		}
		return nil, errors.Join(errs...)
	}
	var c Config
	// The keys are known now; decoding strictly still guards against a
	// key the walk above could not see.
	strict := yaml.NewDecoder(bytes.NewReader(data))
	strict.KnownFields(true)
	if err := strict.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return nil, errors.New(keys.explain(strings.TrimPrefix(err.Error(), "yaml: ")))
		}
		errs := make([]error, len(te.Errors))
		for i, msg := range te.Errors {
			errs[i] = errors.New(keys.explain(msg))
		}
		return nil, errors.Join(errs...)
	}
	return &c, nil
}

// Paths lists every setting that names a file or directory, by key.
// ResolvePaths makes the relative ones relative to the config file;
// TestEveryPathResolved keeps this list complete.
func (c *Config) Paths() map[string]*string {
	return map[string]*string{
		"nats.data_dir":               &c.NATS.DataDir,
		"nats.creds_file":             &c.NATS.CredsFile,
		"nats.nkey_seed_file":         &c.NATS.NKeySeedFile,
		"nats.tls.ca_file":            &c.NATS.TLS.CAFile,
		"nats.tls.cert_file":          &c.NATS.TLS.CertFile,
		"nats.tls.key_file":           &c.NATS.TLS.KeyFile,
		"nats.listen_tls.ca_file":     &c.NATS.ListenTLS.CAFile,
		"nats.listen_tls.cert_file":   &c.NATS.ListenTLS.CertFile,
		"nats.listen_tls.key_file":    &c.NATS.ListenTLS.KeyFile,
		"ingest.topic":                &c.Ingest.Topic,
		"publish.out_dir":             &c.Publish.OutDir,
		"publish.email.outbox_dir":    &c.Publish.Email.OutboxDir,
		"publish.email.dkim.key_file": &c.Publish.Email.DKIM.KeyFile,
	}
}

// ResolvePaths makes every relative path in c (defaults included) relative
// to dir, the config file's directory, so a config means the same files
// whatever directory newsdesk is started from.
func (c *Config) ResolvePaths(dir string) {
	for _, p := range c.Paths() {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
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
	if c.Ingest.Topic == "" {
		errs = append(errs, errors.New("ingest.topic: required: the path of a topic profile (e.g. topics/china-us-ai.yaml next to this file)"))
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
