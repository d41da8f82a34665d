package natsembed

import (
	"fmt"
	"sync"
)

// errLog is the embedded server's logger: it keeps the server's last error
// and drops everything else. The server runs with NoLog, so without it a
// start that fails (a route port somebody else took, a store it cannot
// write) would only say "not ready"; with it, Start says why.
//
// nats-server's own Fatalf exits the process; this one only records, as
// the server does when it has no logger at all.
type errLog struct {
	mu   sync.Mutex
	last string
}

func (l *errLog) record(format string, v []any) {
	l.mu.Lock()
	l.last = fmt.Sprintf(format, v...)
	l.mu.Unlock()
}

// Last is the most recent error or fatal message, or "".
func (l *errLog) Last() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.last
}

func (l *errLog) Fatalf(format string, v ...any) { l.record(format, v) }
func (l *errLog) Errorf(format string, v ...any) { l.record(format, v) }
func (l *errLog) Noticef(string, ...any)         {}
func (l *errLog) Warnf(string, ...any)           {}
func (l *errLog) Debugf(string, ...any)          {}
func (l *errLog) Tracef(string, ...any)          {}
