package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdesk/newsdesk/internal/retry"
)

// The pauses between attempts to bind (bindWaiting): doubling from
// bindRetryBase up to bindRetryMax, within nats.bind_wait.
const (
	bindRetryBase = time.Second
	bindRetryMax  = 10 * time.Second
)

// Bus is a connection to JetStream with newsdesk's streams and buckets
// bound. It is safe for concurrent use. The caller owns the *nats.Conn.
// The JetStream handles stay inside the package: stages use its verbs.
type Bus struct {
	nc   *nats.Conn
	js   jetstream.JetStream
	cfg  Config
	log  *slog.Logger
	mode Mode

	seen        *KV
	feedState   *KV
	briefs      *KV
	editions    *KV
	subscribers *KV
	deliveries  *KV
	hosts       *KV
	members     *KV
}

// Mode says whether Open may change the server's layout.
type Mode int

const (
	// Bind uses the streams, buckets and durable consumers that exist and
	// fails, naming what to do, when one is missing or differs from the
	// config. Stage processes on a shared cluster bind: `newsdesk setup`
	// declares, so no stage needs stream-admin rights and the last process
	// to start does not decide the stream settings.
	Bind Mode = iota
	// Declare creates or updates what differs (and durable consumers as
	// stages start to consume). The single process with its own embedded
	// server declares, as do tests.
	Declare
)

func (m Mode) String() string {
	if m == Declare {
		return "declare"
	}
	return "bind"
}

// Open returns a ready Bus: with Declare it first brings streams and
// buckets to cfg (logging each change), with Bind it checks them. cfg must
// be defaulted; log is required.
func Open(ctx context.Context, nc *nats.Conn, cfg Config, log *slog.Logger, mode Mode) (*Bus, error) {
	if log == nil {
		return nil, errors.New("bus: Open needs a logger")
	}
	js, err := jetstream.New(nc, jetstream.WithDefaultTimeout(cfg.RequestTimeout))
	if err != nil {
		return nil, fmt.Errorf("bus: jetstream: %w", err)
	}
	b := &Bus{nc: nc, js: js, cfg: cfg, log: log, mode: mode}
	if mode == Declare {
		if err := b.declare(ctx); err != nil {
			return nil, err
		}
	}
	if err := b.bindWaiting(ctx, mode); err != nil {
		return nil, err
	}
	return b, nil
}

// bindWaiting binds; a process on a cluster (mode Bind) tries again for
// up to BindWait while JetStream does not answer, so that a stage
// restarted while the cluster elects a leader waits instead of exiting.
// A layout that is not the config's (ErrLayout) fails at once.
func (b *Bus) bindWaiting(ctx context.Context, mode Mode) error {
	if mode != Bind {
		return b.bind(ctx)
	}
	deadline := time.Now().Add(b.cfg.BindWait)
	for attempt := 0; ; attempt++ {
		// One attempt may take as long as one request: the caller's
		// context may have a far deadline, which JetStream calls would
		// otherwise wait out on a cluster without a quorum.
		actx, cancel := context.WithTimeout(ctx, b.cfg.RequestTimeout)
		err := b.bind(actx)
		cancel()
		if err == nil || errors.Is(err, ErrLayout) || ctx.Err() != nil {
			return err
		}
		wait := retry.Exponential(bindRetryBase, bindRetryMax, attempt)
		if time.Now().Add(wait).After(deadline) {
			return fmt.Errorf("%w (gave up after nats.bind_wait %s)", err, b.cfg.BindWait)
		}
		b.log.Warn("JetStream does not answer yet; binding again", "err", err, "delay", wait)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

// Seen is the first-seen gate for feed items and articles (ingest).
func (b *Bus) Seen() *KV { return b.seen }

// FeedState holds each feed's ETag, Last-Modified, next poll and errors.
func (b *Bus) FeedState() *KV { return b.feedState }

// Briefs caches article briefs.
func (b *Bus) Briefs() *KV { return b.briefs }

// Editions holds the edition slot leases and story memory.
func (b *Bus) Editions() *KV { return b.editions }

// Subscribers holds newsletter subscribers and consent records.
func (b *Bus) Subscribers() *KV { return b.subscribers }

// Deliveries records which digest went to whom.
func (b *Bus) Deliveries() *KV { return b.deliveries }

// Hosts holds per-host politeness (next request slot, Retry-After
// back-off, Crawl-delay), shared by every ingest process.
func (b *Bus) Hosts() *KV { return b.hosts }

// Members holds one heartbeat per running ingest process, so the
// processes can split the feeds between them.
func (b *Bus) Members() *KV { return b.members }

// Publish sends v as JSON to subject with a message id, so a retried publish
// within the duplicate window is dropped by the server. It reports whether
// the server flagged the message a duplicate.
func (b *Bus) Publish(ctx context.Context, subject, msgID string, v any, headers map[string]string) (dup bool, err error) {
	data, err := json.Marshal(v)
	if err != nil {
		return false, fmt.Errorf("bus: encoding %s: %w", msgID, err)
	}
	m := nats.NewMsg(b.wire(subject))
	m.Data = data
	m.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		m.Header.Set(k, v)
	}
	ack, err := b.js.PublishMsg(ctx, m, jetstream.WithMsgID(msgID))
	if err != nil {
		return false, fmt.Errorf("bus: publishing %s to %s: %w", msgID, subject, err)
	}
	return ack.Duplicate, nil
}
