package publish

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/publish/mailer"
	"github.com/newsdesk/newsdesk/publish/render"
)

// Delivery is one record in the deliveries bucket.
type Delivery struct {
	DigestID     string    `json:"digest_id"`
	SubscriberID string    `json:"subscriber_id"`
	Status       string    `json:"status"` // "sent" or "bounced"
	MessageID    string    `json:"message_id,omitempty"`
	At           time.Time `json:"at"`
	Detail       string    `json:"detail,omitempty"`
}

// deliveryKey is "d.<hash of digest id>.<subscriber id>"; digest ids carry
// characters KV keys do not allow.
func deliveryKey(digestID, subID string) string {
	sum := sha256.Sum256([]byte(digestID))
	return "d." + hex.EncodeToString(sum[:16]) + "." + subID
}

func (s *Stage) unsubscribeURL(sub *Subscriber) string {
	return s.url("/unsubscribe?t=" + url.QueryEscape(token(sub.ID, sub.UnsubSecret)))
}

// mailDigest sends d to every confirmed subscriber of its language who has
// no delivery record for it yet.
func (s *Stage) mailDigest(ctx context.Context, log *slog.Logger, d news.Digest) error {
	lang := digestLang(d)
	all, err := s.subs.list(ctx)
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
	v := render.Build(d, s.cfg.Limits, s.lang(lang))
	archive := s.url(digestPath(lang, slug(d)))
	sender, err := s.sender()
	if err != nil {
		return fmt.Errorf("publish: mail sender: %w", err)
	}
	defer sender.Close()

	var temp []error
	sent := 0
	for _, sub := range targets {
		key := deliveryKey(d.ID, sub.ID)
		var prev Delivery
		if ok, err := bus.GetJSON(ctx, s.bus.Deliveries, key, &prev); err != nil {
			return err
		} else if ok {
			s.met.mails.WithLabelValues("digest", "skipped").Inc()
			continue
		}
		links := render.MailLinks{ArchiveURL: archive, UnsubscribeURL: s.unsubscribeURL(sub)}
		html, err := render.EmailHTML(v, links)
		if err != nil {
			s.met.renderErrors.Inc()
			return bus.Permanent(err)
		}
		msg := mailer.Message{
			From:        s.from,
			To:          sub.Email,
			ReplyTo:     s.cfg.Email.ReplyTo,
			Subject:     v.Title,
			Date:        s.now(),
			MessageID:   mailer.NewMessageID(s.domain),
			ListID:      s.listIDHeader(),
			Unsubscribe: links.UnsubscribeURL,
			Bulk:        true,
			Text:        render.EmailText(v, links),
			HTML:        html,
		}
		err = s.send(ctx, sender, msg)
		switch {
		case err == nil:
			sent++
			s.met.mails.WithLabelValues("digest", "sent").Inc()
			if perr := bus.PutJSON(ctx, s.bus.Deliveries, key, Delivery{DigestID: d.ID, SubscriberID: sub.ID, Status: "sent", MessageID: msg.MessageID, At: s.now().UTC()}); perr != nil {
				// The mail went out; without the record a redelivery would
				// repeat it. Fail the digest so the gap is visible.
				return perr
			}
		case mailer.IsPermanent(err):
			s.met.mails.WithLabelValues("digest", "bounced").Inc()
			log.Warn("recipient refused permanently; marking bounced", "subscriber", sub.ID, "err", err)
			if berr := s.markBounced(ctx, sub.ID, err.Error()); berr != nil {
				return berr
			}
			if perr := bus.PutJSON(ctx, s.bus.Deliveries, key, Delivery{DigestID: d.ID, SubscriberID: sub.ID, Status: "bounced", At: s.now().UTC(), Detail: truncate(err.Error(), 300)}); perr != nil {
				return perr
			}
		case errors.Is(err, errCompose):
			// One bad record must not hold up everyone else's digest.
			s.met.mails.WithLabelValues("digest", "failed").Inc()
			log.Error("cannot compose mail; skipping subscriber", "subscriber", sub.ID, "err", err)
		case ctx.Err() != nil:
			return ctx.Err()
		default:
			s.met.mails.WithLabelValues("digest", "retry").Inc()
			log.Warn("send failed; will retry", "subscriber", sub.ID, "err", err)
			temp = append(temp, err)
			var re *mailer.RecipientError
			if !errors.As(err, &re) {
				// The relay itself is failing: stop hammering it.
				return bus.Retry(fmt.Errorf("publish: mailing %s: %w", d.ID, err), s.cfg.Email.RetryAfter)
			}
		}
	}
	log.Info("digest mailed", "sent", sent, "retry", len(temp), "targets", len(targets))
	if len(temp) > 0 {
		return bus.Retry(fmt.Errorf("publish: %d recipients of %s deferred: %w", len(temp), d.ID, errors.Join(temp...)), s.cfg.Email.RetryAfter)
	}
	return nil
}

// errCompose marks a message that could not be built or signed: a fault
// of that one message, not of the relay or the digest.
var errCompose = errors.New("composing mail")

// send composes, signs and sends one message under the rate limit.
func (s *Stage) send(ctx context.Context, sender mailer.Sender, m mailer.Message) error {
	raw, err := mailer.Build(m)
	if err != nil {
		return fmt.Errorf("%w: %w", errCompose, err)
	}
	if raw, err = s.dkim.Sign(raw); err != nil {
		return fmt.Errorf("%w: %w", errCompose, err)
	}
	if err := s.limiter.Wait(ctx); err != nil {
		return err
	}
	sctx, cancel := context.WithTimeout(ctx, s.cfg.Email.SendTimeout)
	defer cancel()
	return sender.Send(sctx, s.from.Address, m.To, raw)
}

// listIDHeader is the List-Id value: "<list_id>" (ASCII by validation).
func (s *Stage) listIDHeader() string { return "<" + s.listID + ">" }

func (s *Stage) markBounced(ctx context.Context, id, reason string) error {
	_, err := s.subs.update(ctx, id, func(cur *Subscriber) (*Subscriber, error) {
		if cur == nil {
			return nil, nil
		}
		next := *cur
		next.Status = StatusBounced
		next.BouncedAt = s.now().UTC()
		next.BounceReason = truncate(reason, 300)
		next.UpdatedAt = next.BouncedAt
		return &next, nil
	})
	if err == nil {
		s.met.subscriptions.WithLabelValues("bounce").Inc()
	}
	return err
}

// sendConfirmation mails the double opt-in link. The mail carries no
// advertising at all (LG Stendal 22 S 87/20): only the request, the link
// and what happens if the recipient ignores it.
func (s *Stage) sendConfirmation(ctx context.Context, sub *Subscriber) error {
	link := s.url("/confirm?t=" + url.QueryEscape(token(sub.ID, sub.ConfirmSecret)))
	hours := int(s.cfg.Subscriptions.ConfirmTTL.Round(time.Hour) / time.Hour)
	var names []string
	for _, l := range sub.Languages {
		names = append(names, s.langName(l))
	}
	langs := strings.Join(names, ", ")
	// The mail speaks every site language: the subscriber's choice of
	// language is what the link confirms.
	var b strings.Builder
	b.WriteString(s.each("mail.confirm.heading") + "\n\n")
	for _, code := range s.siteLangs() {
		b.WriteString(s.lang(code).T("mail.confirm.request", "title", s.siteTitle(code), "languages", langs, "n", hours) + "\n\n")
	}
	b.WriteString(link + "\n\n")
	b.WriteString(s.each("mail.confirm.ignore") + "\n")
	text := b.String()
	m := mailer.Message{
		From:      s.from,
		To:        sub.Email,
		ReplyTo:   s.cfg.Email.ReplyTo,
		Subject:   s.each("mail.confirm.subject"),
		Date:      s.now(),
		MessageID: mailer.NewMessageID(s.domain),
		Text:      text,
	}
	sender, err := s.sender()
	if err != nil {
		return err
	}
	defer sender.Close()
	err = s.send(ctx, sender, m)
	result := "sent"
	if err != nil {
		result = "failed"
	}
	s.met.mails.WithLabelValues("confirm", result).Inc()
	return err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
