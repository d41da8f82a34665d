package summarize

import (
	"slices"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/summarize/verify"
)

// checkDigest checks what every digest must satisfy whoever wrote it:
// valid, citations pointing at sources, each source in one story, a story
// without text only when it is told in another language, citations once
// after a run of sentences from the same sources, and an extractive
// overview without chains of colons and semicolons.
func checkDigest(t *testing.T, d news.Digest, code string) {
	t.Helper()
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	if d.Language != code {
		t.Errorf("digest language %q, want %q", d.Language, code)
	}
	if d.Overview == "" || d.Title == "" {
		t.Errorf("%s: empty title or overview", d.ID)
	}
	if d.Generator == generatorExtractive && (strings.Count(d.Overview, ": ") > 1 || strings.Contains(d.Overview, ";")) {
		t.Errorf("%s: overview chains headlines with colons or semicolons: %q", d.ID, d.Overview)
	}
	ids := map[string]bool{}
	urls := map[string]bool{}
	for _, st := range d.Stories {
		if ids[st.ID] {
			t.Errorf("%s: story %s twice", d.ID, st.ID)
		}
		ids[st.ID] = true
		if st.Language == "" {
			t.Errorf("%s: story %s does not say its language", d.ID, st.ID)
		}
		for _, n := range citations(st.Summary) {
			if n < 1 || n > len(st.Sources) {
				t.Errorf("%s: story %s cites [%d] of %d sources", d.ID, st.ID, n, len(st.Sources))
			}
		}
		switch {
		case st.Summary == "" && st.Language == code:
			t.Errorf("%s: story %s in the digest's language without text", d.ID, st.ID)
		case st.Summary != "" && len(citations(st.Summary)) == 0:
			t.Errorf("%s: story %s has no citations: %q", d.ID, st.ID, st.Summary)
		}
		sents := verify.SplitCited(lang.Default(), st.Summary, st.Language)
		for i := 1; i < len(sents); i++ {
			if len(sents[i-1].Cites) > 0 && slices.Equal(sents[i-1].Cites, sents[i].Cites) {
				t.Errorf("%s: story %s cites %v after two sentences in a row: %q", d.ID, st.ID, sents[i].Cites, st.Summary)
			}
		}
		for _, src := range st.Sources {
			if urls[src.URL] {
				t.Errorf("%s: source %s in two stories", d.ID, src.URL)
			}
			urls[src.URL] = true
		}
	}
}

// checkExtractiveStory checks what the extractive summarizer promises of a
// story: its sources in the language it is told in, and a headline that is
// the title of a source its text cites (the first).
func checkExtractiveStory(t *testing.T, st news.Story) {
	t.Helper()
	for _, src := range st.Sources {
		if src.Language != st.Language {
			t.Errorf("story %q told in %s draws on a %s source %s", st.Headline, st.Language, src.Language, src.URL)
		}
	}
	if len(st.Sources) > 0 && st.Headline != st.Sources[0].Title {
		t.Errorf("story headline %q is not the title of its first source %q", st.Headline, st.Sources[0].Title)
	}
	if cs := citations(st.Summary); len(cs) > 0 && !slices.Contains(cs, 1) {
		t.Errorf("story %q does not cite its first source, whose title is the headline: %q", st.Headline, st.Summary)
	}
}

func TestComposeExtractive(t *testing.T) {
	s := newTestStage(t, Config{}, Deps{})
	articles := loadArticles(t, "articles.json")
	textOf := map[string]string{}
	for _, a := range articles {
		textOf[a.URL] = normalizeSpace(a.Text)
	}
	ds, err := s.Compose(t.Context(), "daily", "2026-11-28", articles)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 {
		t.Fatalf("%d digests, want de and en", len(ds))
	}
	tests := []struct {
		lang     string
		foreign  string // the story told only in the other language
		overview []string
	}{
		{"de", "https://www.theverge.example/2026/11/28/alibaba-qwen-coder-agent", []string{"Außerdem in dieser Ausgabe: ", "englischsprachigen Quelle"}},
		{"en", "https://netzpolitik.example/2026/ki-verordnung-bundesnetzagentur-aufsicht/", []string{"Also in this edition: ", "German-language source"}},
	}
	for i, tt := range tests {
		d := ds[i]
		t.Run(tt.lang, func(t *testing.T) {
			checkDigest(t, d, tt.lang)
			if d.Generator != "extractive" {
				t.Errorf("generator %q", d.Generator)
			}
			if d.ID != news.DigestID("daily", "2026-11-28", tt.lang, DefaultPromptVersion) {
				t.Errorf("id %q", d.ID)
			}
			if len(d.Stories) != 6 {
				t.Errorf("%d stories, want 6", len(d.Stories))
			}
			found := false
			for _, st := range d.Stories {
				checkExtractiveStory(t, st)
				if st.Sources[0].URL == tt.foreign {
					found = true
					if st.Language == tt.lang || st.Summary != "" || len(st.Sources) != 1 {
						t.Errorf("the story without a %s source: language %q, summary %q, %d sources; want its own language, headline and link only",
							tt.lang, st.Language, st.Summary, len(st.Sources))
					}
				}
			}
			if !found {
				t.Errorf("the story only %s sources do not tell, %s, is missing", tt.lang, tt.foreign)
			}
			// The overview opens with the top story's lede, a sentence of
			// its first source, which the story then does not repeat.
			opener := verify.SplitCited(lang.Default(), d.Overview, tt.lang)[0].Text
			if !strings.Contains(textOf[d.Stories[0].Sources[0].URL], opener) {
				t.Errorf("overview %q does not open with a sentence of the top story's source", d.Overview)
			}
			if strings.HasPrefix(d.Stories[0].Summary, opener) {
				t.Errorf("the top story repeats the overview's opening: %q", d.Stories[0].Summary)
			}
			for _, w := range tt.overview {
				if !strings.Contains(d.Overview, w) {
					t.Errorf("overview %q lacks %q", d.Overview, w)
				}
			}
			if len(d.Notes) != 0 {
				t.Errorf("notes %q on a plain extractive edition", d.Notes)
			}
		})
	}
	if de, en := storyIDs(ds[0]), storyIDs(ds[1]); !slices.Equal(de, en) {
		t.Errorf("the editions tell different stories:\n de %v\n en %v", de, en)
	}
}

// TestStoryInOneLanguage: a story only English outlets reported reaches
// the German edition and one only German outlets reported the English
// edition; with other_language_text it comes with sentences of its source,
// in the source's language, and a day on which only one language's feeds
// carry the topic still gives both editions every story.
func TestStoryInOneLanguage(t *testing.T) {
	articles := loadArticles(t, "articles.json")
	var enOnly []news.Article
	for _, a := range articles {
		if a.Language == "en" {
			enOnly = append(enOnly, a)
		}
	}
	for _, withText := range []bool{false, true} {
		s := newTestStage(t, Config{Digest: DigestConfig{OtherLanguageText: withText}}, Deps{})
		for name, in := range map[string][]news.Article{"both": articles, "English only": enOnly} {
			ds, err := s.Compose(t.Context(), "daily", "2026-11-28", in)
			if err != nil {
				t.Fatal(err)
			}
			if len(ds[0].Stories) == 0 || !slices.Equal(storyIDs(ds[0]), storyIDs(ds[1])) {
				t.Errorf("%s, text %v: stories de %v en %v", name, withText, storyIDs(ds[0]), storyIDs(ds[1]))
			}
			for i, code := range []string{"de", "en"} {
				checkDigest(t, ds[i], code)
				if name == "English only" && code == "de" {
					if want := "Über das Thema berichten in dieser Ausgabe nur englischsprachige Quellen. Hier sind ihre fünf Meldungen."; ds[i].Overview != want {
						t.Errorf("text %v: the German overview of a day only English sources report is %q, want %q", withText, ds[i].Overview, want)
					}
				}
				for _, st := range ds[i].Stories {
					checkExtractiveStory(t, st)
					if st.Language == code {
						continue
					}
					if withText != (st.Summary != "") {
						t.Errorf("%s, text %v: %s story %q told in %s with summary %q", name, withText, code, st.Headline, st.Language, st.Summary)
					}
					if ok, detail := verify.Language(lang.Default(), st.Headline+". "+stripCitations(st.Summary), st.Language); !ok {
						t.Errorf("%s: story %q is not in %s: %s", name, st.Headline, st.Language, detail)
					}
				}
			}
		}
	}
}

func TestComposeUnknownEdition(t *testing.T) {
	s := newTestStage(t, Config{}, Deps{})
	if _, err := s.Compose(t.Context(), "weekly", "2026-11-28", nil); err == nil {
		t.Fatal("want an error for an unknown edition")
	}
}

func TestComposeEmptyAndHostile(t *testing.T) {
	s := newTestStage(t, Config{}, Deps{})
	bad := []news.Article{
		{Schema: "wrong"},
		{Schema: news.ArticleSchema, ID: "a-x", URL: "https://x.example/", Language: "de", Title: "\x00\u200b", Text: ""},
		{Schema: news.ArticleSchema, ID: "a-y", URL: "https://y.example/", Language: "fr", Title: "Bonjour", Text: "Texte."},
	}
	ds, err := s.Compose(t.Context(), "daily", "2026-11-28", bad)
	if err != nil {
		t.Fatal(err)
	}
	for i, lang := range []string{"de", "en"} {
		checkDigest(t, ds[i], lang)
		if len(ds[i].Stories) != 0 {
			t.Errorf("%s: %d stories from unusable input", lang, len(ds[i].Stories))
		}
	}
}

// TestShortHeadlineCase: a headline's first word is written in lower case
// in the overview's list when it is a function word or the edition's text
// writes it so; names, nouns and acronyms keep their capital.
func TestShortHeadlineCase(t *testing.T) {
	reg := lang.Default()
	lower := lowerWords([]news.Story{
		{Summary: "Künstliche Intelligenz aus China ist in deutschen Unternehmen recht verbreitet; chinesische Modelle und ein neues Modell von Alibaba [1]."},
		{Summary: "The new rule puts $2.8 billion of orders at risk, and kinetic models run on ki chips [2]."},
	})
	tests := []struct{ lang, headline, want string }{
		{"de", "Chinesische KI in deutschen Firmen: Abgeordnete fordern klare Regeln", "chinesische KI in deutschen Firmen"},
		{"de", "DeepSeek legt nach: Neues Modell aus China setzt US-Konzerne unter Druck", "neues Modell aus China setzt US-Konzerne unter Druck"},
		{"de", "Modell aus China setzt US-Konzerne unter Druck", "Modell aus China setzt US-Konzerne unter Druck"},
		{"de", "Alibaba veröffentlicht Qwen4 mit offenen Gewichten", "Alibaba veröffentlicht Qwen4 mit offenen Gewichten"},
		{"de", "KI aus China: Wie chinesische Modelle in deutsche Software kommen", "wie chinesische Modelle in deutsche Software kommen"},
		// "Aus" is the noun "das Aus" before a word in lower case, the
		// preposition before its noun; likewise "Recht".
		{"de", "USA verschärfen Exportkontrollen: Aus für Nvidias H20 in China", "Aus für Nvidias H20 in China"},
		{"de", "Aus China kommen neue Modelle", "aus China kommen neue Modelle"},
		{"de", "Recht auf Reparatur gilt auch für KI-Server", "Recht auf Reparatur gilt auch für KI-Server"},
		{"en", "New Commerce Department rule puts $2.8 billion of H20 orders at risk", "new Commerce Department rule puts $2.8 billion of H20 orders at risk"},
		{"en", "KI chips ramp up at Huawei plants", "KI chips ramp up at Huawei plants"},
		{"en", "Huawei plans to lift Ascend AI chip output to 1.1 million in 2027", "Huawei plans to lift Ascend AI chip output to 1.1 million in 2027"},
	}
	for _, tt := range tests {
		if got := shortHeadline(tt.headline, reg.Get(tt.lang), lower); got != tt.want {
			t.Errorf("%s shortHeadline(%q) = %q, want %q", tt.lang, tt.headline, got, tt.want)
		}
	}
}

// TestWithoutLede: the top story without the sentence the overview opens
// with and without the sentences that lean on it, unless nothing that
// stands alone would be left.
func TestWithoutLede(t *testing.T) {
	s := newTestStage(t, Config{}, Deps{})
	lede := "Huawei plans to make about 1.1 million Ascend AI chips next year."
	tests := []struct{ name, summary, want string }{
		{"next stands alone", lede + " Chinese cloud providers are testing Ascend clusters [1].", "Chinese cloud providers are testing Ascend clusters [1]."},
		{"next leans", lede + " The company relies on SMIC's 7-nanometre process. Chinese cloud providers are testing Ascend clusters [1].", "Chinese cloud providers are testing Ascend clusters [1]."},
		{"only leaning ones follow", lede + " The company relies on SMIC's 7-nanometre process [1].", lede + " The company relies on SMIC's 7-nanometre process [1]."},
		{"lede alone", lede + " [1]", lede + " [1]"},
	}
	for _, tt := range tests {
		if got := s.withoutLede(news.Story{Summary: tt.summary}, "en"); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
