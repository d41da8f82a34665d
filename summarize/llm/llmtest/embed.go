package llmtest

import (
	"encoding/json"
	"hash/fnv"
	"io"
	"math"
	"net/http"
	"strings"
	"time"
	"unicode"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
)

func (s *Server) serveModels(w http.ResponseWriter, r *http.Request) {
	data := []any{}
	for _, id := range s.models {
		data = append(data, map[string]any{
			"id": id, "object": "model", "created": time.Now().Unix(), "owned_by": "llmtest",
		})
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data})
}

func (s *Server) serveEmbeddings(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.embedCalls++
	s.mu.Unlock()
	if s.embedOff {
		writeError(w, http.StatusNotFound, "", "embeddings are not supported by this server")
		return
	}
	var req struct {
		Model string          `json:"model"`
		Input json.RawMessage `json:"input"`
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
	if err == nil {
		err = json.Unmarshal(body, &req)
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "", "body is not a JSON object")
		return
	}
	var inputs []string
	var one string
	if json.Unmarshal(req.Input, &one) == nil {
		inputs = []string{one}
	} else if json.Unmarshal(req.Input, &inputs) != nil {
		writeError(w, http.StatusBadRequest, "", "input must be a string or an array of strings")
		return
	}
	if req.Model == "" || len(inputs) == 0 {
		writeError(w, http.StatusBadRequest, "", "model and input are required")
		return
	}
	data := make([]any, len(inputs))
	tokens := 0
	for i, in := range inputs {
		data[i] = map[string]any{"object": "embedding", "index": i, "embedding": Embedding(in, s.dims)}
		tokens += Tokens(in)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"object": "list", "data": data, "model": req.Model,
		"usage": map[string]any{"prompt_tokens": tokens, "total_tokens": tokens},
	})
}

// Embedding is the vector the double returns for a text: a hashed bag of
// lower-cased words with the Snowball English stemmer applied (so "Chips"
// and "Chip" meet; it calls the stemmer library directly, not
// internal/lang, to stay independent of the code under test), each word
// adding ±1 to one of dims
// buckets, normalised to unit length. Texts sharing most words get a high
// cosine similarity, so near-duplicates cluster. The vectors are NOT
// semantic: synonyms and translations are not close.
func Embedding(text string, dims int) []float32 {
	if dims <= 0 {
		dims = DefaultEmbeddingDims
	}
	v := make([]float64, dims)
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for _, w := range words {
		env := snowballstem.NewEnv(w)
		english.Stem(env)
		if st := env.Current(); st != "" {
			w = st
		}
		h := fnv.New64a()
		h.Write([]byte(w))
		x := h.Sum64()
		sign := 1.0
		if x>>63 == 1 {
			sign = -1
		}
		v[x%uint64(dims)] += sign
	}
	var norm float64
	for _, x := range v {
		norm += x * x
	}
	out := make([]float32, dims)
	if norm == 0 {
		return out
	}
	norm = math.Sqrt(norm)
	for i, x := range v {
		out[i] = float32(x / norm)
	}
	return out
}
