package mailer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"
)

// Outbox writes each message as an .eml file into a directory instead of
// sending it: for development and for a demo without an SMTP relay.
type Outbox struct {
	Dir string
	Now func() time.Time
	seq atomic.Uint64
}

// Send writes raw to <Dir>/<time>-<hash>.eml atomically (temp file and
// rename), so a reader never sees half a message.
func (o *Outbox) Send(_ context.Context, from, to string, raw []byte) error {
	if err := os.MkdirAll(o.Dir, 0o750); err != nil {
		return fmt.Errorf("outbox %s: %w", o.Dir, err)
	}
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	sum := sha256.Sum256(append([]byte(to+"\n"), raw...))
	name := fmt.Sprintf("%s-%04d-%s.eml", now().UTC().Format("20060102T150405Z"), o.seq.Add(1)%10000, hex.EncodeToString(sum[:6]))
	tmp, err := os.CreateTemp(o.Dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(raw); err != nil {
		tmp.Close()
		return fmt.Errorf("outbox: writing %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("outbox: writing %s: %w", name, err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(o.Dir, name)); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return nil
}

// Close implements Sender.
func (o *Outbox) Close() error { return nil }
