package ingest

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	fetches      *prometheus.CounterVec
	fetchSeconds *prometheus.HistogramVec
	items        *prometheus.CounterVec
	polls        *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	m := &metrics{
		fetches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newsdesk", Subsystem: "ingest", Name: "fetches_total",
			Help: "HTTP fetches by kind (feed, page, robots) and outcome (ok, not_modified, timeout, too_large, rate_limited, http_4xx, …).",
		}, []string{"kind", "outcome"}),
		fetchSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "newsdesk", Subsystem: "ingest", Name: "fetch_duration_seconds",
			Help:    "Latency of HTTP fetches, body included, by kind.",
			Buckets: []float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"kind"}),
		items: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newsdesk", Subsystem: "ingest", Name: "items_total",
			Help: "Feed items by outcome (seen, old, published, duplicate, irrelevant, failed, deferred).",
		}, []string{"outcome"}),
		polls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newsdesk", Subsystem: "ingest", Name: "polls_total",
			Help: "Feed polls by feed id and outcome (ok, not_modified, failed, gone, deferred).",
		}, []string{"feed", "outcome"}),
	}
	for _, c := range []prometheus.Collector{m.fetches, m.fetchSeconds, m.items, m.polls} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("ingest: registering metrics: %w", err)
		}
	}
	return m, nil
}
