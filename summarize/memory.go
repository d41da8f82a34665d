package summarize

import (
	"context"
	"time"

	"github.com/newsdesk/newsdesk/internal/bus"
)

// memory is what an edition remembers of its earlier runs, in the editions
// bucket under "memory.<edition>". Only the replica holding a slot's lease
// writes it.
type memory struct {
	// LastRun is where the latest run's article window ended: the next
	// slot's window starts there.
	LastRun time.Time  `json:"last_run"`
	Stories []memStory `json:"stories"`
	run     string     // the slot being composed; its own entries are ignored
}

// memStory is one story as an edition told it.
type memStory struct {
	ID        string            `json:"id"`
	Run       string            `json:"run"` // slot time, RFC 3339
	At        time.Time         `json:"at"`
	Headlines map[string]string `json:"headlines"`
	Articles  []string          `json:"articles"`
	Anchors   []string          `json:"anchors"`
}

func memoryKey(edition string) string { return "memory." + bus.Token(edition) }

// loadMemory reads the edition's memory for composing slot: entries of an
// earlier run in the same slot do not count as told before.
func (s *Stage) loadMemory(ctx context.Context, edition string, slot time.Time) (*memory, error) {
	m := &memory{}
	if _, err := bus.GetJSON(ctx, s.bus.Editions(), memoryKey(edition), m); err != nil {
		return nil, err
	}
	m.run = slot.UTC().Format(time.RFC3339Nano)
	return m, nil
}

// saveMemory records the stories a run of slot told, whose window ended at
// until. A later run in the same slot adds to the slot's entries (it may
// publish only the languages the first run had no stories for).
func (s *Stage) saveMemory(ctx context.Context, edition string, slot, until time.Time, m *memory, told []*story, headlines map[string]map[string]string) error {
	keep := m.Stories[:0]
	cutoff := slot.Add(-s.cfg.Memory)
	retold := map[string]bool{}
	for _, st := range told {
		retold[st.id] = true
	}
	for _, ms := range m.Stories {
		if ms.At.After(cutoff) && !(ms.Run == m.run && retold[ms.ID]) {
			keep = append(keep, ms)
		}
	}
	for _, st := range told {
		ids := make([]string, 0, len(st.items))
		for _, it := range st.items {
			ids = append(ids, it.a.ID)
		}
		keep = append(keep, memStory{ID: st.id, Run: m.run, At: slot.UTC(), Headlines: headlines[st.id], Articles: ids, Anchors: st.anchors})
	}
	m.Stories = keep
	if until.After(m.LastRun) {
		m.LastRun = until.UTC()
	}
	return bus.PutJSON(ctx, s.bus.Editions(), memoryKey(edition), m)
}

// recall marks stories an earlier run told: a story sharing an article with
// a remembered one, or most of its strongest anchors, continues it. Only its
// new articles are told, as an update; a story with none is left out so an
// edition never repeats itself verbatim.
func (m *memory) recall(stories []*story) []*story {
	if m == nil || len(m.Stories) == 0 {
		return stories
	}
	ix := m.index()
	var out []*story
	for _, st := range stories {
		prev := ix.match(st)
		if prev == nil {
			out = append(out, st)
			continue
		}
		old := map[string]bool{}
		for _, id := range prev.Articles {
			old[id] = true
		}
		var fresh []*item
		for _, it := range st.items {
			if !old[it.a.ID] {
				fresh = append(fresh, it)
			}
		}
		if len(fresh) == 0 {
			continue
		}
		st.update, st.fresh, st.previous = true, fresh, prev.Headlines
		out = append(out, st)
	}
	return out
}

// memoryIndex finds the remembered stories that share an article or an
// anchor with a story without scanning every remembered story for each
// story: an edition of thousands of articles against a week of memory spent
// a third of its time there.
type memoryIndex struct {
	m         *memory
	byArticle map[string]int   // article id → first remembered story with it
	byAnchor  map[string][]int // anchor → remembered stories with it, in order
	// per match: anchors shared with each remembered story, and which
	shared  []int
	touched []int
}

func (m *memory) index() *memoryIndex {
	ix := &memoryIndex{m: m, byArticle: map[string]int{}, byAnchor: map[string][]int{}, shared: make([]int, len(m.Stories))}
	for i := range m.Stories {
		ms := &m.Stories[i]
		if ms.Run == m.run {
			continue
		}
		for _, id := range ms.Articles {
			if _, ok := ix.byArticle[id]; !ok {
				ix.byArticle[id] = i
			}
		}
		for _, a := range ms.Anchors {
			if l := ix.byAnchor[a]; len(l) == 0 || l[len(l)-1] != i {
				ix.byAnchor[a] = append(l, i)
			}
		}
	}
	return ix
}

// match returns the remembered story st continues: the first (earliest
// told) that shares an article with it, else the one sharing the largest
// part of its strongest anchors (the earliest on a tie), if that part is
// at least memoryOverlap.
func (ix *memoryIndex) match(st *story) *memStory {
	first := -1
	for _, it := range st.items {
		if i, ok := ix.byArticle[it.a.ID]; ok && (first < 0 || i < first) {
			first = i
		}
	}
	if first >= 0 {
		return &ix.m.Stories[first]
	}
	touched := ix.touched[:0]
	for _, a := range st.anchors {
		for _, i := range ix.byAnchor[a] {
			if ix.shared[i] == 0 {
				touched = append(touched, i)
			}
			ix.shared[i]++
		}
	}
	best, bestOverlap := -1, 0.0
	for _, i := range touched {
		overlap := float64(ix.shared[i]) / float64(min(len(st.anchors), len(ix.m.Stories[i].Anchors)))
		if overlap > bestOverlap || overlap == bestOverlap && i < best {
			best, bestOverlap = i, overlap
		}
		ix.shared[i] = 0
	}
	ix.touched = touched
	if best >= 0 && bestOverlap >= memoryOverlap {
		return &ix.m.Stories[best]
	}
	return nil
}

// memoryOverlap is the share of a story's strongest anchors (names,
// numbers, concepts) that must match a remembered story's for it to count
// as the same story continuing.
const memoryOverlap = 0.5
