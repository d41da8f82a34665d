package llmtest

import (
	"net/http"
	"sync"
	"time"
)

// Reply is what the double answers to one chat request.
type Reply struct {
	Content string
	// Reasoning is the model's "thinking". Where it goes depends on
	// ReasoningField: "" puts it inline in the content as
	// "<think>Reasoning</think>" (as some providers leave it); "reasoning_content"
	// (DeepSeek, llama.cpp) or "reasoning" (vLLM, Ollama) sends it in that
	// message / delta field.
	Reasoning      string
	ReasoningField string
	FinishReason   string // default "stop"

	// Status != 0 and != 200 sends an error answer with the OpenAI error
	// body (or ErrorBody verbatim when set).
	Status     int
	RetryAfter string      // Retry-After header value: seconds or an HTTP-date
	ErrorBody  string      // raw error body; default is a generated OpenAI error
	Header     http.Header // extra response headers, e.g. Retry-After-Ms

	// IgnoreStream answers a streaming request with a whole JSON answer,
	// as some proxies and servers do.
	IgnoreStream bool

	// RawBody, when set, is sent verbatim as the 200 body (or as the SSE
	// stream) instead of a well-formed answer: for malformed-server tests.
	RawBody string

	// Delay waits before answering (streaming: before the first chunk).
	Delay time.Duration
	// Hang never answers; the handler returns when the client gives up or
	// the server closes.
	Hang bool
	// ChunkDelay waits between streamed chunks.
	ChunkDelay time.Duration
	// StallAfterChunks > 0: a streaming answer sends that many content
	// chunks, then only ": keep-alive" comments until the client leaves.
	StallAfterChunks int
	// ChunkRunes is the size of streamed content pieces; default 8.
	ChunkRunes int

	// Token counts reported in usage; 0 = the double's own count (prompt:
	// PromptTokens of the messages; completion: Tokens of content plus
	// reasoning). ReasoningTokens 0 = Tokens(Reasoning).
	PromptTokens, CompletionTokens, ReasoningTokens int
	// NoUsage omits the usage object from the answer.
	NoUsage bool
}

// OK is a plain successful answer.
func OK(content string) Reply { return Reply{Content: content} }

// JSONReply is a successful answer whose content is the given JSON text.
func JSONReply(json string) Reply { return Reply{Content: json} }

// RateLimited is a 429 with the given Retry-After value ("" for none).
func RateLimited(retryAfter string) Reply {
	return Reply{Status: http.StatusTooManyRequests, RetryAfter: retryAfter}
}

// Overloaded is a 503, what Ollama sends when its queue is full.
func Overloaded(retryAfter string) Reply {
	return Reply{Status: http.StatusServiceUnavailable, RetryAfter: retryAfter}
}

// ServerError is a 500.
func ServerError() Reply { return Reply{Status: http.StatusInternalServerError} }

// BadRequest is a 400 with the given message.
func BadRequest(msg string) Reply {
	return Reply{Status: http.StatusBadRequest, ErrorBody: errorBody("invalid_request_error", msg)}
}

// Think answers with inline reasoning: "<think>…</think>answer".
func Think(answer string) Reply {
	return Reply{Content: answer, Reasoning: "Let me think about the sources first."}
}

// ThinkField answers with reasoning in a separate field ("reasoning_content"
// or "reasoning").
func ThinkField(answer, field string) Reply {
	return Reply{Content: answer, Reasoning: "Let me think about the sources first.", ReasoningField: field}
}

// ThinkUnclosed is an answer cut off inside an inline <think> block.
func ThinkUnclosed() Reply {
	return Reply{Content: "<think>Considering the first source, which says", FinishReason: "length"}
}

// Truncated is a thinking model that spent its whole budget on reasoning:
// empty content, finish_reason "length".
func Truncated() Reply {
	return Reply{Reasoning: "Thinking at great length…", ReasoningField: "reasoning_content", FinishReason: "length"}
}

// Empty is a 200 answer with blank content and finish_reason "stop", what
// DeepSeek's JSON mode returns when the model produced no JSON.
func Empty() Reply { return Reply{Content: "  \n "} }

// Malformed is a 200 answer whose body is not valid JSON.
func Malformed() Reply { return Reply{RawBody: `{"id":"chatcmpl-broken","choices":[{"message":`} }

// Hang never answers.
func Hang() Reply { return Reply{Hang: true} }

// Stall streams n chunks of content, then keep-alives only.
func Stall(content string, n int) Reply { return Reply{Content: content, StallAfterChunks: n} }

// Slow answers content after d.
func Slow(d time.Duration, content string) Reply { return Reply{Content: content, Delay: d} }

// Always answers every request with r.
func Always(r Reply) Handler { return func(ChatRequest) Reply { return r } }

// Sequence answers the first request with replies[0], the second with
// replies[1] and so on, then repeats the last reply. It is safe for
// concurrent use; the order is the order requests reach the handler.
func Sequence(replies ...Reply) Handler {
	if len(replies) == 0 {
		replies = []Reply{OK("ok")}
	}
	var mu sync.Mutex
	i := 0
	return func(ChatRequest) Reply {
		mu.Lock()
		defer mu.Unlock()
		r := replies[min(i, len(replies)-1)]
		i++
		return r
	}
}
