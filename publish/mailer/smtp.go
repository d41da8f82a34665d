package mailer

import (
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// Sender delivers one composed message to one recipient.
type Sender interface {
	Send(ctx context.Context, from, to string, raw []byte) error
	Close() error
}

// TLS modes of an SMTP relay.
const (
	TLSImplicit = "implicit" // TLS from the first byte (port 465), RFC 8314
	TLSStartTLS = "starttls" // mandatory STARTTLS, never opportunistic
	TLSNone     = "none"     // plain text; only for a relay on localhost
)

// SMTPConfig says how to reach the relay.
type SMTPConfig struct {
	Host     string
	Port     int
	TLS      string
	Username string
	Password string
	// Timeout bounds dialling and each command up to the end of the
	// message's data.
	Timeout time.Duration
	// DataTimeout bounds the wait for the relay's answer to the end of
	// the message (RFC 5321, section 4.5.3.2.6, suggests ten minutes).
	// Zero: Timeout.
	DataTimeout time.Duration
	// TLSConfig overrides the TLS client settings (tests use it to trust a
	// test certificate). Nil: system roots, TLS ≥ 1.2, ServerName = Host.
	TLSConfig *tls.Config
}

// ErrInDoubt marks a send whose outcome is unknown: the whole message went
// to the relay, but no answer to its end came back (a timeout, a broken
// connection). The relay may have taken it; sending it again may deliver
// it twice.
var ErrInDoubt = errors.New("smtp: the relay got the message but did not answer")

// IsInDoubt reports whether err is an in-doubt send.
func IsInDoubt(err error) bool { return errors.Is(err, ErrInDoubt) }

// RecipientError is the relay's answer refusing one recipient or message.
type RecipientError struct {
	Code int
	Msg  string
}

func (e *RecipientError) Error() string { return fmt.Sprintf("smtp %d: %s", e.Code, e.Msg) }

// Permanent reports a 5xx answer: the address must not be tried again.
func (e *RecipientError) Permanent() bool { return e.Code >= 500 }

// IsPermanent reports whether err is a permanent refusal of the recipient.
func IsPermanent(err error) bool {
	var re *RecipientError
	return errors.As(err, &re) && re.Permanent()
}

// SMTP is one session with the relay: it dials on first Send, reuses the
// connection for further messages, and drops it after any connection-level
// error so the next Send redials. Close ends the session. Safe for
// concurrent use (sends are serialised).
type SMTP struct {
	cfg    SMTPConfig
	mu     sync.Mutex
	client *gomail.Client
	conn   *smtp.Client
}

// NewSMTP prepares a session; nothing is dialled yet.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	opts := []gomail.Option{gomail.WithPort(cfg.Port), gomail.WithTimeout(cfg.Timeout)}
	switch cfg.TLS {
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case TLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		return nil, fmt.Errorf("smtp: unknown tls mode %q", cfg.TLS)
	}
	tc := cfg.TLSConfig
	if tc == nil {
		tc = &tls.Config{ServerName: cfg.Host, MinVersion: tls.VersionTLS12}
	}
	opts = append(opts, gomail.WithTLSConfig(tc))
	if cfg.Username != "" {
		auth := gomail.SMTPAuthAutoDiscover
		if cfg.TLS == TLSNone {
			// Only reachable for localhost (config validation); go-mail
			// refuses PLAIN without TLS otherwise.
			auth = gomail.SMTPAuthPlainNoEnc
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	}
	c, err := gomail.NewClient(cfg.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("smtp: %w", err)
	}
	return &SMTP{cfg: cfg, client: c}, nil
}

// Send delivers raw verbatim to one recipient.
func (s *SMTP) Send(ctx context.Context, from, to string, raw []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		conn, err := s.client.DialToSMTPClientWithContext(ctx)
		if err != nil {
			return s.dialError(err)
		}
		s.conn = conn
	} else if err := s.conn.Reset(); err != nil {
		// A stale connection: redial once.
		s.drop()
		return s.sendLocked(ctx, from, to, raw, true)
	}
	return s.sendLocked(ctx, from, to, raw, false)
}

func (s *SMTP) sendLocked(ctx context.Context, from, to string, raw []byte, dial bool) error {
	if dial {
		conn, err := s.client.DialToSMTPClientWithContext(ctx)
		if err != nil {
			return s.dialError(err)
		}
		s.conn = conn
	}
	if err := s.conn.UpdateDeadline(s.cfg.Timeout); err != nil {
		s.drop()
		return fmt.Errorf("smtp: %w", err)
	}
	if err := s.conn.Mail("<" + from + ">"); err != nil {
		s.afterError(err)
		return fmt.Errorf("smtp: MAIL FROM: %w", err)
	}
	if err := s.conn.Rcpt("<" + to + ">"); err != nil {
		return s.recipientError(err)
	}
	w, err := s.conn.Data()
	if err != nil {
		s.afterError(err)
		return fmt.Errorf("smtp: DATA: %w", err)
	}
	if _, err := w.Write(raw); err != nil {
		s.drop()
		return fmt.Errorf("smtp: writing message: %w", err)
	}
	// Everything up to the final "." is on its way once the buffer is
	// flushed; a failure up to here means the relay cannot have the
	// message. After it, the relay may have it.
	if err := s.conn.Text.W.Flush(); err != nil {
		s.drop()
		return fmt.Errorf("smtp: writing message: %w", err)
	}
	if err := s.conn.UpdateDeadline(cmp.Or(s.cfg.DataTimeout, s.cfg.Timeout)); err != nil {
		s.drop() // before the final ".": the relay cannot take the message
		return fmt.Errorf("smtp: %w", err)
	}
	if err := w.Close(); err != nil {
		var te *textproto.Error
		if errors.As(err, &te) {
			return s.recipientError(err)
		}
		s.drop()
		return fmt.Errorf("%w: %w", ErrInDoubt, err)
	}
	return nil
}

// dialError says what failed connecting and, where a tls setting that
// does not fit the port is the likely cause, which one to set.
func (s *SMTP) dialError(err error) error {
	where := net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port))
	var hint string
	var rh tls.RecordHeaderError
	var ne net.Error
	switch {
	case s.cfg.TLS == TLSImplicit && errors.As(err, &rh):
		hint = where + " answered in plain text, not TLS: tls: implicit is for ports that speak TLS from the first byte (465); " +
			"set publish.email.tls to starttls (ports 587, 25) or none (a relay on localhost, such as mailpit on 1025)"
	case s.cfg.TLS == TLSStartTLS && strings.Contains(err.Error(), "does not support STARTTLS"):
		hint = where + " does not offer STARTTLS: set publish.email.tls to implicit if it speaks TLS from the first byte (465), " +
			"or to none for a relay on localhost"
	case s.cfg.TLS != TLSImplicit && s.cfg.Port == 465 && errors.As(err, &ne) && ne.Timeout():
		hint = where + " sent no greeting: port 465 speaks TLS from the first byte; set publish.email.tls to implicit"
	}
	if hint != "" {
		return fmt.Errorf("smtp: connecting to %s: %w (%s)", where, err, hint)
	}
	return fmt.Errorf("smtp: connecting to %s: %w", where, err)
}

// recipientError turns an SMTP reply into a *RecipientError; anything else
// is a connection failure.
func (s *SMTP) recipientError(err error) error {
	var te *textproto.Error
	if errors.As(err, &te) {
		_ = s.conn.Reset()
		return &RecipientError{Code: te.Code, Msg: te.Msg}
	}
	s.drop()
	return fmt.Errorf("smtp: %w", err)
}

func (s *SMTP) afterError(err error) {
	var te *textproto.Error
	if errors.As(err, &te) {
		_ = s.conn.Reset()
		return
	}
	s.drop()
}

func (s *SMTP) drop() {
	if s.conn != nil {
		_ = s.conn.Close()
		s.conn = nil
	}
}

// Close says QUIT and closes the connection, if one is open.
func (s *SMTP) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return nil
	}
	err := s.conn.Quit()
	s.conn = nil
	return err
}
