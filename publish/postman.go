package publish

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"os"

	"golang.org/x/time/rate"

	"github.com/newsdesk/newsdesk/publish/mailer"
)

// postman composes, signs and sends mail for the stage: digests and
// confirmation requests alike.
type postman struct {
	*shared
	from   *mail.Address
	domain string
	listID string
	dkim   *mailer.DKIM
	// limiter holds sends to an SMTP relay to email.rate_per_second.
	limiter *rate.Limiter
	// open starts a mail session: SMTP per config, or the outbox.
	open func() (mailer.Sender, error)
}

func newPostman(sh *shared) (*postman, error) {
	e := sh.cfg.Email
	p := &postman{shared: sh, listID: e.ListID}
	p.from, _ = mail.ParseAddress(e.From) // checked by Validate
	p.domain = mailer.DomainOf(p.from.Address)
	if p.listID == "" {
		p.listID = "digest." + p.domain
	}
	if d := e.DKIM; d.Domain != "" {
		var err error
		if p.dkim, err = mailer.LoadDKIM(d.Domain, d.Selector, d.KeyFile); err != nil {
			return nil, fmt.Errorf("publish: %w", err)
		}
	}
	p.limiter = rate.NewLimiter(rate.Limit(e.RatePerSecond), 1)
	p.open = p.defaultSender
	return p, nil
}

func (p *postman) defaultSender() (mailer.Sender, error) {
	e := p.cfg.Email
	if e.SMTPHost == "" {
		return &mailer.Outbox{Dir: e.OutboxDir, Now: p.clock.Now}, nil
	}
	return mailer.NewSMTP(smtpConfig(e))
}

// smtpConfig is the relay session e describes, with the password from
// its environment variable.
func smtpConfig(e EmailConfig) mailer.SMTPConfig {
	return mailer.SMTPConfig{
		Host:        e.SMTPHost,
		Port:        e.SMTPPort,
		TLS:         e.TLS,
		Username:    e.SMTPUsername,
		Password:    os.Getenv(e.SMTPPasswordEnv),
		Timeout:     e.SendTimeout,
		DataTimeout: e.DataTimeout,
	}
}

// ProbeSMTP connects to the relay e names as a send does and quits
// without sending (newsdesk check --connect). It says what it reached:
// "" when mail goes to the outbox (no smtp_host).
func ProbeSMTP(ctx context.Context, e EmailConfig) (string, error) {
	if e.SMTPHost == "" {
		return "", nil
	}
	s, err := mailer.NewSMTP(smtpConfig(e))
	if err != nil {
		return "", err
	}
	where := fmt.Sprintf("%s:%d (tls %s", e.SMTPHost, e.SMTPPort, e.TLS)
	if e.SMTPUsername != "" {
		where += ", login as " + e.SMTPUsername
	}
	where += ")"
	return where, s.Probe(ctx)
}

// listIDHeader is the List-Id value: "<list_id>" (ASCII by validation).
func (p *postman) listIDHeader() string { return "<" + p.listID + ">" }

// errCompose marks a message that could not be built or signed: a fault
// of that one message, not of the relay or the digest.
var errCompose = errors.New("composing mail")

// compose renders and signs m; an error is the message's own fault
// (errCompose).
func (p *postman) compose(m mailer.Message) ([]byte, error) {
	raw, err := mailer.Build(m)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errCompose, err)
	}
	if raw, err = p.dkim.Sign(raw); err != nil {
		return nil, fmt.Errorf("%w: %w", errCompose, err)
	}
	return raw, nil
}

// transmit hands composed bytes to the sender. Sends to an SMTP relay
// keep to the rate limit; the outbox is a directory, not a relay, and is
// written at full speed.
func (p *postman) transmit(ctx context.Context, sender mailer.Sender, to string, raw []byte) error {
	if _, outbox := sender.(*mailer.Outbox); !outbox {
		if err := p.limiter.Wait(ctx); err != nil {
			return err
		}
	}
	sctx, cancel := context.WithTimeout(ctx, p.cfg.Email.SendTimeout)
	defer cancel()
	return sender.Send(sctx, p.from.Address, to, raw)
}

// send composes m and transmits it.
func (p *postman) send(ctx context.Context, sender mailer.Sender, m mailer.Message) error {
	raw, err := p.compose(m)
	if err != nil {
		return err
	}
	return p.transmit(ctx, sender, m.To, raw)
}
