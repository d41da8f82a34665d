package llm

import (
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

func TestConfigYAML(t *testing.T) {
	src := `
base_url: http://localhost:11434/v1
model: qwen3:8b
timeout: 90s
stream: true
stream_idle_timeout: 20s
max_concurrency: 4
max_retries: -1
max_retry_delay: 1m
temperature: 0.2
thinking: off-ollama
json_mode: none
embedding_model: nomic-embed-text
context_tokens: 32768
requests_per_second: 2.5
check_model: false
`
	var c Config
	if err := yaml.Unmarshal([]byte(src), &c); err != nil {
		t.Fatal(err)
	}
	c.Defaults()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.Timeout != 90*time.Second || c.StreamIdleTimeout != 20*time.Second || c.MaxRetryDelay != time.Minute ||
		c.MaxConcurrency != 4 || c.MaxRetries != -1 || !c.Stream || c.Thinking != ThinkingOffOllama ||
		c.JSONMode != JSONModeNone || c.ContextTokens != 32768 || c.RequestsPerSecond != 2.5 || c.checkModel() ||
		c.APIKeyEnv != DefaultAPIKeyEnv || c.EmbeddingModel != "nomic-embed-text" {
		t.Errorf("decoded %+v", c)
	}
}

func TestConfigDefaults(t *testing.T) {
	var c Config
	c.Defaults()
	if err := c.Validate(); err != nil {
		t.Fatalf("defaulted zero config invalid: %v", err)
	}
	if c.Configured() {
		t.Error("zero config reports configured")
	}
	if c.MaxConcurrency != DefaultMaxConcurrency || c.Timeout != DefaultTimeout || c.Thinking != DefaultThinking ||
		c.JSONMode != DefaultJSONMode || !c.checkModel() || c.MaxRetries != DefaultMaxRetries {
		t.Errorf("defaults not applied: %+v", c)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Config)
		want   string
	}{
		{"model missing", func(c *Config) { c.Model = "" }, "model"},
		{"bad scheme", func(c *Config) { c.BaseURL = "ftp://x/v1" }, "scheme"},
		{"no host", func(c *Config) { c.BaseURL = "http:///v1" }, "host"},
		{"thinking typo", func(c *Config) { c.Thinking = "off" }, "thinking"},
		{"json mode typo", func(c *Config) { c.JSONMode = "json_schema" }, "json_mode"},
		{"negative timeout", func(c *Config) { c.Timeout = -time.Second }, "negative"},
		{"zero concurrency", func(c *Config) { c.MaxConcurrency = -1 }, "max_concurrency"},
		{"retries", func(c *Config) { c.MaxRetries = -2 }, "max_retries"},
		{"temperature", func(c *Config) { c.Temperature = 3 }, "temperature"},
		{"tiny context", func(c *Config) { c.ContextTokens = 10 }, "context_tokens"},
		{"negative rps", func(c *Config) { c.RequestsPerSecond = -1 }, "requests_per_second"},
		{"ratio", func(c *Config) { c.MinPromptRatio = 2 }, "min_prompt_ratio"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Config{BaseURL: "http://localhost:8000/v1", Model: "m"}
			c.Defaults()
			tt.mutate(&c)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want an error about %s", err, tt.want)
			}
		})
	}
}
