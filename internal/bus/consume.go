package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Handler processes one message. Its error is the verdict:
//
//   - nil: done, the message is acked.
//   - Retry(err, d): a transient failure (an LLM answered 429, SMTP said
//     4xx); the message is redelivered after d. The wait lives in JetStream,
//     so it survives restarts.
//   - Permanent(err): the message can never be processed (bad schema,
//     400 from the LLM); a copy goes to news.dlq.<stage> and it is
//     terminated.
//   - any other error: retried with the consumer's backoff until
//     MaxDeliver, then dead-lettered like a permanent error.
//
// Handlers must be idempotent: a message may arrive twice.
type Handler func(ctx context.Context, msg jetstream.Msg) error

type retryError struct {
	err   error
	delay time.Duration
}

func (e *retryError) Error() string { return e.err.Error() }
func (e *retryError) Unwrap() error { return e.err }

// Retry marks err as transient: redeliver after delay.
func Retry(err error, delay time.Duration) error { return &retryError{err: err, delay: delay} }

// RetryDelay reports the delay err was marked with by Retry, if it was.
func RetryDelay(err error) (time.Duration, bool) {
	var re *retryError
	if errors.As(err, &re) {
		return re.delay, true
	}
	return 0, false
}

type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks err as final: dead-letter the message.
func Permanent(err error) error { return &permanentError{err: err} }

// IsPermanent reports whether err was marked Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

// ConsumerConfig is what a stage says about its durable consumer.
type ConsumerConfig struct {
	Stream     string
	Durable    string   // shared by all replicas of a stage
	Subjects   []string // filter; empty means the whole stream
	Workers    int      // concurrent handlers = MaxAckPending
	AckWait    time.Duration
	MaxDeliver int
	Backoff    []time.Duration // delays for plain errors, by delivery count
	DeliverNew bool            // start at new messages instead of the stream start
	Stage      string          // for the DLQ subject and logs
}

// Consume runs h over the durable consumer until ctx is done, with
// cfg.Workers handlers in flight. It sends InProgress every AckWait/3 while a
// handler runs, so slow LLM calls are not redelivered mid-call.
func (b *Bus) Consume(ctx context.Context, cfg ConsumerConfig, h Handler) error {
	if cfg.Workers < 1 {
		cfg.Workers = 1
	}
	if cfg.AckWait <= 0 {
		cfg.AckWait = 30 * time.Second
	}
	if cfg.MaxDeliver == 0 {
		cfg.MaxDeliver = 5
	}
	cc := jetstream.ConsumerConfig{
		Durable:       cfg.Durable,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       cfg.AckWait,
		MaxDeliver:    cfg.MaxDeliver,
		MaxAckPending: cfg.Workers,
	}
	if cfg.DeliverNew {
		cc.DeliverPolicy = jetstream.DeliverNewPolicy
	}
	switch len(cfg.Subjects) {
	case 0:
	case 1:
		cc.FilterSubject = cfg.Subjects[0]
	default:
		cc.FilterSubjects = cfg.Subjects
	}
	cons, err := b.JS.CreateOrUpdateConsumer(ctx, cfg.Stream, cc)
	if err != nil {
		return fmt.Errorf("bus: consumer %s on %s: %w", cfg.Durable, cfg.Stream, err)
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(cfg.Workers))
	if err != nil {
		return fmt.Errorf("bus: consuming %s: %w", cfg.Durable, err)
	}
	stop := context.AfterFunc(ctx, it.Stop)
	defer stop()

	log := b.log.With("stage", cfg.Stage, "consumer", cfg.Durable)
	sem := make(chan struct{}, cfg.Workers)
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		msg, err := it.Next()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, jetstream.ErrMsgIteratorClosed) {
				return nil
			}
			log.Warn("next message", "err", err)
			continue
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			_ = msg.Nak()
			return nil
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			b.handle(ctx, cfg, log, msg, h)
		}()
	}
}

func (b *Bus) handle(ctx context.Context, cfg ConsumerConfig, log *slog.Logger, msg jetstream.Msg, h Handler) {
	hctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		t := time.NewTicker(cfg.AckWait / 3)
		defer t.Stop()
		for {
			select {
			case <-hctx.Done():
				return
			case <-t.C:
				_ = msg.InProgress()
			}
		}
	}()

	err := safeHandle(hctx, h, msg)
	cancel()
	if err == nil {
		if aerr := msg.Ack(); aerr != nil {
			log.Warn("ack", "subject", msg.Subject(), "err", aerr)
		}
		return
	}
	if ctx.Err() != nil {
		// Shutting down: let the message be redelivered to whoever runs next.
		_ = msg.Nak()
		return
	}
	delivered := uint64(1)
	if md, merr := msg.Metadata(); merr == nil {
		delivered = md.NumDelivered
	}
	var re *retryError
	switch {
	case errors.As(err, &re) && delivered < uint64(cfg.MaxDeliver):
		log.Info("retry later", "subject", msg.Subject(), "delay", re.delay, "delivered", delivered, "err", err)
		_ = msg.NakWithDelay(re.delay)
	case !IsPermanent(err) && delivered < uint64(cfg.MaxDeliver):
		d := backoffFor(cfg.Backoff, delivered)
		log.Warn("handler failed, will retry", "subject", msg.Subject(), "delay", d, "delivered", delivered, "err", err)
		_ = msg.NakWithDelay(d)
	default:
		log.Error("dead-lettering message", "subject", msg.Subject(), "delivered", delivered, "err", err)
		// Copy to the DLQ before Term: on a work-queue stream Term deletes.
		if derr := b.deadLetter(ctx, cfg.Stage, msg, err); derr != nil {
			log.Error("dead-letter publish failed; leaving message for redelivery", "err", derr)
			_ = msg.NakWithDelay(backoffFor(cfg.Backoff, delivered))
			return
		}
		_ = msg.TermWithReason(truncate(err.Error(), 200))
	}
}

// safeHandle turns a handler panic into a permanent error so that one bad
// message cannot take the stage down.
func safeHandle(ctx context.Context, h Handler, msg jetstream.Msg) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = Permanent(fmt.Errorf("handler panic: %v", r))
		}
	}()
	return h(ctx, msg)
}

func (b *Bus) deadLetter(ctx context.Context, stage string, msg jetstream.Msg, cause error) error {
	m := nats.NewMsg(DLQSubject(stage))
	m.Data = msg.Data()
	for k, v := range msg.Headers() {
		if len(k) >= 5 && k[:5] == "Nats-" {
			continue
		}
		m.Header[k] = v
	}
	m.Header.Set(HeaderError, truncate(cause.Error(), 1000))
	m.Header.Set(HeaderStage, stage)
	m.Header.Set("News-Subject", msg.Subject())
	_, err := b.JS.PublishMsg(ctx, m)
	return err
}

func backoffFor(steps []time.Duration, delivered uint64) time.Duration {
	if len(steps) == 0 {
		return 5 * time.Second
	}
	i := int(delivered) - 1
	if i >= len(steps) {
		i = len(steps) - 1
	}
	if i < 0 {
		i = 0
	}
	return steps[i]
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// WaitIdle blocks until the durable consumer has nothing pending and nothing
// unacked, or ctx ends. The demo and tests use it to know a stage has caught up.
func (b *Bus) WaitIdle(ctx context.Context, stream, durable string, poll time.Duration) error {
	if poll <= 0 {
		poll = 50 * time.Millisecond
	}
	// Idle must be seen twice in a row: a consumer that is being created or
	// is between a delivery and its ack can look idle for an instant.
	quiet := 0
	for {
		c, err := b.JS.Consumer(ctx, stream, durable)
		if err == nil {
			info, ierr := c.Info(ctx)
			if ierr == nil && info.NumPending == 0 && info.NumAckPending == 0 {
				if quiet++; quiet >= 2 {
					return nil
				}
			} else {
				quiet = 0
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("bus: waiting for %s to go idle: %w", durable, ctx.Err())
		case <-time.After(poll):
		}
	}
}
