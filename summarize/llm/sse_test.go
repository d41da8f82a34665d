package llm

import (
	"errors"
	"io"
	"strings"
	"testing"
)

func readAll(t testing.TB, stream string, maxLine int64) (events []string, err error) {
	r := newSSEReader(strings.NewReader(stream), maxLine)
	for range 10000 {
		ev, data, err := r.next()
		if err != nil {
			return events, err
		}
		events = append(events, ev+"|"+string(data))
	}
	t.Fatalf("no end after 10000 events")
	return nil, nil
}

func TestSSEReader(t *testing.T) {
	tests := []struct {
		name   string
		stream string
		want   []string
	}{
		{"two events", "data: a\n\ndata: b\n\n", []string{"|a", "|b"}},
		{"CRLF", "data: a\r\n\r\ndata: b\r\n\r\n", []string{"|a", "|b"}},
		{"multi-line data", "data: a\ndata: b\n\n", []string{"|a\nb"}},
		{"no space after colon", "data:a\n\n", []string{"|a"}},
		{"only the first space is stripped", "data:  a\n\n", []string{"| a"}},
		{"comments skipped", ": keep-alive\n\n: x\ndata: a\n\n", []string{"|a"}},
		{"event type", "event: error\ndata: boom\n\ndata: a\n\n", []string{"error|boom", "|a"}},
		{"event type without data is dropped", "event: ping\n\ndata: a\n\n", []string{"|a"}},
		{"last event without blank line", "data: a\n\ndata: b", []string{"|a", "|b"}},
		{"id and retry ignored", "id: 1\nretry: 5\ndata: a\n\n", []string{"|a"}},
		{"empty data line", "data:\n\n", []string{"|"}},
		{"empty stream", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readAll(t, tt.stream, 1<<20)
			if err != io.EOF {
				t.Fatalf("err = %v, want io.EOF", err)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("events %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSSELineBound(t *testing.T) {
	_, err := readAll(t, "data: "+strings.Repeat("x", 100_000)+"\n\n", 1024)
	if !errors.Is(err, ErrBadResponse) || !errors.Is(err, errSSELine) {
		t.Fatalf("err = %v, want a bounded line", err)
	}
}

// FuzzSSEReader: any byte stream ends in io.EOF or an error, never a
// panic, and no event is longer than the stream.
func FuzzSSEReader(f *testing.F) {
	for _, s := range []string{"data: a\n\n", "data: a\r\n\r\n", ": x\nevent: e\ndata: b\ndata: c\n\n", "data", "\r\r\n\n", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		events, err := readAll(t, s, 64)
		if err != io.EOF && !errors.Is(err, errSSELine) {
			t.Fatalf("err = %v", err)
		}
		for _, e := range events {
			if len(e) > len(s)+1 {
				t.Fatalf("event %q longer than the stream %q", e, s)
			}
		}
	})
}
