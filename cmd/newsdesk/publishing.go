package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/news"
)

// Polling of publish's consumer while a single pass waits for it.
const (
	idlePoll = 50 * time.Millisecond
	// stallPolls idle polls in a row (no delivery running, a pull waiting,
	// nothing undelivered or the consumer full) end the wait.
	stallPolls = 4
)

// publishing is the publish stage running in the background for one pass
// (run --once, the demo, recompose).
type publishing struct {
	a      *app
	events <-chan delivery
	done   chan error
	stopFn func() error
}

// startPublish runs the publish stage, when this process has one, until
// stop. It delivers as in production, through the durable consumer.
func (a *app) startPublish(ctx context.Context) *publishing {
	p := &publishing{a: a, done: make(chan error, 1)}
	events, unwatch := a.watch.watch()
	p.events = events
	pctx, cancel := context.WithCancel(ctx)
	p.stopFn = func() error {
		unwatch() // before waiting for publish: it may be sending an event
		cancel()
		if a.publish == nil {
			return nil
		}
		err := <-p.done
		p.done <- err // stop may be called twice
		// Our own stop may catch publish still starting up (nothing was
		// left to deliver); only other errors count.
		if err != nil && !errors.Is(err, context.Canceled) {
			return fmt.Errorf("publish: %w", err)
		}
		return nil
	}
	if a.publish != nil {
		go func() { p.done <- a.publish.Run(pctx) }()
	}
	return p
}

// stop stops publish and waits for it; it may be called more than once.
func (p *publishing) stop() error { return p.stopFn() }

// verdicts is what publish did while a pass waited.
type verdicts struct {
	// verdicts per message id (Digest.MsgID) of every digest publish
	// handled: the pass's own and earlier ones it retried.
	verdicts map[string]error
	// stalled: some of the pass's own digests were not handled because
	// publish's consumer is full of digests that wait on retry timers.
	stalled bool
}

// await waits until publish has nothing left to do now: no delivery
// running, a pull request waiting at the consumer, and nothing undelivered
// on the stream (or the consumer full), for stallPolls polls in a row.
// Whatever the consumer still holds then waits on a retry timer (an SMTP
// server that was down): a pass does not wait for those. own are the
// pass's digests, dups the message ids among them the server had already.
func (p *publishing) await(ctx context.Context, own []news.Digest, dups map[string]bool) (verdicts, error) {
	v := verdicts{verdicts: map[string]error{}}
	active, quiet := 0, 0
	tick := time.NewTicker(idlePoll)
	defer tick.Stop()
	for {
		select {
		case ev := <-p.events:
			if ev.start {
				active++
			} else {
				active = max(active-1, 0)
				v.verdicts[ev.msgID] = ev.err
			}
			continue
		case err := <-p.done:
			p.done <- err
			if err == nil {
				err = errors.New("stopped")
			}
			return v, fmt.Errorf("publish: %w", err)
		case <-ctx.Done():
			return v, fmt.Errorf("waiting for publish: %w", ctx.Err())
		case <-tick.C:
		}
		idle := false
		if st, err := p.a.bus.ConsumerState(ctx, bus.StreamDigests, p.a.cfg.Publish.Durable); err == nil {
			idle = active == 0 && st.Waiting > 0 &&
				(st.Pending == 0 || st.AckPending >= st.MaxAckPending)
		}
		if !idle {
			quiet = 0
			continue
		}
		if quiet++; quiet >= stallPolls {
			for _, d := range own {
				if _, ok := v.verdicts[d.MsgID()]; !ok && !dups[d.MsgID()] {
					v.stalled = true
				}
			}
			return v, nil
		}
	}
}

// delivery is one verdict of publish's consumer, or the start of one.
type delivery struct {
	msgID string
	start bool
	err   error
}

// deliveryWatch is publish.Deps.Delivering for a pass: it forwards what
// the consumer does to the pass that waits for it.
type deliveryWatch struct {
	mu sync.Mutex
	ch chan delivery
}

func (w *deliveryWatch) hook(d news.Digest) func(error) {
	w.send(delivery{msgID: d.MsgID(), start: true})
	return func(err error) { w.send(delivery{msgID: d.MsgID(), err: err}) }
}

func (w *deliveryWatch) send(ev delivery) {
	w.mu.Lock()
	ch := w.ch
	w.mu.Unlock()
	if ch != nil {
		ch <- ev
	}
}

// watch starts forwarding to a new channel; the returned func stops it.
func (w *deliveryWatch) watch() (<-chan delivery, func()) {
	ch := make(chan delivery, 256)
	w.mu.Lock()
	w.ch = ch
	w.mu.Unlock()
	return ch, func() {
		w.mu.Lock()
		w.ch = nil
		w.mu.Unlock()
		for {
			select {
			case <-ch: // unblock a sender caught between the lock and the send
			default:
				return
			}
		}
	}
}
