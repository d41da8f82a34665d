package llm_test

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/summarize/llm"
	"github.com/newsdesk/newsdesk/summarize/llm/llmtest"
	"github.com/prometheus/client_golang/prometheus"
)

func TestPing(t *testing.T) {
	no := false
	tests := []struct {
		name    string
		models  []string
		mutate  func(*llm.Config)
		wantErr string
	}{
		{"model listed", []string{"other", llmtest.DefaultModel}, nil, ""},
		{"model missing", []string{"other"}, nil, "not served"},
		{"check disabled", []string{"other"}, func(c *llm.Config) { c.CheckModel = &no }, ""},
		{"ollama latest tag", []string{"qwen3:latest"}, func(c *llm.Config) { c.Model = "qwen3" }, ""},
		{"embedding model missing", []string{llmtest.DefaultModel}, func(c *llm.Config) { c.EmbeddingModel = "nomic-embed-text" }, "nomic-embed-text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.New(t, nil, llmtest.WithModels(tt.models...))
			c, _ := newClient(t, srv, tt.mutate)
			err := c.Ping(context.Background())
			if tt.wantErr == "" && err != nil {
				t.Fatalf("Ping: %v", err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("Ping = %v, want error with %q", err, tt.wantErr)
			}
		})
	}
}

func TestPingWrongKey(t *testing.T) {
	srv := llmtest.New(t, nil, llmtest.WithAPIKey("right"))
	c, _ := newClient(t, srv, func(c *llm.Config) { c.APIKeyEnv = "NEWSDESK_TEST_UNSET_KEY" })
	var ae *llm.APIError
	if err := c.Ping(context.Background()); !errors.As(err, &ae) || ae.Status != 401 {
		t.Fatalf("Ping = %v, want 401", err)
	}
}

func cosine(a, b []float32) float64 {
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	return dot / math.Sqrt(na*nb)
}

func TestEmbed(t *testing.T) {
	t.Run("not configured", func(t *testing.T) {
		srv := llmtest.New(t, nil)
		c, _ := newClient(t, srv, nil)
		if _, err := c.Embed(context.Background(), []string{"x"}); !errors.Is(err, llm.ErrNoEmbeddings) {
			t.Fatalf("err = %v, want ErrNoEmbeddings", err)
		}
		if srv.EmbeddingCalls() != 0 {
			t.Error("unconfigured Embed called the server")
		}
	})
	t.Run("server without endpoint", func(t *testing.T) {
		srv := llmtest.New(t, nil, llmtest.WithoutEmbeddings())
		c, _ := newClient(t, srv, func(c *llm.Config) { c.EmbeddingModel = "emb" })
		if _, err := c.Embed(context.Background(), []string{"x"}); !errors.Is(err, llm.ErrNoEmbeddings) {
			t.Fatalf("err = %v, want ErrNoEmbeddings", err)
		}
		if n := srv.EmbeddingCalls(); n != 1 {
			t.Errorf("404 retried: %d calls", n)
		}
	})
	t.Run("vectors", func(t *testing.T) {
		srv := llmtest.New(t, nil)
		c, _ := newClient(t, srv, func(c *llm.Config) { c.EmbeddingModel = "emb" })
		in := []string{
			"US tightens export controls on Nvidia AI chips to China",
			"U.S. tightens export control on Nvidia's AI chip sales to China",
			"Bundesliga: Bayern gewinnt das Derby in München",
		}
		vs, err := c.Embed(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != 3 || len(vs[0]) != llmtest.DefaultEmbeddingDims {
			t.Fatalf("got %d vectors of %d dims", len(vs), len(vs[0]))
		}
		near, far := cosine(vs[0], vs[1]), cosine(vs[0], vs[2])
		if near < 0.7 || far > 0.3 {
			t.Errorf("near-duplicate cosine %.2f, unrelated %.2f", near, far)
		}
		if empty, err := c.Embed(context.Background(), nil); err != nil || empty != nil {
			t.Errorf("Embed(nil) = %v, %v", empty, err)
		}
	})
	t.Run("batches", func(t *testing.T) {
		srv := llmtest.New(t, nil)
		c, _ := newClient(t, srv, func(c *llm.Config) { c.EmbeddingModel = "emb"; c.EmbedBatch = 2 })
		in := []string{"eins", "zwei", "drei", "vier", "fünf"}
		vs, err := c.Embed(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		if n := srv.EmbeddingCalls(); n != 3 {
			t.Errorf("%d embedding calls for 5 inputs in batches of 2, want 3", n)
		}
		for i, s := range in {
			want := llmtest.Embedding(s, llmtest.DefaultEmbeddingDims)
			if cosine(vs[i], want) < 0.9999 {
				t.Errorf("vector %d is not the one for %q: order lost across batches", i, s)
			}
		}
	})
}

func TestMetrics(t *testing.T) {
	srv := llmtest.New(t, llmtest.Sequence(
		llmtest.Reply{Content: "eins", PromptTokens: 11, CompletionTokens: 7, ReasoningTokens: 3},
		llmtest.ServerError(),
		llmtest.Reply{Content: "zwei", PromptTokens: 5, CompletionTokens: 2},
	))
	c, reg := newClient(t, srv, nil)
	for range 2 {
		if _, err := c.Complete(context.Background(), userRequest("x")); err != nil {
			t.Fatal(err)
		}
	}
	// A second client on the same registry shares the series.
	if _, err := llm.New(llm.Config{BaseURL: srv.URL, Model: "m2"}, nil, reg); err != nil {
		t.Fatalf("second client on one registry: %v", err)
	}
	got := gather(t, reg)
	want := map[string]float64{
		`newsdesk_llm_tokens_total{kind="prompt",model="llmtest-model",purpose="brief"}`:     16,
		`newsdesk_llm_tokens_total{kind="completion",model="llmtest-model",purpose="brief"}`: 9,
		`newsdesk_llm_tokens_total{kind="reasoning",model="llmtest-model",purpose="brief"}`:  3,
		`newsdesk_llm_requests_total{model="llmtest-model",outcome="ok",purpose="brief"}`:    2,
		`newsdesk_llm_retries_total{model="llmtest-model",purpose="brief",reason="500"}`:     1,
		`newsdesk_llm_request_duration_seconds_count{model="llmtest-model",purpose="brief"}`: 2,
		`newsdesk_llm_in_flight{}`: 0,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
}

// gather flattens a registry into "name{labels}" → value.
func gather(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			var labels []string
			for _, lp := range m.GetLabel() {
				labels = append(labels, lp.GetName()+`="`+lp.GetValue()+`"`)
			}
			key := mf.GetName() + "{" + strings.Join(labels, ",") + "}"
			switch {
			case m.Counter != nil:
				out[key] = m.Counter.GetValue()
			case m.Gauge != nil:
				out[key] = m.Gauge.GetValue()
			case m.Histogram != nil:
				out[mf.GetName()+"_count{"+strings.Join(labels, ",")+"}"] = float64(m.Histogram.GetSampleCount())
			}
		}
	}
	return out
}

func TestPingWithoutModelList(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	for _, check := range []bool{false, true} {
		c, err := llm.New(llm.Config{BaseURL: srv.URL + "/v1", Model: "m", CheckModel: &check}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		err = c.Ping(context.Background())
		if check != (err != nil) {
			t.Errorf("check_model %v: Ping = %v", check, err)
		}
	}
}

func TestWarmup(t *testing.T) {
	srv := llmtest.New(t, llmtest.Always(llmtest.Reply{Content: "Drei Sätze.", CompletionTokens: 50, Delay: 100 * time.Millisecond}))
	c, _ := newClient(t, srv, nil)
	tp, err := c.Warmup(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	// 50 tokens in at least 100 ms: at most 500 tokens/s.
	if tp.CompletionTokens != 50 || tp.TokensPerSecond <= 0 || tp.TokensPerSecond > 500 || tp.Latency < 100*time.Millisecond {
		t.Errorf("Warmup = %+v", tp)
	}
	if r := srv.Requests()[0]; r.MaxTokens != llm.DefaultWarmupMaxTokens {
		t.Errorf("warmup max_tokens %d", r.MaxTokens)
	}
	failing := llmtest.New(t, llmtest.Always(llmtest.BadRequest("no such model")))
	c2, _ := newClient(t, failing, nil)
	if _, err := c2.Warmup(context.Background(), 10); err == nil {
		t.Error("Warmup against a failing server succeeded")
	}
}
