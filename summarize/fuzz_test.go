package summarize

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/news"
)

// FuzzLLMAnswer feeds arbitrary model output through everything that reads
// it: JSON extraction, citation parsing and the story checks. None may
// panic; citations found must be the ones normalizeCitations writes out.
func FuzzLLMAnswer(f *testing.F) {
	for _, s := range []string{
		`{"de": {"headline": "Nvidia", "summary": "Text [1]."}, "en": {"headline": "N", "summary": "T [1][2]."}}`,
		"```json\n{\"overview\": \"x\"}\n```",
		`Sure! {"headline": "a", "summary": "b [1, 2] c [3;4]"} hope this helps`,
		`{"de": {"headline": 5}}`, `[1][2]`, `[999999999999]`, `[ 1 ,2 ]`, "{", "}{", `{"a": "\ud800"}`,
		"A [1]. B. C [2][x]", "\x00[1]\xff",
	} {
		f.Add(s)
	}
	s := newTestStage(f, Config{}, Deps{})
	ed := s.editions["daily"]
	f.Fuzz(func(t *testing.T, content string) {
		var texts map[string]briefAnswer
		_ = decodeJSON(content, &texts)
		var ov struct{ Overview string }
		_ = decodeJSON(content, &ov)
		v := s.gateStory(ed.Languages, texts, []string{"Nvidia 5,5 Milliarden Dollar", content})
		for _, ver := range v.versions {
			if got := ver.text(); !utf8.ValidString(got) {
				t.Errorf("gated text is not valid UTF-8: %q", got)
			}
		}
		cs := citations(content)
		norm := normalizeCitations(content)
		if got := citations(norm); len(got) != len(cs) {
			t.Errorf("normalizeCitations changed the citations: %v → %v", cs, got)
		}
		if strings.Contains(stripCitations(norm), "[") && citeRe.MatchString(stripCitations(norm)) {
			t.Errorf("stripCitations left a citation in %q", stripCitations(norm))
		}
		_, _, _, _ = s.gateText(content, []string{"a"}, "de")
	})
}

// FuzzArticleText feeds arbitrary article text through the sanitizers and
// feature extraction: no panic, valid UTF-8 out, limits kept.
func FuzzArticleText(f *testing.F) {
	for _, s := range []string{
		"Nvidia darf H20 nicht verkaufen.\n\nDas US-Handelsministerium\u200b verschärft 3.000 Regeln.",
		"\xff\xfe\x00 bad bytes", "a\r\n\r\nb", strings.Repeat("Wort ", 2000), "<script>alert(1)</script>",
		"1,5 Milliarden / 1.5 billion / 3.000 / 3,000", "",
	} {
		f.Add(s, "de")
	}
	s := newTestStage(f, Config{}, Deps{})
	f.Fuzz(func(t *testing.T, text, lang string) {
		n := normalizeSpace(text)
		if !utf8.ValidString(n) || strings.ContainsAny(n, "\n\t\x00") {
			t.Errorf("normalizeSpace(%q) = %q", text, n)
		}
		if l := lead(text, 300); utf8.RuneCountInString(l) > 302 || !utf8.ValidString(l) {
			t.Errorf("lead too long or invalid: %d runes", utf8.RuneCountInString(l))
		}
		a := news.Article{Schema: news.ArticleSchema, ID: "a-1", URL: "https://x.example/", Language: lang, Title: text, Text: text}
		ex := s.clusterer.Extractor()
		it := s.newItem(ex, a)
		s.cluster(t.Context(), []*item{it, s.newItem(ex, a)})
		for k := range it.doc.Anchors {
			if !utf8.ValidString(k) {
				t.Errorf("invalid anchor %q", k)
			}
		}
		_ = s.briefKey(a, "de")
		_ = escapeXMLText(text)
	})
}
