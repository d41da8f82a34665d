package publish

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/text/language"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/publish/mailer"
)

// The form does not mail anyone itself: it queues a request on the SIGNUPS
// stream and answers at once, the same answer after the same work (check
// the form, count the client, queue one message) whether the address is
// new, pending or confirmed, and whether the SMTP relay is up. A consumer
// then decides what the request calls for and sends the mail, trying
// again (email.retry_after apart, subscriptions.confirm_attempts times)
// while the relay fails; the work queue keeps requests across restarts.

// signupSchema is the version tag of queued requests.
const signupSchema = "newsdesk.signup/v1"

// What a queued request asks for.
const (
	requestSubscribe = "subscribe"
	// requestUnsubLink asks for a new unsubscribe link, from the page of
	// an invalid one.
	requestUnsubLink = "unsubscribe_link"
)

// signupRequest is one form post, queued on SIGNUPS. It holds an address,
// so the queue keeps it only until it is handled (work queue, at most
// nats.signup_max_age), and it is never dead-lettered.
type signupRequest struct {
	Schema    string    `json:"schema"`
	Kind      string    `json:"kind"`
	Email     string    `json:"email"`
	Languages []string  `json:"languages,omitempty"`
	Lang      string    `json:"lang"`
	IP        string    `json:"ip,omitempty"`
	UserAgent string    `json:"user_agent,omitempty"`
	At        time.Time `json:"at"`
}

// enqueue queues req. Its message id is the address's keyed hash, the kind
// and the minute, so a double click is queued once (duplicate window).
func (s *Stage) enqueue(ctx context.Context, req signupRequest) error {
	req.Schema = signupSchema
	id := "signup." + req.Kind + "." + s.subs.idFor(req.Email) + "." + strconv.FormatInt(req.At.Unix()/60, 10)
	if _, err := s.bus.Publish(ctx, bus.SignupSubject, id, req, map[string]string{bus.HeaderSchema: signupSchema}); err != nil {
		return fmt.Errorf("publish: queueing a %s request: %w", req.Kind, err)
	}
	return nil
}

// SignupConsumerConfig is the durable consumer of the SIGNUPS queue, as
// `newsdesk setup` declares it and Run binds to it.
func SignupConsumerConfig(cfg Config) bus.ConsumerConfig {
	return bus.ConsumerConfig{
		Stream:     bus.StreamSignups,
		Durable:    cfg.Durable + "-signups",
		Subjects:   []string{bus.SubjectSignups},
		Workers:    1,
		AckWait:    cfg.AckWait,
		MaxDeliver: cfg.Subscriptions.ConfirmAttempts + 1,
		Backoff:    cfg.Backoff,
		Stage:      "publish-signups",
	}
}

// handleSignup carries out one queued request. A request that cannot be
// read is dropped (logged without its content); one whose mail cannot go
// out is tried again after email.retry_after, and dropped after
// subscriptions.confirm_attempts, never dead-lettered: the DLQ would keep
// the address for a month.
func (s *Stage) handleSignup(ctx context.Context, msg jetstream.Msg) error {
	var req signupRequest
	if err := json.Unmarshal(msg.Data(), &req); err != nil || req.Schema != signupSchema {
		s.log.Warn("dropping an unreadable subscription request", "subject", msg.Subject())
		return nil
	}
	email, err := parseEmail(req.Email)
	if err != nil {
		s.log.Warn("dropping a subscription request with an invalid address")
		return nil
	}
	req.Email = email
	switch req.Kind {
	case requestSubscribe:
		err = s.signup(ctx, req)
	case requestUnsubLink:
		err = s.mailUnsubLink(ctx, req)
	default:
		s.log.Warn("dropping a subscription request of unknown kind", "kind", req.Kind)
		return nil
	}
	if err == nil {
		return nil
	}
	attempt := 1
	if md, merr := msg.Metadata(); merr == nil {
		attempt = int(md.NumDelivered)
	}
	if attempt >= s.cfg.Subscriptions.ConfirmAttempts {
		s.met.subscriptions.WithLabelValues("dropped").Inc()
		s.log.Error("giving up on a subscription request", "kind", req.Kind, "subscriber_id", s.subs.idFor(email), "attempts", attempt, "err", redact(err, email))
		return nil
	}
	s.log.Warn("subscription request will be tried again", "kind", req.Kind, "subscriber_id", s.subs.idFor(email), "attempt", attempt, "err", redact(err, email))
	return bus.Retry(err, s.cfg.Email.RetryAfter)
}

// signup stores a pending subscription for the request and mails the
// confirmation link, unless the address is confirmed already or was sent
// a link within subscriptions.resend_interval. A request whose mail
// failed is sent when it is tried again, and so is a new request for the
// same address (the person tried again).
func (s *Stage) signup(ctx context.Context, req signupRequest) error {
	now := s.now().UTC()
	langs := s.cleanLangs(req.Languages)
	if len(langs) == 0 {
		return nil // the site no longer offers them
	}
	var mailIt bool
	sub, err := s.subs.update(ctx, s.subs.idFor(req.Email), func(cur *Subscriber) (*Subscriber, error) {
		mailIt = false
		if cur != nil && cur.Status == StatusConfirmed {
			return nil, nil // subscribed already: nothing to do, nothing to say
		}
		if cur != nil && cur.Status == StatusPending {
			if !cur.ConfirmMailedAt.IsZero() && now.Sub(cur.ConfirmMailedAt) < s.cfg.Subscriptions.ResendInterval {
				return nil, nil // a link went out moments ago: no mail bomb
			}
			if cur.ConfirmMailedAt.IsZero() && cur.Consent.RequestedAt.Equal(req.At) && now.Before(cur.ConfirmExpires) {
				mailIt = true // this request again, its mail still owed
				return nil, nil
			}
		}
		next := &Subscriber{
			Email:          req.Email,
			Languages:      langs,
			Lang:           req.Lang,
			Status:         StatusPending,
			UpdatedAt:      now,
			UnsubSecret:    newSecret(),
			ConfirmSecret:  newSecret(),
			ConfirmExpires: now.Add(s.cfg.Subscriptions.ConfirmTTL),
			Consent: Consent{
				Source: ConsentForm, RequestedAt: req.At, RequestIP: req.IP, UserAgent: req.UserAgent,
				TextVersion: s.cfg.Subscriptions.ConsentTextVersion,
			},
		}
		if cur != nil {
			next.History = cur.History
			next.UnsubLinkMailedAt = cur.UnsubLinkMailedAt
		}
		if cur != nil && !cur.Consent.ConfirmedAt.IsZero() {
			// Keep the earlier confirmed consent as proof.
			next.History = append(next.History, cur.Consent)
			if len(next.History) > 20 {
				next.History = next.History[len(next.History)-20:]
			}
		}
		mailIt = true
		return next, nil
	})
	if err != nil || !mailIt {
		return err
	}
	if err := s.sendConfirmation(ctx, sub); err != nil {
		return err
	}
	s.met.subscriptions.WithLabelValues("signup").Inc()
	s.log.Info("signup pending confirmation", "subscriber_id", sub.ID, "languages", sub.Languages)
	_, err = s.subs.update(ctx, sub.ID, func(cur *Subscriber) (*Subscriber, error) {
		if cur == nil || cur.ConfirmSecret != sub.ConfirmSecret {
			return nil, nil
		}
		next := *cur
		next.ConfirmMailedAt = now
		return &next, nil
	})
	if err != nil {
		// The mail is out; without the note a repeat request within the
		// resend interval sends another. Not worth failing for.
		s.log.Warn("noting the confirmation mail", "subscriber_id", sub.ID, "err", err)
	}
	return nil
}

// mailUnsubLink mails a new unsubscribe link to a subscribed address that
// asked for one (its old link was invalid). Addresses that get no
// newsletter get nothing, and the page said the same either way.
func (s *Stage) mailUnsubLink(ctx context.Context, req signupRequest) error {
	now := s.now().UTC()
	var mailIt bool
	sub, err := s.subs.update(ctx, s.subs.idFor(req.Email), func(cur *Subscriber) (*Subscriber, error) {
		mailIt = false
		if cur == nil || cur.Status != StatusConfirmed {
			return nil, nil
		}
		if now.Sub(cur.UnsubLinkMailedAt) < s.cfg.Subscriptions.ResendInterval {
			return nil, nil
		}
		next := *cur
		next.UnsubLinkMailedAt = now
		mailIt = true
		return &next, nil
	})
	if err != nil || !mailIt {
		return err
	}
	code := s.personLang(sub, req.Lang)
	l := s.lang(code)
	link := s.mail.unsubscribeURL(sub)
	text := l.T("mail.unsub.request", "title", s.siteTitle(code)) + "\n\n" + link + "\n\n" + l.T("mail.unsub.ignore") + "\n" + s.legalText(code)
	err = s.sendPersonal(ctx, sub, "unsub_link", mailer.Message{Subject: l.T("mail.unsub.subject"), Language: code, Text: text})
	if err != nil {
		// Let a repeat of this request mail it.
		_, _ = s.subs.update(ctx, sub.ID, func(cur *Subscriber) (*Subscriber, error) {
			if cur == nil || !cur.UnsubLinkMailedAt.Equal(now) {
				return nil, nil
			}
			next := *cur
			next.UnsubLinkMailedAt = time.Time{}
			return &next, nil
		})
	}
	return err
}

// sendConfirmation mails the double opt-in link in the person's language.
// The mail carries no advertising at all (LG Stendal 22 S 87/20): only the
// request, the link and what happens if the recipient ignores it.
func (s *Stage) sendConfirmation(ctx context.Context, sub *Subscriber) error {
	code := s.personLang(sub, "")
	l := s.lang(code)
	link := s.url("/confirm?t=" + url.QueryEscape(token(sub.ID, sub.ConfirmSecret)))
	hours := int(s.cfg.Subscriptions.ConfirmTTL.Round(time.Hour) / time.Hour)
	var names []string
	for _, c := range sub.Languages {
		names = append(names, s.langName(c))
	}
	var b strings.Builder
	b.WriteString(l.T("mail.confirm.heading") + "\n\n")
	b.WriteString(l.T("mail.confirm.request", "title", s.siteTitle(code), "languages", strings.Join(names, ", "), "n", hours) + "\n\n")
	b.WriteString(link + "\n\n")
	b.WriteString(l.T("mail.confirm.ignore") + "\n")
	b.WriteString(s.legalText(code))
	return s.sendPersonal(ctx, sub, "confirm", mailer.Message{Subject: l.T("mail.confirm.subject"), Language: code, Text: b.String()})
}

// sendPersonal sends one mail to one person that is not a digest
// (confirmation, unsubscribe link): no list headers.
func (s *Stage) sendPersonal(ctx context.Context, sub *Subscriber, kind string, m mailer.Message) error {
	m.From, m.To, m.ReplyTo = s.post.from, sub.Email, s.cfg.Email.ReplyTo
	m.Date, m.MessageID = s.now(), mailer.NewMessageID(s.post.domain)
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
	s.met.mails.WithLabelValues(kind, result).Inc()
	return err
}

// personLang is the language to write to sub in: the one they read mails
// in, else the one asked for, else their first language, else the site's
// first.
func (s *Stage) personLang(sub *Subscriber, asked string) string {
	for _, c := range []string{sub.Lang, asked} {
		if _, ok := s.cfg.SiteTitle[c]; ok {
			return c
		}
	}
	if len(sub.Languages) > 0 {
		return sub.Languages[0]
	}
	return s.siteLangs()[0]
}

// browserLang picks, among choices, the language the browser asks for
// first (Accept-Language); without a match the first choice.
func browserLang(r *http.Request, choices []string) string {
	if len(choices) == 0 {
		return ""
	}
	tags := make([]language.Tag, 0, len(choices))
	for _, c := range choices {
		tags = append(tags, language.Make(c))
	}
	asked, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(asked) == 0 {
		return choices[0]
	}
	_, i, conf := language.NewMatcher(tags).Match(asked...)
	if conf == language.No {
		return choices[0]
	}
	return choices[i]
}

// redact takes an address out of an error's text for the log: relays
// quote the recipient in their answers (in any case), and addresses never
// go to logs.
func redact(err error, email string) string {
	if err == nil {
		return ""
	}
	msg := err.Error()
	if email == "" {
		return msg
	}
	var b strings.Builder
	lower, find := strings.ToLower(msg), strings.ToLower(email)
	for {
		i := strings.Index(lower, find)
		if i < 0 {
			b.WriteString(msg)
			return b.String()
		}
		b.WriteString(msg[:i] + "<subscriber>")
		msg, lower = msg[i+len(find):], lower[i+len(find):]
	}
}
