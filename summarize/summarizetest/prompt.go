package summarizetest

import (
	"encoding/json"
	"html"
	"regexp"
	"slices"
	"strings"

	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/summarize/llm/llmtest"
)

// The purposes of the stage's calls, as the client sends them in the
// llmtest.PurposeHeader and Purpose reports them.
const (
	PurposeBrief    = "brief"
	PurposeStory    = "story"
	PurposeOverview = "overview"
	PurposeUnknown  = "unknown"
)

// What the editor reads from a prompt is its material, not its wording:
// the numbered <document> and <story> elements the stage wraps its inputs
// in, the JSON object it asks for (the prompt's last line), and the names
// the glossary keeps. How a request is recognised is the purpose header.
var (
	docRe      = regexp.MustCompile(`(?s)<document index="(\d+)">\s*<source>(.*?)</source>\s*<title>(.*?)</title>\s*(?:<published>.*?</published>\s*)?<document_content>\n(.*?)\n</document_content>`)
	headlineRe = regexp.MustCompile(`<headline>(.*?)</headline>`)
	storyRe    = regexp.MustCompile(`(?s)<(headline|summary)>(.*?)</(?:headline|summary)>`)
	keepRe     = regexp.MustCompile(`Never translate these names: (.*?)\.\n`)
)

// Doc is one numbered <document> of a prompt.
type Doc struct {
	Index                  string // the document's number, as cited: "1"
	Source, Title, Content string
	Lang                   string // detected from title and content
}

// Docs returns the documents of a prompt, in order.
func Docs(prompt string) []Doc {
	var out []Doc
	for _, m := range docRe.FindAllStringSubmatch(prompt, -1) {
		d := Doc{Index: m[1], Source: html.UnescapeString(m[2]), Title: html.UnescapeString(m[3]), Content: html.UnescapeString(m[4])}
		d.Lang = lang.Detect(d.Title + ". " + d.Content)
		out = append(out, d)
	}
	return out
}

// Prompt returns the request's first user message: the prompt itself,
// not a retry's complaint (retries append a message).
func Prompt(req llmtest.ChatRequest) string {
	for _, m := range req.Messages {
		if m.Role == "user" {
			return m.Content
		}
	}
	return ""
}

// IsRetry reports whether the request repeats a prompt after the stage
// rejected the first answer: the complaint is a second user message.
func IsRetry(req llmtest.ChatRequest) bool {
	users := 0
	for _, m := range req.Messages {
		if m.Role == "user" {
			users++
		}
	}
	return users > 1
}

// Purpose is the purpose the client sent in the llmtest.PurposeHeader:
// one of the stage's three, or PurposeUnknown.
func Purpose(req llmtest.ChatRequest) string {
	switch req.Purpose {
	case PurposeBrief, PurposeStory, PurposeOverview:
		return req.Purpose
	}
	return PurposeUnknown
}

// answerShape is the JSON object the prompt asks for: its last line, from
// the first "{" on. nil when there is none.
func answerShape(prompt string) map[string]json.RawMessage {
	last := prompt[strings.LastIndex(prompt, "\n")+1:]
	i := strings.Index(last, "{")
	if i < 0 {
		return nil
	}
	var shape map[string]json.RawMessage
	if json.Unmarshal([]byte(last[i:]), &shape) != nil {
		return nil
	}
	return shape
}

// storyLangs are the language codes a story prompt asks for: the keys of
// its answer shape whose values are objects, sorted.
func storyLangs(prompt string) []string {
	var out []string
	for k, v := range answerShape(prompt) {
		if strings.HasPrefix(strings.TrimSpace(string(v)), "{") {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// overviewLang is the language of the stories an overview prompt lists:
// the digest's language, which the overview is written in.
func overviewLang(prompt string) string {
	var b strings.Builder
	for _, m := range storyRe.FindAllStringSubmatch(prompt, -1) {
		b.WriteString(html.UnescapeString(m[2]) + ". ")
	}
	return lang.Detect(b.String())
}

// keptNames are the names a prompt says never to translate.
func keptNames(prompt string) []string {
	m := keepRe.FindStringSubmatch(prompt)
	if m == nil {
		return nil
	}
	return strings.Split(m[1], ", ")
}
