package summarize

import (
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/newsdesk/newsdesk/internal/news"
)

func loadArticles(t testing.TB, name string) []news.Article {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var as []news.Article
	if err := json.Unmarshal(data, &as); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return as
}

func testLogger(t testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

// fixedNow is the time of tests: the morning after the fixtures' day.
func fixedNow() time.Time { return time.Date(2026, 11, 29, 6, 0, 0, 0, time.UTC) }

// shiftedClock is the real clock, timers and all, moved by offset: a
// stage on it lives at another time of day, for tests whose articles carry
// the NATS server's real timestamps or that share a slot with a child
// process.
type shiftedClock struct {
	clockwork.Clock
	offset time.Duration
}

func realClockAt(offset time.Duration) shiftedClock {
	return shiftedClock{clockwork.NewRealClock(), offset}
}

func (c shiftedClock) Now() time.Time                  { return c.Clock.Now().Add(c.offset) }
func (c shiftedClock) Since(t time.Time) time.Duration { return c.Now().Sub(t) }
func (c shiftedClock) Until(t time.Time) time.Duration { return t.Sub(c.Now()) }

func newTestStage(t testing.TB, cfg Config, deps Deps) *Stage {
	t.Helper()
	if deps.Log == nil {
		deps.Log = testLogger(t)
	}
	if deps.Clock == nil {
		// Still unless a test advances it: a stage's timers never fire.
		deps.Clock = clockwork.NewFakeClockAt(fixedNow())
	}
	s, err := New(cfg, deps)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// groupIDs renders clusters as sorted article-id lists, for comparison.
func groupIDs(items []*item, groups [][]int) []string {
	var out []string
	for _, g := range groups {
		var ids []string
		for _, i := range g {
			ids = append(ids, items[i].a.ID)
		}
		slices.Sort(ids)
		out = append(out, strings.Join(ids, " "))
	}
	slices.Sort(out)
	return out
}
