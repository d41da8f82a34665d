// Package llm is newsdesk's client for OpenAI-compatible chat servers
// (Ollama, vLLM, llama.cpp server, hosted Qwen or DeepSeek). The Client
// interface is what the summarizer depends on; OpenAI implements it for
// real servers, speaking the wire protocol over net/http. Every request
// carries its purpose in the PurposeHeader.
//
// Every Response has reasoning stripped: <think>…</think> blocks and the
// reasoning_content / reasoning fields never reach callers.
//
// The contract of OpenAI.Complete:
//   - At most Config.MaxConcurrency requests are in flight per client, paced
//     by Config.RequestsPerSecond; each HTTP attempt is bounded by
//     Config.Timeout, and a stream also by Config.StreamIdleTimeout.
//   - Connection errors, 408, 409, 429 and 5xx are retried in-process up to
//     Config.MaxRetries times, honouring Retry-After; a server wait longer
//     than Config.MaxRetryDelay is handed back at once as *APIError with
//     RetryAfter, so the caller can NakWithDelay instead of blocking.
//   - Failures are typed (APIError and the Err… values below); Retryable
//     sorts them into "try again later" and "permanent".
//   - Answers that are not usable text (cut off, blank, from a prompt the
//     server silently truncated) are errors, never empty successes.
//
// BACKENDS.md lists settings for Ollama, vLLM, llama.cpp, DeepSeek and
// DashScope. Package llmtest is the test double of a server.
package llm

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Message is one chat message.
type Message struct {
	Role    string `json:"role"` // "system", "user", "assistant"
	Content string `json:"content"`
}

// Request is one chat completion request.
type Request struct {
	Messages    []Message
	MaxTokens   int
	Temperature float64 // 0 = Config.Temperature
	JSON        bool    // ask for a JSON object (response_format json_object)
	Purpose     string  // "brief", "digest", …: a label for metrics and logs
}

// Response is a completed chat answer.
type Response struct {
	Content      string     // reasoning stripped, whitespace trimmed
	Reasoning    string     // what the model thought, for debugging only
	FinishReason string     // "stop", "length", …
	Model        string     // as the server reported it
	Usage        news.Usage // Calls is 1
	Latency      time.Duration
}

// Client completes chat requests. Implementations are safe for concurrent
// use and bound their own concurrency.
type Client interface {
	Complete(ctx context.Context, req Request) (Response, error)
	// Embed returns one vector per input; ErrNoEmbeddings when the server
	// has no embeddings endpoint or none is configured.
	Embed(ctx context.Context, inputs []string) ([][]float32, error)
	// Model is the configured model name.
	Model() string
}

// ErrNoEmbeddings is returned by Embed when embeddings are unavailable.
var ErrNoEmbeddings = errors.New("llm: embeddings not available")

// APIError is a non-2xx answer from the server after retries.
type APIError struct {
	Status     int
	RetryAfter time.Duration // from Retry-After / Retry-After-Ms, 0 if absent
	Message    string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("llm: HTTP %d: %s", e.Status, e.Message)
}

// Temporary reports whether retrying later may succeed (408, 409, 429, 5xx).
func (e *APIError) Temporary() bool {
	return e.Status == 408 || e.Status == 409 || e.Status == 429 || e.Status >= 500
}

// ErrTruncated means the answer was cut off (finish_reason "length", or an
// unclosed <think> block) and holds no usable content.
var ErrTruncated = errors.New("llm: answer truncated")

// ErrEmpty means the server answered 200 with no content.
var ErrEmpty = errors.New("llm: empty answer")

// ErrTimeout means an attempt took longer than Config.Timeout, or a stream
// went quiet for Config.StreamIdleTimeout. It is not retried in-process:
// the time is already spent; redeliver later.
var ErrTimeout = errors.New("llm: timed out")

// ErrUnavailable means the server could not be reached or dropped the
// connection (after in-process retries).
var ErrUnavailable = errors.New("llm: server unavailable")

// ErrBadResponse means the server answered 2xx with something that is not
// a usable chat completion: malformed JSON, no choices, an oversized body,
// a stream that ended without a finish reason or reported an error.
var ErrBadResponse = errors.New("llm: malformed response")

// ErrPromptTooLong means the estimated prompt plus max_tokens does not fit
// Config.ContextTokens; the request was not sent. Shorten the input.
var ErrPromptTooLong = errors.New("llm: prompt too long for context window")

// ErrPromptTruncated means the server counted far fewer prompt tokens than
// were sent: it silently cut the prompt to a smaller context (Ollama's
// default). The answer is not trustworthy; fix the server's context length.
var ErrPromptTruncated = errors.New("llm: server truncated the prompt")

// Retryable reports whether a Complete or Embed error may succeed when the
// same request is sent again later, and how long the server asked to wait
// (0 = no preference). Permanent: 4xx other than 408/409/429, prompts that
// do not fit, truncated answers (send a larger max_tokens instead), missing
// embeddings, and context cancellation.
func Retryable(err error) (retry bool, after time.Duration) {
	var ae *APIError
	switch {
	case err == nil:
		return false, 0
	case errors.As(err, &ae):
		return ae.Temporary(), ae.RetryAfter
	case errors.Is(err, ErrTimeout), errors.Is(err, ErrUnavailable),
		errors.Is(err, ErrBadResponse), errors.Is(err, ErrEmpty):
		return true, 0
	}
	return false, 0
}
