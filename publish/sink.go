package publish

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"time"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/clip"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/retry"
)

// Sink is one output of the stage: the feeds and archive, the mail to
// subscribers, the event on NATS, the WebSub ping, one webhook URL.
//
// Deliver hands one digest to the output. Its error is a verdict, in the
// words of package bus: nil when the digest is out, bus.Retry(err, d)
// when the output should be tried again after d, bus.Permanent(err) when
// this output can never take this digest; any other error is tried again
// with the stage's back-off. A sink is never asked twice for a digest it
// took (or refused for good): the stage keeps a record per (sink, digest).
type Sink interface {
	// Name identifies the sink in its records, logs and metrics. It must
	// stay the same across restarts and hold only a-z, 0-9 and '-'.
	Name() string
	Deliver(ctx context.Context, d news.Digest) error
}

// sinkNameRE is what a sink's name may hold: it becomes part of KV keys.
var sinkNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// Sink record states.
const (
	sinkDone   = "done"   // the output took the digest
	sinkFailed = "failed" // refused for good; not tried again
	sinkRetry  = "retry"  // to be tried again
)

// SinkRecord is what came of handing one digest revision to one sink, in
// the deliveries bucket under "s.<sink>.<hash of the digest's MsgID>".
type SinkRecord struct {
	Sink     string    `json:"sink"`
	DigestID string    `json:"digest_id"`
	Revision int       `json:"revision"`
	Status   string    `json:"status"`
	Attempts int       `json:"attempts"`
	At       time.Time `json:"at"`
	Error    string    `json:"error,omitempty"`
}

// sinkKey is the record's key; digest ids hold characters KV keys do not
// allow, so the MsgID is hashed.
func sinkKey(sink string, d news.Digest) string {
	sum := sha256.Sum256([]byte(d.MsgID()))
	return "s." + sink + "." + hex.EncodeToString(sum[:16])
}

// sinkRecord reads the record of (sink, d); a missing one is zero.
func (s *Stage) sinkRecord(ctx context.Context, sink string, d news.Digest) (SinkRecord, error) {
	var rec SinkRecord
	e, err := s.bus.Deliveries().Get(ctx, sinkKey(sink, d))
	if errors.Is(err, bus.ErrNotFound) {
		return SinkRecord{Sink: sink, DigestID: d.ID, Revision: max(d.Revision, 1)}, nil
	}
	if err != nil {
		return rec, fmt.Errorf("publish: reading the %s record of %s: %w", sink, d.ID, err)
	}
	if err := json.Unmarshal(e.Value, &rec); err != nil {
		return rec, fmt.Errorf("publish: decoding the %s record of %s: %w", sink, d.ID, err)
	}
	return rec, nil
}

// deliverSinks hands d to every sink that has not taken it yet, each on
// its own: one that fails does not keep the others from the digest. The
// result is the stage's verdict: nil when every sink is done (or refused
// for good), else a retry after the shortest wait any sink asked for.
func (s *Stage) deliverSinks(ctx context.Context, log *slog.Logger, d news.Digest) error {
	var again []error
	wait := time.Duration(-1)
	retryAfter := func(d time.Duration) {
		if wait < 0 || d < wait {
			wait = d
		}
	}
	for _, k := range s.sinks {
		name := k.Name()
		rec, err := s.sinkRecord(ctx, name, d)
		if err != nil {
			return err
		}
		if rec.Status == sinkDone || rec.Status == sinkFailed {
			s.met.sinks.WithLabelValues(name, "skipped").Inc()
			continue
		}
		err = k.Deliver(ctx, d)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		rec.Attempts++
		rec.At = s.now().UTC()
		rec.Error = ""
		switch {
		case err == nil:
			rec.Status = sinkDone
		case bus.IsPermanent(err):
			rec.Status = sinkFailed
			rec.Error = clip.Bytes(err.Error(), 500)
			log.Error("output refused the digest for good", "sink", name, "err", err)
		default:
			rec.Status = sinkRetry
			rec.Error = clip.Bytes(err.Error(), 500)
			after, ok := bus.RetryDelay(err)
			if !ok {
				after = retry.Step(s.cfg.Backoff, rec.Attempts, DefaultRetryAfter)
			}
			retryAfter(after)
			again = append(again, fmt.Errorf("%s: %w", name, err))
			log.Warn("output will be tried again", "sink", name, "attempt", rec.Attempts, "delay", after, "err", err)
		}
		s.met.sinks.WithLabelValues(name, rec.Status).Inc()
		if perr := bus.PutJSON(ctx, s.bus.Deliveries(), sinkKey(name, d), rec); perr != nil {
			// Without the record a redelivery asks the sink again; each
			// sink makes that harmless (mail keeps its own records per
			// recipient, webhooks and events carry a stable id).
			again = append(again, perr)
			retryAfter(retry.Step(s.cfg.Backoff, 1, DefaultRetryAfter))
		}
	}
	if len(again) > 0 {
		return bus.Retry(errors.Join(again...), wait)
	}
	return nil
}
