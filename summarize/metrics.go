package summarize

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/newsdesk/newsdesk/internal/news"
)

// metrics are the stage's Prometheus series. Tokens are the cost driver
// and throughput limit of the whole pipeline (DESIGN.md, "LLM tokens are
// the pipeline's limit"), so they are counted per purpose.
type metrics struct {
	tokens        *prometheus.CounterVec // purpose, kind
	calls         *prometheus.CounterVec // purpose, outcome
	briefCache    *prometheus.CounterVec // result
	fallbacks     *prometheus.CounterVec // reason
	editions      *prometheus.CounterVec // edition, generator
	editionTokens *prometheus.GaugeVec   // edition
	stories       *prometheus.GaugeVec   // edition
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		tokens: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newsdesk", Subsystem: "summarize", Name: "tokens_total",
			Help: "LLM tokens spent by the summarize stage, by purpose (brief, story, overview) and kind (prompt, completion, reasoning).",
		}, []string{"purpose", "kind"}),
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newsdesk", Subsystem: "summarize", Name: "llm_calls_total",
			Help: "LLM calls by purpose and outcome (ok, error, rejected).",
		}, []string{"purpose", "outcome"}),
		briefCache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newsdesk", Subsystem: "summarize", Name: "brief_cache_total",
			Help: "Brief lookups in the briefs KV bucket by result (hit, miss).",
		}, []string{"result"}),
		fallbacks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newsdesk", Subsystem: "summarize", Name: "fallbacks_total",
			Help: "LLM text replaced by extractive text or dropped, by reason.",
		}, []string{"reason"}),
		editions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newsdesk", Subsystem: "summarize", Name: "digests_total",
			Help: "Digests composed, by edition and generator.",
		}, []string{"edition", "generator"}),
		editionTokens: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "newsdesk", Subsystem: "summarize", Name: "edition_tokens",
			Help: "Prompt plus completion tokens the last edition spent composing (briefs made ahead are counted under tokens_total).",
		}, []string{"edition"}),
		stories: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "newsdesk", Subsystem: "summarize", Name: "edition_stories",
			Help: "Stories in the last edition.",
		}, []string{"edition"}),
	}
	var err error
	m.tokens = register(reg, m.tokens, &err)
	m.calls = register(reg, m.calls, &err)
	m.briefCache = register(reg, m.briefCache, &err)
	m.fallbacks = register(reg, m.fallbacks, &err)
	m.editions = register(reg, m.editions, &err)
	m.editionTokens = register(reg, m.editionTokens, &err)
	m.stories = register(reg, m.stories, &err)
	return m, err
}

// register registers c, or reuses the collector already registered under
// the same name (two stages sharing a registry in one process).
func register[C prometheus.Collector](reg prometheus.Registerer, c C, errp *error) C {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
		*errp = errors.Join(*errp, err)
	}
	return c
}

func (m *metrics) addUsage(purpose string, u news.Usage) {
	m.tokens.WithLabelValues(purpose, "prompt").Add(float64(u.PromptTokens))
	m.tokens.WithLabelValues(purpose, "completion").Add(float64(u.CompletionTokens))
	if u.ReasoningTokens > 0 {
		m.tokens.WithLabelValues(purpose, "reasoning").Add(float64(u.ReasoningTokens))
	}
}
