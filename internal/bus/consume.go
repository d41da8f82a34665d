package bus

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdesk/newsdesk/internal/clip"
	"github.com/newsdesk/newsdesk/internal/retry"
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

// Pause marks err as "something every message needs is down" (the LLM
// answers 429, 5xx or not at all): the message is not this message's
// fault, so it keeps its delivery count. The consumer holds it (sending
// InProgress), takes no new messages, and hands it to the handler again
// after a wait that starts at after (the server's Retry-After; 0: the
// consumer's PauseInitial) and doubles up to PauseMax, until the handler
// returns another verdict. A process that stops meanwhile naks the
// message; that redelivery is counted.
func Pause(err error, after time.Duration) error { return &pauseError{err: err, after: after} }

type pauseError struct {
	err   error
	after time.Duration
}

func (e *pauseError) Error() string { return e.err.Error() }
func (e *pauseError) Unwrap() error { return e.err }

// Consumer defaults where a stage leaves a field zero.
const (
	DefaultAckWait      = 30 * time.Second
	DefaultMaxDeliver   = 5
	DefaultPauseInitial = 2 * time.Second
	DefaultPauseMax     = 5 * time.Minute
	// defaultRetryDelay is the wait before a failed message is delivered
	// again when its consumer has no Backoff schedule.
	defaultRetryDelay = 5 * time.Second
	// pullWait is how long one pull request waits for a message before
	// the worker asks again (and notices a stop or a pause).
	pullWait = 5 * time.Second
)

// ConsumerConfig is what a stage says about its durable consumer.
type ConsumerConfig struct {
	Stream   string
	Durable  string   // shared by all replicas of a stage
	Subjects []string // filter; empty means the whole stream
	// Workers is how many messages this process handles at once. Each
	// worker pulls one message when it is free, so nothing waits in a
	// client buffer while its AckWait runs.
	Workers int
	// MaxAckPending caps the messages delivered and not yet acked across
	// every process bound to the consumer: the server hands out no more.
	// Size it to the replicas' workers together (or to what the LLM or
	// SMTP server behind them takes); 0 means Workers.
	MaxAckPending int
	AckWait       time.Duration
	MaxDeliver    int
	Backoff       []time.Duration // delays for plain errors, by delivery count
	// PauseInitial and PauseMax bound the waits of a Pause verdict.
	PauseInitial time.Duration
	PauseMax     time.Duration
	DeliverNew   bool   // start at new messages instead of the stream start
	Stage        string // for the DLQ subject and logs
}

func (c *ConsumerConfig) defaults() {
	c.Workers = max(c.Workers, 1)
	if c.MaxAckPending <= 0 {
		c.MaxAckPending = c.Workers
	}
	c.AckWait = cmp.Or(c.AckWait, DefaultAckWait)
	c.MaxDeliver = cmp.Or(c.MaxDeliver, DefaultMaxDeliver)
	c.PauseInitial = cmp.Or(c.PauseInitial, DefaultPauseInitial)
	c.PauseMax = max(cmp.Or(c.PauseMax, DefaultPauseMax), c.PauseInitial)
}

// consumerConfig is the server side of cfg.
func (b *Bus) consumerConfig(cfg ConsumerConfig) jetstream.ConsumerConfig {
	cfg.defaults()
	cc := jetstream.ConsumerConfig{
		Durable:       cfg.Durable,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       cfg.AckWait,
		MaxDeliver:    cfg.MaxDeliver,
		MaxAckPending: cfg.MaxAckPending,
	}
	if cfg.DeliverNew {
		cc.DeliverPolicy = jetstream.DeliverNewPolicy
	}
	switch len(cfg.Subjects) {
	case 0:
	case 1:
		cc.FilterSubject = b.wire(cfg.Subjects[0])
	default:
		for _, s := range cfg.Subjects {
			cc.FilterSubjects = append(cc.FilterSubjects, b.wire(s))
		}
	}
	return cc
}

// planConsumer compares a durable consumer with what cfg wants.
func (b *Bus) planConsumer(ctx context.Context, cfg ConsumerConfig) (Change, error) {
	want := b.consumerConfig(cfg)
	ch := Change{Kind: "consumer", Name: cfg.Stream + "/" + cfg.Durable}
	c, err := b.js.Consumer(ctx, cfg.Stream, cfg.Durable)
	if errors.Is(err, jetstream.ErrConsumerNotFound) {
		ch.Action = "create"
		return ch, nil
	}
	if err != nil {
		return ch, fmt.Errorf("bus: consumer %s: %w", ch.Name, err)
	}
	have := c.CachedInfo().Config
	var d []string
	add := func(name string, h, w any) { d = append(d, fmt.Sprintf("%s %v → %v", name, h, w)) }
	if have.AckWait != want.AckWait {
		add("ack_wait", have.AckWait, want.AckWait)
	}
	if have.MaxDeliver != want.MaxDeliver {
		add("max_deliver", have.MaxDeliver, want.MaxDeliver)
	}
	if have.MaxAckPending != want.MaxAckPending {
		add("max_ack_pending", have.MaxAckPending, want.MaxAckPending)
	}
	if have.AckPolicy != want.AckPolicy {
		add("ack_policy", have.AckPolicy, want.AckPolicy)
	}
	hf, wf := filters(have), filters(want)
	if !sameSet(hf, wf) {
		add("filter_subjects", hf, wf)
	}
	if len(d) > 0 {
		ch.Action, ch.Diffs = "update", d
	}
	return ch, nil
}

func filters(c jetstream.ConsumerConfig) []string {
	if c.FilterSubject != "" {
		return []string{c.FilterSubject}
	}
	return c.FilterSubjects
}

// consumer returns the durable consumer: declared (created or updated) in
// Declare mode, only looked up and checked in Bind mode.
func (b *Bus) consumer(ctx context.Context, cfg ConsumerConfig) (jetstream.Consumer, error) {
	if b.mode == Declare {
		c, err := b.js.CreateOrUpdateConsumer(ctx, cfg.Stream, b.consumerConfig(cfg))
		if err != nil {
			return nil, fmt.Errorf("bus: consumer %s on %s: %w", cfg.Durable, cfg.Stream, err)
		}
		return c, nil
	}
	ch, err := b.planConsumer(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if p := ch.problem(); len(p) > 0 {
		return nil, fmt.Errorf("bus: %s; %s", p[0], setupHint)
	}
	c, err := b.js.Consumer(ctx, cfg.Stream, cfg.Durable)
	if err != nil {
		return nil, fmt.Errorf("bus: consumer %s on %s: %w", cfg.Durable, cfg.Stream, err)
	}
	return c, nil
}

// Consume runs h over the durable consumer until ctx is done, with
// cfg.Workers handlers in flight. It sends InProgress every AckWait/3 while a
// handler runs, so slow LLM calls are not redelivered mid-call.
func (b *Bus) Consume(ctx context.Context, cfg ConsumerConfig, h Handler) error {
	cfg.defaults()
	cons, err := b.consumer(ctx, cfg)
	if err != nil {
		return err
	}
	log := b.log.With("stage", cfg.Stage, "consumer", cfg.Durable)
	w := &worker{b: b, cfg: cfg, log: log, h: h, gate: &pauseGate{}}
	errs := make(chan error, cfg.Workers)
	var wg sync.WaitGroup
	for range cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- w.run(ctx, cons)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// worker is one of a consumer's handler loops; the gate is shared by all.
type worker struct {
	b    *Bus
	cfg  ConsumerConfig
	log  *slog.Logger
	h    Handler
	gate *pauseGate
}

// run pulls one message at a time and handles it, until ctx ends. A
// consumer that disappears is declared again in Declare mode and ends the
// stage in Bind mode (setup owns it there).
func (w *worker) run(ctx context.Context, cons jetstream.Consumer) error {
	for {
		if !w.gate.wait(ctx) {
			return nil
		}
		pctx, cancel := context.WithTimeout(ctx, pullWait)
		msg, err := cons.Next(jetstream.FetchContext(pctx))
		cancel()
		switch {
		case ctx.Err() != nil:
			if msg != nil {
				_ = msg.Nak()
			}
			return nil
		case err == nil:
			w.handle(ctx, msg)
			continue
		case errors.Is(err, jetstream.ErrNoMessages), errors.Is(err, nats.ErrTimeout),
			errors.Is(err, context.DeadlineExceeded):
			continue
		case errors.Is(err, jetstream.ErrConsumerNotFound), errors.Is(err, jetstream.ErrConsumerDeleted):
			if w.b.mode != Declare {
				return fmt.Errorf("bus: consumer %s on %s is gone: %w; %s", w.cfg.Durable, w.cfg.Stream, err, setupHint)
			}
			if c, derr := w.b.consumer(ctx, w.cfg); derr == nil {
				cons = c
				continue
			}
		}
		w.log.Warn("next message", "err", err)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(time.Second):
		}
	}
}

func (w *worker) handle(ctx context.Context, msg jetstream.Msg) {
	cfg, log := w.cfg, w.log
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

	// A message that arrived on a pull made before a pause waits for it
	// to end, held like the paused one.
	if !w.gate.wait(ctx) {
		_ = msg.Nak()
		return
	}
	var err error
	for pauses := 0; ; pauses++ {
		err = safeHandle(hctx, w.h, msg)
		var pe *pauseError
		if !errors.As(err, &pe) || ctx.Err() != nil {
			if pauses > 0 {
				w.gate.resume()
			}
			break
		}
		if pauses == 0 {
			w.gate.pause()
		}
		d := pauseDelay(pe.after, pauses, cfg.PauseInitial, cfg.PauseMax)
		log.Warn("paused: a dependency is unavailable; holding the message", "subject", msg.Subject(), "delay", d, "pauses", pauses+1, "err", err)
		select {
		case <-ctx.Done():
		case <-w.gate.resumed():
		case <-time.After(d):
		}
		if ctx.Err() != nil {
			// Stopping while paused: the handler is not asked again with
			// a dead context (it would call the dependency once more on
			// the way out); the message goes back for whoever runs next.
			w.gate.resume()
			break
		}
	}
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
		d := retry.Step(cfg.Backoff, int(delivered), defaultRetryDelay)
		log.Warn("handler failed, will retry", "subject", msg.Subject(), "delay", d, "delivered", delivered, "err", err)
		_ = msg.NakWithDelay(d)
	default:
		log.Error("dead-lettering message", "subject", msg.Subject(), "delivered", delivered, "err", err)
		// Copy to the DLQ before Term: on a work-queue stream Term deletes.
		if derr := w.b.deadLetter(ctx, cfg.Stage, msg, err); derr != nil {
			log.Error("dead-letter publish failed; leaving message for redelivery", "err", derr)
			_ = msg.NakWithDelay(retry.Step(cfg.Backoff, int(delivered), defaultRetryDelay))
			return
		}
		_ = msg.TermWithReason(clip.Bytes(err.Error(), 200))
	}
}

// pauseDelay is the wait before the pauses+1st new attempt: initial
// doubled per pause so far, at most limit, or the server's wish when it is
// longer.
func pauseDelay(after time.Duration, pauses int, initial, limit time.Duration) time.Duration {
	return max(retry.Exponential(initial, limit, pauses), after)
}

// pauseGate keeps a consumer's workers from taking new messages while a
// handler pauses: the pause is about something all messages need, so only
// the paused messages probe it until one gets through.
type pauseGate struct {
	mu     sync.Mutex
	paused int           // handlers in a pause
	wake   chan struct{} // closed when a paused handler got through
}

func (g *pauseGate) pause() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.paused++
}

// resume ends one handler's pause: the dependency answered. The other
// paused handlers try again at once.
func (g *pauseGate) resume() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.paused--
	if g.wake != nil {
		close(g.wake)
		g.wake = nil
	}
}

// resumed is closed at the next resume.
func (g *pauseGate) resumed() <-chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.wake == nil {
		g.wake = make(chan struct{})
	}
	return g.wake
}

// wait blocks while a handler pauses; false when ctx ended.
func (g *pauseGate) wait(ctx context.Context) bool {
	for {
		g.mu.Lock()
		paused := g.paused > 0
		g.mu.Unlock()
		if !paused {
			return ctx.Err() == nil
		}
		select {
		case <-ctx.Done():
			return false
		case <-g.resumed():
		}
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

// Headers a dead letter carries besides the original's own.
const (
	// HeaderSubject is the subject the message was consumed from.
	HeaderSubject = "News-Subject"
	// HeaderStream and HeaderSeq say where it was stored.
	HeaderStream = "News-Stream"
	HeaderSeq    = "News-Seq"
	// HeaderDelivered is how often it was delivered before giving up.
	HeaderDelivered = "News-Delivered"
	// HeaderMsgID keeps the original's Nats-Msg-Id (Nats- headers are the
	// server's and are not copied).
	HeaderMsgID = "News-Msg-Id"
	// HeaderReplayOf marks a message `newsdesk dlq replay` sent: the DLQ
	// sequence it came from.
	HeaderReplayOf = "News-Replay-Of"
)

func (b *Bus) deadLetter(ctx context.Context, stage string, msg jetstream.Msg, cause error) error {
	m := nats.NewMsg(b.wire(DLQSubject(stage)))
	m.Data = msg.Data()
	for k, v := range msg.Headers() {
		if strings.HasPrefix(k, "Nats-") {
			continue
		}
		m.Header[k] = v
	}
	m.Header.Set(HeaderError, clip.Bytes(cause.Error(), 1000))
	m.Header.Set(HeaderStage, stage)
	m.Header.Set(HeaderSubject, msg.Subject())
	if id := msg.Headers().Get(jetstream.MsgIDHeader); id != "" {
		m.Header.Set(HeaderMsgID, id)
	}
	if md, err := msg.Metadata(); err == nil {
		m.Header.Set(HeaderStream, md.Stream)
		m.Header.Set(HeaderSeq, strconv.FormatUint(md.Sequence.Stream, 10))
		m.Header.Set(HeaderDelivered, strconv.FormatUint(md.NumDelivered, 10))
	}
	_, err := b.js.PublishMsg(ctx, m)
	return err
}

// WaitIdle blocks until the durable consumer has acked every message that
// was on its subjects when WaitIdle was called (its ack floor reached the
// last of them) and holds none unacked, or ctx ends. Sequence numbers only
// grow, so no momentary reading can pass for idle: a consumer that does
// not exist yet, has not been handed a message, or waits to redeliver one
// has an ack floor below the target. Messages a handler publishes meanwhile
// are past the target; wait again for them. A reading that fails is tried
// again at the next poll; the error says the last failure when ctx ends.
// Tests use it to know a stage has caught up.
func (b *Bus) WaitIdle(ctx context.Context, stream, durable string, poll time.Duration) error {
	if poll <= 0 {
		poll = 50 * time.Millisecond
	}
	target, err := b.LastSeq(ctx, stream)
	if err != nil {
		return err
	}
	var filtered bool
	var lastErr error // a reading that failed; the next poll tries again
	for {
		st, err := b.ConsumerState(ctx, stream, durable)
		if err == nil && !filtered && len(st.Filters) > 0 {
			// The target is the last message the consumer will see.
			var t uint64
			if t, err = b.lastSeqOn(ctx, stream, st.Filters, target); err == nil {
				target, filtered = t, true
			}
		}
		switch {
		case err == nil:
			if st.AckFloor >= target && st.AckPending == 0 {
				return nil
			}
		case !errors.Is(err, ErrNotFound):
			// A cluster answers "JetStream system temporarily unavailable"
			// while a restarted node catches up: waiting covers it.
			lastErr = err
		}
		select {
		case <-ctx.Done():
			if lastErr != nil {
				return fmt.Errorf("bus: waiting for %s to go idle: %w (last reading: %v)", durable, ctx.Err(), lastErr)
			}
			return fmt.Errorf("bus: waiting for %s to go idle: %w", durable, ctx.Err())
		case <-time.After(poll):
		}
	}
}
