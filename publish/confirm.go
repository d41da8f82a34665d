package publish

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/publish/mailer"
)

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
	m := mailer.Message{
		From:      s.post.from,
		To:        sub.Email,
		ReplyTo:   s.cfg.Email.ReplyTo,
		Subject:   s.each("mail.confirm.subject"),
		Date:      s.now(),
		MessageID: mailer.NewMessageID(s.post.domain),
		Text:      b.String(),
	}
	sender, err := s.post.open()
	if err != nil {
		return err
	}
	defer sender.Close()
	err = s.post.send(ctx, sender, m)
	result := "sent"
	if err != nil {
		result = "failed"
	}
	s.met.mails.WithLabelValues("confirm", result).Inc()
	return err
}
