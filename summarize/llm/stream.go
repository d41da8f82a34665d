package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/packages/respjson"
)

// errStreamIdle is the cancel cause the idle watchdog sets.
var errStreamIdle = fmt.Errorf("%w: stream idle", ErrTimeout)

// completeStream runs one streaming request. Progress is a data chunk; the
// SSE decoder swallows ": keep-alive" comments, so they never reset the
// idle watchdog, and a server that only sends keep-alives runs into the
// idle timeout (after the first chunk) or the attempt timeout (before it).
func (c *OpenAI) completeStream(ctx context.Context, p openai.ChatCompletionNewParams, opts []option.RequestOption) (rawAnswer, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stream := c.client.Chat.Completions.NewStreaming(ctx, p, opts...)
	defer stream.Close()

	// The watchdog is armed by the first chunk: before it the server may
	// legitimately be queueing or reading a long prompt.
	idle := c.cfg.StreamIdleTimeout
	watchdog := time.AfterFunc(time.Hour, func() { cancel(errStreamIdle) })
	watchdog.Stop()
	defer watchdog.Stop()

	// Accumulated by hand rather than with openai.ChatCompletionAccumulator:
	// the accumulator rejects a stream whose chunk ids change, which some
	// servers and proxies do, and it ignores the reasoning fields anyway.
	var raw rawAnswer
	var content, reasoning strings.Builder
	for stream.Next() {
		if idle > 0 {
			watchdog.Reset(idle)
		}
		chunk := stream.Current()
		if raw.model == "" {
			raw.model = chunk.Model
		}
		for _, ch := range chunk.Choices {
			if ch.Index != 0 {
				continue // we ask for one choice (n defaults to 1)
			}
			content.WriteString(ch.Delta.Content)
			reasoning.WriteString(reasoningField(ch.Delta.JSON.ExtraFields))
			if ch.FinishReason != "" {
				raw.finishReason = ch.FinishReason
			}
		}
		if chunk.JSON.Usage.Valid() && chunk.Usage.TotalTokens+chunk.Usage.PromptTokens > 0 {
			raw.usage = chunk.Usage
			raw.hasUsage = true
		}
		if size := int64(content.Len() + reasoning.Len()); size > c.cfg.MaxResponseBytes {
			return rawAnswer{}, fmt.Errorf("%w: streamed answer exceeds %d bytes", ErrBadResponse, c.cfg.MaxResponseBytes)
		}
	}
	if err := stream.Err(); err != nil {
		if context.Cause(ctx) == errStreamIdle {
			return rawAnswer{}, fmt.Errorf("%w: no chunk for %s", ErrTimeout, idle)
		}
		return rawAnswer{}, err
	}
	if context.Cause(ctx) == errStreamIdle {
		return rawAnswer{}, fmt.Errorf("%w: no chunk for %s", ErrTimeout, idle)
	}
	if raw.finishReason == "" {
		// The connection ended without a finish reason: interrupted.
		return rawAnswer{}, fmt.Errorf("%w: stream ended without a finish_reason", ErrBadResponse)
	}
	raw.content = content.String()
	raw.reasoning = reasoning.String()
	return raw, nil
}

// reasoningField reads the non-standard reasoning text of a message or
// delta: "reasoning_content" (DeepSeek, llama.cpp) or "reasoning" (vLLM,
// Ollama). Non-string values are ignored.
func reasoningField(extra map[string]respjson.Field) string {
	for _, name := range []string{"reasoning_content", "reasoning"} {
		f, ok := extra[name]
		if !ok {
			continue
		}
		var s string
		if json.Unmarshal([]byte(f.Raw()), &s) == nil && s != "" {
			return s
		}
	}
	return ""
}

func newsUsage(u openai.CompletionUsage, calls int) news.Usage {
	return news.Usage{
		PromptTokens:     int(u.PromptTokens),
		CompletionTokens: int(u.CompletionTokens),
		ReasoningTokens:  int(u.CompletionTokensDetails.ReasoningTokens),
		Calls:            calls,
	}
}
