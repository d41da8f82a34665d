package mailer_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/newsdesk/newsdesk/internal/smtptest"
	"github.com/newsdesk/newsdesk/publish/mailer"
)

// tlsRelay is an in-process go-smtp server with a self-signed certificate
// for 127.0.0.1 that requires AUTH PLAIN (offered only over TLS).
type tlsRelay struct {
	addr  string
	roots *x509.CertPool
	mu    sync.Mutex
	got   [][]byte
	users []string
}

func startTLSRelay(t *testing.T, implicit bool) *tlsRelay {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "relay.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:    x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	r := &tlsRelay{roots: roots}
	srv := smtp.NewServer(r)
	srv.Domain = "relay.test"
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	var ln net.Listener
	if implicit {
		ln, err = tls.Listen("tcp", "127.0.0.1:0", srv.TLSConfig)
	} else {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	r.addr = ln.Addr().String()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return r
}

func (r *tlsRelay) NewSession(c *smtp.Conn) (smtp.Session, error) { return &relaySession{r: r}, nil }

type relaySession struct {
	r    *tlsRelay
	user string
}

func (s *relaySession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *relaySession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "mailer" || pass != "s3cret" {
			return smtp.ErrAuthFailed
		}
		s.user = user
		return nil
	}), nil
}
func (s *relaySession) Mail(string, *smtp.MailOptions) error {
	if s.user == "" {
		return smtp.ErrAuthRequired
	}
	return nil
}
func (s *relaySession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *relaySession) Data(rd io.Reader) error {
	b, _ := io.ReadAll(rd)
	s.r.mu.Lock()
	s.r.got = append(s.r.got, b)
	s.r.users = append(s.r.users, s.user)
	s.r.mu.Unlock()
	return nil
}
func (s *relaySession) Reset()        {}
func (s *relaySession) Logout() error { return nil }

func TestSendOverTLSWithAuth(t *testing.T) {
	for _, tt := range []struct {
		mode     string
		implicit bool
	}{{mailer.TLSStartTLS, false}, {mailer.TLSImplicit, true}} {
		t.Run(tt.mode, func(t *testing.T) {
			r := startTLSRelay(t, tt.implicit)
			host, port, _ := net.SplitHostPort(r.addr)
			p, _ := strconv.Atoi(port)
			cfg := mailer.SMTPConfig{Host: host, Port: p, TLS: tt.mode, Username: "mailer", Password: "s3cret", Timeout: 5 * time.Second,
				TLSConfig: &tls.Config{RootCAs: r.roots, ServerName: host, MinVersion: tls.VersionTLS12}}
			s, err := mailer.NewSMTP(cfg)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := mailer.Build(message())
			for range 2 { // the second send reuses the connection
				if err := s.Send(t.Context(), "digest@news.example.org", "leser@example.net", raw); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			r.mu.Lock()
			defer r.mu.Unlock()
			if len(r.got) != 2 || !bytes.Equal(r.got[0], raw) || r.users[0] != "mailer" {
				t.Fatalf("relay got %d messages (users %v); want 2, verbatim, authenticated", len(r.got), r.users)
			}

			// A certificate the client does not trust is refused.
			cfg.TLSConfig = nil
			s2, _ := mailer.NewSMTP(cfg)
			if err := s2.Send(t.Context(), "digest@news.example.org", "leser@example.net", raw); err == nil {
				t.Error("sent to a relay with an untrusted certificate")
			}
		})
	}
}

// TestWrongTLSModeSaysWhatToSet: a relay that speaks plain text while the
// config says tls: implicit (mailpit on 1025, a submission port on 587),
// or one that offers no STARTTLS while the config asks for it, fails with
// an error that names the setting to change.
func TestWrongTLSModeSaysWhatToSet(t *testing.T) {
	plain := smtptest.Start(t)
	host, port, _ := net.SplitHostPort(plain.Addr)
	p, _ := strconv.Atoi(port)
	for _, tt := range []struct{ mode, want string }{
		{mailer.TLSImplicit, "answered in plain text, not TLS: tls: implicit is for ports that speak TLS from the first byte (465); set publish.email.tls to starttls (ports 587, 25) or none"},
		{mailer.TLSStartTLS, "does not offer STARTTLS: set publish.email.tls to implicit if it speaks TLS from the first byte (465), or to none"},
	} {
		t.Run(tt.mode, func(t *testing.T) {
			s, err := mailer.NewSMTP(mailer.SMTPConfig{Host: host, Port: p, TLS: tt.mode, Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := mailer.Build(message())
			err = s.Send(t.Context(), "digest@news.example.org", "leser@example.net", raw)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v; want it to say %q", err, tt.want)
			}
			if mailer.IsPermanent(err) || mailer.IsInDoubt(err) {
				t.Errorf("a connection error is neither a bounce nor in doubt: %v", err)
			}
			if n := len(plain.Messages()); n != 0 {
				t.Errorf("%d messages reached the relay", n)
			}
		})
	}
}
