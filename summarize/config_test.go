package summarize

import (
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/newsdesk/newsdesk/summarize/cluster"
)

func TestConfigDefaults(t *testing.T) {
	var c Config
	c.Defaults()
	if err := c.Validate(); err != nil {
		t.Fatalf("defaulted config invalid: %v", err)
	}
	if len(c.Editions) != 1 {
		t.Fatalf("editions %+v", c.Editions)
	}
	ed := c.Editions[0]
	if ed.Name != "daily" || ed.At[0] != "07:00" || ed.TimeZone != "Europe/Berlin" || ed.MaxStories != 8 ||
		ed.Lookback != 24*time.Hour || strings.Join(ed.Languages, ",") != "de,en" || ed.Title["de"] == "" {
		t.Errorf("edition defaults %+v", ed)
	}
	if c.Workers != DefaultWorkers || c.LLMDeadline != DefaultLLMDeadline || len(c.Backoff) != 4 ||
		c.Brief.MaxInputChars != DefaultBriefMaxInputChars || c.Cluster.Threshold != cluster.DefaultThreshold ||
		len(c.Glossary.Terms) == 0 || len(c.Glossary.Keep) == 0 || c.LLM.Configured() {
		t.Errorf("defaults %+v", c)
	}
	// Defaults never overwrite what is set.
	c2 := Config{Workers: 7, Editions: []EditionConfig{{Name: "evening", At: []string{"18:00"}, Languages: []string{"en"}}}}
	c2.Defaults()
	if c2.Workers != 7 || c2.Editions[0].Name != "evening" || len(c2.Editions[0].Languages) != 1 {
		t.Errorf("defaults overwrote settings: %+v", c2)
	}
}

func TestConfigYAML(t *testing.T) {
	src := `
prompt_version: p7
llm:
  base_url: http://localhost:11434/v1
  model: qwen3:8b
editions:
  - name: morning
    at: ["06:30", "18:00"]
    time_zone: UTC
    languages: [de]
    max_stories: 5
    lookback: 12h
    title: {de: Morgenlage}
brief: {max_input_chars: 1200, max_tokens: 150, sentences: 2}
digest: {max_tokens: 700, max_sources_per_story: 4, story_sentences: 2}
cluster: {threshold: 0.5, text_threshold: 0.9, time_window: 36h, use_embeddings: true}
glossary:
  terms: [{en: export controls, de: Exportkontrollen}]
  keep: [Nvidia]
workers: 4
ack_wait: 3m
max_deliver: 6
backoff: [10s, 1m]
llm_deadline: 5m
`
	var c Config
	dec := yaml.NewDecoder(strings.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		t.Fatal(err)
	}
	c.Defaults()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	ed := c.Editions[0]
	if ed.Lookback != 12*time.Hour || len(ed.At) != 2 || ed.Title["de"] != "Morgenlage" || c.AckWait != 3*time.Minute ||
		c.Backoff[1] != time.Minute || c.Cluster.TimeWindow != 36*time.Hour || !c.Cluster.UseEmbeddings || c.LLM.Model != "qwen3:8b" {
		t.Errorf("decoded %+v", c)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"bad time", func(c *Config) { c.Editions[0].At = []string{"7:00"} }, "HH:MM"},
		{"bad zone", func(c *Config) { c.Editions[0].TimeZone = "Mars/Olympus" }, "time_zone"},
		{"bad language", func(c *Config) { c.Editions[0].Languages = []string{"deu"} }, "ISO 639-1"},
		{"duplicate language", func(c *Config) { c.Editions[0].Languages = []string{"de", "de"} }, "twice"},
		{"duplicate edition", func(c *Config) { c.Editions = append(c.Editions, c.Editions[0]) }, "duplicate name"},
		{"edition name not a token", func(c *Config) { c.Editions[0].Name = "Daily News" }, "name"},
		{"too many stories", func(c *Config) { c.Editions[0].MaxStories = 500 }, "max_stories"},
		{"threshold", func(c *Config) { c.Cluster.Threshold = 1.5 }, "cluster: threshold"},
		{"backoff longer than max_deliver", func(c *Config) { c.MaxDeliver = 2 }, "backoff"},
		{"prompt version", func(c *Config) { c.PromptVersion = "v 1" }, "prompt_version"},
		{"deadline", func(c *Config) { c.LLMDeadline = time.Millisecond }, "llm_deadline"},
		{"glossary", func(c *Config) { c.Glossary.Terms = []Term{{Words: map[string][]string{"en": {"x"}}}} }, "want an en word and a word in at least one other language"},
		{"glossary language code", func(c *Config) { c.Glossary.Terms = []Term{{Words: map[string][]string{"en": {"x"}, "German": {"y"}}}} }, `"German" is not a language code`},
		{"llm without model", func(c *Config) { c.LLM.BaseURL = "http://localhost:1/v1" }, "model"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Config
			c.Defaults()
			tt.edit(&c)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want an error mentioning %q", err, tt.want)
			}
			if _, err := New(c, Deps{}); err == nil {
				t.Error("New accepted an invalid config")
			}
		})
	}
}
