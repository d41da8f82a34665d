package llm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/clip"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/time/rate"
)

// OpenAI is the Client for OpenAI-compatible servers. It speaks the wire
// protocol itself over net/http (wire.go, send.go, sse.go): newsdesk uses
// three endpoints. The generated SDK, openai-go, nearly doubled the CPU
// time of a clean build and took 2.5 times its peak memory; a lighter
// client loses response headers and non-standard fields we need (DESIGN.md,
// "Choices"). It is safe for concurrent use.
type OpenAI struct {
	cfg      Config
	log      *slog.Logger
	http     *http.Client
	base     string // BaseURL without a trailing slash
	apiKey   string
	sem      chan struct{}
	limiter  *rate.Limiter // nil: unlimited
	thinking string        // Config.Thinking with "auto" resolved
	m        *metrics
}

var _ Client = (*OpenAI)(nil)

// New builds a client from cfg (Defaults is applied to a copy). It does not
// contact the server; call Ping at startup for that. log and reg may be nil.
func New(cfg Config, log *slog.Logger, reg prometheus.Registerer) (*OpenAI, error) {
	cfg.Defaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if !cfg.Configured() {
		return nil, errors.New("llm: no base_url configured")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, err
	}
	c := &OpenAI{
		cfg: cfg,
		log: log.With("model", cfg.Model),
		// No client-wide timeout: each attempt has its own deadline
		// (Config.Timeout), and a stream its idle watchdog.
		http:     &http.Client{},
		base:     strings.TrimRight(cfg.BaseURL, "/"),
		apiKey:   os.Getenv(cfg.APIKeyEnv),
		sem:      make(chan struct{}, cfg.MaxConcurrency),
		thinking: resolveThinking(cfg.Thinking, cfg.BaseURL),
		m:        m,
	}
	if cfg.RequestsPerSecond > 0 {
		c.limiter = rate.NewLimiter(rate.Limit(cfg.RequestsPerSecond), max(1, int(cfg.RequestsPerSecond)))
	}
	c.log.Debug("llm client ready", "base_url", cfg.BaseURL, "thinking", c.thinking, "streaming", cfg.Stream)
	return c, nil
}

// Model is the configured chat model.
func (c *OpenAI) Model() string { return c.cfg.Model }

// Thinking is the resolved thinking setting (never "auto").
func (c *OpenAI) Thinking() string { return c.thinking }

// Config returns the defaulted configuration in use.
func (c *OpenAI) Config() Config { return c.cfg }

// Complete sends one chat request and returns the answer with reasoning
// stripped. Errors: *APIError (non-2xx after retries; check Temporary and
// RetryAfter), ErrTruncated, ErrEmpty, ErrPromptTooLong, ErrPromptTruncated,
// ErrBadResponse, ErrTimeout, or the caller's context error.
func (c *OpenAI) Complete(ctx context.Context, req Request) (Response, error) {
	if len(req.Messages) == 0 {
		return Response{}, errors.New("llm: request has no messages")
	}
	if req.MaxTokens < 0 {
		return Response{}, fmt.Errorf("llm: max_tokens %d is negative", req.MaxTokens)
	}
	estimate := EstimatePromptTokens(req.Messages)
	if estimate+req.MaxTokens > c.cfg.ContextTokens {
		c.m.requests.WithLabelValues(c.cfg.Model, purposeLabel(req.Purpose), "prompt_too_long").Inc()
		return Response{}, fmt.Errorf("%w: about %d prompt tokens + %d max_tokens > context_tokens %d",
			ErrPromptTooLong, estimate, req.MaxTokens, c.cfg.ContextTokens)
	}
	body := c.chatBody(req)
	purpose := purposeLabel(req.Purpose)

	start := time.Now()
	var raw rawAnswer
	err := c.withRetries(ctx, purpose, func(actx context.Context) error {
		var err error
		if c.cfg.Stream {
			raw, err = c.completeStream(actx, purpose, body)
		} else {
			raw, err = c.completeOnce(actx, purpose, body)
		}
		return err
	})
	latency := time.Since(start)
	if err != nil {
		c.m.observe(c.cfg.Model, purpose, outcome(err), latency)
		c.log.Warn("llm call failed", "purpose", purpose, "err", err, "latency", latency)
		return Response{}, err
	}
	resp, err := c.finish(raw, estimate)
	resp.Latency = latency
	c.m.observe(c.cfg.Model, purpose, outcome(err), latency)
	c.m.tokens(c.cfg.Model, purpose, resp.Usage)
	if err != nil {
		c.log.Warn("llm answer unusable", "purpose", purpose, "err", err, "finish_reason", raw.finishReason)
		return resp, err
	}
	c.log.Debug("llm call", "purpose", purpose, "latency", latency,
		"prompt_tokens", resp.Usage.PromptTokens, "completion_tokens", resp.Usage.CompletionTokens)
	return resp, nil
}

func purposeLabel(p string) string {
	if p == "" {
		return "unspecified"
	}
	return p
}

// rawAnswer is what one successful HTTP exchange produced, before checks.
type rawAnswer struct {
	content, reasoning, finishReason, model string
	usage                                   usage
	hasUsage                                bool
}

// finish strips reasoning and turns unusable answers into errors. The
// Response carries usage even with an error, so callers can account for it.
func (c *OpenAI) finish(raw rawAnswer, estimate int) (Response, error) {
	answer, inline, unclosed := StripThinking(raw.content)
	reasoning := strings.TrimSpace(strings.TrimSpace(raw.reasoning) + "\n" + inline)
	resp := Response{
		Content:      answer,
		Reasoning:    reasoning,
		FinishReason: raw.finishReason,
		Model:        raw.model,
		Usage:        newsUsage(raw.usage, 1),
	}
	if resp.Model == "" {
		resp.Model = c.cfg.Model
	}
	// A cut prompt is checked first: it is the cause of whatever follows.
	if raw.hasUsage && estimate >= c.cfg.TruncationCheckMin &&
		float64(resp.Usage.PromptTokens) < c.cfg.MinPromptRatio*float64(estimate) {
		return resp, fmt.Errorf("%w: server counted %d prompt tokens, expected about %d; raise the server's context length (OLLAMA_CONTEXT_LENGTH, --ctx-size)",
			ErrPromptTruncated, resp.Usage.PromptTokens, estimate)
	}
	switch {
	case unclosed:
		return resp, fmt.Errorf("%w: reasoning block never closed (finish_reason %q)", ErrTruncated, raw.finishReason)
	case answer == "" && raw.finishReason == "length":
		return resp, fmt.Errorf("%w: no content within max_tokens (finish_reason length); raise max_tokens or disable thinking", ErrTruncated)
	case answer == "":
		return resp, fmt.Errorf("%w (finish_reason %q)", ErrEmpty, raw.finishReason)
	}
	return resp, nil
}

// chatBody builds the request body.
func (c *OpenAI) chatBody(req Request) chatRequest {
	temp := req.Temperature
	if temp == 0 {
		temp = c.cfg.Temperature
	}
	body := chatRequest{
		Model:       c.cfg.Model,
		Messages:    make([]Message, len(req.Messages)),
		MaxTokens:   req.MaxTokens,
		Temperature: temp,
		Stream:      c.cfg.Stream,
	}
	for i, m := range req.Messages {
		if m.Role != "system" && m.Role != "assistant" {
			m.Role = "user" // the only other role a chat template knows
		}
		body.Messages[i] = m
	}
	if req.JSON && c.cfg.JSONMode == JSONModeObject {
		body.ResponseFormat = &responseFormat{Type: "json_object"}
	}
	if c.cfg.Stream {
		body.StreamOptions = &streamOptions{IncludeUsage: true}
	}
	setThinkingOff(&body, c.thinking)
	return body
}

// setThinkingOff sets the extra body field that switches reasoning off on
// the backend the setting names.
func setThinkingOff(body *chatRequest, setting string) {
	switch setting {
	case ThinkingOffOllama, ThinkingOffLlamaCpp:
		body.ReasoningEffort = "none"
	case ThinkingOffVLLM:
		body.ChatTemplateKwargs = map[string]any{"enable_thinking": false}
	case ThinkingOffDeepSeek:
		body.Thinking = map[string]any{"type": "disabled"}
	case ThinkingOffDashScope:
		off := false
		body.EnableThinking = &off
	}
}

// resolveThinking turns "auto" into a concrete setting from the base URL.
func resolveThinking(setting, baseURL string) string {
	if setting != ThinkingAuto {
		return setting
	}
	u, err := url.Parse(baseURL)
	if err != nil {
		return ThinkingNone
	}
	host := strings.ToLower(u.Hostname())
	switch {
	case host == "api.deepseek.com":
		return ThinkingOffDeepSeek
	case strings.HasPrefix(host, "dashscope") && strings.HasSuffix(host, ".aliyuncs.com"):
		return ThinkingOffDashScope
	case u.Port() == "11434":
		return ThinkingOffOllama
	}
	return ThinkingNone
}

func (c *OpenAI) completeOnce(ctx context.Context, purpose string, body chatRequest) (rawAnswer, error) {
	var cc chatResponse
	if err := c.call(ctx, http.MethodPost, "chat/completions", purpose, body, &cc); err != nil {
		return rawAnswer{}, err
	}
	return answerOf(cc)
}

// answerOf reads the first choice of a whole answer.
func answerOf(cc chatResponse) (rawAnswer, error) {
	if msg := errorMessage(cc.Error); msg != "" {
		return rawAnswer{}, fmt.Errorf("%w: server reported %s", ErrBadResponse, clip.Runes(msg, 300))
	}
	if len(cc.Choices) == 0 {
		return rawAnswer{}, fmt.Errorf("%w: no choices in answer", ErrBadResponse)
	}
	ch := cc.Choices[0]
	raw := rawAnswer{
		content:      ch.Message.Content,
		reasoning:    ch.Message.reasoning(),
		finishReason: ch.FinishReason,
		model:        cc.Model,
	}
	if cc.Usage != nil {
		raw.usage, raw.hasUsage = *cc.Usage, true
	}
	return raw, nil
}
