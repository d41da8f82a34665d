package summarize

import (
	"fmt"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/summarize/llm"
)

// Prompts put the documents first, wrapped in numbered <document> elements,
// and the instructions last; answers are JSON with [n] citations (DESIGN.md,
// "LLM prompts put the documents first").
// The system message is short because some reasoning models (DeepSeek-R1)
// do worse with one; every rule that matters is in the user message.

const systemPrompt = "You are a careful news editor. You use only the documents you are given and answer with one JSON object."

// langName is the English name of a language, for prompts and problems.
func (s *Stage) langName(code string) string {
	if l := s.langs.Get(code); l != nil {
		return l.Name
	}
	return code
}

// docXML renders one numbered source document. Text is normalized so that
// markup-like content from web pages cannot close our elements early.
func docXML(b *strings.Builder, n int, outlet, title string, published time.Time, content string) {
	fmt.Fprintf(b, "<document index=\"%d\">\n<source>%s</source>\n<title>%s</title>\n", n, escapeXMLText(outlet), escapeXMLText(title))
	if !published.IsZero() {
		fmt.Fprintf(b, "<published>%s</published>\n", published.UTC().Format(time.RFC3339))
	}
	fmt.Fprintf(b, "<document_content>\n%s\n</document_content>\n</document>\n", escapeXMLText(content))
}

var xmlText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func escapeXMLText(s string) string { return xmlText.Replace(s) }

func (s *Stage) briefPrompt(a news.Article, input, lang string, translate bool, g *Glossary) []llm.Message {
	var b strings.Builder
	docXML(&b, 1, a.Outlet, normalizeSpace(a.Title), a.Published, input)
	b.WriteString("\n")
	fmt.Fprintf(&b, "Write a brief of the document above in %s.\n", s.langName(lang))
	b.WriteString("Rules:\n- Use only facts from the document; no outside knowledge.\n")
	b.WriteString("- Keep every number, date, amount and name exactly as the document gives them; add none.\n")
	b.WriteString("- A headline of at most 12 words and a summary of 2 to 3 sentences, at most 70 words.\n")
	if translate {
		fmt.Fprintf(&b, "- The document is not in %s: translate faithfully.\n", s.langName(lang))
		b.WriteString(g.prompt(pivotFirst(a.Language, lang), s.langName, a.Title, input))
	}
	b.WriteString(`Answer with JSON only: {"headline": "...", "summary": "..."}`)
	return []llm.Message{{Role: "system", Content: systemPrompt}, {Role: "user", Content: b.String()}}
}

// storyDoc is one numbered source of a story prompt.
type storyDoc struct {
	outlet, title, lang string
	published           time.Time
	text                string // the brief
}

func (s *Stage) storyPrompt(docs []storyDoc, langs []string, previous string, g *Glossary) []llm.Message {
	var b strings.Builder
	for i, d := range docs {
		docXML(&b, i+1, d.outlet, d.title, d.published, d.text)
	}
	b.WriteString("\n")
	b.WriteString("The documents above are reports on one news story by different outlets.\n")
	if previous != "" {
		fmt.Fprintf(&b, "An earlier edition already reported: %q. Tell what is new.\n", previous)
	}
	names := make([]string, len(langs))
	for i, l := range langs {
		names[i] = s.langName(l) + " (" + l + ")"
	}
	fmt.Fprintf(&b, "Write the story once in each of: %s. Both versions state the same facts.\n", strings.Join(names, ", "))
	b.WriteString("Rules:\n- Use only the documents; no outside knowledge, no numbers or dates absent from them.\n")
	b.WriteString("- End every sentence with citations of the documents it rests on, like [1] or [2][3].\n")
	b.WriteString("- Where documents disagree, say so and cite both.\n")
	b.WriteString("- A headline of at most 12 words and a summary of 2 to 4 sentences, at most 90 words.\n")
	b.WriteString("- Each version entirely in its language.\n")
	texts := make([]string, 0, 2*len(docs))
	codes := pivotFirst(langs...)
	for _, d := range docs {
		texts = append(texts, d.title, d.text)
		codes = pivotFirst(append(codes, d.lang)...)
	}
	b.WriteString(g.prompt(codes, s.langName, texts...))
	b.WriteString("Answer with JSON only, one key per language code: ")
	b.WriteString(`{"` + langs[0] + `": {"headline": "...", "summary": "... [1]"}`)
	for _, l := range langs[1:] {
		b.WriteString(`, "` + l + `": {"headline": "...", "summary": "..."}`)
	}
	b.WriteString("}")
	return []llm.Message{{Role: "system", Content: systemPrompt}, {Role: "user", Content: b.String()}}
}

func (s *Stage) overviewPrompt(stories []news.Story, lang string) []llm.Message {
	var b strings.Builder
	for i, st := range stories {
		fmt.Fprintf(&b, "<story index=\"%d\">\n<headline>%s</headline>\n<summary>%s</summary>\n</story>\n",
			i+1, escapeXMLText(st.Headline), escapeXMLText(stripCitations(st.Summary)))
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "Write the overview of today's digest in %s: 2 to 3 sentences, at most 60 words, naming the most important stories above.\n", s.langName(lang))
	b.WriteString("Rules:\n- Use only the stories above; add no fact, number or name.\n")
	b.WriteString("- Write it as an editor's opening in full sentences, not as a list of headlines; do not join headlines with colons or semicolons.\n")
	fmt.Fprintf(&b, "- Entirely in %s.\n", s.langName(lang))
	b.WriteString(`Answer with JSON only: {"overview": "..."}`)
	return []llm.Message{{Role: "system", Content: systemPrompt}, {Role: "user", Content: b.String()}}
}

// withRetry appends the problems of the first answer, so the second attempt
// knows what to fix: one retry with the error, then extractive text.
func withRetry(msgs []llm.Message, problems []string) []llm.Message {
	out := append([]llm.Message(nil), msgs...)
	out = append(out, llm.Message{Role: "user", Content: "Your previous answer was rejected: " +
		strings.Join(problems, "; ") + ". Answer again with JSON only, following every rule."})
	return out
}
