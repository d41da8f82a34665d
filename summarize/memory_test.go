package summarize

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/summarize/summarizetest"
)

// scanMatch is how recall matched before memoryIndex, scanning every
// remembered story for each story: the oracle memoryIndex.match must equal.
func scanMatch(m *memory, st *story) *memStory {
	var best *memStory
	bestOverlap := 0.0
	for i := range m.Stories {
		ms := &m.Stories[i]
		if ms.Run == m.run {
			continue
		}
		for _, it := range st.items {
			if slices.Contains(ms.Articles, it.a.ID) {
				return ms
			}
		}
		if len(st.anchors) == 0 || len(ms.Anchors) == 0 {
			continue
		}
		shared := 0
		for _, a := range st.anchors {
			if slices.Contains(ms.Anchors, a) {
				shared++
			}
		}
		overlap := float64(shared) / float64(min(len(st.anchors), len(ms.Anchors)))
		if overlap > bestOverlap {
			best, bestOverlap = ms, overlap
		}
	}
	if bestOverlap >= memoryOverlap {
		return best
	}
	return nil
}

// recallCase is a day's stories and a memory of the day before: its
// stories, a few of them also holding an article of today, some from the
// run being composed (which recall ignores).
func recallCase(t testing.TB, n, remembered int) (*memory, []*story) {
	s := newTestStage(t, Config{}, Deps{})
	day := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	stories := func(seed uint64) []*story {
		items := s.prepare(s.editions["daily"], summarizetest.SynthDay(seed, n, day))
		return s.stories(items, s.cluster(t.Context(), items), day)
	}
	today, before := stories(7), stories(8)
	m := &memory{run: "2026-11-28T07:00:00Z"}
	for i, st := range before[:min(remembered, len(before))] {
		var ids []string
		for _, it := range st.items {
			ids = append(ids, it.a.ID)
		}
		if i%10 == 3 { // the story went on today
			ids = append(ids, today[i%len(today)].items[0].a.ID)
		}
		run := fmt.Sprintf("2026-11-%02dT07:00:00Z", 21+i%7)
		if i%17 == 5 {
			run = m.run
		}
		m.Stories = append(m.Stories, memStory{ID: st.id, Run: run, Articles: ids, Anchors: st.anchors})
	}
	return m, today
}

func TestMemoryIndexMatchesScan(t *testing.T) {
	m, today := recallCase(t, 1000, 120)
	ix := m.index()
	byArticle, byAnchor := 0, 0
	for _, st := range today {
		got, want := ix.match(st), scanMatch(m, st)
		if got != want {
			t.Errorf("story %s: index matched %v, scan %v", st.id, got, want)
		}
		if want != nil {
			if slices.ContainsFunc(st.items, func(it *item) bool { return slices.Contains(want.Articles, it.a.ID) }) {
				byArticle++
			} else {
				byAnchor++
			}
		}
	}
	if byArticle == 0 || byAnchor == 0 {
		t.Errorf("%d matches by article, %d by anchors: the case tests too little", byArticle, byAnchor)
	}
	t.Logf("%d stories: %d continue a remembered one by an article, %d by anchors", len(today), byArticle, byAnchor)
}

// BenchmarkRecall measures matching a day of 5,000 articles against a week
// of remembered stories, by the index and, as the peer in the same run, by
// the scan it replaced.
func BenchmarkRecall(b *testing.B) {
	m, today := recallCase(b, 5000, 224)
	b.Run("index", func(b *testing.B) {
		for range b.N {
			ix := m.index()
			for _, st := range today {
				ix.match(st)
			}
		}
	})
	b.Run("scan", func(b *testing.B) {
		for range b.N {
			for _, st := range today {
				scanMatch(m, st)
			}
		}
	})
}
