// Package llmtest is a TEST DOUBLE of an OpenAI-compatible chat server. It
// is the only test double newsdesk allows: no model weights can be
// downloaded where the tests run, so a real model server cannot be started.
// Everything else about it is real: it listens on a real httptest server and
// speaks the wire protocol that Ollama, vLLM, llama.cpp and hosted APIs
// speak, so the client under test goes through its real HTTP, SSE, retry
// and error paths.
//
// Endpoints:
//
//	POST /v1/chat/completions  non-streaming JSON, or SSE when "stream": true
//	                           ("data: {chunk}" events, ": keep-alive"
//	                           comments, a final usage chunk with empty
//	                           choices when stream_options.include_usage is
//	                           set, then "data: [DONE]")
//	GET  /v1/models            the models given by WithModels
//	POST /v1/embeddings        deterministic hashed vectors (see Embedding)
//
// Errors use the OpenAI error body {"error":{"message","type","param","code"}}.
//
// What a chat request gets back is decided by the test's Handler, which
// returns a Reply: content, reasoning (inline <think> or a separate field),
// finish reason, HTTP status and Retry-After, delays, hangs and stalled
// streams. Token counts in usage follow the double's own Tokens (not the
// llm package's estimate) unless the Reply sets them.
//
// Requests are told apart by the PurposeHeader the client sends
// (ChatRequest.Purpose, Call.Purpose), never by reading prompts.
package llmtest

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/summarize/llm"
)

// DefaultModel is the model GET /v1/models lists unless WithModels says
// otherwise. Chat requests are answered for any model name.
const DefaultModel = "llmtest-model"

// DefaultKeepAliveInterval is how often a stalled stream sends ": keep-alive".
const DefaultKeepAliveInterval = 50 * time.Millisecond

// PurposeHeader is the request header that names a call's purpose
// ("brief", "story", "overview", "warmup", "ping", "embed"). The double
// declares it itself: it is part of the protocol the client must speak.
const PurposeHeader = "X-Newsdesk-Purpose"

// DefaultEmbeddingDims is the length of the vectors /v1/embeddings returns.
const DefaultEmbeddingDims = 256

// Handler decides the reply to one chat request. It may be called from
// several goroutines at once.
type Handler func(req ChatRequest) Reply

// ChatRequest is one decoded POST /v1/chat/completions body.
type ChatRequest struct {
	Model        string
	Messages     []llm.Message
	MaxTokens    int // the max_tokens field; 0 when absent
	Temperature  *float64
	Stream       bool
	IncludeUsage bool   // stream_options.include_usage
	JSON         bool   // response_format {"type":"json_object"}
	Purpose      string // the PurposeHeader; "" when the client sent none
	Header       http.Header
	Received     time.Time      // when the request arrived
	Raw          map[string]any // the whole body, for assertions on other fields
}

// Server is a running test double. Its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL clients configure, ending in /v1.
	URL string

	srv       *httptest.Server
	handler   Handler
	models    []string
	embedOff  bool
	enforce   bool
	apiKey    string
	keepAlive time.Duration
	dims      int
	done      chan struct{} // closed on cleanup, releases hanging handlers

	mu          sync.Mutex
	calls       []Call
	requests    []ChatRequest
	usage       news.Usage
	inFlight    int
	maxInFlight int
	embedCalls  int
}

// Option configures a Server.
type Option func(*Server)

// WithModels sets the model ids GET /v1/models lists.
func WithModels(ids ...string) Option {
	return func(s *Server) { s.models = append([]string(nil), ids...) }
}

// WithoutEmbeddings makes POST /v1/embeddings answer 404, like a server
// without an embeddings endpoint.
func WithoutEmbeddings() Option { return func(s *Server) { s.embedOff = true } }

// WithMaxTokens makes the double honour max_tokens like a real server: a
// reply longer than max_tokens (by Tokens, reasoning included, since
// thinking models spend the same budget on it) is cut there and finishes
// with "length". Without it replies are sent whole.
func WithMaxTokens() Option { return func(s *Server) { s.enforce = true } }

// WithAPIKey makes every endpoint require "Authorization: Bearer key" and
// answer 401 otherwise.
func WithAPIKey(key string) Option { return func(s *Server) { s.apiKey = key } }

// WithKeepAliveInterval sets how often stalled streams send keep-alives.
func WithKeepAliveInterval(d time.Duration) Option {
	return func(s *Server) { s.keepAlive = d }
}

// New starts a test double answering chat requests with h (nil answers
// every request with "ok"). The server closes on t.Cleanup.
func New(t testing.TB, h Handler, opts ...Option) *Server {
	t.Helper()
	s := Start(h, opts...)
	t.Cleanup(s.Close)
	return s
}

// Start is New for programs outside go test (scripts/fault-test drives the
// stage processes against it): the caller closes the server.
func Start(h Handler, opts ...Option) *Server {
	if h == nil {
		h = Always(OK("ok"))
	}
	s := &Server{
		handler:   h,
		models:    []string{DefaultModel},
		keepAlive: DefaultKeepAliveInterval,
		dims:      DefaultEmbeddingDims,
		done:      make(chan struct{}),
	}
	for _, o := range opts {
		o(s)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", s.auth(s.serveChat))
	mux.HandleFunc("GET /v1/models", s.auth(s.serveModels))
	mux.HandleFunc("POST /v1/embeddings", s.auth(s.serveEmbeddings))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "", "no route for "+r.Method+" "+r.URL.Path)
	})
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL + "/v1"
	return s
}

// Close releases hanging handlers and shuts the server down. It is called
// on t.Cleanup and may be called earlier to simulate a server going away.
func (s *Server) Close() {
	s.mu.Lock()
	select {
	case <-s.done:
	default:
		close(s.done)
	}
	s.mu.Unlock()
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// Requests returns every chat request received so far, in arrival order.
func (s *Server) Requests() []ChatRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ChatRequest(nil), s.requests...)
}

// Usage returns the token usage the server reported, summed over all
// answers that carried a usage object. Calls counts those answers.
func (s *Server) Usage() news.Usage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.usage
}

// Call is one HTTP request to any endpoint of the double.
type Call struct {
	Method, Path string
	Purpose      string // the PurposeHeader
}

// Calls returns every request received so far, of every endpoint and
// including those refused, in arrival order.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// MaxInFlight is the largest number of chat requests the server was
// handling at the same moment.
func (s *Server) MaxInFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxInFlight
}

// EmbeddingCalls counts POST /v1/embeddings requests.
func (s *Server) EmbeddingCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.embedCalls
}

func (s *Server) auth(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.calls = append(s.calls, Call{Method: r.Method, Path: r.URL.Path, Purpose: r.Header.Get(PurposeHeader)})
		s.mu.Unlock()
		if s.apiKey != "" && r.Header.Get("Authorization") != "Bearer "+s.apiKey {
			writeError(w, http.StatusUnauthorized, "invalid_api_key", "Incorrect API key provided.")
			return
		}
		next(w, r)
	}
}
