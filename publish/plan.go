package publish

import (
	"context"
	"fmt"
	"net"
	"net/mail"
	"strconv"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/news"
)

// MailPlan is whom Deliver would mail a digest to, as the subscriber store
// says now.
type MailPlan struct {
	// Subscribers are the confirmed subscribers of the digest's language.
	Subscribers int
	// To are those of them with no delivery record for the digest's id,
	// or one whose send is to be tried again: they get it.
	To int
	// Already have a record (an earlier revision reached them, bounced, or
	// a send to them is in doubt): they get nothing.
	Already int
}

// PlanMail says whom Deliver would mail d to, without sending or writing
// anything (recompose shows it before it publishes). A digest without
// stories is mailed to nobody.
func (s *Stage) PlanMail(ctx context.Context, d news.Digest) (MailPlan, error) {
	var p MailPlan
	err := s.eachRecipient(ctx, d, func(prev Delivery, ok bool) {
		p.Subscribers++
		again := !ok || prev.Status == mailDeferred || prev.Status == mailSending && s.cfg.Email.InDoubt == InDoubtResend
		if !again {
			p.Already++
		} else if len(d.Stories) > 0 {
			p.To++
		}
	})
	return p, err
}

// MailCount is how far a digest has reached its subscribers.
type MailCount struct {
	// Subscribers are the confirmed subscribers of the digest's language.
	Subscribers int
	// Sent are those of them it was sent to (this revision or an earlier
	// one: nobody gets a second).
	Sent int
	// Earlier are those of Sent who got an earlier revision of the slot.
	Earlier int
}

// Mailed counts the confirmed subscribers of d's language and those d
// was sent to, from the delivery records (run --once reports it).
func (s *Stage) Mailed(ctx context.Context, d news.Digest) (MailCount, error) {
	var c MailCount
	err := s.eachRecipient(ctx, d, func(prev Delivery, ok bool) {
		c.Subscribers++
		if ok && prev.Status == mailSent {
			c.Sent++
			if max(prev.Revision, 1) < max(d.Revision, 1) {
				c.Earlier++
			}
		}
	})
	return c, err
}

// Via says where mail goes: "SMTP host:port" or "the outbox DIR".
func (s *Stage) Via() string {
	if e := s.cfg.Email; e.SMTPHost != "" {
		return "SMTP " + net.JoinHostPort(e.SMTPHost, strconv.Itoa(e.SMTPPort))
	}
	return "the outbox " + s.cfg.Email.OutboxDir
}

// eachRecipient calls fn for each confirmed subscriber of d's language
// (counting seed subscribers new in the config, which the stage stores
// as confirmed when it starts, before it mails) with its delivery record
// for d's id, if any.
func (s *Stage) eachRecipient(ctx context.Context, d news.Digest, fn func(prev Delivery, ok bool)) error {
	subs := s.subs
	if subs == nil {
		var err error
		if subs, err = openSubscribers(ctx, s.bus.Subscribers()); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
	}
	all, err := subs.list(ctx)
	if err != nil {
		return err
	}
	lang := digestLang(d)
	known := map[string]bool{}
	for _, sub := range all {
		known[sub.ID] = true
	}
	for _, ss := range s.cfg.Email.Subscribers {
		a, err := mail.ParseAddress(ss.Email)
		if err != nil {
			continue
		}
		if id := subs.idFor(a.Address); !known[id] {
			known[id] = true
			all = append(all, &Subscriber{ID: id, Status: StatusConfirmed, Languages: s.cleanLangs(ss.Languages)})
		}
	}
	for _, sub := range all {
		if !sub.wants(lang) {
			continue
		}
		var prev Delivery
		ok, err := bus.GetJSON(ctx, s.bus.Deliveries(), deliveryKey(d.ID, sub.ID), &prev)
		if err != nil {
			return err
		}
		fn(prev, ok)
	}
	return nil
}
