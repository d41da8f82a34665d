package summarizetest

import (
	"encoding/json"
	"html"
	"strings"
	"sync"

	"github.com/newsdesk/newsdesk/summarize/llm/llmtest"
)

// Fault may replace the editor's good answer to one call. purpose is the
// call's Purpose; n counts the calls of that purpose so far, 1-based, and
// for story calls the calls about that story (stories are told
// concurrently, so a global count would be arbitrary); story is the
// English headline of the good answer to a story call, "" otherwise. good
// is the answer the editor would give. ok false keeps it.
type Fault func(purpose string, n int, story string, good map[string]any) (r llmtest.Reply, ok bool)

// Option configures an Editor.
type Option func(*editor)

// WithFault applies f to every call.
func WithFault(f Fault) Option { return func(e *editor) { e.fault = f } }

// WithTranslations gives the editor canned translations of source titles
// (title → title in the other language), used for a story version in a
// language no source is in.
func WithTranslations(m map[string]string) Option {
	return func(e *editor) { e.translations = m }
}

// WithStandIns makes the editor answer a story that lacks a source in
// some asked language (and has no canned translation) with stand-ins in
// every language: a templated sentence that says the story is covered
// only in another language and names the names the prompt says never to
// translate, cited to every document. They pass the stage's checks
// (language, cited facts, consistent names) without a translator; without
// this option such a version repeats a title in the wrong language, which
// the checks reject.
func WithStandIns() Option { return func(e *editor) { e.standIns = true } }

type editor struct {
	fault        Fault
	translations map[string]string
	standIns     bool
}

// Editor returns the test double's handler: good answers to the stage's
// prompts, changed by a Fault where one is given. Requests of another
// purpose get an empty JSON object. It is safe for concurrent use.
func Editor(opts ...Option) llmtest.Handler {
	e := &editor{}
	for _, o := range opts {
		o(e)
	}
	var mu sync.Mutex
	count := map[string]int{}
	return func(req llmtest.ChatRequest) llmtest.Reply {
		purpose := Purpose(req)
		good := e.answer(req)
		story := StoryHeadline(good)
		mu.Lock()
		count[purpose]++
		count[purpose+"/"+story]++
		n := count[purpose]
		if story != "" {
			n = count[purpose+"/"+story]
		}
		mu.Unlock()
		if e.fault != nil {
			if r, ok := e.fault(purpose, n, story, good); ok {
				return r
			}
		}
		return llmtest.JSONReply(JSON(good))
	}
}

// answer is the editor's good answer. Story answers map each language to
// a map[string]string with "headline" and "summary", so faults can edit
// one version.
func (e *editor) answer(req llmtest.ChatRequest) map[string]any {
	p := Prompt(req)
	switch Purpose(req) {
	case PurposeBrief:
		docs := Docs(p)
		if len(docs) == 0 {
			return map[string]any{}
		}
		d := docs[0]
		sents := strings.SplitAfter(d.Content, ". ")
		return map[string]any{"headline": d.Title, "summary": strings.TrimSpace(strings.Join(sents[:min(2, len(sents))], ""))}
	case PurposeStory:
		return e.story(p)
	case PurposeOverview:
		code := overviewLang(p)
		m := headlineRe.FindStringSubmatch(p)
		if m == nil {
			return map[string]any{}
		}
		h := html.UnescapeString(m[1])
		if code == "de" {
			return map[string]any{"overview": "Heute im Überblick: " + h + "."}
		}
		return map[string]any{"overview": "Today: " + h + "."}
	}
	return map[string]any{}
}

func (e *editor) story(p string) map[string]any {
	docs := Docs(p)
	langs := storyLangs(p)
	out := map[string]any{}
	if len(docs) == 0 {
		return out
	}
	versions := map[string]map[string]string{}
	missing := false
	for _, code := range langs {
		var pick *Doc
		title := ""
		for i := range docs {
			if docs[i].Lang == code {
				pick, title = &docs[i], docs[i].Title
				break
			}
		}
		if pick == nil {
			for i := range docs {
				if tr, ok := e.translations[docs[i].Title]; ok {
					pick, title = &docs[i], tr
					break
				}
			}
		}
		if pick == nil {
			missing = true
			pick, title = &docs[0], docs[0].Title // wrong language: the checks must catch it
		}
		summary := title + " [" + pick.Index + "]."
		if more, ok := secondSentences[code]; ok && pick.Lang == code {
			// A second sentence, as a model writes more than the title;
			// one without facts, so the versions in different languages,
			// written from different documents, still agree.
			summary = strings.TrimRight(title, ".") + ". " + more + " [" + pick.Index + "]."
		}
		versions[code] = map[string]string{"headline": title, "summary": summary}
	}
	if missing && e.standIns {
		versions = standIns(langs, docs, keptNames(p))
	}
	for code, v := range versions {
		out[code] = v
	}
	return out
}

// standIns are templated versions of a story that some language has no
// source for: they say so and name its kept names, nothing else.
func standIns(langs []string, docs []Doc, names []string) map[string]map[string]string {
	var cite strings.Builder
	for _, d := range docs {
		cite.WriteString("[" + d.Index + "]")
	}
	out := map[string]map[string]string{}
	for _, code := range langs {
		var h, s string
		switch code {
		case "de":
			h, s = "Eine Meldung aus einer anderen Sprache", "Über diese Geschichte berichtet nur eine Quelle in einer anderen Sprache"
			if len(names) > 0 {
				h = "Meldung zu " + list(names, "und")
				s += "; es geht um " + list(names, "und")
			}
		default:
			h, s = "A report in another language", "This story is covered only by a source in another language"
			if len(names) > 0 {
				h = "Report on " + list(names, "and")
				s += "; it concerns " + list(names, "and")
			}
		}
		out[code] = map[string]string{"headline": h, "summary": s + " " + cite.String() + "."}
	}
	return out
}

func list(names []string, and string) string {
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + and + " " + names[len(names)-1]
}

// StoryHeadline is the English headline of a good story answer, "" for
// other answers.
func StoryHeadline(good map[string]any) string {
	if en, ok := good["en"].(map[string]string); ok {
		return en["headline"]
	}
	return ""
}

// JSON renders v, which must be JSON-encodable, as a reply's content.
func JSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("summarizetest: " + err.Error())
	}
	return string(b)
}

// secondSentences are the editor's second sentence of a story version,
// by language: no number, date or name, so it agrees across versions.
var secondSentences = map[string]string{
	"de": "Der Bericht schildert die Hintergründe und die Folgen für die Branche",
	"en": "The report describes the background and what it means for the industry",
}
