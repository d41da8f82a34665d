package summarize

import (
	"context"
	"slices"
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
	if _, err := bus.GetJSON(ctx, s.bus.Editions, memoryKey(edition), m); err != nil {
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
	return bus.PutJSON(ctx, s.bus.Editions, memoryKey(edition), m)
}

// recall marks stories an earlier run told: a story sharing an article with
// a remembered one, or most of its strongest anchors, continues it. Only its
// new articles are told, as an update; a story with none is left out so an
// edition never repeats itself verbatim.
func (m *memory) recall(stories []*story) []*story {
	if m == nil || len(m.Stories) == 0 {
		return stories
	}
	var out []*story
	for _, st := range stories {
		prev := m.match(st)
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

func (m *memory) match(st *story) *memStory {
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

// memoryOverlap is the share of a story's strongest anchors (names,
// numbers, concepts) that must match a remembered story's for it to count
// as the same story continuing.
const memoryOverlap = 0.5
