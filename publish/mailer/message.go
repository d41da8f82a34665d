package mailer

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Message is one email to one recipient. Header values must already be free
// of CR/LF; Build refuses them otherwise.
type Message struct {
	From    *mail.Address
	To      string
	ReplyTo string // optional
	Subject string
	Date    time.Time
	// MessageID without angle brackets, e.g. "abc@news.example.org". Use
	// NewMessageID: it must name the sending domain, not the host.
	MessageID string
	// ListID is the RFC 2919 List-Id, ASCII only, e.g.
	// "Daily digest <daily.news.example.org>". Empty: no header.
	ListID string
	// Unsubscribe is the one-click unsubscribe URL. An https URL gives
	// List-Unsubscribe plus List-Unsubscribe-Post (RFC 8058); an http URL
	// (development only) gives List-Unsubscribe alone.
	Unsubscribe string
	Bulk        bool // Precedence: bulk, X-Auto-Response-Suppress
	// Language is the Content-Language (RFC 3282) of the text, e.g. "de";
	// empty: no header.
	Language string
	Text     string
	HTML     string // optional
}

// NewMessageID returns a random Message-ID local part at domain.
func NewMessageID(domain string) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:]) + "@" + domain
}

// DomainOf returns the domain part of an address ("" if none).
func DomainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return strings.ToLower(addr[i+1:])
	}
	return ""
}

// languageTagRE is the shape of a BCP 47 language tag as Content-Language
// carries it ("de", "en-GB").
var languageTagRE = regexp.MustCompile(`^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$`)

var errHeaderInjection = errors.New("header value contains CR or LF")

func hasCRLF(vals ...string) bool {
	for _, v := range vals {
		if strings.ContainsAny(v, "\r\n") {
			return true
		}
	}
	return false
}

// Build renders m to RFC 5322 bytes with CRLF line endings.
func Build(m Message) ([]byte, error) {
	if m.From == nil {
		return nil, errors.New("mailer: message without From")
	}
	if hasCRLF(m.To, m.ReplyTo, m.Subject, m.MessageID, m.ListID, m.Unsubscribe, m.From.Name, m.From.Address, m.Language) {
		return nil, fmt.Errorf("mailer: %w", errHeaderInjection)
	}
	if !isASCII(m.ListID) {
		return nil, errors.New("mailer: List-Id must be ASCII")
	}
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	msg.FromMailAddress(m.From)
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("mailer: recipient %q: %w", m.To, err)
	}
	if m.ReplyTo != "" {
		if err := msg.ReplyTo(m.ReplyTo); err != nil {
			return nil, fmt.Errorf("mailer: reply-to %q: %w", m.ReplyTo, err)
		}
	}
	msg.Subject(m.Subject)
	msg.SetDateWithValue(m.Date)
	msg.SetMessageIDWithValue(m.MessageID)
	if m.ListID != "" {
		msg.SetGenHeaderPreformatted(gomail.Header("List-Id"), m.ListID)
	}
	if m.Unsubscribe != "" {
		if strings.HasPrefix(m.Unsubscribe, "https://") {
			if err := msg.SetListUnsubscribeOneClick(m.Unsubscribe); err != nil {
				return nil, fmt.Errorf("mailer: unsubscribe url: %w", err)
			}
		} else {
			msg.SetListUnsubscribe(m.Unsubscribe)
		}
	}
	if m.Bulk {
		msg.SetBulk()
	}
	if m.Language != "" {
		if !languageTagRE.MatchString(m.Language) {
			return nil, fmt.Errorf("mailer: Content-Language %q is not a language tag", m.Language)
		}
		msg.SetGenHeader(gomail.HeaderContentLang, m.Language)
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	var b bytes.Buffer
	if _, err := msg.WriteTo(&b); err != nil {
		return nil, fmt.Errorf("mailer: rendering message: %w", err)
	}
	return b.Bytes(), nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
