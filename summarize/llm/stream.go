package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/clip"
	"github.com/newsdesk/newsdesk/internal/news"
)

// errStreamIdle is the cancel cause the idle watchdog sets.
var errStreamIdle = fmt.Errorf("%w: stream idle", ErrTimeout)

// completeStream runs one streaming request. Progress is a data event;
// ": keep-alive" comments are not, so a server that only sends keep-alives
// runs into the idle timeout (after the first chunk) or the attempt
// timeout (before it).
func (c *OpenAI) completeStream(ctx context.Context, purpose string, body chatRequest) (rawAnswer, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	resp, err := c.send(ctx, http.MethodPost, "chat/completions", purpose, "text/event-stream", body)
	if err != nil {
		return rawAnswer{}, err
	}
	defer resp.Body.Close()
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "application/json" {
		// Some servers and proxies ignore "stream": true and answer whole.
		var cc chatResponse
		if err := c.decode(resp.Body, &cc); err != nil {
			return rawAnswer{}, err
		}
		return answerOf(cc)
	}

	// The watchdog is armed by the first chunk: before it the server may
	// legitimately be queueing or reading a long prompt.
	idle := c.cfg.StreamIdleTimeout
	watchdog := time.AfterFunc(time.Hour, func() { cancel(errStreamIdle) })
	watchdog.Stop()
	defer watchdog.Stop()
	idleErr := func() error {
		if context.Cause(ctx) == errStreamIdle {
			return fmt.Errorf("%w: no chunk for %s", ErrTimeout, idle)
		}
		return nil
	}

	// Chunks are accumulated by hand: their ids may change mid-stream
	// (some servers and proxies do that), usage may come on the finish
	// chunk or on a chunk of its own with no choices, and reasoning comes
	// in non-standard fields.
	var raw rawAnswer
	var content, reasoning strings.Builder
	events := newSSEReader(resp.Body, c.cfg.MaxResponseBytes)
	for {
		event, data, err := events.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if ie := idleErr(); ie != nil {
				return rawAnswer{}, ie
			}
			return rawAnswer{}, err
		}
		if idle > 0 {
			watchdog.Reset(idle)
		}
		if bytes.Equal(data, []byte("[DONE]")) {
			break
		}
		if event == "error" {
			return rawAnswer{}, fmt.Errorf("%w: error event: %s", ErrBadResponse, clip.Runes(string(data), 300))
		}
		var chunk chatResponse
		if err := json.Unmarshal(data, &chunk); err != nil {
			return rawAnswer{}, fmt.Errorf("%w: stream chunk: %w", ErrBadResponse, err)
		}
		if msg := errorMessage(chunk.Error); msg != "" {
			return rawAnswer{}, fmt.Errorf("%w: server reported %s", ErrBadResponse, clip.Runes(msg, 300))
		}
		if raw.model == "" {
			raw.model = chunk.Model
		}
		for _, ch := range chunk.Choices {
			if ch.Index != 0 {
				continue // we ask for one choice (n defaults to 1)
			}
			content.WriteString(ch.Delta.Content)
			reasoning.WriteString(ch.Delta.reasoning())
			if ch.FinishReason != "" {
				raw.finishReason = ch.FinishReason
			}
		}
		if u := chunk.Usage; u != nil && u.TotalTokens+u.PromptTokens > 0 {
			raw.usage, raw.hasUsage = *u, true
		}
		if size := int64(content.Len() + reasoning.Len()); size > c.cfg.MaxResponseBytes {
			return rawAnswer{}, fmt.Errorf("%w: streamed answer exceeds %d bytes", ErrBadResponse, c.cfg.MaxResponseBytes)
		}
	}
	if ie := idleErr(); ie != nil {
		return rawAnswer{}, ie
	}
	if raw.finishReason == "" {
		// The connection ended without a finish reason: interrupted.
		return rawAnswer{}, fmt.Errorf("%w: stream ended without a finish_reason", ErrBadResponse)
	}
	raw.content = content.String()
	raw.reasoning = reasoning.String()
	return raw, nil
}

func newsUsage(u usage, calls int) news.Usage {
	return news.Usage{
		PromptTokens:     u.PromptTokens,
		CompletionTokens: u.CompletionTokens,
		ReasoningTokens:  u.CompletionTokensDetails.ReasoningTokens,
		Calls:            calls,
	}
}
