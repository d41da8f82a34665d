// Package smtptest runs a real SMTP server (github.com/emersion/go-smtp) on
// 127.0.0.1 inside a test and records every message it receives, so email
// tests exercise a real SMTP conversation and parse the real bytes.
package smtptest

import (
	"bytes"
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is one received mail.
type Message struct {
	From string
	To   []string
	Data []byte // the raw message as sent in DATA
}

// Server is a running SMTP server.
type Server struct {
	Addr string // host:port

	mu        sync.Mutex
	msgs      []Message
	reject    func(rcpt string) *smtp.SMTPError
	dataDelay time.Duration
	onMessage func(n int)
	closed    chan struct{}
}

// Start listens on a random loopback port and stops on t.Cleanup.
func Start(t testing.TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: %v", err)
	}
	s := &Server{Addr: ln.Addr().String(), closed: make(chan struct{})}
	srv := smtp.NewServer(&backend{s: s})
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.MaxMessageBytes = 10 << 20
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() {
		close(s.closed)
		_ = srv.Close()
	})
	return s
}

// Messages returns a copy of what arrived so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// RejectRcpt makes the server answer RCPT TO with the error f returns (nil
// accepts), to test 4xx and 5xx handling.
func (s *Server) RejectRcpt(f func(rcpt string) *smtp.SMTPError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reject = f
}

// DelayData makes the server hold its answer to each message's DATA for d
// after it has received (and recorded) the message: a slow relay, which
// RFC 5321 allows ten minutes for that answer.
func (s *Server) DelayData(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dataDelay = d
}

// OnMessage calls f with the number of messages received so far each time
// one arrives, before the server answers its DATA: a test can stop
// something else at exactly that moment.
func (s *Server) OnMessage(f func(n int)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onMessage = f
}

// WaitFor blocks until n messages arrived or the timeout passes.
func (s *Server) WaitFor(n int, timeout time.Duration) []Message {
	deadline := time.Now().Add(timeout)
	for {
		m := s.Messages()
		if len(m) >= n || time.Now().After(deadline) {
			return m
		}
		time.Sleep(10 * time.Millisecond)
	}
}

type backend struct{ s *Server }

func (b *backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s    *Server
	from string
	to   []string
}

func (ss *session) AuthMechanisms() []string { return nil }

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	reject := ss.s.reject
	ss.s.mu.Unlock()
	if reject != nil {
		if err := reject(to); err != nil {
			return err
		}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	var b bytes.Buffer
	if _, err := io.Copy(&b, r); err != nil {
		return err
	}
	if len(ss.to) == 0 {
		return errors.New("no recipients")
	}
	ss.s.mu.Lock()
	ss.s.msgs = append(ss.s.msgs, Message{From: ss.from, To: append([]string(nil), ss.to...), Data: b.Bytes()})
	n, delay, on := len(ss.s.msgs), ss.s.dataDelay, ss.s.onMessage
	ss.s.mu.Unlock()
	if on != nil {
		on(n)
	}
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-ss.s.closed:
		}
	}
	return nil
}

func (ss *session) Reset() {
	ss.from = ""
	ss.to = nil
}

func (ss *session) Logout() error { return nil }
