package llm

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// sseReader reads the data of server-sent events ("text/event-stream",
// the HTML Living Standard's format) from a chat completion stream.
//
// It is written here rather than taken from a library because what the
// client needs is narrow and a little unusual: comments (": keep-alive")
// must be told apart from data, since only data counts as progress for
// the idle watchdog; every line must be bounded; and nothing may
// reconnect, since a new request is the retry loop's decision. The format
// itself is a handful of rules, applied below.
type sseReader struct {
	r       *bufio.Reader
	maxLine int
}

func newSSEReader(r io.Reader, maxLine int64) *sseReader {
	return &sseReader{r: bufio.NewReaderSize(r, 16<<10), maxLine: int(min(maxLine, 1<<30))}
}

// errSSELine is returned for a line longer than the reader's bound.
var errSSELine = errors.New("event stream line too long")

// next returns the next event: its type ("" for the default "message")
// and its data lines joined by "\n". Comments and events without data are
// skipped. At the end of the stream it returns io.EOF; an event the
// stream ends inside (no blank line after it) is still returned, since a
// server that closes right after its last chunk has sent it whole.
func (s *sseReader) next() (event string, data []byte, err error) {
	has := false
	for {
		line, err := s.line()
		if err == io.EOF && has {
			return event, data, nil
		}
		if err != nil {
			return "", nil, err
		}
		if len(line) == 0 { // a blank line ends an event
			if has {
				return event, data, nil
			}
			event = ""
			continue
		}
		if line[0] == ':' {
			continue // a comment: keep-alive
		}
		field, value, _ := bytes.Cut(line, []byte(":"))
		value = bytes.TrimPrefix(value, []byte(" "))
		switch string(field) {
		case "data":
			if has {
				data = append(data, '\n')
			}
			data = append(data, value...)
			has = true
		case "event":
			event = string(value)
		}
		// "id" and "retry" serve reconnection, which a completion stream
		// never does.
	}
}

// line reads one line without its terminator (LF or CRLF).
func (s *sseReader) line() ([]byte, error) {
	var line []byte
	for {
		frag, err := s.r.ReadSlice('\n')
		if len(line)+len(frag) > s.maxLine {
			return nil, fmt.Errorf("%w: %w (more than %d bytes)", ErrBadResponse, errSSELine, s.maxLine)
		}
		line = append(line, frag...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && (err != io.EOF || len(line) == 0) {
			return nil, err
		}
		break
	}
	line = bytes.TrimSuffix(line, []byte("\n"))
	return bytes.TrimSuffix(line, []byte("\r")), nil
}
