package summarize

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/nats-io/nats.go"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/natstest"
	"github.com/newsdesk/newsdesk/summarize/llm"
	"github.com/newsdesk/newsdesk/summarize/llm/llmtest"
)

// Environment of the crashing replica that TestEditionCrashTakeover starts
// as a child process of the test binary.
const (
	crashChildEnv = "NEWSDESK_TEST_CRASH_CHILD" // NATS URL
	crashLLMEnv   = "NEWSDESK_TEST_CRASH_LLM"   // LLM test double URL
	crashSlotEnv  = "NEWSDESK_TEST_CRASH_SLOT"  // slot, Unix seconds
)

// crashLease is the lease of the test's replicas: short, so the takeover
// fits in a test, and long enough that renewals under -race keep it.
const crashLease = 3 * time.Second

func crashConfig(slot time.Time) Config {
	return Config{
		Editions: []EditionConfig{{Name: "daily", At: []string{slot.UTC().Format("15:04")}, TimeZone: "UTC"}},
		LockTTL:  crashLease,
	}
}

// crashClock runs a second past slot, so a stage started on it catches
// the edition up at once.
func crashClock(slot time.Time) clockwork.Clock {
	return realClockAt(time.Until(slot) + time.Second)
}

// TestEditionCrashTakeover reproduces "an edition is lost after a crash
// during compose": one replica, a separate process, takes the edition and
// is killed with SIGKILL while its LLM call hangs (the LLM test double
// never answers). A second summarize stage on the same embedded
// nats-server must compose and publish the edition within about one
// lease: started afterwards like a restarted process, or running alongside
// since before the crash; the latter with the slot already past its
// catch-up window, which governs only slots nobody started.
func TestEditionCrashTakeover(t *testing.T) {
	if url := os.Getenv(crashChildEnv); url != "" {
		crashChild(t, url)
		return
	}
	t.Run("restarted", func(t *testing.T) { testCrashTakeover(t, false) })
	t.Run("running alongside", func(t *testing.T) { testCrashTakeover(t, true) })
}

func testCrashTakeover(t *testing.T, alongside bool) {
	dir := t.TempDir()
	b, url := natstest.StartTCP(t)
	publishArticles(t, b, loadArticles(t, "articles.json"))

	// The slot lies in the real future so the articles just stored fall
	// inside its window; both replicas' clocks run a second past it.
	slot := time.Now().Add(2 * time.Minute).UTC().Truncate(time.Minute)
	hang := llmtest.New(t, llmtest.Always(llmtest.Hang()))

	child := exec.Command(os.Args[0], "-test.run=^TestEditionCrashTakeover$", "-test.v")
	child.Env = append(os.Environ(), crashChildEnv+"="+url, crashLLMEnv+"="+hang.URL,
		crashSlotEnv+"="+strconv.FormatInt(slot.Unix(), 10))
	out, err := os.Create(dir + "/child.log")
	if err != nil {
		t.Fatal(err)
	}
	child.Stdout, child.Stderr = out, out
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	t.Cleanup(func() {
		if !killed {
			_ = child.Process.Kill()
			_ = child.Wait()
		}
	})

	// Wait until the child holds the lock and is inside the LLM call.
	ed := &EditionConfig{Name: "daily", TimeZone: "UTC"}
	key := lockKey(ed, slot)
	deadline := time.Now().Add(60 * time.Second)
	for {
		e, err := b.Editions().Get(t.Context(), key)
		if err == nil && len(hang.Requests()) > 0 {
			t.Logf("child holds %s: %s", key, e.Value)
			break
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(dir + "/child.log")
			t.Fatalf("the child never took the edition and called the LLM:\n%s", log)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The other replica: extractive, same slot, same clock.
	cfg := crashConfig(slot)
	if alongside {
		cfg.CatchUp = time.Millisecond
	}
	s := newTestStage(t, cfg, Deps{Bus: b, Clock: crashClock(slot)})
	ctx, cancel := context.WithTimeout(t.Context(), 3*crashLease+30*time.Second)
	defer cancel()
	done := make(chan error, 1)
	if alongside {
		go func() { done <- s.Run(ctx) }()
		time.Sleep(crashLease / 2) // it looks at the slot, finds it held
	}
	if err := child.Process.Kill(); err != nil { // SIGKILL: no deferred cleanup runs
		t.Fatal(err)
	}
	_ = child.Wait()
	killed = true
	died := time.Now()
	if !alongside {
		go func() { done <- s.Run(ctx) }()
	}
	// Both digests out and the slot recorded as done: the record is
	// written after the publishes, so stopping at the digests alone could
	// stop the replica before it wrote the record.
	for ctx.Err() == nil && (len(readDigests(t, b)) < 2 || slotState(t, b, key) != stateDone) {
		time.Sleep(50 * time.Millisecond)
	}
	took := time.Since(died)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	ds := readDigests(t, b)
	if len(ds) != 2 {
		e, _ := b.Editions().Get(t.Context(), key)
		val := e.Value
		t.Fatalf("%d digests %v after the holder died (%v later); lock: %s", len(ds), ds, took.Round(time.Second), val)
	}
	t.Logf("edition taken over and published %v after the holder died", took.Round(100*time.Millisecond))
	var rec slotRecord
	e, err := b.Editions().Get(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(e.Value, &rec); err != nil {
		t.Fatal(err)
	}
	if rec.State != stateDone || rec.Attempts != 2 {
		t.Errorf("slot record after the takeover: %+v, want done on the second attempt", rec)
	}
}

// crashChild is the replica that dies: it runs the stage against the
// parent's server until it is killed.
func crashChild(t *testing.T, url string) {
	sec, err := strconv.ParseInt(os.Getenv(crashSlotEnv), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	slot := time.Unix(sec, 0)
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	var bc bus.Config
	bc.Defaults()
	// Declare: the child also declares the summarize consumer it runs.
	b, err := bus.Open(t.Context(), nc, bc, slog.New(slog.DiscardHandler), bus.Declare)
	if err != nil {
		t.Fatal(err)
	}
	no := false
	client, err := llm.New(llm.Config{BaseURL: os.Getenv(crashLLMEnv), Model: llmtest.DefaultModel, CheckModel: &no}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := newTestStage(t, crashConfig(slot), Deps{Bus: b, LLM: client, Clock: crashClock(slot),
		Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	fmt.Fprintln(os.Stderr, "child: running")
	err = s.Run(t.Context()) // until SIGKILL
	fmt.Fprintln(os.Stderr, "child: stopped:", err)
}

// slotState is the state in a slot's lease record, "" while there is none.
func slotState(t *testing.T, b *bus.Bus, key string) string {
	t.Helper()
	e, err := b.Editions().Get(t.Context(), key)
	if err != nil {
		return ""
	}
	var rec slotRecord
	if err := json.Unmarshal(e.Value, &rec); err != nil {
		t.Fatal(err)
	}
	return rec.State
}
