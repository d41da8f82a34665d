package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/sample"
	"github.com/newsdesk/newsdesk/internal/smtptest"
	"github.com/newsdesk/newsdesk/summarize/llm/llmtest"
	"github.com/newsdesk/newsdesk/summarize/summarizetest"
	"github.com/newsdesk/newsdesk/summarize/verify"
)

// The LLM path end to end: the demo with llmtest, the TEST DOUBLE of an
// OpenAI-compatible server (no model weights can be downloaded where tests
// run), answered by summarizetest's editor. The editor writes each story
// version from a source title in that language; for a story with no source
// in one language it answers both versions with a stand-in that says so
// (summarizetest.WithStandIns), which passes the stage's checks. Where the
// stage's checks reject an answer anyway, the story must go out extractively
// and the digest must say so; the test checks exactly that.

// answerLog records the double's answers, so the test can tell LLM text
// from the stage's extractive fallback.
type answerLog struct {
	mu        sync.Mutex
	versions  map[string]map[string]bool // lang → "headline\x00summary"
	overviews map[string]bool
}

func (l *answerLog) wrap(h llmtest.Handler) llmtest.Handler {
	l.versions = map[string]map[string]bool{}
	l.overviews = map[string]bool{}
	return func(req llmtest.ChatRequest) llmtest.Reply {
		r := h(req)
		l.mu.Lock()
		defer l.mu.Unlock()
		switch summarizetest.Purpose(req) {
		case summarizetest.PurposeStory:
			var ans map[string]struct{ Headline, Summary string }
			if json.Unmarshal([]byte(r.Content), &ans) == nil {
				for code, v := range ans {
					if l.versions[code] == nil {
						l.versions[code] = map[string]bool{}
					}
					l.versions[code][v.Headline+"\x00"+v.Summary] = true
				}
			}
		case summarizetest.PurposeOverview:
			var ans struct{ Overview string }
			if json.Unmarshal([]byte(r.Content), &ans) == nil {
				l.overviews[ans.Overview] = true
			}
		}
		return r
	}
}

func (l *answerLog) fromLLM(code string, st news.Story) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.versions[code][st.Headline+"\x00"+st.Summary]
}

func (l *answerLog) overviewFromLLM(ov string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.overviews[ov]
}

// calls counts the double's requests from the from-th on, by purpose.
func calls(fake *llmtest.Server, from int) map[string]int {
	n := map[string]int{}
	for _, r := range fake.Requests()[from:] {
		n[summarizetest.Purpose(r)]++
	}
	return n
}

var citeNum = regexp.MustCompile(`\[(\d+)\]`)

func textOf(st news.Story) string {
	return st.Headline + ". " + strings.TrimSpace(citeNum.ReplaceAllString(st.Summary, ""))
}

// TestDemoLLM runs the demo with the editor double and checks what an LLM
// edition promises: LLM text in both languages, cited to sample pages,
// in the right language, the same stories in both, token usage, mails with
// the LLM's text, and no brief paid for twice.
func TestDemoLLM(t *testing.T) {
	var log answerLog
	fake := llmtest.New(t, log.wrap(summarizetest.Editor(summarizetest.WithStandIns())))
	smtpSrv := smtptest.Start(t)
	data := t.TempDir()
	site := fixedSiteAddr(t)
	demo := func(onBus func(*bus.Bus)) []news.Digest {
		t.Helper()
		ds, err := runDemo(t.Context(), demoOptions{out: t.TempDir(), dataDir: data, siteAddr: site, smtp: smtpSrv.Addr,
			llmURL: fake.URL, llmModel: llmtest.DefaultModel, onBus: onBus})
		if err != nil {
			t.Fatal(err)
		}
		return ds
	}

	digests := demo(nil)
	if len(digests) != 2 || digests[0].Language != "de" || digests[1].Language != "en" {
		t.Fatalf("got %d digests, want de and en", len(digests))
	}
	samplePaths := map[string]bool{}
	for _, a := range sample.Articles() {
		samplePaths[a.Path] = true
	}
	fallbacks := map[string][]string{}
	for _, d := range digests {
		if want := "llm:" + llmtest.DefaultModel; d.Generator != want {
			t.Errorf("%s: generator %q, want %q", d.Language, d.Generator, want)
		}
		if len(d.Stories) < 3 {
			t.Errorf("%s: %d stories, want at least 3", d.Language, len(d.Stories))
		}
		other := map[string]string{"de": "en", "en": "de"}[d.Language]
		for i, st := range d.Stories {
			where := fmt.Sprintf("%s story %d %q", d.Language, i+1, st.Headline)
			cites := citeNum.FindAllStringSubmatch(st.Summary, -1)
			if len(cites) == 0 {
				t.Errorf("%s: no [n] citation in %q", where, st.Summary)
			}
			for _, c := range cites {
				n, _ := strconv.Atoi(c[1])
				if n < 1 || n > len(st.Sources) {
					t.Errorf("%s: cites [%d] of %d sources", where, n, len(st.Sources))
					continue
				}
				u, err := url.Parse(st.Sources[n-1].URL)
				if err != nil || u.Scheme != "http" || u.Host != site || !samplePaths[u.Path] {
					t.Errorf("%s: cited source %q is not a sample page on %s", where, st.Sources[n-1].URL, site)
				}
			}
			text := textOf(st)
			if ok, detail := verify.Language(lang.Default(), text, d.Language); !ok {
				t.Errorf("%s: not in %s: %s", where, d.Language, detail)
			}
			// verify.Language lets text through whose language the
			// detector names with less than 0.5 confidence; the other
			// edition language must not be named at all.
			if got, conf := lang.DetectWithConfidence(text); got == other {
				t.Errorf("%s: text detected as %s (%.2f): %q", where, got, conf, text)
			}
			if !log.fromLLM(d.Language, st) {
				fallbacks[d.Language] = append(fallbacks[d.Language], st.ID)
				// The stage's extractive fallback: sources in the
				// digest's language only.
				for _, src := range st.Sources {
					if src.Language != d.Language {
						t.Errorf("%s: neither the double's text nor extractive (cites a %s source)", where, src.Language)
					}
				}
			}
		}
		if ok, detail := verify.Language(lang.Default(), d.Overview, d.Language); !ok {
			t.Errorf("%s overview: %s", d.Language, detail)
		}
		if !log.overviewFromLLM(d.Overview) {
			t.Errorf("%s overview %q is not the double's", d.Language, d.Overview)
		}
		// A rejected story is told extractively and the reader is told
		// how many were; otherwise there is nothing to note.
		if n := len(fallbacks[d.Language]); n == 0 && len(d.Notes) != 0 || n > 0 && (len(d.Notes) != 1 || !strings.HasPrefix(d.Notes[0], strconv.Itoa(n)+" ")) {
			t.Errorf("%s: %d stories told extractively, notes %q", d.Language, n, d.Notes)
		}
		if len(fallbacks[d.Language]) >= len(d.Stories) {
			t.Errorf("%s: no story text from the LLM", d.Language)
		}
		u := fake.Usage()
		if d.Usage != u || u.PromptTokens == 0 || u.CompletionTokens == 0 {
			t.Errorf("%s: usage %+v, the double counted %+v", d.Language, d.Usage, u)
		}
	}
	t.Logf("stories told extractively after rejection: %v", fallbacks)
	if ids := [2][]string{storyIDsOf(digests[0]), storyIDsOf(digests[1])}; !slices.Equal(ids[0], ids[1]) {
		t.Errorf("German and English digests tell different stories: %v vs %v", ids[0], ids[1])
	}
	if !slices.Equal(fallbacks["de"], fallbacks["en"]) {
		t.Errorf("fallbacks differ by language: %v", fallbacks)
	}
	first := calls(fake, 0)
	for _, p := range []string{summarizetest.PurposeBrief, summarizetest.PurposeStory, summarizetest.PurposeOverview} {
		if first[p] == 0 {
			t.Errorf("the double saw no %s call (calls %v)", p, first)
		}
	}
	// Each story told extractively was asked for twice: the stage retries
	// a rejected answer once, naming its problems.
	retries := 0
	for _, r := range fake.Requests() {
		if summarizetest.Purpose(r) == summarizetest.PurposeStory && summarizetest.IsRetry(r) {
			retries++
			t.Logf("story retry: %s", r.Messages[len(r.Messages)-1].Content)
		}
	}
	if retries < len(fallbacks["de"]) {
		t.Errorf("%d story retries for %d rejected stories", retries, len(fallbacks["de"]))
	}
	if first[summarizetest.PurposeUnknown] != 0 {
		t.Errorf("%d calls the double did not recognize", first[summarizetest.PurposeUnknown])
	}

	// Mail: four, each with its digest's LLM overview and headlines.
	msgs := smtpSrv.WaitFor(4, 5*time.Second)
	if len(msgs) != 4 {
		t.Fatalf("SMTP server got %d mails, want 4", len(msgs))
	}
	perLang := map[string]int{}
	for _, m := range msgs {
		body := plainBody(t, m.Data)
		for _, d := range digests {
			if !strings.Contains(body, squash(d.Overview)) {
				continue
			}
			perLang[d.Language]++
			for _, st := range d.Stories {
				if !strings.Contains(body, squash(st.Headline)) {
					t.Errorf("%s mail to %v lacks headline %q", d.Language, m.To, st.Headline)
				}
			}
		}
	}
	if perLang["de"] != 2 || perLang["en"] != 2 {
		t.Errorf("mails carrying the LLM overview, by language: %v; want 2 each", perLang)
	}

	// The same pass again: nothing new, nothing asked, nobody mailed.
	before := len(fake.Requests())
	demo(nil)
	if n := calls(fake, before); len(n) != 0 {
		t.Errorf("second pass called the LLM: %v", n)
	}
	// Again with the edition's memory gone (as after a lost KV bucket):
	// the same articles are composed anew, every brief from the cache.
	briefKeys := 0
	before = len(fake.Requests())
	again := demo(func(b *bus.Bus) {
		keys, err := b.Editions().Keys(t.Context())
		if err != nil {
			t.Errorf("list edition keys: %v", err)
			return
		}
		for _, k := range keys {
			if err := b.Editions().Delete(t.Context(), k, 0); err != nil {
				t.Errorf("delete %s: %v", k, err)
			}
		}
		bk, err := b.Briefs().Keys(t.Context())
		if err != nil {
			t.Errorf("list brief keys: %v", err)
			return
		}
		briefKeys += len(bk)
	})
	third := calls(fake, before)
	if briefKeys != first[summarizetest.PurposeBrief] {
		t.Errorf("briefs bucket holds %d briefs after %d brief calls", briefKeys, first[summarizetest.PurposeBrief])
	}
	if third[summarizetest.PurposeBrief] != 0 || third[summarizetest.PurposeStory] == 0 {
		t.Errorf("recomposing the same articles: calls %v, want stories and no brief", third)
	}
	if !slices.Equal(storyIDsOf(again[0]), storyIDsOf(digests[0])) {
		t.Errorf("recomposed edition tells %v, first %v", storyIDsOf(again[0]), storyIDsOf(digests[0]))
	}
	if n := len(smtpSrv.WaitFor(5, time.Second)); n != 4 {
		t.Errorf("three passes sent %d mails, want 4 (no digest twice)", n)
	}
}

func storyIDsOf(d news.Digest) []string {
	var ids []string
	for _, st := range d.Stories {
		ids = append(ids, st.ID)
	}
	return ids
}

// squash folds whitespace, as mail text is wrapped.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// plainBody is the decoded text/plain part of a multipart mail.
func plainBody(t *testing.T, raw []byte) string {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse mail: %v", err)
	}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type: %v", err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart() // decodes quoted-printable
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); ct == "text/plain" {
			b, err := io.ReadAll(p)
			if err != nil {
				t.Fatal(err)
			}
			return squash(string(b))
		}
	}
	t.Fatal("mail without a text/plain part")
	return ""
}
