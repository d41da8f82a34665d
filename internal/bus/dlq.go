package bus

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// DeadLetter is one message on the DLQ stream.
type DeadLetter struct {
	// Seq is its sequence on DLQ: what Replay takes.
	Seq   uint64
	Stage string
	// Subject is where it was consumed from and where Replay sends it.
	Subject string
	// Stream and StreamSeq say where the original was stored.
	Stream    string
	StreamSeq uint64
	Delivered uint64
	Error     string
	At        time.Time
	// MsgID is the original's message id (replays get their own).
	MsgID string
	Data  []byte
}

// DeadLetters lists the dead letters of stage ("": every stage), oldest
// first.
func (b *Bus) DeadLetters(ctx context.Context, stage string) ([]DeadLetter, error) {
	subject := SubjectDLQ
	if stage != "" {
		subject = DLQSubject(stage)
	}
	var out []DeadLetter
	err := b.ReadSince(ctx, StreamDLQ, subject, time.Time{}, func(m jetstream.Msg) error {
		md, err := m.Metadata()
		if err != nil {
			return fmt.Errorf("bus: dead letter metadata: %w", err)
		}
		out = append(out, deadLetter(md.Sequence.Stream, md.Timestamp, m.Headers(), m.Data()))
		return nil
	})
	return out, err
}

func deadLetter(seq uint64, at time.Time, h nats.Header, data []byte) DeadLetter {
	d := DeadLetter{
		Seq: seq, At: at, Data: data,
		Stage: h.Get(HeaderStage), Subject: h.Get(HeaderSubject), Stream: h.Get(HeaderStream),
		Error: h.Get(HeaderError), MsgID: h.Get(HeaderMsgID),
	}
	d.StreamSeq, _ = strconv.ParseUint(h.Get(HeaderSeq), 10, 64)
	d.Delivered, _ = strconv.ParseUint(h.Get(HeaderDelivered), 10, 64)
	return d
}

// ErrNotReplayable: a dead letter that does not say where it came from.
var ErrNotReplayable = errors.New("dead letter does not name its subject")

// Replay sends the dead letter with sequence seq back to the subject it was
// consumed from, so its stage's consumer handles it again, and then
// deletes it from DLQ. The copy gets the message id "replay:<seq>:<original
// id>": a replay the server saw within the duplicate window is not stored
// twice, and the original's id (inside the window too) does not swallow it.
// It returns the dead letter as it was.
func (b *Bus) Replay(ctx context.Context, seq uint64) (DeadLetter, error) {
	s, err := b.js.Stream(ctx, StreamDLQ)
	if err != nil {
		return DeadLetter{}, fmt.Errorf("bus: stream %s: %w", StreamDLQ, err)
	}
	raw, err := s.GetMsg(ctx, seq)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return DeadLetter{}, fmt.Errorf("bus: dead letter %d: %w", seq, ErrNotFound)
	}
	if err != nil {
		return DeadLetter{}, fmt.Errorf("bus: dead letter %d: %w", seq, err)
	}
	d := deadLetter(raw.Sequence, raw.Time, raw.Header, raw.Data)
	if d.Subject == "" || strings.ContainsAny(d.Subject, "*>") {
		return d, fmt.Errorf("bus: dead letter %d: %w", seq, ErrNotReplayable)
	}
	m := nats.NewMsg(d.Subject)
	m.Data = raw.Data
	for k, v := range raw.Header {
		switch k {
		case HeaderError, HeaderStage, HeaderSubject, HeaderStream, HeaderSeq, HeaderDelivered, HeaderMsgID:
		default:
			if !strings.HasPrefix(k, "Nats-") {
				m.Header[k] = v
			}
		}
	}
	m.Header.Set(HeaderReplayOf, strconv.FormatUint(seq, 10))
	if _, err := b.js.PublishMsg(ctx, m, jetstream.WithMsgID("replay:"+strconv.FormatUint(seq, 10)+":"+d.MsgID)); err != nil {
		return d, fmt.Errorf("bus: replaying dead letter %d to %s: %w", seq, d.Subject, err)
	}
	if err := s.DeleteMsg(ctx, seq); err != nil && !errors.Is(err, jetstream.ErrMsgNotFound) {
		return d, fmt.Errorf("bus: replayed dead letter %d, but deleting it failed (replaying it again is dropped as a duplicate within the duplicate window): %w", seq, err)
	}
	return d, nil
}
