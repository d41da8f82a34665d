package bus

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// ReadSince calls fn for every message on subject (wildcards allowed) in
// stream stored at or after since, in stream order, and returns when it has
// seen the last message that existed when it started. It uses an ordered
// (ephemeral) consumer, so it leaves nothing behind. Editions use it to
// gather the window's articles; publish uses it to rebuild feeds.
func (b *Bus) ReadSince(ctx context.Context, stream, subject string, since time.Time, fn func(jetstream.Msg) error) error {
	s, err := b.js.Stream(ctx, stream)
	if err != nil {
		return fmt.Errorf("bus: stream %s: %w", stream, err)
	}
	info, err := s.Info(ctx, jetstream.WithSubjectFilter(b.wire(subject)))
	if err != nil {
		return fmt.Errorf("bus: stream %s info: %w", stream, err)
	}
	last := info.State.LastSeq
	if info.State.Msgs == 0 || (!since.IsZero() && info.State.LastTime.Before(since)) {
		return nil
	}
	occ := jetstream.OrderedConsumerConfig{FilterSubjects: []string{b.wire(subject)}}
	if !since.IsZero() {
		occ.DeliverPolicy = jetstream.DeliverByStartTimePolicy
		occ.OptStartTime = &since
	}
	cons, err := s.OrderedConsumer(ctx, occ)
	if err != nil {
		return fmt.Errorf("bus: ordered consumer on %s: %w", stream, err)
	}
	for {
		// Pending tells us when we are past the snapshot's end.
		cinfo, err := cons.Info(ctx)
		if err == nil && cinfo.NumPending == 0 && cinfo.Delivered.Stream >= last {
			return nil
		}
		msg, err := cons.Next(jetstream.FetchMaxWait(2 * time.Second))
		if errors.Is(err, jetstream.ErrNoMessages) || errors.Is(err, context.DeadlineExceeded) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("bus: reading %s: %w", stream, err)
		}
		md, err := msg.Metadata()
		if err != nil {
			return fmt.Errorf("bus: metadata: %w", err)
		}
		if err := fn(msg); err != nil {
			return err
		}
		if md.Sequence.Stream >= last {
			return nil
		}
	}
}
