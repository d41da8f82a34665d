package llm

import (
	"context"
	"fmt"
	"time"
)

// Throughput is what one warm-up call measured. The pipeline is bound by
// LLM tokens per second, so the stage sizes editions from it.
type Throughput struct {
	Latency          time.Duration
	PromptTokens     int
	CompletionTokens int
	// TokensPerSecond is completion tokens over the whole call, prompt
	// processing included: a conservative decode rate.
	TokensPerSecond float64
}

// DefaultWarmupMaxTokens bounds the warm-up answer.
const DefaultWarmupMaxTokens = 64

// warmupPrompt asks for a short answer of roughly known length.
const warmupPrompt = "Write three short sentences about why news summaries should cite their sources."

// Warmup sends one short request (Purpose "warmup") and measures it. It
// loads the model on servers that load lazily (Ollama) and tells the caller
// what rate to plan with. maxTokens <= 0 uses DefaultWarmupMaxTokens.
func (c *OpenAI) Warmup(ctx context.Context, maxTokens int) (Throughput, error) {
	if maxTokens <= 0 {
		maxTokens = DefaultWarmupMaxTokens
	}
	resp, err := c.Complete(ctx, Request{
		Messages:  []Message{{Role: "user", Content: warmupPrompt}},
		MaxTokens: maxTokens,
		Purpose:   "warmup",
	})
	if err != nil {
		return Throughput{}, fmt.Errorf("llm warmup: %w", err)
	}
	t := Throughput{
		Latency:          resp.Latency,
		PromptTokens:     resp.Usage.PromptTokens,
		CompletionTokens: resp.Usage.CompletionTokens,
	}
	if t.CompletionTokens == 0 {
		// No usage reported: fall back to the estimate of what arrived.
		t.CompletionTokens = EstimateTokens(resp.Content)
	}
	if s := resp.Latency.Seconds(); s > 0 {
		t.TokensPerSecond = float64(t.CompletionTokens) / s
	}
	c.log.Info("llm warmup", "latency", t.Latency, "completion_tokens", t.CompletionTokens,
		"tokens_per_second", fmt.Sprintf("%.1f", t.TokensPerSecond))
	return t, nil
}
