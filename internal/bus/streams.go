package bus

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// wire maps a subject as the code names it (news.…) onto the subject on
// the server, under the configured prefix.
func (b *Bus) wire(subject string) string {
	if p := b.cfg.SubjectPrefix; p != "" && p != DefaultSubjectPrefix {
		if rest, ok := strings.CutPrefix(subject, DefaultSubjectPrefix+"."); ok {
			return p + "." + rest
		}
	}
	return subject
}

// Subject is the subject on the server for one the code names (with the
// configured subject prefix), for programs that subscribe.
func (b *Bus) Subject(subject string) string { return b.wire(subject) }

// LastSeq is the sequence number of the last message stored in stream (0
// when it never held one).
func (b *Bus) LastSeq(ctx context.Context, stream string) (uint64, error) {
	s, err := b.js.Stream(ctx, stream)
	if err != nil {
		return 0, fmt.Errorf("bus: stream %s: %w", stream, err)
	}
	return s.CachedInfo().State.LastSeq, nil
}

// Msgs is the number of messages stream holds now.
func (b *Bus) Msgs(ctx context.Context, stream string) (uint64, error) {
	s, err := b.js.Stream(ctx, stream)
	if err != nil {
		return 0, fmt.Errorf("bus: stream %s: %w", stream, err)
	}
	return s.CachedInfo().State.Msgs, nil
}

// lastSeqOn is the sequence of the last message on any of the (wire)
// filter subjects; def when the server cannot say.
func (b *Bus) lastSeqOn(ctx context.Context, stream string, filters []string, def uint64) (uint64, error) {
	s, err := b.js.Stream(ctx, stream)
	if err != nil {
		return 0, fmt.Errorf("bus: stream %s: %w", stream, err)
	}
	var last uint64
	for _, f := range filters {
		m, err := s.GetLastMsgForSubject(ctx, f)
		switch {
		case errors.Is(err, jetstream.ErrMsgNotFound):
		case err != nil:
			return def, nil
		default:
			last = max(last, m.Sequence)
		}
	}
	return last, nil
}

// ConsumerState is what the server says about a durable consumer.
type ConsumerState struct {
	// Pending: messages on its subjects not yet delivered.
	Pending uint64
	// AckPending: delivered, not yet acked (also those waiting to be
	// redelivered after a NAK).
	AckPending int
	// Waiting: pull requests waiting for a message (idle workers).
	Waiting int
	// Delivered and AckFloor are stream sequences: the last message
	// handed out, and the one up to which everything is acked.
	Delivered, AckFloor uint64
	MaxAckPending       int
	// Filters are its (wire) subject filters; none: the whole stream.
	Filters []string
}

// ConsumerState reads a durable consumer's state; ErrNotFound when it
// does not exist.
func (b *Bus) ConsumerState(ctx context.Context, stream, durable string) (ConsumerState, error) {
	c, err := b.js.Consumer(ctx, stream, durable)
	if errors.Is(err, jetstream.ErrConsumerNotFound) {
		return ConsumerState{}, fmt.Errorf("bus: consumer %s on %s: %w", durable, stream, ErrNotFound)
	}
	if err != nil {
		return ConsumerState{}, fmt.Errorf("bus: consumer %s on %s: %w", durable, stream, err)
	}
	info := c.CachedInfo()
	return ConsumerState{
		Pending:       info.NumPending,
		AckPending:    info.NumAckPending,
		Waiting:       info.NumWaiting,
		Delivered:     info.Delivered.Stream,
		AckFloor:      info.AckFloor.Stream,
		MaxAckPending: info.Config.MaxAckPending,
		Filters:       filters(info.Config),
	}, nil
}

// DeleteConsumer removes a durable consumer, so its next start reads the
// stream from the beginning (tests; operators use the nats CLI).
func (b *Bus) DeleteConsumer(ctx context.Context, stream, durable string) error {
	if err := b.js.DeleteConsumer(ctx, stream, durable); err != nil {
		return fmt.Errorf("bus: deleting consumer %s on %s: %w", durable, stream, err)
	}
	return nil
}

// Follow calls fn for every message on subject stored after sequence
// after, as it arrives, until ctx ends. It uses an ordered (ephemeral)
// consumer: every process that follows sees every message, and nothing is
// left behind on the server. fn runs on one goroutine, in stream order.
func (b *Bus) Follow(ctx context.Context, stream, subject string, after uint64, fn func(jetstream.Msg)) error {
	s, err := b.js.Stream(ctx, stream)
	if err != nil {
		return fmt.Errorf("bus: follow %s: %w", stream, err)
	}
	cons, err := s.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{b.wire(subject)},
		DeliverPolicy:  jetstream.DeliverByStartSequencePolicy,
		OptStartSeq:    after + 1,
	})
	if err != nil {
		return fmt.Errorf("bus: follow %s: %w", stream, err)
	}
	cc, err := cons.Consume(fn)
	if err != nil {
		return fmt.Errorf("bus: follow %s: %w", stream, err)
	}
	<-ctx.Done()
	cc.Stop()
	return nil
}

// Subscribe is a plain NATS subscription on subject (with the prefix), the
// way an outside program listens to digests; stop it with Unsubscribe.
func (b *Bus) Subscribe(subject string, fn func(*nats.Msg)) (*nats.Subscription, error) {
	sub, err := b.nc.Subscribe(b.wire(subject), fn)
	if err != nil {
		return nil, fmt.Errorf("bus: subscribe %s: %w", subject, err)
	}
	return sub, nil
}
