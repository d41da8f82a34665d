package publish

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/clip"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/publish/mailer"
	"github.com/newsdesk/newsdesk/publish/render"
)

// Delivery record states of one (digest, subscriber).
const (
	// mailSending is the intent, written before the send and replaced by
	// its outcome. Found later, it means the outcome was never recorded
	// (the process died, or NATS was away, in between): the send is in
	// doubt.
	mailSending = "sending"
	mailSent    = "sent"
	mailBounced = "bounced"
	// mailDeferred: not delivered (a 4xx, a failing relay); the next
	// delivery of the digest sends it.
	mailDeferred = "deferred"
	// mailInDoubt: the outcome is unknown and, under in_doubt: skip,
	// final.
	mailInDoubt = "in_doubt"
)

// Delivery is one record in the deliveries bucket: what came of mailing
// one digest to one subscriber.
type Delivery struct {
	DigestID     string `json:"digest_id"`
	SubscriberID string `json:"subscriber_id"`
	Status       string `json:"status"`
	MessageID    string `json:"message_id,omitempty"`
	// Revision is the digest revision sent (records written before it
	// existed have 0: the first).
	Revision int       `json:"revision,omitempty"`
	Attempts int       `json:"attempts,omitempty"`
	At       time.Time `json:"at"`
	Detail   string    `json:"detail,omitempty"`
}

// deliveryKey is "d.<hash of digest id>.<subscriber id>"; digest ids carry
// characters KV keys do not allow. It is keyed by the digest's id, not its
// revision: a subscriber who had one revision of a slot gets no other.
func deliveryKey(digestID, subID string) string {
	sum := sha256.Sum256([]byte(digestID))
	return "d." + hex.EncodeToString(sum[:16]) + "." + subID
}

// mailSink mails each digest with stories to the confirmed subscribers of
// its language, one message per recipient, and keeps a Delivery record per
// (digest, subscriber), so that nobody gets a digest twice.
type mailSink struct {
	*shared
	post       *postman
	deliveries *bus.KV
	// subs is set by Stage.Init, before the first digest.
	subs *subscribers
}

func (m *mailSink) Name() string { return "mail" }

func (m *mailSink) unsubscribeURL(sub *Subscriber) string {
	return m.url("/unsubscribe?t=" + url.QueryEscape(token(sub.ID, sub.UnsubSecret)))
}

// Deliver sends d to every confirmed subscriber of its language who has
// not had it. A digest without stories ("nothing new today") belongs in
// the feeds and the archive, not in every inbox.
//
// Every send is framed by records: the intent (with the Message-ID) is
// written before the send, and nothing is sent without it; the outcome
// replaces it after. A send without a recorded outcome, or one the relay
// never answered, is in doubt and is decided by email.in_doubt: skip (not
// sent again, counted) or resend (sent again with the same Message-ID).
func (m *mailSink) Deliver(ctx context.Context, d news.Digest) error {
	lang := digestLang(d)
	log := m.log.With("digest_id", d.ID, "lang", lang)
	if len(d.Stories) == 0 {
		log.Info("digest has no stories; not mailing")
		return nil
	}
	all, err := m.subs.list(ctx)
	if err != nil {
		return err
	}
	var targets []*Subscriber
	for _, sub := range all {
		if sub.wants(lang) {
			targets = append(targets, sub)
		}
	}
	if len(targets) == 0 {
		return nil
	}
	v := render.Build(d, m.cfg.Limits, m.lang(lang))
	archive := m.url(digestPath(lang, slug(d)))
	sender, err := m.post.open()
	if err != nil {
		return fmt.Errorf("publish: mail sender: %w", err)
	}
	defer sender.Close()

	var deferred []error
	sent := 0
	for _, sub := range targets {
		key := deliveryKey(d.ID, sub.ID)
		prev, rev, err := m.record(ctx, key)
		if err != nil {
			return err
		}
		msgID := mailer.NewMessageID(m.post.domain)
		if prev != nil {
			switch {
			case prev.Status == mailSending && m.cfg.Email.InDoubt == InDoubtSkip:
				m.met.mails.WithLabelValues("digest", "in_doubt").Inc()
				log.Warn("a send of this digest was never recorded as done; in doubt, not sending again (email.in_doubt: skip)", "subscriber_id", sub.ID, "message_id", prev.MessageID)
				next := *prev
				next.Status, next.At = mailInDoubt, m.now().UTC()
				if err := m.settle(ctx, key, next); err != nil {
					return err
				}
				continue
			case prev.Status == mailSending, prev.Status == mailDeferred:
				// Send (again), under the same Message-ID, so a mail
				// client can tell a repeat.
				msgID = cmp.Or(prev.MessageID, msgID)
			default:
				m.met.mails.WithLabelValues("digest", "skipped").Inc()
				continue
			}
		}
		links := render.MailLinks{ArchiveURL: archive, UnsubscribeURL: m.unsubscribeURL(sub), Legal: m.legalLinks(lang)}
		html, err := render.EmailHTML(v, links)
		if err != nil {
			m.met.renderErrors.Inc()
			return bus.Permanent(err)
		}
		raw, err := m.post.compose(mailer.Message{
			From:        m.post.from,
			To:          sub.Email,
			ReplyTo:     m.cfg.Email.ReplyTo,
			Subject:     v.Title,
			Date:        m.now(),
			MessageID:   msgID,
			ListID:      m.post.listIDHeader(),
			Unsubscribe: links.UnsubscribeURL,
			Bulk:        true,
			Language:    lang,
			Text:        render.EmailText(v, links),
			HTML:        html,
		})
		if err != nil {
			// One bad record must not hold up everyone else's digest.
			m.met.mails.WithLabelValues("digest", "failed").Inc()
			log.Error("cannot compose mail; skipping subscriber", "subscriber_id", sub.ID, "err", redact(err, sub.Email))
			continue
		}
		intent := Delivery{DigestID: d.ID, SubscriberID: sub.ID, Status: mailSending, MessageID: msgID, Revision: max(d.Revision, 1), At: m.now().UTC()}
		if prev != nil {
			intent.Attempts = prev.Attempts
		}
		intent.Attempts++
		if err := m.claim(ctx, key, intent, rev); err != nil {
			if bus.IsConflict(err) {
				continue // another replica is mailing this subscriber
			}
			return err // no send without its intent on record
		}
		err = m.post.transmit(ctx, sender, sub.Email, raw)
		// Relays quote the recipient in their answers; what is logged or
		// returned as the digest's verdict (which the consumer logs) must
		// not name anyone.
		said := errors.New(redact(err, sub.Email))
		out := intent
		out.At = m.now().UTC()
		switch {
		case err == nil:
			out.Status = mailSent
			sent++
			m.met.mails.WithLabelValues("digest", "sent").Inc()
		case mailer.IsPermanent(err):
			out.Status, out.Detail = mailBounced, clip.Bytes(said.Error(), 300)
			m.met.mails.WithLabelValues("digest", "bounced").Inc()
			log.Warn("recipient refused permanently; marking bounced", "subscriber_id", sub.ID, "err", said)
			if berr := m.markBounced(ctx, sub.ID, said.Error()); berr != nil {
				return berr
			}
		case mailer.IsInDoubt(err):
			out.Status, out.Detail = mailInDoubt, clip.Bytes(said.Error(), 300)
			m.met.mails.WithLabelValues("digest", "in_doubt").Inc()
			if m.cfg.Email.InDoubt == InDoubtResend {
				out.Status = mailDeferred
				deferred = append(deferred, said)
			}
			log.Warn("relay took the message but did not answer; in doubt", "subscriber_id", sub.ID, "message_id", msgID, "in_doubt", m.cfg.Email.InDoubt, "err", said)
		default:
			out.Status, out.Detail = mailDeferred, clip.Bytes(said.Error(), 300)
			m.met.mails.WithLabelValues("digest", "retry").Inc()
			log.Warn("send failed; will retry", "subscriber_id", sub.ID, "err", said)
			deferred = append(deferred, said)
		}
		if err := m.settle(ctx, key, out); err != nil {
			// The intent stays on record: the next delivery takes this
			// send for in doubt rather than repeat it blindly.
			log.Error("the outcome of a send could not be recorded", "subscriber_id", sub.ID, "status", out.Status, "err", err)
			return err
		}
		var re *mailer.RecipientError
		if out.Status == mailDeferred && !errors.As(err, &re) && !mailer.IsInDoubt(err) {
			// The relay itself is failing (or we are stopping): do not
			// hammer it with the remaining recipients.
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return bus.Retry(fmt.Errorf("publish: mailing %s: %w", d.ID, said), m.cfg.Email.RetryAfter)
		}
	}
	log.Info("digest mailed", "sent", sent, "deferred", len(deferred), "targets", len(targets))
	if len(deferred) > 0 {
		return bus.Retry(fmt.Errorf("publish: %d recipients of %s deferred: %w", len(deferred), d.ID, errors.Join(deferred...)), m.cfg.Email.RetryAfter)
	}
	return nil
}

// record reads the delivery record under key and its revision; nil and 0
// when there is none.
func (m *mailSink) record(ctx context.Context, key string) (*Delivery, uint64, error) {
	e, err := m.deliveries.Get(ctx, key)
	if errors.Is(err, bus.ErrNotFound) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("publish: reading delivery record: %w", err)
	}
	var rec Delivery
	if err := json.Unmarshal(e.Value, &rec); err != nil {
		return nil, 0, fmt.Errorf("publish: decoding delivery record %s: %w", key, err)
	}
	return &rec, e.Revision, nil
}

// claim writes the intent under compare-and-set: it creates the record,
// or replaces revision rev of it.
func (m *mailSink) claim(ctx context.Context, key string, rec Delivery, rev uint64) error {
	data, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("publish: encoding delivery record: %w", err)
	}
	_, err = m.deliveries.Update(ctx, key, data, rev)
	if err != nil && !errors.Is(err, bus.ErrConflict) {
		err = fmt.Errorf("publish: writing delivery intent: %w", err)
	}
	return err
}

// Settling an outcome: it is written even when the stage is stopping (the
// send happened), tried a few times over a short NATS hiccup. The pause
// between attempts is on the stage's clock; the timeouts, one per attempt
// and one for the whole, are on the wall clock, so a fake clock cannot
// hold a write forever.
//
// Each attempt has its own bound: a request written in the moment before
// the client noticed the server was gone waits for a reply that never
// comes, until its context ends. With one bound for all attempts, that
// attempt spent the whole budget and no other was made (a CI run of
// TestNATSGoneMidMailing).
const (
	settleAttempts       = 3
	settlePause          = 250 * time.Millisecond
	settleAttemptTimeout = 5 * time.Second
)

// settle writes a send's outcome over its intent.
func (m *mailSink) settle(ctx context.Context, key string, rec Delivery) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), settleAttempts*(settleAttemptTimeout+settlePause))
	defer cancel()
	var err error
	for i := range settleAttempts {
		if i > 0 {
			select {
			case <-ctx.Done():
				return fmt.Errorf("publish: recording delivery: %w", err)
			case <-m.clock.After(settlePause):
			}
		}
		actx, cancel := context.WithTimeout(ctx, settleAttemptTimeout)
		err = bus.PutJSON(actx, m.deliveries, key, rec)
		cancel()
		if err == nil {
			return nil
		}
	}
	return fmt.Errorf("publish: recording delivery: %w", err)
}

func (m *mailSink) markBounced(ctx context.Context, id, reason string) error {
	_, err := m.subs.update(ctx, id, func(cur *Subscriber) (*Subscriber, error) {
		if cur == nil {
			return nil, nil
		}
		next := *cur
		next.Status = StatusBounced
		next.BouncedAt = m.now().UTC()
		next.BounceReason = clip.Bytes(reason, 300)
		next.UpdatedAt = next.BouncedAt
		return &next, nil
	})
	if err == nil {
		m.met.subscriptions.WithLabelValues("bounce").Inc()
	}
	return err
}
