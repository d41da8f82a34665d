package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/config"
	"github.com/newsdesk/newsdesk/internal/natsembed"
	"github.com/newsdesk/newsdesk/internal/natstest"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/sample"
	"github.com/newsdesk/newsdesk/internal/smtptest"
	"github.com/newsdesk/newsdesk/internal/testnet"
	"github.com/newsdesk/newsdesk/summarize"
)

// switchSite is the bundled sample site on a local HTTP server that can be
// taken down (every request answers 503) and slowed down.
type switchSite struct {
	*httptest.Server
	down  atomic.Bool
	delay atomic.Int64 // nanoseconds before each feed answer
}

func newSwitchSite(t *testing.T) *switchSite {
	s := &switchSite{}
	h := sample.Handler()
	feeds := map[string]bool{}
	for _, f := range sample.Feeds() {
		feeds[f.Path] = true
	}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.down.Load() {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		if feeds[r.URL.Path] {
			time.Sleep(time.Duration(s.delay.Load()))
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// cronSetup is a config file for run --once against a switchSite.
type cronSetup struct {
	dir, data, out, config string
	site                   *switchSite
	smtp                   string // host:port
}

// writeConfig writes the setup's config: the sample feeds, the bundled
// topic, a daily edition at 00:00 UTC (so any run belongs to today's
// slot), three subscribers (de, en, both) and extra YAML under the given
// top-level keys (appended verbatim).
func (c *cronSetup) writeConfig(t *testing.T, extra map[string]string) {
	t.Helper()
	topic, err := filepath.Abs("../../configs/topics/china-us-ai.yaml")
	if err != nil {
		t.Fatal(err)
	}
	host, port, err := net.SplitHostPort(c.smtp)
	if err != nil {
		t.Fatal(err)
	}
	var feeds strings.Builder
	for _, f := range sample.Feeds() {
		fmt.Fprintf(&feeds, "    - {id: %s, name: %q, url: %q, language: %s}\n", f.ID, f.Name, c.site.URL+f.Path, f.Language)
	}
	yaml := fmt.Sprintf(`nats:
  data_dir: %q
ingest:
  topic: %q
  allow_private_networks: true
  allow_fast_polling: true
  per_host_interval: 1ms
  per_host_concurrency: 8
  request_timeout: 10s
%s  feeds:
%s
summarize:
  catch_up: 24h
%s  editions:
    - {name: daily, at: ["00:00"], time_zone: UTC, languages: [de, en], max_stories: 6, lookback: 48h}
publish:
  out_dir: %q
  base_url: https://digest.newsdesk.example
%s  email:
    smtp_host: %s
    smtp_port: %s
    tls: none
    from: "newsdesk Test <digest@newsdesk.example>"
%s    subscribers:
      - {email: leserin@example.org, languages: [de]}
      - {email: reader@example.org, languages: [en]}
      - {email: both@example.org, languages: [de, en]}
%s`, c.data, topic, extra["ingest"], feeds.String(), extra["summarize"], c.out, extra["publish"], host, port, extra["email"], extra[""])
	c.config = filepath.Join(c.dir, "newsdesk.yaml")
	if err := os.WriteFile(c.config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
}

func newCronSetup(t *testing.T, smtpAddr string) *cronSetup {
	dir := t.TempDir()
	c := &cronSetup{dir: dir, data: filepath.Join(dir, "data"), out: filepath.Join(dir, "out"), site: newSwitchSite(t), smtp: smtpAddr}
	c.writeConfig(t, nil)
	return c
}

// runCmd runs the newsdesk command line in this process, as main does.
func runCmd(ctx context.Context, args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(ctx, args, &o, &e)
	return code, o.String(), e.String()
}

// latestDigest reads publish's digests/<lang>.json.
func latestDigest(t *testing.T, out, lang string) news.Digest {
	t.Helper()
	var d news.Digest
	raw, err := os.ReadFile(filepath.Join(out, "digests", lang+".json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestCronFeedsDownThenUp is the scenario that lost a day of news: every
// feed answers 503, `run --once` (cron), the feeds come back, `run --once`
// again on the same data directory. The first run says every feed failed
// and exits 1; its empty edition does not use up the slot, so the second
// run publishes the day's news (as the slot's second revision) and mails
// it; a third run sends nothing twice.
func TestCronFeedsDownThenUp(t *testing.T) {
	smtpSrv := smtptest.Start(t)
	c := newCronSetup(t, smtpSrv.Addr)
	c.site.down.Store(true)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()

	code, out, errOut := runCmd(ctx, "run", "--once", "--config", c.config)
	t.Logf("feeds down: exit %d\n%s%s", code, out, errOut)
	if code != 1 || !strings.Contains(errOut, "every feed failed") {
		t.Fatalf("feeds down: exit %d, stderr %q, want 1 and \"every feed failed\"\nstdout:\n%s", code, errOut, out)
	}
	if !strings.Contains(out, "de has no stories yet") || !strings.Contains(out, "en has no stories yet") {
		t.Errorf("feeds down: stdout does not say the edition is still empty:\n%s", out)
	}
	if n := len(smtpSrv.Messages()); n != 0 {
		t.Errorf("feeds down: %d mails", n)
	}

	c.site.down.Store(false)
	code, out, errOut = runCmd(ctx, "run", "--once", "--config", c.config)
	t.Logf("feeds up: exit %d\n%s%s", code, out, errOut)
	if code != 0 {
		t.Fatalf("feeds up: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	date := time.Now().UTC().Format(time.DateOnly)
	for _, lang := range []string{"de", "en"} {
		id := news.DigestID("daily", date, lang, "p1")
		if !strings.Contains(out, "published "+id+" revision 2") || !strings.Contains(out, "publish: delivered "+id+"#r2") {
			t.Errorf("feeds up: stdout does not report %s revision 2 published and delivered:\n%s", id, out)
		}
		d := latestDigest(t, c.out, lang)
		if d.ID != id || d.Revision != 2 || len(d.Stories) == 0 {
			t.Errorf("published %s digest: %s revision %d with %d stories", lang, d.ID, d.Revision, len(d.Stories))
		}
	}
	if n := len(smtpSrv.WaitFor(4, 5*time.Second)); n != 4 {
		t.Errorf("feeds up: %d mails, want 4 (leserin de, reader en, both de and en)", n)
	}

	code, out, errOut = runCmd(ctx, "run", "--once", "--config", c.config)
	if code != 0 || !strings.Contains(out, "already published") {
		t.Errorf("third run: exit %d, stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if n := len(smtpSrv.WaitFor(5, time.Second)); n != 4 {
		t.Errorf("three runs sent %d mails, want 4 (nothing twice)", n)
	}
}

// TestOnceExitCodes: run --once tells cron what happened by its exit
// status, and never waits on a retry timer: 3 when no edition has stories
// yet; 1 at once when the mail server is down (the digests wait in the
// stream), and the next run after publish.email.retry_after delivers them.
func TestOnceExitCodes(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()

	t.Run("nothing relevant", func(t *testing.T) {
		c := newCronSetup(t, smtptest.Start(t).Addr)
		c.writeConfig(t, map[string]string{"ingest": "  min_relevance: 100000\n"})
		code, out, errOut := runCmd(ctx, "run", "--once", "--config", c.config)
		if code != exitNothing || !strings.Contains(errOut, "nothing to publish yet") {
			t.Errorf("exit %d, stderr %q; want %d\nstdout:\n%s", code, errOut, exitNothing, out)
		}
	})

	t.Run("mail server down", func(t *testing.T) {
		closed := testnet.FreeAddr(t) // nothing listens here
		c := newCronSetup(t, closed)
		retry := map[string]string{"email": "    retry_after: 1s\n    send_timeout: 5s\n"}
		c.writeConfig(t, retry)
		code, out, errOut := runCmd(ctx, "run", "--once", "--config", c.config)
		if ctx.Err() != nil {
			t.Fatal("run --once waited on publish's retry timer")
		}
		if code != 1 || !strings.Contains(errOut, "delivering digest:daily:") {
			t.Fatalf("exit %d, stderr %q; want 1 naming the digests not delivered\nstdout:\n%s", code, errOut, out)
		}
		// The relay is back; the next run delivers what waited.
		smtpSrv := smtptest.Start(t)
		c.smtp = smtpSrv.Addr
		c.writeConfig(t, retry)
		time.Sleep(1500 * time.Millisecond) // past retry_after
		code, out, errOut = runCmd(ctx, "run", "--once", "--config", c.config)
		if code != 0 {
			t.Fatalf("relay back: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
		}
		if !strings.Contains(out, "already published") || strings.Count(out, "publish: delivered ") != 2 {
			t.Errorf("relay back: the second run did not deliver the waiting digests:\n%s", out)
		}
		if n := len(smtpSrv.WaitFor(4, 5*time.Second)); n != 4 {
			t.Errorf("relay back: %d mails, want 4", n)
		}
	})
}

// TestSecondProcess: while `run` holds a data directory, a second newsdesk
// process on it fails at once with a clear error; after the first stops,
// the directory is free.
func TestSecondProcess(t *testing.T) {
	c := newCronSetup(t, smtptest.Start(t).Addr)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	daemon := make(chan int, 1)
	var daemonErr bytes.Buffer
	go func() {
		var o bytes.Buffer
		daemon <- run(ctx, []string{"run", "--config", c.config}, &o, &daemonErr)
	}()
	// Running: the directory is locked and the catch-up edition is out.
	lock := filepath.Join(c.data, natsembed.LockFile)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		pid, _ := os.ReadFile(lock)
		_, errDE := os.Stat(filepath.Join(c.out, "digests", "de.json"))
		_, errEN := os.Stat(filepath.Join(c.out, "digests", "en.json"))
		if errDE == nil && errEN == nil && strings.TrimSpace(string(pid)) == strconv.Itoa(os.Getpid()) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("run never locked its data directory and published its catch-up edition")
		}
	}

	pctx, pcancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer pcancel()
	second := exec.CommandContext(pctx, os.Args[0], "run", "--once", "--config", c.config)
	second.Env = append(os.Environ(), binaryEnv+"=1")
	var stderr bytes.Buffer
	second.Stderr = &stderr
	err := second.Run()
	if pctx.Err() != nil {
		t.Fatal("the second process did not fail at once")
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("second process: %v, want exit status 1", err)
	}
	msg := stderr.String()
	for _, want := range []string{"already in use", c.data, "pid " + strconv.Itoa(os.Getpid())} {
		if !strings.Contains(msg, want) {
			t.Errorf("second process said %q; want it to contain %q", msg, want)
		}
	}

	cancel()
	if code := <-daemon; code != 0 {
		t.Errorf("run exited %d after its context ended: %s", code, daemonErr.String())
	}
	if code, out, errOut := runCmd(t.Context(), "run", "--once", "--config", c.config); code != 0 {
		t.Errorf("after the first process stopped: exit %d\n%s\n%s", code, out, errOut)
	}
}

// TestCatchUpAfterFirstPass: `run` started after its edition's time
// composes the catch-up edition only after its first ingest pass (slow
// feeds here), so the edition carries the news of that pass.
func TestCatchUpAfterFirstPass(t *testing.T) {
	c := newCronSetup(t, smtptest.Start(t).Addr)
	c.site.delay.Store(int64(300 * time.Millisecond))
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	daemon := make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		var o bytes.Buffer
		daemon <- run(ctx, []string{"run", "--config", c.config}, &o, &stderr)
	}()
	for {
		_, errDE := os.Stat(filepath.Join(c.out, "digests", "de.json"))
		_, errEN := os.Stat(filepath.Join(c.out, "digests", "en.json"))
		if errDE == nil && errEN == nil {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("no digest: %s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if code := <-daemon; code != 0 {
		t.Errorf("run exited %d: %s", code, stderr.String())
	}
	for _, lang := range []string{"de", "en"} {
		if d := latestDigest(t, c.out, lang); len(d.Stories) == 0 || d.Revision != 1 {
			t.Errorf("%s catch-up edition: revision %d with %d stories; want the first pass's news in revision 1", lang, d.Revision, len(d.Stories))
		}
	}
}

// TestRecompose: an operator rebuilds today's slot on purpose. A dry run
// (flags after the edition) shows the new revision of each digest, its
// stories and whom it would mail, and changes nothing; without --yes and
// without a terminal nothing is published; a "no" publishes nothing; a
// "yes" publishes revision 2, which replaces revision 1 in the archive and
// reaches only the subscriber who did not have the edition yet.
func TestRecompose(t *testing.T) {
	smtpSrv := smtptest.Start(t)
	c := newCronSetup(t, smtpSrv.Addr)
	ctx := t.Context()
	if code, out, errOut := runCmd(ctx, "run", "--once", "--config", c.config); code != 0 {
		t.Fatalf("run --once: exit %d\n%s\n%s", code, out, errOut)
	}
	if n := len(smtpSrv.WaitFor(4, 5*time.Second)); n != 4 {
		t.Fatalf("%d mails after the first run, want 4", n)
	}
	// A new reader, in the config.
	c.writeConfig(t, map[string]string{"": "      - {email: neu@example.org, languages: [de]}\n"})
	date := time.Now().UTC().Format(time.DateOnly)
	deID := news.DigestID("daily", date, "de", "p1")

	code, out, errOut := runCmd(ctx, "recompose", "daily", "--dry-run", "--config", c.config)
	t.Logf("dry run: exit %d\n%s%s", code, out, errOut)
	if code != 0 {
		t.Fatalf("dry run: exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"Edition daily, slot " + date + " 00:00 UTC",
		"de: revision 2 of " + deID,
		"replaces revision 1",
		"mail: 1 of 3 subscribers; 2 had this edition already and get nothing",
		"mail: 0 of 2 subscribers; 2 had this edition already and get nothing",
		"Dry run: nothing published, nobody mailed.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q", want)
		}
	}
	unchanged := func(when string) {
		t.Helper()
		if d := latestDigest(t, c.out, "de"); d.Revision != 1 {
			t.Errorf("%s: the archive has revision %d", when, d.Revision)
		}
		if n := len(smtpSrv.Messages()); n != 4 {
			t.Errorf("%s: %d mails, want still 4", when, n)
		}
	}
	unchanged("after the dry run")

	code, _, errOut = runCmd(ctx, "recompose", "daily", "--config", c.config)
	if code != 1 || !strings.Contains(errOut, "confirm with --yes") {
		t.Errorf("without --yes or a terminal: exit %d, %q", code, errOut)
	}
	unchanged("after no confirmation")

	ask := func(answer string) (int, string, string) {
		var o, e bytes.Buffer
		code := runEnv(ctx, &env{stdout: &o, stderr: &e, stdin: strings.NewReader(answer), interactive: true},
			[]string{"recompose", "--config", c.config, "daily"})
		return code, o.String(), e.String()
	}
	code, out, _ = ask("n\n")
	if code != 0 || !strings.Contains(out, "Publish 2 digest(s) and mail 1 subscriber(s)? [y/N]") || !strings.Contains(out, "Not published.") {
		t.Errorf("answering no: exit %d\n%s", code, out)
	}
	unchanged("after answering no")

	code, out, errOut = ask("y\n")
	t.Logf("yes: exit %d\n%s%s", code, out, errOut)
	if code != 0 || !strings.Contains(out, "published "+deID+" revision 2") {
		t.Fatalf("answering yes: exit %d\n%s\n%s", code, out, errOut)
	}
	if d := latestDigest(t, c.out, "de"); d.Revision != 2 || d.ID != deID {
		t.Errorf("the archive has %s revision %d, want revision 2", d.ID, d.Revision)
	}
	msgs := smtpSrv.WaitFor(5, 5*time.Second)
	if len(msgs) != 5 || !slices.Contains(msgs[4].To, "neu@example.org") {
		t.Errorf("%d mails after the recompose, want a fifth to the new reader only", len(msgs))
	}

	if code, _, errOut := runCmd(ctx, "recompose", "daily", "--slot", "08:00", "--config", c.config); code != 2 || !strings.Contains(errOut, "no slot at") {
		t.Errorf("a slot the edition does not have: exit %d, %q", code, errOut)
	}
	tomorrow := time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)
	if code, _, errOut := runCmd(ctx, "recompose", "daily", "--date", tomorrow, "--config", c.config); code != 2 || !strings.Contains(errOut, "still ahead") {
		t.Errorf("a slot still ahead: exit %d, %q", code, errOut)
	}
}

// TestSlotsBacklog: an edition that runs twice a day publishes two
// editions. Both slots' digests wait on a NATS server while no publish
// stage runs (the summarize stage composes them against it); when
// `newsdesk publish` starts it mails both, each mail's subject carrying
// its slot, and archive and feed keep both.
func TestSlotsBacklog(t *testing.T) {
	b, url := natstest.StartTCP(t)
	smtpSrv := smtptest.Start(t)
	c := newCronSetup(t, smtpSrv.Addr)
	raw, err := os.ReadFile(c.config)
	if err != nil {
		t.Fatal(err)
	}
	twice := strings.Replace(string(raw), `at: ["00:00"]`, `at: ["00:00", "00:01"]`, 1)
	if err := os.WriteFile(c.config, []byte(twice), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(c.config)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := summarize.New(cfg.Summarize, summarize.Deps{Bus: b, Langs: cfg.Langs})
	if err != nil {
		t.Fatal(err)
	}
	date := time.Now().UTC().Format(time.DateOnly)
	ctx := t.Context()
	// Each slot's window ends now: the first holds the day's articles,
	// the second the follow-up that came after it.
	for _, slot := range []struct{ clock, articles string }{{"00:00", "articles.json"}, {"00:01", "followup.json"}} {
		raw, err := os.ReadFile(filepath.Join("..", "..", "summarize", "testdata", slot.articles))
		if err != nil {
			t.Fatal(err)
		}
		var as []news.Article
		if err := json.Unmarshal(raw, &as); err != nil {
			t.Fatal(err)
		}
		for _, a := range as {
			if _, err := b.Publish(ctx, bus.ArticleSubject(a.Language, a.Source), a.ID, a, nil); err != nil {
				t.Fatal(err)
			}
		}
		at, err := sum.SlotOn("daily", date, slot.clock)
		if err != nil {
			t.Fatal(err)
		}
		res, err := sum.Edition(ctx, summarize.EditionRequest{Edition: "daily", Slot: at, Until: time.Now()})
		if err != nil || len(res.Published) != 2 {
			t.Fatalf("slot %s: %d digests, %v", slot.clock, len(res.Published), err)
		}
	}

	// As on a cluster: setup declares the consumers, the stage binds.
	if code, out, errOut := runCmd(ctx, "setup", "--nats", url, "--config", c.config); code != 0 || !strings.Contains(out, "consumer DIGESTS/publish: created") {
		t.Fatalf("setup exited %d: %s%s", code, out, errOut)
	}
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		var o bytes.Buffer
		done <- run(pctx, []string{"publish", "--nats", url, "--config", c.config}, &o, &stderr)
	}()
	// 00:00: German and English with stories (leserin, reader, both twice);
	// 00:01: the follow-up, English only (reader, both).
	msgs := smtpSrv.WaitFor(6, 30*time.Second)
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("publish exited %d: %s", code, stderr.String())
	}
	subjects := map[string]int{}
	for _, m := range msgs {
		msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		if err != nil {
			t.Fatal(err)
		}
		for _, slot := range []string{"00:00", "00:01"} {
			// "…, 6. December, 00:01: <lead>" / "…, 6. Dezember, 00:01 Uhr: <lead>"
			if strings.Contains(subject, ", "+slot) {
				subjects[slot]++
			}
		}
	}
	if len(msgs) != 6 || subjects["00:00"] != 4 || subjects["00:01"] != 2 {
		t.Errorf("%d mails, by slot in the subject %v; want 4 for 00:00 and 2 for 00:01", len(msgs), subjects)
	}
	for _, lang := range []string{"de", "en"} {
		for _, page := range []string{date + "-0000-daily.html", date + "-0001-daily.html"} {
			if _, err := os.Stat(filepath.Join(c.out, "archive", lang, page)); err != nil {
				t.Errorf("archive: %v", err)
			}
		}
		feed, err := os.ReadFile(filepath.Join(c.out, "feeds", lang+".xml"))
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"T0000:" + lang, "T0001:" + lang} {
			if !strings.Contains(string(feed), id) {
				t.Errorf("%s feed lacks the item %s", lang, id)
			}
		}
	}
}
