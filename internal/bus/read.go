package bus

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
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
	// Messages, not Next or Fetch: those recreate the ordered consumer for
	// every call, and on a cluster a pull sent right after the new
	// consumer was created can find no responder yet (the fault test saw
	// edition reads fail after some thirty articles). The iterator keeps
	// one consumer and recreates it only when it loses it (a node going
	// down), from the last message it delivered.
	it, err := cons.Messages()
	if err != nil {
		return fmt.Errorf("bus: reading %s: %w", stream, err)
	}
	defer it.Stop()
	idle := 0
	for {
		nctx, cancel := context.WithTimeout(ctx, b.cfg.RequestTimeout)
		msg, err := it.Next(jetstream.NextContext(nctx))
		cancel()
		if err != nil && ctx.Err() == nil && (errors.Is(err, context.DeadlineExceeded) || errors.Is(err, nats.ErrTimeout)) {
			// Nothing came for a while: either nothing is left (messages
			// up to last were removed since the snapshot) or the server
			// holding the read is away. Never take the window's first
			// part for all of it.
			cinfo, ierr := cons.Info(ctx)
			if ierr == nil && cinfo.NumPending == 0 {
				return nil
			}
			if idle++; idle < readIdleWaits {
				continue
			}
			if ierr != nil {
				err = ierr
			}
			return fmt.Errorf("bus: reading %s: no message for %s before sequence %d: %w", stream, time.Duration(idle)*b.cfg.RequestTimeout, last, err)
		}
		if err != nil {
			return fmt.Errorf("bus: reading %s: %w", stream, err)
		}
		idle = 0
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

// readIdleWaits is how many nats.request_timeout waits without a message
// ReadSince sits out, while messages are pending, before it fails: long
// enough for a stream's new leader to be elected and a lost consumer to
// be recreated.
const readIdleWaits = 3
