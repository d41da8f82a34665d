package llm

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the client's Prometheus series. Tokens are the cost driver and
// the throughput limit of the whole pipeline, so they are counted per model
// and per purpose ("brief", "digest", …).
type metrics struct {
	tokensC  *prometheus.CounterVec   // newsdesk_llm_tokens_total{model,purpose,kind}
	requests *prometheus.CounterVec   // newsdesk_llm_requests_total{model,purpose,outcome}
	latency  *prometheus.HistogramVec // newsdesk_llm_request_duration_seconds{model,purpose}
	retries  *prometheus.CounterVec   // newsdesk_llm_retries_total{model,purpose,reason}
	inFlight prometheus.Gauge         // newsdesk_llm_in_flight
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	m := &metrics{
		tokensC: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsdesk_llm_tokens_total",
			Help: "LLM tokens reported by the server, by kind (prompt, completion, reasoning).",
		}, []string{"model", "purpose", "kind"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsdesk_llm_requests_total",
			Help: "LLM chat calls by outcome (ok, api_error, timeout, unavailable, bad_response, truncated, empty, prompt_too_long, prompt_truncated, canceled).",
		}, []string{"model", "purpose", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "newsdesk_llm_request_duration_seconds",
			Help:    "Wall time of LLM chat calls including retries.",
			Buckets: []float64{0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 40, 80, 160, 320, 640},
		}, []string{"model", "purpose"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsdesk_llm_retries_total",
			Help: "In-process LLM retries by reason (HTTP status or connection).",
		}, []string{"model", "purpose", "reason"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "newsdesk_llm_in_flight",
			Help: "LLM HTTP requests in flight.",
		}),
	}
	var err error
	m.tokensC, err = register(reg, m.tokensC)
	if err == nil {
		m.requests, err = register(reg, m.requests)
	}
	if err == nil {
		m.latency, err = register(reg, m.latency)
	}
	if err == nil {
		m.retries, err = register(reg, m.retries)
	}
	if err == nil {
		m.inFlight, err = register(reg, m.inFlight)
	}
	if err != nil {
		return nil, fmt.Errorf("llm metrics: %w", err)
	}
	return m, nil
}

// register registers c, or returns the collector already registered under
// the same description, so two clients can share one registry.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) (C, error) {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing, nil
			}
		}
		return c, err
	}
	return c, nil
}

func (m *metrics) observe(model, purpose, outcome string, d time.Duration) {
	m.requests.WithLabelValues(model, purpose, outcome).Inc()
	m.latency.WithLabelValues(model, purpose).Observe(d.Seconds())
}

func (m *metrics) tokens(model, purpose string, u news.Usage) {
	m.tokensC.WithLabelValues(model, purpose, "prompt").Add(float64(u.PromptTokens))
	m.tokensC.WithLabelValues(model, purpose, "completion").Add(float64(u.CompletionTokens))
	m.tokensC.WithLabelValues(model, purpose, "reasoning").Add(float64(u.ReasoningTokens))
}

// outcome is the metrics label for a call's result.
func outcome(err error) string {
	var ae *APIError
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &ae):
		return "api_error"
	case errors.Is(err, ErrTimeout):
		return "timeout"
	case errors.Is(err, ErrUnavailable):
		return "unavailable"
	case errors.Is(err, ErrBadResponse):
		return "bad_response"
	case errors.Is(err, ErrTruncated):
		return "truncated"
	case errors.Is(err, ErrEmpty):
		return "empty"
	case errors.Is(err, ErrPromptTooLong):
		return "prompt_too_long"
	case errors.Is(err, ErrPromptTruncated):
		return "prompt_truncated"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "canceled"
	}
	return "error"
}
