package summarize

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/natstest"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/summarize/llm"
	"github.com/newsdesk/newsdesk/summarize/llm/llmtest"
)

func readDigests(t *testing.T, b *bus.Bus) []news.Digest {
	t.Helper()
	var out []news.Digest
	err := b.ReadSince(t.Context(), bus.StreamDigests, bus.SubjectDigests, time.Time{}, func(m jetstream.Msg) error {
		var d news.Digest
		if err := json.Unmarshal(m.Data(), &d); err != nil {
			t.Errorf("digest on %s: %v", m.Subject(), err)
		}
		if want := bus.DigestSubject(d.Edition, d.Language); m.Subject() != want {
			t.Errorf("digest on %s, want %s", m.Subject(), want)
		}
		out = append(out, d)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// runEdition runs a slot and fails the test on an error.
func runEdition(t *testing.T, s *Stage, req EditionRequest) EditionResult {
	t.Helper()
	if req.Edition == "" {
		req.Edition = "daily"
	}
	res, err := s.Edition(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestEditionMemory: an edition publishes one digest per language; a later
// run in the same slot publishes nothing new; the next edition marks a
// continuing story as an update and leaves out a story with nothing new.
func TestEditionMemory(t *testing.T) {
	b := natstest.Start(t)
	// Two days' lookback: the second edition, a day later, still reaches
	// back past the first; only memory keeps it from re-reading.
	s := newTestStage(t, Config{Editions: []EditionConfig{{Name: "daily", Lookback: 48 * time.Hour}}}, Deps{Bus: b, Clock: clockwork.NewRealClock()})
	publishArticles(t, b, loadArticles(t, "articles.json"))
	at1 := time.Now()
	first := runEdition(t, s, EditionRequest{Slot: at1, Until: at1}).Published
	if len(first) != 2 || len(first[0].Stories) != 6 || !slices.Equal(storyIDs(first[0]), storyIDs(first[1])) {
		t.Fatalf("first edition: %d digests", len(first))
	}
	if first[0].Revision != 1 || first[1].Revision != 1 {
		t.Errorf("first publication has revisions %d and %d, want 1", first[0].Revision, first[1].Revision)
	}
	// A later run in the same slot (cron again, a restart) finds both
	// languages out with stories and publishes nothing.
	again := runEdition(t, s, EditionRequest{Slot: at1, Retry: true})
	if len(again.Published) != 0 || again.Skipped == "" {
		t.Errorf("a later run in a told slot published %d digests (skipped %q)", len(again.Published), again.Skipped)
	}
	if !again.Told("de") || !again.Told("en") {
		t.Errorf("slot digests after the re-run: %+v", again.Digests)
	}
	if got := readDigests(t, b); len(got) != 2 {
		t.Errorf("%d digests on the stream after a re-run, want 2", len(got))
	}
	// The plan of a forced recompose tells the same stories.
	plan, err := s.PlanEdition(t.Context(), EditionRequest{Edition: "daily", Slot: at1, Until: at1, Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Digests) != 2 || !slices.Equal(storyIDs(plan.Digests[1]), storyIDs(first[1])) {
		t.Errorf("recompose plan told %d digests, %v; first run %v", len(plan.Digests), storyIDs(plan.Digests[1]), storyIDs(first[1]))
	}

	time.Sleep(10 * time.Millisecond)
	publishArticles(t, b, loadArticles(t, "followup.json")[:1])
	at2 := time.Now().Add(24 * time.Hour)
	second := runEdition(t, s, EditionRequest{Slot: at2, Until: at2}).Published
	de, en := second[0], second[1]
	if len(en.Stories) != 1 {
		t.Fatalf("English follow-up edition has %d stories, want the H20 update", len(en.Stories))
	}
	// The update has only an English source: the German edition carries
	// it by headline and link.
	if len(de.Stories) != 1 || de.Stories[0].ID != en.Stories[0].ID || de.Stories[0].Language != "en" || de.Stories[0].Summary != "" {
		t.Errorf("German follow-up edition has %d stories: %+v", len(de.Stories), de.Stories)
	}
	st := en.Stories[0]
	if !st.Update {
		t.Errorf("continuing story not marked as an update: %q", st.Headline)
	}
	if len(st.Sources) != 1 || st.Sources[0].URL != "https://www.cnbc.example/2026/11/29/nvidia-h20-license-china-response.html" {
		t.Errorf("update draws on %v, want only the new article", st.Sources)
	}
	// Articles an earlier edition told (a window overlapping the last
	// edition) are not told again.
	at3 := at2.Add(24 * time.Hour)
	mem, err := s.loadMemory(t.Context(), "daily", at3)
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.compose(t.Context(), s.editions["daily"], "2026-12-01", "", at3, loadArticles(t, "articles.json"), mem)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.digests {
		if len(d.Stories) != 0 {
			t.Errorf("%s: %d stories repeated from the first edition", d.Language, len(d.Stories))
		}
	}
	if de.Date == first[0].Date {
		t.Errorf("second edition has the first's date %s", de.Date)
	}
}

// TestEditionLock: two replicas running the same scheduled slot at once
// compose and publish it once.
func TestEditionLock(t *testing.T) {
	b := natstest.Start(t)
	publishArticles(t, b, loadArticles(t, "articles.json"))
	r1 := newTestStage(t, Config{}, Deps{Bus: b, Clock: clockwork.NewRealClock()})
	r2 := newTestStage(t, Config{}, Deps{Bus: b, Clock: clockwork.NewRealClock()})
	slot := r1.editions["daily"].nextSlot(time.Now())
	var wg sync.WaitGroup
	var got [2]EditionResult
	for i, r := range []*Stage{r1, r2} {
		wg.Go(func() { got[i] = runEdition(t, r, EditionRequest{Slot: slot, Until: time.Now()}) })
	}
	wg.Wait()
	if n0, n1 := len(got[0].Published), len(got[1].Published); n0+n1 != 2 || n0 != 0 && n1 != 0 {
		t.Fatalf("replicas published %d and %d digests, want 2 by one of them", n0, n1)
	}
	if got := readDigests(t, b); len(got) != 2 {
		t.Errorf("%d digests, want one per language", len(got))
	}
	// Running it again later does nothing: the slot is out with stories.
	if res := runEdition(t, r1, EditionRequest{Slot: slot}); len(res.Published) != 0 {
		t.Error("a told edition was composed again")
	}
}

// slotRecordOf reads a slot's record.
func slotRecordOf(t *testing.T, s *Stage, slot time.Time) slotRecord {
	t.Helper()
	rec, rev, err := s.readSlot(t.Context(), lockKey(s.editions["daily"], slot))
	if err != nil || rev == 0 {
		t.Fatalf("slot record: rev %d, %v", rev, err)
	}
	return rec
}

// TestEmptyEditionKeepsSlot: a slot composed before any news arrived does
// not use the slot up. The scheduler leaves it (the next edition carries
// the news), a later run in the slot composes it again and publishes it
// as revision 2, which a JetStream duplicate window does not swallow; once
// out with stories, no run but a recompose replaces it, and a recompose
// never replaces stories by an empty digest.
func TestEmptyEditionKeepsSlot(t *testing.T) {
	b := natstest.Start(t)
	s := newTestStage(t, Config{}, Deps{Bus: b, Clock: clockwork.NewRealClock()})
	slot := time.Now().Truncate(time.Minute)

	empty := runEdition(t, s, EditionRequest{Slot: slot}).Published
	if len(empty) != 2 || len(empty[0].Stories)+len(empty[1].Stories) != 0 {
		t.Fatalf("first run published %d digests, want two empty ones", len(empty))
	}
	if res := runEdition(t, s, EditionRequest{Slot: slot}); len(res.Published) != 0 {
		t.Errorf("the scheduler composed an empty slot again: %d digests", len(res.Published))
	}
	// Nothing new yet: a later run publishes no second empty digest.
	if res := runEdition(t, s, EditionRequest{Slot: slot, Retry: true}); len(res.Published) != 0 {
		t.Errorf("a later run without news published %d digests", len(res.Published))
	}

	publishArticles(t, b, loadArticles(t, "articles.json"))
	full := runEdition(t, s, EditionRequest{Slot: slot, Retry: true}).Published
	if len(full) != 2 {
		t.Fatalf("a later run with news published %d digests, want 2", len(full))
	}
	for i, d := range full {
		if len(d.Stories) == 0 || d.Revision != 2 || d.ID != empty[i].ID {
			t.Errorf("%s: %d stories, revision %d; want stories as revision 2 of %s", d.ID, len(d.Stories), d.Revision, empty[i].ID)
		}
	}
	if got := readDigests(t, b); len(got) != 4 {
		t.Errorf("%d digests on the stream, want 4 (two revisions per language)", len(got))
	}
	if res := runEdition(t, s, EditionRequest{Slot: slot, Retry: true}); len(res.Published) != 0 || res.Skipped != "already published" {
		t.Errorf("a run after the slot went out published %d digests (%q)", len(res.Published), res.Skipped)
	}
	rec := slotRecordOf(t, s, slot)
	if rec.State != stateDone || rec.Attempts != 3 || !rec.complete(s.editions["daily"].Languages) {
		t.Errorf("slot record %+v", rec)
	}

	// A recompose republishes as revision 3 ...
	plan, err := s.PlanEdition(t.Context(), EditionRequest{Edition: "daily", Slot: slot, Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Digests) != 2 || plan.Digests[0].Revision != 3 || len(plan.Previous) != 2 {
		t.Fatalf("recompose plan: %d digests, previous %+v", len(plan.Digests), plan.Previous)
	}
	// ... but not after the slot ran again since the plan.
	stale := *plan
	if _, err := s.CommitEdition(t.Context(), plan); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CommitEdition(t.Context(), &stale); !errors.Is(err, errSlotChanged) {
		t.Errorf("committing a stale plan: %v, want errSlotChanged", err)
	}
	if got := readDigests(t, b); len(got) != 6 {
		t.Errorf("%d digests on the stream after the recompose, want 6", len(got))
	}
	// A recompose whose window holds nothing keeps the digests with stories.
	plan, err = s.PlanEdition(t.Context(), EditionRequest{Edition: "daily", Slot: slot, Force: true, Until: slot.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Digests) != 0 || len(plan.Kept) != 2 {
		t.Errorf("an empty recompose would publish %d digests (kept %v)", len(plan.Digests), plan.Kept)
	}
}

// TestEditionOneLanguageLater: when only German news was in the window,
// the English digest tells the German stories too (in German, labelled by
// publish as German-language sources), so the slot is told in both
// languages; English news arriving later in the slot waits for the next
// edition instead of replacing a digest readers have. Memory keeps the
// stories.
func TestEditionOneLanguageLater(t *testing.T) {
	b := natstest.Start(t)
	s := newTestStage(t, Config{}, Deps{Bus: b, Clock: clockwork.NewRealClock()})
	slot := time.Now().Truncate(time.Minute)
	var de, en []news.Article
	for _, a := range loadArticles(t, "articles.json") {
		if a.Language == "de" {
			de = append(de, a)
		} else {
			en = append(en, a)
		}
	}
	publishArticles(t, b, de)
	first := runEdition(t, s, EditionRequest{Slot: slot}).Published
	if len(first) != 2 || len(first[0].Stories) == 0 || !slices.Equal(storyIDs(first[0]), storyIDs(first[1])) {
		t.Fatalf("first run: %d digests", len(first))
	}
	for _, st := range first[1].Stories {
		if st.Language != "de" {
			t.Errorf("English digest tells %q in %q, want in German", st.Headline, st.Language)
		}
	}
	publishArticles(t, b, en)
	later := runEdition(t, s, EditionRequest{Slot: slot, Retry: true}).Published
	if len(later) != 0 {
		t.Fatalf("later run published %d digests over ones told in both languages: %+v", len(later), later)
	}
	mem, err := s.loadMemory(t.Context(), "daily", slot.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	told := map[string]bool{}
	for _, ms := range mem.Stories {
		told[ms.ID] = true
	}
	for _, st := range first[0].Stories {
		if !told[st.ID] {
			t.Errorf("story %s (%s) missing from memory", st.ID, st.Headline)
		}
	}
}

// TestFailedEdition: a failed slot is taken over by the next scheduled
// look (another replica, or this one) up to edition_attempts; after that
// only a later run (run --once) or a recompose tries it.
func TestFailedEdition(t *testing.T) {
	b := natstest.Start(t)
	publishArticles(t, b, loadArticles(t, "articles.json"))
	s := newTestStage(t, Config{EditionAttempts: 2}, Deps{Bus: b, Clock: clockwork.NewRealClock()})
	slot := time.Now().Truncate(time.Minute)
	key := lockKey(s.editions["daily"], slot)
	put := func(rec slotRecord) {
		t.Helper()
		if err := bus.PutJSON(t.Context(), b.Editions(), key, rec); err != nil {
			t.Fatal(err)
		}
	}
	put(slotRecord{Holder: "other/1", State: stateFailed, Attempts: 2, Started: time.Now(), Error: "nats: timeout"})
	if res := runEdition(t, s, EditionRequest{Slot: slot}); len(res.Published) != 0 || !strings.Contains(res.Skipped, "failed 2 times") {
		t.Errorf("the scheduler retried a slot past edition_attempts: %d digests (%q)", len(res.Published), res.Skipped)
	}
	if res := runEdition(t, s, EditionRequest{Slot: slot, Retry: true}); len(res.Published) != 2 {
		t.Errorf("a later run did not retry the failed slot: %d digests (%q)", len(res.Published), res.Skipped)
	}
	rec := slotRecordOf(t, s, slot)
	if rec.State != stateDone || rec.Attempts != 3 || rec.Holder == "other/1" {
		t.Errorf("slot record %+v", rec)
	}

	// A slot that failed once is retried by the scheduler.
	slot2 := slot.Add(-24 * time.Hour)
	key = lockKey(s.editions["daily"], slot2)
	put(slotRecord{Holder: "other/1", State: stateFailed, Attempts: 1, Started: time.Now(), Error: "boom"})
	if res := runEdition(t, s, EditionRequest{Slot: slot2}); res.Skipped != "" {
		t.Errorf("the scheduler did not retry a slot that failed once: %q", res.Skipped)
	}
	// A record written before leases ("started", no renewal) whose holder
	// is gone is taken over once lock_ttl has passed since it started.
	slot3 := slot.Add(-48 * time.Hour)
	key = lockKey(s.editions["daily"], slot3)
	put(slotRecord{Holder: "old/1", State: stateLegacy, Started: time.Now().Add(-time.Hour)})
	if res := runEdition(t, s, EditionRequest{Slot: slot3}); res.Skipped != "" {
		t.Errorf("an abandoned legacy lock was not taken over: %q", res.Skipped)
	}
	// A live holder's slot is left to it.
	slot4 := slot.Add(-72 * time.Hour)
	key = lockKey(s.editions["daily"], slot4)
	put(slotRecord{Holder: "live/1", State: stateComposing, Started: time.Now(), Renewed: time.Now()})
	if res := runEdition(t, s, EditionRequest{Slot: slot4, Retry: true}); !strings.Contains(res.Skipped, "live/1") {
		t.Errorf("a live holder's slot was taken: %q", res.Skipped)
	}
}

// TestLeaseRenewed: a compose that takes several lease lengths keeps its
// lease (the holder renews it), so another replica does not take the slot
// over meanwhile. Both replicas share a fake clock, which the test
// advances a third of a lease at a time while the holder's LLM calls are
// held back.
func TestLeaseRenewed(t *testing.T) {
	const ttl = 30 * time.Second
	release := make(chan struct{})
	answer := editor(nil)
	held := llmtest.New(t, func(req llmtest.ChatRequest) llmtest.Reply {
		<-release
		return answer(req)
	})
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	t.Cleanup(free) // before the double closes: cleanups run last first
	no := false
	client, err := llm.New(llm.Config{BaseURL: held.URL, Model: llmtest.DefaultModel, CheckModel: &no}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	b := natstest.Start(t)
	publishArticles(t, b, loadArticles(t, "articles.json"))
	clock := clockwork.NewFakeClockAt(time.Now())
	cfg := Config{LockTTL: ttl, LLMDeadline: time.Minute}
	holder := newTestStage(t, cfg, Deps{Bus: b, LLM: client, Clock: clock})
	other := newTestStage(t, cfg, Deps{Bus: b, Clock: clock})
	slot := clock.Now().Truncate(time.Minute)
	type outcome struct {
		res EditionResult
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := holder.Edition(t.Context(), EditionRequest{Edition: "daily", Slot: slot})
		done <- outcome{res, err}
	}()

	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	// The holder has the lease and waits on the LLM; its renewal ticker
	// is the clock's one timer.
	if !waitUntil(ctx, func() bool { return len(held.Requests()) > 0 }) || clock.BlockUntilContext(ctx, 1) != nil {
		t.Fatal("the holder never took the slot and called the LLM")
	}
	for third := 1; third <= 10; third++ {
		clock.Advance(ttl / 3)
		now := clock.Now()
		if !waitUntil(ctx, func() bool { return slotRecordOf(t, holder, slot).Renewed.Equal(now) }) {
			t.Fatalf("the holder did not renew its lease %v after taking it: %+v", time.Duration(third)*ttl/3, slotRecordOf(t, holder, slot))
		}
		res := runEdition(t, other, EditionRequest{Slot: slot})
		if len(res.Published) != 0 {
			t.Fatalf("the other replica took a live lease over %v after it was taken", time.Duration(third)*ttl/3)
		}
		if !strings.Contains(res.Skipped, "being composed") {
			t.Fatalf("the other replica did not find the slot busy: %q", res.Skipped)
		}
	}
	free()
	var res EditionResult
	select {
	case o := <-done:
		if o.err != nil {
			t.Fatal(o.err)
		}
		res = o.res
	case <-ctx.Done():
		t.Fatal("the holder did not finish once its LLM calls were answered")
	}
	if len(res.Published) != 2 {
		t.Fatalf("holder published %d digests (%q)", len(res.Published), res.Skipped)
	}
	if rec := slotRecordOf(t, holder, slot); rec.Attempts != 1 || rec.State != stateDone {
		t.Errorf("slot record %+v: taken over while its holder was alive", rec)
	}
	if got := readDigests(t, b); len(got) != 2 {
		t.Errorf("%d digests, want 2", len(got))
	}
}

// TestScheduleComposesWhenDue: a running stage composes an edition when
// its clock reaches the slot, not before.
func TestScheduleComposesWhenDue(t *testing.T) {
	b := natstest.Start(t)
	publishArticles(t, b, loadArticles(t, "articles.json"))
	// The slot lies in the real future, so the articles just stored fall
	// inside its window; the stage's clock starts a minute before it. The
	// lease is long, so the scheduler's first wake-up is the slot itself.
	slot := time.Now().Add(2 * time.Minute).UTC().Truncate(time.Minute)
	clock := clockwork.NewFakeClockAt(slot.Add(-time.Minute))
	cfg := Config{
		Editions: []EditionConfig{{Name: "daily", At: []string{slot.Format("15:04")}, TimeZone: "UTC"}},
		LockTTL:  time.Hour,
	}
	s := newTestStage(t, cfg, Deps{Bus: b, Clock: clock})
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	// The scheduler's timer is the clock's only one: it looked at the
	// slots and went to sleep.
	if err := clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal("the scheduler never set its timer")
	}
	key := lockKey(s.editions["daily"], slot)
	if ds, st := readDigests(t, b), slotState(t, b, key); len(ds) != 0 || st != "" {
		t.Fatalf("before the slot: %d digests, slot state %q", len(ds), st)
	}
	clock.Advance(time.Minute)
	if !waitUntil(ctx, func() bool { return len(readDigests(t, b)) == 2 && slotState(t, b, key) == stateDone }) {
		t.Fatalf("at the slot: %d digests, slot state %q", len(readDigests(t, b)), slotState(t, b, key))
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// waitUntil polls cond until it holds (true) or ctx ends (false). It
// waits for work another goroutine does, never for time to pass.
func waitUntil(ctx context.Context, cond func() bool) bool {
	for !cond() {
		select {
		case <-ctx.Done():
			return false
		case <-time.After(10 * time.Millisecond):
		}
	}
	return true
}

func TestSlots(t *testing.T) {
	ed := EditionConfig{At: []string{"07:00", "18:30"}, TimeZone: "Europe/Berlin"}
	ed.Defaults()
	if err := ed.Validate(); err != nil {
		t.Fatal(err)
	}
	berlin := ed.location()
	tests := []struct {
		now        time.Time
		next, prev time.Time
	}{
		{time.Date(2026, 11, 29, 5, 0, 0, 0, berlin), time.Date(2026, 11, 29, 7, 0, 0, 0, berlin), time.Date(2026, 11, 28, 18, 30, 0, 0, berlin)},
		{time.Date(2026, 11, 29, 7, 0, 0, 0, berlin), time.Date(2026, 11, 29, 18, 30, 0, 0, berlin), time.Date(2026, 11, 29, 7, 0, 0, 0, berlin)},
		{time.Date(2026, 11, 29, 23, 0, 0, 0, berlin), time.Date(2026, 11, 30, 7, 0, 0, 0, berlin), time.Date(2026, 11, 29, 18, 30, 0, 0, berlin)},
		// The night the clocks go back: 07:00 is still 07:00 local.
		{time.Date(2026, 10, 25, 1, 0, 0, 0, time.UTC), time.Date(2026, 10, 25, 7, 0, 0, 0, berlin), time.Date(2026, 10, 24, 18, 30, 0, 0, berlin)},
	}
	for _, tt := range tests {
		if got := ed.nextSlot(tt.now); !got.Equal(tt.next) {
			t.Errorf("nextSlot(%v) = %v, want %v", tt.now, got, tt.next)
		}
		if got := ed.prevSlot(tt.now); !got.Equal(tt.prev) {
			t.Errorf("prevSlot(%v) = %v, want %v", tt.now, got, tt.prev)
		}
	}
}

func TestSlotAt(t *testing.T) {
	ed := EditionConfig{Name: "daily", At: []string{"19:00", "07:00"}, TimeZone: "Europe/Berlin"}
	ed.Defaults()
	if err := ed.Validate(); err != nil {
		t.Fatal(err)
	}
	berlin := ed.location()
	day := func(h, m int) time.Time { return time.Date(2026, 11, 29, h, m, 0, 0, berlin) }
	tests := []struct {
		now, want time.Time
	}{
		{day(5, 0), day(7, 0)}, // before the first slot: the day's first
		{day(7, 0), day(7, 0)},
		{day(12, 0), day(7, 0)},
		{day(19, 30), day(19, 0)},
		{day(23, 59), day(19, 0)},
	}
	for _, tt := range tests {
		if got := ed.slotAt(tt.now); !got.Equal(tt.want) {
			t.Errorf("slotAt(%v) = %v, want %v", tt.now, got, tt.want)
		}
	}
	if got := ed.slotLabel(day(19, 0)); got != "19:00" {
		t.Errorf("slotLabel = %q", got)
	}
	if got, err := ed.slotOn("2026-11-29", "19:00"); err != nil || !got.Equal(day(19, 0)) {
		t.Errorf("slotOn = %v, %v", got, err)
	}
	for _, bad := range [][2]string{{"2026-11-29", ""}, {"2026-11-29", "08:00"}, {"29.11.2026", "07:00"}} {
		if _, err := ed.slotOn(bad[0], bad[1]); err == nil {
			t.Errorf("slotOn(%q, %q) accepted", bad[0], bad[1])
		}
	}
	once := EditionConfig{Name: "daily", At: []string{"07:00"}, TimeZone: "UTC"}
	once.Defaults()
	if got, err := once.slotOn("2026-11-29", ""); err != nil || got.Hour() != 7 {
		t.Errorf("slotOn without a clock for a one-slot edition = %v, %v", got, err)
	}
	if got := once.slotLabel(got0(once.slotOn("2026-11-29", ""))); got != "" {
		t.Errorf("one-slot edition has slot label %q", got)
	}
}

func got0(t time.Time, _ error) time.Time { return t }

// TestSlotsAreSeparateEditions: an edition that runs twice a day publishes
// each slot under its own id, with the slot in the digest.
func TestSlotsAreSeparateEditions(t *testing.T) {
	b := natstest.Start(t)
	publishArticles(t, b, loadArticles(t, "articles.json"))
	cfg := Config{Editions: []EditionConfig{{Name: "daily", At: []string{"07:00", "19:00"}, TimeZone: "UTC", Lookback: 72 * time.Hour}}}
	s := newTestStage(t, cfg, Deps{Bus: b, Clock: clockwork.NewRealClock()})
	today := time.Now().UTC().Format(time.DateOnly)
	var ids []string
	for _, clock := range []string{"07:00", "19:00"} {
		slot, err := s.SlotOn("daily", today, clock)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range runEdition(t, s, EditionRequest{Slot: slot, Until: time.Now()}).Published {
			if d.Slot != clock {
				t.Errorf("%s has slot %q, want %q", d.ID, d.Slot, clock)
			}
			ids = append(ids, d.ID)
		}
	}
	want := []string{
		"digest:daily:" + today + "T0700:de:p1", "digest:daily:" + today + "T0700:en:p1",
		"digest:daily:" + today + "T1900:de:p1", "digest:daily:" + today + "T1900:en:p1",
	}
	if !slices.Equal(ids, want) {
		t.Errorf("ids %v, want %v", ids, want)
	}
}

// TestCatchUpWaitsForIngest: a stage started after its edition's time
// composes the catch-up edition only after the first ingest pass of its
// process, so the edition holds what that pass brought in; a pass that
// takes longer than ingest_wait is not waited for.
func TestCatchUpWaitsForIngest(t *testing.T) {
	for _, passEnds := range []bool{true, false} {
		t.Run(map[bool]string{true: "pass ends", false: "ingest_wait runs out"}[passEnds], func(t *testing.T) {
			b := natstest.Start(t)
			ingested := make(chan struct{})
			// The clock runs a minute ahead, so the articles stored
			// below are in the window of the slot it is in.
			clock := clockwork.NewFakeClockAt(time.Now().Add(time.Minute))
			slot := clock.Now().UTC().Truncate(time.Minute)
			cfg := Config{Editions: []EditionConfig{{Name: "daily", At: []string{slot.Format("15:04")}, TimeZone: "UTC"}}}
			s := newTestStage(t, cfg, Deps{Bus: b, Clock: clock, IngestDone: ingested})
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- s.Run(ctx) }()
			// The scheduler's ingest_wait timer is the clock's only one:
			// it is waiting for the pass.
			if err := clock.BlockUntilContext(ctx, 1); err != nil {
				t.Fatal("the scheduler never waited for the ingest pass")
			}
			key := lockKey(s.editions["daily"], slot)
			if st := slotState(t, b, key); st != "" {
				t.Fatalf("slot %s while the ingest pass runs, want untouched", st)
			}
			// The pass brings the news.
			publishArticles(t, b, loadArticles(t, "articles.json"))
			if passEnds {
				close(ingested)
			} else {
				clock.Advance(s.cfg.IngestWait)
			}
			var ds []news.Digest
			waitUntil(ctx, func() bool { ds = readDigests(t, b); return len(ds) >= 2 })
			cancel()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			if len(ds) != 2 {
				t.Fatalf("%d digests", len(ds))
			}
			for _, d := range ds {
				if len(d.Stories) == 0 {
					t.Errorf("%s: the catch-up edition has no stories: composed before the first ingest pass", d.ID)
				}
			}
		})
	}
}

// TestRecomposePlanOfNewSlot: a recompose planned while the slot had no
// record is not committed after a run created one.
func TestRecomposePlanOfNewSlot(t *testing.T) {
	b := natstest.Start(t)
	publishArticles(t, b, loadArticles(t, "articles.json"))
	s := newTestStage(t, Config{}, Deps{Bus: b, Clock: clockwork.NewRealClock()})
	slot := time.Now().Truncate(time.Minute)
	plan, err := s.PlanEdition(t.Context(), EditionRequest{Edition: "daily", Slot: slot, Force: true})
	if err != nil || len(plan.Digests) != 2 {
		t.Fatalf("plan: %v", err)
	}
	runEdition(t, s, EditionRequest{Slot: slot})
	if _, err := s.CommitEdition(t.Context(), plan); !errors.Is(err, errSlotChanged) {
		t.Errorf("committing a plan made before the slot's first run: %v, want errSlotChanged", err)
	}
	if got := readDigests(t, b); len(got) != 2 {
		t.Errorf("%d digests on the stream, want the run's 2", len(got))
	}
}

// TestStopReleasesLease: a replica stopped mid-compose (shutdown) writes
// the slot back as failed, so the next one takes it at once instead of
// waiting out the lease.
func TestStopReleasesLease(t *testing.T) {
	hang := llmtest.New(t, llmtest.Always(llmtest.Hang()))
	no := false
	client, err := llm.New(llm.Config{BaseURL: hang.URL, Model: llmtest.DefaultModel, CheckModel: &no}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	b := natstest.Start(t)
	publishArticles(t, b, loadArticles(t, "articles.json"))
	stopped := newTestStage(t, Config{}, Deps{Bus: b, LLM: client, Clock: clockwork.NewRealClock()})
	slot := time.Now().Truncate(time.Minute)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := stopped.Edition(ctx, EditionRequest{Edition: "daily", Slot: slot})
		done <- err
	}()
	for len(hang.Requests()) == 0 {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err == nil {
		t.Fatal("a stopped edition reported success")
	}
	if rec := slotRecordOf(t, stopped, slot); rec.State != stateFailed {
		t.Fatalf("slot record after a stop: %+v, want failed", rec)
	}
	next := newTestStage(t, Config{}, Deps{Bus: b, Clock: clockwork.NewRealClock()})
	if res := runEdition(t, next, EditionRequest{Slot: slot}); len(res.Published) != 2 {
		t.Errorf("the next replica published %d digests (%q)", len(res.Published), res.Skipped)
	}
}
