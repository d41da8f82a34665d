package llm

import (
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"time"
)

// Defaults for Config. Every limit and duration the client uses is here.
const (
	DefaultAPIKeyEnv         = "NEWSDESK_LLM_API_KEY"
	DefaultTimeout           = 5 * time.Minute
	DefaultStreamIdleTimeout = 60 * time.Second
	DefaultMaxConcurrency    = 2
	DefaultMaxRetries        = 3
	DefaultRetryBaseDelay    = 500 * time.Millisecond
	DefaultMaxRetryDelay     = 30 * time.Second
	DefaultThinking          = ThinkingAuto
	DefaultJSONMode          = JSONModeObject
	DefaultContextTokens     = 8192
	// DefaultMinPromptRatio: a server reporting fewer prompt tokens than
	// this share of EstimatePromptTokens has cut the prompt (Ollama
	// truncates silently to its context length).
	DefaultMinPromptRatio = 0.5
	// DefaultTruncationCheckMin: prompts estimated below this many tokens
	// are not checked; chat-template overhead dominates them.
	DefaultTruncationCheckMin = 256
	// DefaultMaxResponseBytes caps a non-streaming answer body and the
	// accumulated content of a stream.
	DefaultMaxResponseBytes = 4 << 20
	// DefaultEmbedBatch is how many inputs one /v1/embeddings call carries.
	DefaultEmbedBatch = 64
)

// Thinking settings: how to tell the backend not to reason before answering.
const (
	// ThinkingAuto picks a setting from the base URL: api.deepseek.com →
	// off-deepseek, dashscope hosts → off-dashscope, port 11434 →
	// off-ollama, anything else → none.
	ThinkingAuto = "auto"
	// ThinkingNone sends nothing (models that never think, e.g.
	// Qwen3-Instruct-2507, or servers that reject unknown fields).
	ThinkingNone = "none"
	// ThinkingOffOllama sends reasoning_effort "none" (Ollama /v1).
	ThinkingOffOllama = "off-ollama"
	// ThinkingOffLlamaCpp sends reasoning_effort "none" (llama.cpp server).
	ThinkingOffLlamaCpp = "off-llamacpp"
	// ThinkingOffVLLM sends chat_template_kwargs {"enable_thinking": false}
	// (vLLM with Qwen3-style templates).
	ThinkingOffVLLM = "off-vllm"
	// ThinkingOffDeepSeek sends thinking {"type": "disabled"} (DeepSeek API).
	ThinkingOffDeepSeek = "off-deepseek"
	// ThinkingOffDashScope sends enable_thinking false (Alibaba DashScope).
	ThinkingOffDashScope = "off-dashscope"
)

// JSON modes: what Request.JSON turns into on the wire.
const (
	// JSONModeObject sends response_format {"type":"json_object"}.
	JSONModeObject = "json_object"
	// JSONModeNone sends nothing; the prompt alone asks for JSON.
	JSONModeNone = "none"
)

// Config configures the OpenAI-compatible client. The zero value with
// Defaults applied and an empty BaseURL means "no LLM configured"
// (Configured reports false) and summarize falls back to extractive.
type Config struct {
	// BaseURL of the OpenAI-compatible API including /v1, e.g.
	// http://localhost:11434/v1. Empty: no LLM.
	BaseURL string `yaml:"base_url"`
	Model   string `yaml:"model"`
	// APIKeyEnv names the environment variable holding the API key; the
	// key itself never lives in config files. An unset variable sends no key.
	APIKeyEnv string `yaml:"api_key_env"`
	// Timeout bounds one HTTP attempt, body included (a stream too).
	Timeout time.Duration `yaml:"timeout"`
	Stream  bool          `yaml:"stream"`
	// StreamIdleTimeout fails a stream when no data chunk arrives for this
	// long after the first one. ": keep-alive" comments do not count as
	// progress; before the first chunk (queueing, prompt processing) only
	// Timeout applies.
	StreamIdleTimeout time.Duration `yaml:"stream_idle_timeout"`
	// MaxConcurrency bounds requests in flight; match it to the server's
	// parallel slots (OLLAMA_NUM_PARALLEL, llama-server --parallel).
	MaxConcurrency int `yaml:"max_concurrency"`
	// MaxRetries is how often a connection error, 408, 409, 429 or 5xx is
	// retried here, with exponential backoff and jitter from
	// RetryBaseDelay, honouring Retry-After / Retry-After-Ms; -1 disables
	// retries (0 means the default). A server wait
	// longer than MaxRetryDelay is not slept out: the *APIError is returned
	// at once with RetryAfter set, so JetStream can redeliver later.
	MaxRetries     int           `yaml:"max_retries"`
	RetryBaseDelay time.Duration `yaml:"retry_base_delay"`
	MaxRetryDelay  time.Duration `yaml:"max_retry_delay"`
	// Temperature is used when a Request sets none (0).
	Temperature float64 `yaml:"temperature"`
	// Thinking is one of the Thinking… constants.
	Thinking string `yaml:"thinking"`
	// JSONMode is one of the JSONMode… constants.
	JSONMode string `yaml:"json_mode"`
	// EmbeddingModel enables Embed; empty: Embed returns ErrNoEmbeddings.
	EmbeddingModel string `yaml:"embedding_model"`
	// EmbedBatch caps inputs per embeddings request; servers limit batches.
	EmbedBatch int `yaml:"embed_batch"`
	// ContextTokens is the server's context window. A request whose
	// estimated prompt plus MaxTokens exceeds it fails with
	// ErrPromptTooLong before it is sent.
	ContextTokens int `yaml:"context_tokens"`
	// RequestsPerSecond smooths bursts (DashScope enforces RPM per
	// second); 0 means unlimited.
	RequestsPerSecond float64 `yaml:"requests_per_second"`
	// CheckModel makes Ping fail when GET /v1/models does not list Model.
	// nil means true.
	CheckModel *bool `yaml:"check_model"`
	// MinPromptRatio and TruncationCheckMin tune the silent prompt
	// truncation check; see DefaultMinPromptRatio.
	MinPromptRatio     float64 `yaml:"min_prompt_ratio"`
	TruncationCheckMin int     `yaml:"truncation_check_min"`
	MaxResponseBytes   int64   `yaml:"max_response_bytes"`
}

// Configured reports whether an LLM server is configured.
func (c Config) Configured() bool { return c.BaseURL != "" }

// Defaults fills zero fields with the Default… constants.
func (c *Config) Defaults() {
	c.APIKeyEnv = cmp.Or(c.APIKeyEnv, DefaultAPIKeyEnv)
	c.Timeout = cmp.Or(c.Timeout, DefaultTimeout)
	c.StreamIdleTimeout = cmp.Or(c.StreamIdleTimeout, DefaultStreamIdleTimeout)
	c.MaxConcurrency = cmp.Or(c.MaxConcurrency, DefaultMaxConcurrency)
	c.MaxRetries = cmp.Or(c.MaxRetries, DefaultMaxRetries)
	c.RetryBaseDelay = cmp.Or(c.RetryBaseDelay, DefaultRetryBaseDelay)
	c.MaxRetryDelay = cmp.Or(c.MaxRetryDelay, DefaultMaxRetryDelay)
	c.Thinking = cmp.Or(c.Thinking, DefaultThinking)
	c.JSONMode = cmp.Or(c.JSONMode, DefaultJSONMode)
	c.ContextTokens = cmp.Or(c.ContextTokens, DefaultContextTokens)
	if c.CheckModel == nil {
		t := true
		c.CheckModel = &t
	}
	c.MinPromptRatio = cmp.Or(c.MinPromptRatio, DefaultMinPromptRatio)
	c.TruncationCheckMin = cmp.Or(c.TruncationCheckMin, DefaultTruncationCheckMin)
	c.MaxResponseBytes = cmp.Or(c.MaxResponseBytes, DefaultMaxResponseBytes)
	c.EmbedBatch = cmp.Or(c.EmbedBatch, DefaultEmbedBatch)
}

// Validate reports every problem with a defaulted Config. An unconfigured
// Config (empty BaseURL) is valid.
func (c Config) Validate() error {
	var errs []error
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("base_url: %w", err))
		case u.Scheme != "http" && u.Scheme != "https":
			errs = append(errs, fmt.Errorf("base_url %q: scheme must be http or https", c.BaseURL))
		case u.Host == "":
			errs = append(errs, fmt.Errorf("base_url %q: missing host", c.BaseURL))
		}
		if c.Model == "" {
			errs = append(errs, errors.New("model: required when base_url is set"))
		}
	}
	if c.Timeout < 0 || c.StreamIdleTimeout < 0 || c.RetryBaseDelay < 0 || c.MaxRetryDelay < 0 {
		errs = append(errs, errors.New("timeout, stream_idle_timeout, retry_base_delay, max_retry_delay: must not be negative"))
	}
	if c.MaxConcurrency < 1 {
		errs = append(errs, fmt.Errorf("max_concurrency %d: must be at least 1", c.MaxConcurrency))
	}
	if c.MaxRetries < -1 {
		errs = append(errs, fmt.Errorf("max_retries %d: want -1 (none) or more", c.MaxRetries))
	}
	if c.Temperature < 0 || c.Temperature > 2 {
		errs = append(errs, fmt.Errorf("temperature %g: must be in [0, 2]", c.Temperature))
	}
	switch c.Thinking {
	case ThinkingAuto, ThinkingNone, ThinkingOffOllama, ThinkingOffLlamaCpp, ThinkingOffVLLM, ThinkingOffDeepSeek, ThinkingOffDashScope:
	default:
		errs = append(errs, fmt.Errorf("thinking %q: want one of auto, none, off-ollama, off-llamacpp, off-vllm, off-deepseek, off-dashscope", c.Thinking))
	}
	switch c.JSONMode {
	case JSONModeObject, JSONModeNone:
	default:
		errs = append(errs, fmt.Errorf("json_mode %q: want json_object or none", c.JSONMode))
	}
	if c.ContextTokens < 256 {
		errs = append(errs, fmt.Errorf("context_tokens %d: must be at least 256", c.ContextTokens))
	}
	if c.RequestsPerSecond < 0 {
		errs = append(errs, fmt.Errorf("requests_per_second %g: must not be negative", c.RequestsPerSecond))
	}
	if c.MinPromptRatio < 0 || c.MinPromptRatio > 1 {
		errs = append(errs, fmt.Errorf("min_prompt_ratio %g: must be in [0, 1]", c.MinPromptRatio))
	}
	if c.EmbedBatch < 1 {
		errs = append(errs, fmt.Errorf("embed_batch %d: must be at least 1", c.EmbedBatch))
	}
	if c.MaxResponseBytes < 1024 {
		errs = append(errs, fmt.Errorf("max_response_bytes %d: must be at least 1024", c.MaxResponseBytes))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("llm config: %w", err)
	}
	return nil
}

// checkModel reports whether Ping must find Model in /v1/models.
func (c Config) checkModel() bool { return c.CheckModel == nil || *c.CheckModel }
