package summarize

import (
	"encoding/json"
	"html"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/internal/natstest"
	"github.com/newsdesk/newsdesk/summarize/llm"
	"github.com/newsdesk/newsdesk/summarize/llm/llmtest"
)

// This file drives the stage against llmtest, a TEST DOUBLE of an
// OpenAI-compatible server over real HTTP (no model weights can be
// downloaded where tests run). The double's "editor" answers newsdesk's
// three prompts from what the prompt itself holds: a brief is the
// document's first sentences, a story version is the title of a source in
// that language (or a canned translation of one, for stories covered in
// one language only), an overview names the first story. That is enough to
// exercise every check and fallback; faults are injected per call.

var (
	docRe       = regexp.MustCompile(`(?s)<document index="(\d+)">\s*<source>(.*?)</source>\s*<title>(.*?)</title>\s*(?:<published>.*?</published>\s*)?<document_content>\n(.*?)\n</document_content>`)
	briefAskRe  = regexp.MustCompile(`Write a brief of the document above in (\w+)`)
	storyAskRe  = regexp.MustCompile(`Write the story once in each of: (.*?)\. Both`)
	storyLangRe = regexp.MustCompile(`\((\w\w)\)`)
	overviewRe  = regexp.MustCompile(`Write the overview of today's digest in (\w+)`)
	headlineRe  = regexp.MustCompile(`<headline>(.*?)</headline>`)
)

// translations are the double's whole bilingual competence.
var translations = map[string]string{
	"Alibaba's new Qwen coding agent takes aim at Claude Code":  "Alibabas neuer Qwen-Agent zum Programmieren zielt auf Claude Code",
	"KI-Verordnung: Bundesnetzagentur soll Aufsicht übernehmen": "AI regulation: Bundesnetzagentur to take over supervision",
}

type promptDoc struct {
	index                  string
	source, title, content string
	lang                   string
}

func parseDocs(prompt string) []promptDoc {
	var out []promptDoc
	for _, m := range docRe.FindAllStringSubmatch(prompt, -1) {
		d := promptDoc{index: m[1], source: html.UnescapeString(m[2]), title: html.UnescapeString(m[3]), content: html.UnescapeString(m[4])}
		d.lang = lang.Detect(d.title + ". " + d.content)
		out = append(out, d)
	}
	return out
}

func lastUser(req llmtest.ChatRequest) string {
	for i := len(req.Messages) - 1; i >= 0; i-- {
		if req.Messages[i].Role == "user" && strings.Contains(req.Messages[i].Content, "Write ") {
			return req.Messages[i].Content
		}
	}
	return ""
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// purposeOf tells the three prompts apart.
func purposeOf(req llmtest.ChatRequest) string {
	p := lastUser(req)
	switch {
	case briefAskRe.MatchString(p):
		return purposeBrief
	case storyAskRe.MatchString(p):
		return purposeStory
	case overviewRe.MatchString(p):
		return purposeOverview
	}
	return "unknown"
}

// editorAnswer is the double's good answer to one of our prompts.
func editorAnswer(req llmtest.ChatRequest) map[string]any {
	p := lastUser(req)
	langCode := map[string]string{"German": "de", "English": "en"}
	switch purposeOf(req) {
	case purposeBrief:
		d := parseDocs(p)[0]
		sents := strings.SplitAfter(d.content, ". ")
		return map[string]any{"headline": d.title, "summary": strings.TrimSpace(strings.Join(sents[:min(2, len(sents))], ""))}
	case purposeStory:
		docs := parseDocs(p)
		out := map[string]any{}
		for _, m := range storyLangRe.FindAllStringSubmatch(storyAskRe.FindStringSubmatch(p)[1], -1) {
			code := m[1]
			var pick *promptDoc
			title := ""
			for i := range docs {
				if docs[i].lang == code {
					pick, title = &docs[i], docs[i].title
					break
				}
			}
			if pick == nil {
				for i := range docs {
					if tr, ok := translations[docs[i].title]; ok {
						pick, title = &docs[i], tr
						break
					}
				}
			}
			if pick == nil {
				pick, title = &docs[0], docs[0].title // wrong language: the checks must catch it
			}
			out[code] = map[string]string{"headline": title, "summary": title + " [" + pick.index + "]."}
		}
		return out
	case purposeOverview:
		code := langCode[overviewRe.FindStringSubmatch(p)[1]]
		h := html.UnescapeString(headlineRe.FindStringSubmatch(p)[1])
		if code == "de" {
			return map[string]any{"overview": "Heute im Überblick: " + h + "."}
		}
		return map[string]any{"overview": "Today: " + h + "."}
	}
	return map[string]any{}
}

// fault changes the n-th (1-based) call of a purpose; nil: always good.
// story is the English headline of the good answer to a story call.
type fault func(purpose string, n int, story string, good map[string]any) (llmtest.Reply, bool)

func storyHeadline(good map[string]any) string {
	if en, ok := good["en"].(map[string]string); ok {
		return en["headline"]
	}
	return ""
}

// editor is the double's handler: good answers, with f applied.
func editor(f fault) llmtest.Handler {
	var mu sync.Mutex
	count := map[string]int{}
	return func(req llmtest.ChatRequest) llmtest.Reply {
		purpose := purposeOf(req)
		good := editorAnswer(req)
		story := storyHeadline(good)
		mu.Lock()
		count[purpose]++
		count[purpose+"/"+story]++
		n := count[purpose]
		if story != "" {
			n = count[purpose+"/"+story] // per story: stories run concurrently
		}
		mu.Unlock()
		if f != nil {
			if r, ok := f(purpose, n, story, good); ok {
				return r
			}
		}
		return llmtest.JSONReply(mustJSON(good))
	}
}

// llmSetup is a stage with a real bus and a real llm client talking to the
// test double.
type llmSetup struct {
	stage *Stage
	srv   *llmtest.Server
}

func newLLMSetup(t *testing.T, h llmtest.Handler, mutate func(*Config, *llm.Config)) llmSetup {
	t.Helper()
	srv := llmtest.New(t, h)
	no := false
	lc := llm.Config{
		BaseURL: srv.URL, Model: llmtest.DefaultModel, MaxRetries: 1,
		RetryBaseDelay: 5 * time.Millisecond, MaxRetryDelay: 20 * time.Millisecond,
		Timeout: 2 * time.Second, CheckModel: &no, MaxConcurrency: 2,
	}
	cfg := Config{LLMDeadline: 5 * time.Second}
	if mutate != nil {
		mutate(&cfg, &lc)
	}
	client, err := llm.New(lc, testLogger(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	b := natstest.Start(t)
	return llmSetup{stage: newTestStage(t, cfg, Deps{Bus: b, LLM: client, Now: time.Now}), srv: srv}
}
