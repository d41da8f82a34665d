package mailer

import (
	"context"
	"fmt"
)

// Probe connects to the relay as a send does (TLS or STARTTLS, EHLO,
// AUTH) and quits without sending anything, so an operator can test the
// settings before the first edition (newsdesk check --connect). Its error
// says which setting to change where a likely cause is known.
func (s *SMTP) Probe(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	conn, err := s.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return s.dialError(err)
	}
	if err := conn.Quit(); err != nil {
		_ = conn.Close()
		return fmt.Errorf("smtp: QUIT: %w", err)
	}
	return nil
}
