package summarizetest

import (
	"html"
	"regexp"
	"strings"

	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/summarize/llm/llmtest"
)

// The purposes of the stage's prompts, as Purpose reports them. They equal
// the stage's llm.Request purposes.
const (
	PurposeBrief    = "brief"
	PurposeStory    = "story"
	PurposeOverview = "overview"
	PurposeUnknown  = "unknown"
)

// These patterns follow the prompt text of summarize/prompt.go; when that
// changes, Purpose reports PurposeUnknown and the tests using the editor fail.
var (
	docRe       = regexp.MustCompile(`(?s)<document index="(\d+)">\s*<source>(.*?)</source>\s*<title>(.*?)</title>\s*(?:<published>.*?</published>\s*)?<document_content>\n(.*?)\n</document_content>`)
	briefAskRe  = regexp.MustCompile(`Write a brief of the document above in (\w+)`)
	storyAskRe  = regexp.MustCompile(`Write the story once in each of: (.*?)\. Both`)
	storyLangRe = regexp.MustCompile(`\((\w\w)\)`)
	overviewRe  = regexp.MustCompile(`Write the overview of today's digest in (\w+)`)
	headlineRe  = regexp.MustCompile(`<headline>(.*?)</headline>`)
	keepRe      = regexp.MustCompile(`Never translate these names: (.*?)\.\n`)
)

var langCodes = map[string]string{"German": "de", "English": "en"}

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

// Prompt returns the request's last user message that asks for something
// ("Write …"): the prompt itself, not a retry's complaint.
func Prompt(req llmtest.ChatRequest) string {
	for i := len(req.Messages) - 1; i >= 0; i-- {
		if req.Messages[i].Role == "user" && strings.Contains(req.Messages[i].Content, "Write ") {
			return req.Messages[i].Content
		}
	}
	return ""
}

// IsRetry reports whether the request repeats a prompt after the stage
// rejected the first answer.
func IsRetry(req llmtest.ChatRequest) bool {
	if len(req.Messages) == 0 {
		return false
	}
	last := req.Messages[len(req.Messages)-1]
	return last.Role == "user" && strings.Contains(last.Content, "previous answer was rejected")
}

// Purpose tells the stage's three prompts apart.
func Purpose(req llmtest.ChatRequest) string {
	p := Prompt(req)
	switch {
	case briefAskRe.MatchString(p):
		return PurposeBrief
	case storyAskRe.MatchString(p):
		return PurposeStory
	case overviewRe.MatchString(p):
		return PurposeOverview
	}
	return PurposeUnknown
}

// storyLangs are the language codes a story prompt asks for, in order.
func storyLangs(prompt string) []string {
	m := storyAskRe.FindStringSubmatch(prompt)
	if m == nil {
		return nil
	}
	var out []string
	for _, l := range storyLangRe.FindAllStringSubmatch(m[1], -1) {
		out = append(out, l[1])
	}
	return out
}

// keptNames are the names a prompt says never to translate.
func keptNames(prompt string) []string {
	m := keepRe.FindStringSubmatch(prompt)
	if m == nil {
		return nil
	}
	return strings.Split(m[1], ", ")
}
