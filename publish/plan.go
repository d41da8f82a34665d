package publish

import (
	"context"
	"fmt"
	"net/mail"

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
	subs := s.subs
	if subs == nil {
		var err error
		if subs, err = openSubscribers(ctx, s.bus.Subscribers()); err != nil {
			return p, fmt.Errorf("publish: %w", err)
		}
	}
	all, err := subs.list(ctx)
	if err != nil {
		return p, err
	}
	lang := digestLang(d)
	known := map[string]bool{}
	for _, sub := range all {
		known[sub.ID] = true
	}
	// Seed subscribers new in the config are stored (confirmed) when the
	// stage starts, before it mails: count them as such.
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
		p.Subscribers++
		var prev Delivery
		ok, err := bus.GetJSON(ctx, s.bus.Deliveries(), deliveryKey(d.ID, sub.ID), &prev)
		if err != nil {
			return p, err
		}
		again := !ok || prev.Status == mailDeferred || prev.Status == mailSending && s.cfg.Email.InDoubt == InDoubtResend
		if !again {
			p.Already++
		} else if len(d.Stories) > 0 {
			p.To++
		}
	}
	return p, nil
}
