package llm

import (
	"encoding/json"
)

// The JSON bodies of the OpenAI-compatible API, as far as newsdesk uses
// it: chat completions (whole and streamed), embeddings, the model list
// and the error body. Fields newsdesk never reads are not declared;
// encoding/json skips them.

// chatRequest is the body of POST /chat/completions.
type chatRequest struct {
	Model    string    `json:"model"`
	Messages []Message `json:"messages"`
	// MaxTokens is max_tokens, not max_completion_tokens: the field every
	// OpenAI-compatible server reads.
	MaxTokens      int             `json:"max_tokens,omitempty"`
	Temperature    float64         `json:"temperature"`
	Stream         bool            `json:"stream,omitempty"`
	StreamOptions  *streamOptions  `json:"stream_options,omitempty"`
	ResponseFormat *responseFormat `json:"response_format,omitempty"`

	// Backend-specific switches that turn reasoning off (see
	// thinkingFields); at most one is set.
	ReasoningEffort    string         `json:"reasoning_effort,omitempty"`
	ChatTemplateKwargs map[string]any `json:"chat_template_kwargs,omitempty"`
	Thinking           map[string]any `json:"thinking,omitempty"`
	EnableThinking     *bool          `json:"enable_thinking,omitempty"`
}

type streamOptions struct {
	IncludeUsage bool `json:"include_usage"`
}

type responseFormat struct {
	Type string `json:"type"`
}

// chatResponse is a whole answer, and with Delta in place of Message one
// streamed chunk; a chunk may also carry an error object instead.
type chatResponse struct {
	Model   string       `json:"model"`
	Choices []chatChoice `json:"choices"`
	Usage   *usage       `json:"usage"`
	// Error is set on a stream chunk that reports a failure mid-stream.
	Error json.RawMessage `json:"error"`
}

type chatChoice struct {
	Index        int         `json:"index"`
	Message      chatMessage `json:"message"`
	Delta        chatMessage `json:"delta"`
	FinishReason string      `json:"finish_reason"`
}

// chatMessage is an answer message or a stream delta. The reasoning
// fields are not standard: DeepSeek and llama.cpp send reasoning_content,
// vLLM and Ollama send reasoning. They stay raw so that a null or a
// non-string value is ignored rather than failing the whole answer.
type chatMessage struct {
	Content          string          `json:"content"`
	ReasoningContent json.RawMessage `json:"reasoning_content"`
	Reasoning        json.RawMessage `json:"reasoning"`
}

// reasoning is the message's reasoning text, "" when there is none.
func (m chatMessage) reasoning() string {
	for _, raw := range []json.RawMessage{m.ReasoningContent, m.Reasoning} {
		var s string
		if len(raw) > 0 && json.Unmarshal(raw, &s) == nil && s != "" {
			return s
		}
	}
	return ""
}

type usage struct {
	PromptTokens            int `json:"prompt_tokens"`
	CompletionTokens        int `json:"completion_tokens"`
	TotalTokens             int `json:"total_tokens"`
	CompletionTokensDetails struct {
		ReasoningTokens int `json:"reasoning_tokens"`
	} `json:"completion_tokens_details"`
}

// embeddingRequest is the body of POST /embeddings.
type embeddingRequest struct {
	Model string   `json:"model"`
	Input []string `json:"input"`
}

type embeddingResponse struct {
	Data []struct {
		Index     int       `json:"index"`
		Embedding []float32 `json:"embedding"`
	} `json:"data"`
}

// modelList is the answer of GET /models.
type modelList struct {
	Data []struct {
		ID string `json:"id"`
	} `json:"data"`
}

// errorBody is the error answer {"error": {"message": …}}; some servers
// send {"error": "text"} instead.
type errorBody struct {
	Error json.RawMessage `json:"error"`
}

// errorMessage reads the text of an "error" value of either form, "" when
// there is none.
func errorMessage(raw json.RawMessage) string {
	var o struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(raw, &o) == nil && o.Message != "" {
		return o.Message
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return ""
}
