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

// fixedNow is the clock of tests: the morning after the fixtures' day.
func fixedNow() time.Time { return time.Date(2026, 11, 29, 6, 0, 0, 0, time.UTC) }

func newTestStage(t testing.TB, cfg Config, deps Deps) *Stage {
	t.Helper()
	if deps.Log == nil {
		deps.Log = testLogger(t)
	}
	if deps.Now == nil {
		deps.Now = fixedNow
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
