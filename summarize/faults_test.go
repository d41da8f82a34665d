package summarize

import (
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/summarize/llm"
	"github.com/newsdesk/newsdesk/summarize/llm/llmtest"
	"github.com/newsdesk/newsdesk/summarize/summarizetest"
)

const h20Headline = "Nvidia says new US export rules on H20 chips will cost it $5.5 billion"

// onH20 applies r to the first `times` story calls about the H20 story.
func onH20(times int, r func(good map[string]any) llmtest.Reply) fault {
	return func(purpose string, n int, story string, good map[string]any) (llmtest.Reply, bool) {
		if purpose == purposeStory && story == h20Headline && n <= times {
			return r(good), true
		}
		return llmtest.Reply{}, false
	}
}

// onStories applies r to every story call.
func onStories(r llmtest.Reply) fault {
	return func(purpose string, _ int, _ string, _ map[string]any) (llmtest.Reply, bool) {
		return r, purpose == purposeStory
	}
}

// edit returns the good answer with one language version changed.
func edit(good map[string]any, lang string, f func(headline, summary string) (string, string)) llmtest.Reply {
	out := map[string]any{}
	for k, v := range good {
		out[k] = v
	}
	v := good[lang].(map[string]string)
	h, s := f(v["headline"], v["summary"])
	out[lang] = map[string]string{"headline": h, "summary": s}
	return llmtest.JSONReply(summarizetest.JSON(out))
}

func h20Story(t *testing.T, d news.Digest) news.Story {
	t.Helper()
	for _, st := range d.Stories {
		for _, src := range st.Sources {
			if strings.Contains(src.URL, "h20") || strings.Contains(src.URL, "H20") {
				return st
			}
		}
	}
	t.Fatalf("%s: no H20 story", d.ID)
	return news.Story{}
}

// TestFaults drives each failure of the LLM (through the test double) and
// checks what it does to the edition.
func TestFaults(t *testing.T) {
	tests := []struct {
		name   string
		fault  fault
		mutate func(*Config, *llm.Config)
		closed bool // the server is gone before the edition

		generator    string // of both digests
		noteDE       string // substring of a German note; "" = no notes
		h20Extract   bool   // the H20 story's German text is extractive
		retryMention string // a retry request names this problem
		notIn        string // no digest's H20 story says this
	}{
		{name: "429 once then ok (client retries)", fault: onH20(1, func(map[string]any) llmtest.Reply { return llmtest.RateLimited("0") }),
			generator: "llm:llmtest-model"},
		{name: "429 with Retry-After beyond the client's patience", fault: onStories(llmtest.RateLimited("120")),
			generator: "extractive", noteDE: "überlastet"},
		{name: "500 always", fault: onStories(llmtest.ServerError()),
			generator: "extractive", noteDE: "nicht erreichbar"},
		{name: "timeout per request", fault: onStories(llmtest.Hang()),
			mutate:    func(_ *Config, lc *llm.Config) { lc.Timeout = 300 * time.Millisecond },
			generator: "extractive", noteDE: "nicht rechtzeitig"},
		{name: "slower than llm_deadline", fault: onStories(llmtest.Slow(3*time.Second, "{}")),
			mutate:    func(c *Config, _ *llm.Config) { c.LLMDeadline = time.Second },
			generator: "extractive", noteDE: "nicht rechtzeitig"},
		{name: "think blocks are stripped", fault: func(p string, _ int, _ string, good map[string]any) (llmtest.Reply, bool) {
			return llmtest.Think(summarizetest.JSON(good)), true
		}, generator: "llm:llmtest-model"},
		{name: "malformed JSON once", fault: onH20(1, func(map[string]any) llmtest.Reply { return llmtest.OK(`{"de": {"headline": "Nvidia`) }),
			generator: "llm:llmtest-model", retryMention: "JSON"},
		{name: "malformed JSON always", fault: onStories(llmtest.OK("Sure! Here is the story.")),
			generator: "extractive", noteDE: "Prüfung gegen die Quellen nicht"},
		{name: "garbled HTTP body once", fault: onH20(1, func(map[string]any) llmtest.Reply { return llmtest.Malformed() }),
			generator: "llm:llmtest-model"},
		{name: "English in the German version", fault: onH20(2, func(g map[string]any) llmtest.Reply {
			en := g["en"].(map[string]string)
			return edit(g, "de", func(string, string) (string, string) {
				return en["headline"], "Nvidia said on Friday that new US export controls on its H20 chip will lead to a charge of $5.5 billion in the current quarter [1]."
			})
		}), generator: "llm:llmtest-model", noteDE: "1 Meldung besteht", h20Extract: true, retryMention: "not entirely in German"},
		{name: "one bad sentence among good ones is removed", fault: onH20(2, func(g map[string]any) llmtest.Reply {
			return edit(g, "de", func(h, s string) (string, string) { return h, s + " Der Umsatz stieg um 17 Prozent [1]." })
		}), generator: "llm:llmtest-model", notIn: "17 Prozent"},
		{name: "an uncited sentence is removed", fault: onH20(2, func(g map[string]any) llmtest.Reply {
			return edit(g, "en", func(h, s string) (string, string) { return h, s + " Nvidia shares fell in after-hours trading." })
		}), generator: "llm:llmtest-model", notIn: "after-hours"},
		{name: "too little left, fixed on retry", fault: onH20(1, func(g map[string]any) llmtest.Reply {
			return edit(g, "de", func(h, _ string) (string, string) {
				return h, "Nvidia rechnet mit 9 Milliarden Dollar [1]. Der Umsatz stieg um 17 Prozent [1]."
			})
		}), generator: "llm:llmtest-model", retryMention: "17"},
		{name: "too little left twice", fault: onH20(2, func(g map[string]any) llmtest.Reply {
			return edit(g, "en", func(h, _ string) (string, string) {
				return h, "Revenue rose 17 percent [1]. Nvidia lost 9 billion dollars [1]."
			})
		}), generator: "llm:llmtest-model", noteDE: "1 Meldung besteht", h20Extract: true, retryMention: "17"},
		{name: "a citation of a missing source is dropped", fault: onH20(2, func(g map[string]any) llmtest.Reply {
			return edit(g, "en", func(h, s string) (string, string) { return h, strings.Replace(s, "[", "[9][", 1) })
		}), generator: "llm:llmtest-model", notIn: "[9]"},
		{name: "only citations of missing sources", fault: onH20(1, func(g map[string]any) llmtest.Reply {
			return edit(g, "en", func(h, s string) (string, string) { return h, citeRe.ReplaceAllString(s, "[9]") })
		}), generator: "llm:llmtest-model", retryMention: "[9]"},
		{name: "LLM down", closed: true, generator: "extractive", noteDE: "nicht erreichbar"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newLLMSetup(t, editor(tt.fault), tt.mutate)
			if tt.closed {
				ts.srv.Close()
			}
			start := time.Now()
			ds, err := ts.stage.Compose(t.Context(), "daily", "2026-11-28", loadArticles(t, "articles.json"))
			if err != nil {
				t.Fatal(err)
			}
			if el := time.Since(start); el > 20*time.Second {
				t.Fatalf("edition took %v", el) // a hang, not a timing assertion
			}
			for i, lang := range []string{"de", "en"} {
				d := ds[i]
				checkDigest(t, d, lang)
				if d.Generator != tt.generator {
					t.Errorf("%s generator %q, want %q", lang, d.Generator, tt.generator)
				}
				if len(d.Stories) == 0 {
					t.Errorf("%s: no stories", lang)
				}
				for _, st := range d.Stories {
					if strings.Contains(st.Summary, "<think>") || strings.Contains(st.Headline, "think") {
						t.Errorf("reasoning leaked: %q", st.Summary)
					}
				}
			}
			de := ds[0]
			notes := strings.Join(de.Notes, " | ")
			if tt.noteDE == "" && notes != "" {
				t.Errorf("unexpected notes %q", notes)
			}
			if tt.noteDE != "" && !strings.Contains(notes, tt.noteDE) {
				t.Errorf("notes %q, want one containing %q", notes, tt.noteDE)
			}
			if tt.noteDE != "" && len(ds[1].Notes) != len(de.Notes) {
				t.Errorf("German notes %q, English notes %q", de.Notes, ds[1].Notes)
			}
			if tt.generator != "extractive" {
				h := h20Story(t, de)
				isExtractive := strings.Contains(h.Summary, "Nvidia darf seinen KI-Chip H20 nur noch mit einer Lizenz")
				if isExtractive != tt.h20Extract {
					t.Errorf("H20 story extractive=%v, want %v: %q", isExtractive, tt.h20Extract, h.Summary)
				}
			}
			if tt.notIn != "" {
				for _, d := range ds {
					if h := h20Story(t, d); strings.Contains(h.Summary, tt.notIn) || !strings.HasPrefix(d.Generator, "llm:") {
						t.Errorf("%s H20 story %q (%s) says %q", d.Language, h.Summary, d.Generator, tt.notIn)
					}
				}
				for _, r := range ts.srv.Requests() {
					if summarizetest.IsRetry(r) {
						t.Errorf("a retry, although the good sentences were enough: %s", r.Messages[len(r.Messages)-1].Content)
					}
				}
			}
			if tt.retryMention != "" {
				found := false
				for _, r := range ts.srv.Requests() {
					last := r.Messages[len(r.Messages)-1].Content
					if strings.Contains(last, "previous answer was rejected") && strings.Contains(last, tt.retryMention) {
						found = true
					}
				}
				if !found {
					t.Errorf("no retry request names %q", tt.retryMention)
				}
			}
			if !tt.closed && de.Usage.Total() == 0 {
				t.Errorf("usage not recorded: %+v", de.Usage)
			}
		})
	}
}
