package publish

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/publish/mailer"
	"github.com/newsdesk/newsdesk/publish/render"
)

// Delivery is one record in the deliveries bucket: what came of mailing
// one digest to one subscriber.
type Delivery struct {
	DigestID     string    `json:"digest_id"`
	SubscriberID string    `json:"subscriber_id"`
	Status       string    `json:"status"` // "sent" or "bounced"
	MessageID    string    `json:"message_id,omitempty"`
	At           time.Time `json:"at"`
	Detail       string    `json:"detail,omitempty"`
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
	deliveries jetstream.KeyValue
	// subs is set by Stage.Init, before the first digest.
	subs *subscribers
}

func (m *mailSink) Name() string { return "mail" }

func (m *mailSink) unsubscribeURL(sub *Subscriber) string {
	return m.url("/unsubscribe?t=" + url.QueryEscape(token(sub.ID, sub.UnsubSecret)))
}

// Deliver sends d to every confirmed subscriber of its language who has
// no delivery record for it yet. A digest without stories ("nothing new
// today") belongs in the feeds and the archive, not in every inbox.
func (m *mailSink) Deliver(ctx context.Context, d news.Digest) error {
	lang := digestLang(d)
	log := m.log.With("digest", d.ID, "lang", lang)
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

	var temp []error
	sent := 0
	for _, sub := range targets {
		key := deliveryKey(d.ID, sub.ID)
		var prev Delivery
		if ok, err := bus.GetJSON(ctx, m.deliveries, key, &prev); err != nil {
			return err
		} else if ok {
			m.met.mails.WithLabelValues("digest", "skipped").Inc()
			continue
		}
		links := render.MailLinks{ArchiveURL: archive, UnsubscribeURL: m.unsubscribeURL(sub)}
		html, err := render.EmailHTML(v, links)
		if err != nil {
			m.met.renderErrors.Inc()
			return bus.Permanent(err)
		}
		msg := mailer.Message{
			From:        m.post.from,
			To:          sub.Email,
			ReplyTo:     m.cfg.Email.ReplyTo,
			Subject:     v.Title,
			Date:        m.now(),
			MessageID:   mailer.NewMessageID(m.post.domain),
			ListID:      m.post.listIDHeader(),
			Unsubscribe: links.UnsubscribeURL,
			Bulk:        true,
			Text:        render.EmailText(v, links),
			HTML:        html,
		}
		err = m.post.send(ctx, sender, msg)
		switch {
		case err == nil:
			sent++
			m.met.mails.WithLabelValues("digest", "sent").Inc()
			if perr := bus.PutJSON(ctx, m.deliveries, key, Delivery{DigestID: d.ID, SubscriberID: sub.ID, Status: "sent", MessageID: msg.MessageID, At: m.now().UTC()}); perr != nil {
				// The mail went out; without the record a redelivery would
				// repeat it. Fail the digest so the gap is visible.
				return perr
			}
		case mailer.IsPermanent(err):
			m.met.mails.WithLabelValues("digest", "bounced").Inc()
			log.Warn("recipient refused permanently; marking bounced", "subscriber", sub.ID, "err", err)
			if berr := m.markBounced(ctx, sub.ID, err.Error()); berr != nil {
				return berr
			}
			if perr := bus.PutJSON(ctx, m.deliveries, key, Delivery{DigestID: d.ID, SubscriberID: sub.ID, Status: "bounced", At: m.now().UTC(), Detail: truncate(err.Error(), 300)}); perr != nil {
				return perr
			}
		case errors.Is(err, errCompose):
			// One bad record must not hold up everyone else's digest.
			m.met.mails.WithLabelValues("digest", "failed").Inc()
			log.Error("cannot compose mail; skipping subscriber", "subscriber", sub.ID, "err", err)
		case ctx.Err() != nil:
			return ctx.Err()
		default:
			m.met.mails.WithLabelValues("digest", "retry").Inc()
			log.Warn("send failed; will retry", "subscriber", sub.ID, "err", err)
			temp = append(temp, err)
			var re *mailer.RecipientError
			if !errors.As(err, &re) {
				// The relay itself is failing: stop hammering it.
				return bus.Retry(fmt.Errorf("publish: mailing %s: %w", d.ID, err), m.cfg.Email.RetryAfter)
			}
		}
	}
	log.Info("digest mailed", "sent", sent, "retry", len(temp), "targets", len(targets))
	if len(temp) > 0 {
		return bus.Retry(fmt.Errorf("publish: %d recipients of %s deferred: %w", len(temp), d.ID, errors.Join(temp...)), m.cfg.Email.RetryAfter)
	}
	return nil
}

func (m *mailSink) markBounced(ctx context.Context, id, reason string) error {
	_, err := m.subs.update(ctx, id, func(cur *Subscriber) (*Subscriber, error) {
		if cur == nil {
			return nil, nil
		}
		next := *cur
		next.Status = StatusBounced
		next.BouncedAt = m.now().UTC()
		next.BounceReason = truncate(reason, 300)
		next.UpdatedAt = next.BouncedAt
		return &next, nil
	})
	if err == nil {
		m.met.subscriptions.WithLabelValues("bounce").Inc()
	}
	return err
}
