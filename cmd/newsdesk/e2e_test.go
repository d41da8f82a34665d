package main

import (
	"bytes"
	"log/slog"

	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/nats-io/nats.go"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/natsembed"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/sample"
	"github.com/newsdesk/newsdesk/internal/smtptest"
	"github.com/newsdesk/newsdesk/summarize/llm/llmtest"
)

// digestWatcher is a program subscribed to news.digest.> the way an
// external consumer would be: a plain NATS subscription.
type digestWatcher struct {
	mu      sync.Mutex
	digests []news.Digest
	errs    []error
}

func (w *digestWatcher) attach(t *testing.T) func(*bus.Bus) {
	return func(b *bus.Bus) {
		_, err := b.Subscribe(bus.SubjectDigests, func(m *nats.Msg) {
			var d news.Digest
			err := json.Unmarshal(m.Data, &d)
			if err == nil {
				err = d.Validate()
			}
			w.mu.Lock()
			defer w.mu.Unlock()
			if err != nil {
				w.errs = append(w.errs, err)
				return
			}
			w.digests = append(w.digests, d)
		})
		if err != nil {
			t.Errorf("subscribe: %v", err)
		}
	}
}

// TestDemoEndToEnd runs the README's first command in-process against a
// real SMTP server and checks every output: digests, feeds parsed back with
// gofeed, the mails' MIME structure and headers, and a NATS subscriber.
func TestDemoEndToEnd(t *testing.T) {
	smtpSrv := smtptest.Start(t)
	out := t.TempDir()
	var w digestWatcher
	digests, err := runDemo(t.Context(), demoOptions{out: out, smtp: smtpSrv.Addr, onBus: w.attach(t)})
	if err != nil {
		t.Fatal(err)
	}

	// Digests: one per language, the same stories in both (no LLM): each
	// told from sources in the digest's language, or, with none, by the
	// headline and link of a source in its own language.
	if len(digests) != 2 {
		t.Fatalf("got %d digests, want 2", len(digests))
	}
	if de, en := storyIDsOf(digests[0]), storyIDsOf(digests[1]); !slices.Equal(de, en) {
		t.Errorf("the German and English digests tell different stories: %v, %v", de, en)
	}
	for _, d := range digests {
		if len(d.Stories) < 3 {
			t.Errorf("%s: %d stories, want at least 3", d.Language, len(d.Stories))
		}
		if d.Generator != "extractive" {
			t.Errorf("%s: generator %q, want extractive", d.Language, d.Generator)
		}
		for _, s := range d.Stories {
			own := s.Language == d.Language
			if s.Headline == "" || own && s.Summary == "" || !own && s.Summary != "" || len(s.Sources) == 0 {
				t.Errorf("%s: incomplete story %+v", d.Language, s)
			}
			for _, src := range s.Sources {
				if src.Language != s.Language {
					t.Errorf("%s digest: a story told in %s cites a %s source %s", d.Language, s.Language, src.Language, src.URL)
				}
				if !strings.HasPrefix(src.URL, "http://127.0.0.1:") {
					t.Errorf("source URL %q is not the sample site's", src.URL)
				}
			}
		}
		var onDisk news.Digest
		readJSON(t, filepath.Join(out, "digests", d.Language+".json"), &onDisk)
		if onDisk.ID != d.ID || len(onDisk.Stories) != len(d.Stories) {
			t.Errorf("digests/%s.json holds %s with %d stories, want %s with %d", d.Language, onDisk.ID, len(onDisk.Stories), d.ID, len(d.Stories))
		}
	}
	// Stories, not articles: each sample event is told once per digest.
	storyOf := map[string]string{}
	for _, a := range sample.Articles() {
		storyOf[a.Path] = a.Story
	}
	for _, d := range digests {
		told := map[string]int{}
		for i, s := range d.Stories {
			keys := map[string]bool{}
			for _, src := range s.Sources {
				u, err := url.Parse(src.URL)
				if err != nil {
					t.Fatal(err)
				}
				keys[storyOf[u.Path]] = true
			}
			if len(keys) != 1 {
				t.Errorf("%s story %d %q merges events %v", d.Language, i+1, s.Headline, keys)
			}
			for k := range keys {
				if j, dup := told[k]; dup {
					t.Errorf("%s: event %q told twice, as stories %d and %d", d.Language, k, j+1, i+1)
				}
				told[k] = i
			}
		}
	}
	// The off-topic sample articles never reach a digest.
	for _, d := range digests {
		for _, s := range d.Stories {
			for _, src := range s.Sources {
				if strings.Contains(src.URL, "derby") || strings.Contains(src.URL, "baeckerei") || strings.Contains(src.URL, "bakery") {
					t.Errorf("off-topic article in digest: %s", src.URL)
				}
			}
		}
	}

	// Feeds parse back, in the right language, with the digest as item.
	fp := gofeed.NewParser()
	for _, lang := range []string{"de", "en"} {
		for _, ext := range []string{"xml", "atom", "json"} {
			path := filepath.Join(out, "feeds", lang+"."+ext)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, err := fp.Parse(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if len(f.Items) != 1 {
				t.Errorf("%s: %d items, want 1", path, len(f.Items))
				continue
			}
			if !strings.HasPrefix(f.Language, lang) {
				t.Errorf("%s: language %q, want %s", path, f.Language, lang)
			}
			if f.Items[0].GUID == "" || f.Items[0].PublishedParsed == nil && f.Items[0].UpdatedParsed == nil {
				t.Errorf("%s: item without id or date: %+v", path, f.Items[0])
			}
		}
	}

	// Mail: 2 German and 2 English subscribers in demo.yaml.
	msgs := smtpSrv.WaitFor(4, 5*time.Second)
	if len(msgs) != 4 {
		t.Fatalf("SMTP server got %d mails, want 4", len(msgs))
	}
	var sawUmlautSubject bool
	for _, m := range msgs {
		checkDigestMail(t, m.Data, &sawUmlautSubject)
	}
	if !sawUmlautSubject {
		t.Error("no German mail with a decoded umlaut subject")
	}

	// A program on NATS got both digests.
	deadline := time.Now().Add(5 * time.Second)
	for {
		w.mu.Lock()
		n, errs := len(w.digests), w.errs
		w.mu.Unlock()
		if n >= 2 || time.Now().After(deadline) {
			if n != 2 || len(errs) > 0 {
				t.Errorf("NATS subscriber got %d digests (errors %v), want 2", n, errs)
			}
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func checkDigestMail(t *testing.T, raw []byte, sawUmlaut *bool) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse mail: %v", err)
	}
	h := msg.Header
	subject, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	if err != nil {
		t.Errorf("subject %q: %v", h.Get("Subject"), err)
	}
	if strings.ContainsAny(subject, "äöüÜ") {
		*sawUmlaut = true
		if !strings.Contains(h.Get("Subject"), "=?") {
			t.Errorf("umlaut subject not RFC 2047-encoded: %q", h.Get("Subject"))
		}
	}
	lu := h.Get("List-Unsubscribe")
	if !strings.HasPrefix(lu, "<http") || !strings.HasSuffix(lu, ">") {
		t.Errorf("List-Unsubscribe %q", lu)
	}
	if h.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post %q", h.Get("List-Unsubscribe-Post"))
	}
	if h.Get("Message-Id") == "" || h.Get("Date") == "" {
		t.Error("missing Message-ID or Date")
	}
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q (%v), want multipart/alternative", h.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	var types []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		types = append(types, ct)
	}
	if !slices.Equal(types, []string{"text/plain", "text/html"}) {
		t.Errorf("parts %v, want text/plain then text/html", types)
	}
}

// TestDemoTwice: polling the same feeds again publishes no article twice,
// composes no second copy of the digest and mails nobody twice.
func TestDemoTwice(t *testing.T) {
	smtpSrv := smtptest.Start(t)
	data := t.TempDir()
	site := fixedSiteAddr(t)
	for range 2 {
		if _, err := runDemo(t.Context(), demoOptions{out: t.TempDir(), dataDir: data, smtp: smtpSrv.Addr, siteAddr: site}); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(smtpSrv.WaitFor(5, time.Second)); n != 4 {
		t.Errorf("two runs sent %d mails, want 4 (no mail twice)", n)
	}
	srv, err := natsembed.Start(natsembed.Options{StoreDir: data})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	nc, err := srv.Connect("check")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	var cfg bus.Config
	cfg.Defaults()
	b, err := bus.Open(t.Context(), nc, cfg, slog.New(slog.DiscardHandler), bus.Bind)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]uint64{}
	for _, name := range []string{bus.StreamArticles, bus.StreamDigests} {
		n, err := b.Msgs(t.Context(), name)
		if err != nil {
			t.Fatal(err)
		}
		counts[name] = n
	}
	// 16 sample articles, 2 off topic, one URL in two feeds: 14 published once.
	if counts[bus.StreamArticles] != 14 {
		t.Errorf("ARTICLES holds %d messages after two runs, want 14", counts[bus.StreamArticles])
	}
	if counts[bus.StreamDigests] != 2 {
		t.Errorf("DIGESTS holds %d messages after two runs, want 2", counts[bus.StreamDigests])
	}
}

// TestDemoLLMGarbage: an LLM (the llmtest test double) that answers with
// text that is not the JSON asked for must not stop the edition: it goes
// out with extractive summaries and says so.
func TestDemoLLMGarbage(t *testing.T) {
	fake := llmtest.New(t, llmtest.Always(llmtest.OK("I am not JSON. <b>Hello</b>")))
	out := t.TempDir()
	digests, err := runDemo(t.Context(), demoOptions{out: out, llmURL: fake.URL, llmModel: llmtest.DefaultModel})
	if err != nil {
		t.Fatal(err)
	}
	if len(fake.Requests()) == 0 {
		t.Fatal("the LLM was never called")
	}
	for _, d := range digests {
		if len(d.Stories) == 0 {
			t.Errorf("%s: no stories", d.Language)
		}
		if len(d.Notes) == 0 {
			t.Errorf("%s: degraded edition without a note to the reader", d.Language)
		}
		for _, s := range d.Stories {
			if strings.Contains(s.Summary, "I am not JSON") || strings.Contains(s.Summary, "<b>") {
				t.Errorf("%s: LLM garbage leaked into a story: %q", d.Language, s.Summary)
			}
		}
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestDemoLLMWrongModel: a server that answers but does not serve the
// configured model is a configuration error, reported before any work.
func TestDemoLLMWrongModel(t *testing.T) {
	fake := llmtest.New(t, llmtest.Always(llmtest.OK("{}")), llmtest.WithModels("qwen3:8b"))
	_, err := runDemo(t.Context(), demoOptions{out: t.TempDir(), llmURL: fake.URL, llmModel: "no-such-model"})
	if err == nil || !strings.Contains(err.Error(), "no-such-model") {
		t.Fatalf("err = %v, want an error naming the missing model", err)
	}
	if n := len(fake.Requests()); n != 0 {
		t.Errorf("%d chat requests sent to a server without the model", n)
	}
}

// TestDemoLLMDown: an LLM that cannot be reached does not stop the demo;
// the edition goes out extractively and says so.
func TestDemoLLMDown(t *testing.T) {
	fake := llmtest.New(t, llmtest.Always(llmtest.OK("{}")))
	url := fake.URL
	fake.Close()
	digests, err := runDemo(t.Context(), demoOptions{out: t.TempDir(), llmURL: url, llmModel: llmtest.DefaultModel})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range digests {
		if len(d.Stories) == 0 || len(d.Notes) == 0 {
			t.Errorf("%s: %d stories, notes %q; want stories and a note that the LLM was down", d.Language, len(d.Stories), d.Notes)
		}
	}
}

// fixedSiteAddr picks a free loopback address for the sample site, so that
// runs sharing a data directory see the same article URLs, as they would
// from a real outlet.
func fixedSiteAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
