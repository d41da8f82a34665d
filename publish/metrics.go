package publish

import "github.com/prometheus/client_golang/prometheus"

type metrics struct {
	digests       *prometheus.CounterVec // result: published, superseded, retry, invalid, failed
	sinks         *prometheus.CounterVec // sink, result: done, failed, retry, skipped
	mails         *prometheus.CounterVec // kind (digest, confirm, unsub_link), result: sent, skipped, bounced, retry, in_doubt, failed
	subscriptions *prometheus.CounterVec // event: request, signup, confirm, unsubscribe, bounce, rejected, limited, expired, dropped
	renderErrors  prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		digests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newsdesk", Subsystem: "publish", Name: "digests_total",
			Help: "Digests handled by the publish stage, by result.",
		}, []string{"result"}),
		sinks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newsdesk", Subsystem: "publish", Name: "sink_deliveries_total",
			Help: "Digests handed to each output (mail, nats, websub, webhook-…) by result: done, failed (for good), retry, skipped (done before).",
		}, []string{"sink", "result"}),
		mails: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newsdesk", Subsystem: "publish", Name: "emails_total",
			Help: "Emails by kind (digest, confirm) and result.",
		}, []string{"kind", "result"}),
		subscriptions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newsdesk", Subsystem: "publish", Name: "subscription_events_total",
			Help: "Subscription events by type.",
		}, []string{"event"}),
		renderErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "newsdesk", Subsystem: "publish", Name: "render_errors_total",
			Help: "Feed, page or mail rendering failures.",
		}),
	}
	for _, c := range []prometheus.Collector{m.digests, m.sinks, m.mails, m.subscriptions, m.renderErrors} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}
