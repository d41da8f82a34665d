package summarize

import (
	"slices"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
)

// checkDigest checks what every digest must satisfy whoever wrote it.
func checkDigest(t *testing.T, d news.Digest, lang string) {
	t.Helper()
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	if d.Language != lang {
		t.Errorf("digest language %q, want %q", d.Language, lang)
	}
	if d.Overview == "" || d.Title == "" {
		t.Errorf("%s: empty title or overview", d.ID)
	}
	ids := map[string]bool{}
	urls := map[string]bool{}
	for _, st := range d.Stories {
		if ids[st.ID] {
			t.Errorf("%s: story %s twice", d.ID, st.ID)
		}
		ids[st.ID] = true
		for _, n := range citations(st.Summary) {
			if n < 1 || n > len(st.Sources) {
				t.Errorf("%s: story %s cites [%d] of %d sources", d.ID, st.ID, n, len(st.Sources))
			}
		}
		if len(citations(st.Summary)) == 0 {
			t.Errorf("%s: story %s has no citations: %q", d.ID, st.ID, st.Summary)
		}
		for _, src := range st.Sources {
			if urls[src.URL] {
				t.Errorf("%s: source %s in two stories", d.ID, src.URL)
			}
			urls[src.URL] = true
		}
	}
}

func TestComposeExtractive(t *testing.T) {
	s := newTestStage(t, Config{}, Deps{})
	ds, err := s.Compose(t.Context(), "daily", "2026-11-28", loadArticles(t, "articles.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 {
		t.Fatalf("%d digests, want de and en", len(ds))
	}
	tests := []struct {
		lang      string
		stories   int
		mustHave  []string // source URLs that must appear
		overview  string
		storyWord string // a word the H20 story summary must contain
	}{
		{"de", 5, []string{"https://netzpolitik.example/2026/ki-verordnung-bundesnetzagentur-aufsicht/"}, "Die wichtigsten Themen:", "Nvidia"},
		{"en", 5, []string{"https://www.theverge.example/2026/11/28/alibaba-qwen-coder-agent"}, "Top stories:", "Nvidia"},
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
			if len(d.Stories) != tt.stories {
				t.Errorf("%d stories, want %d", len(d.Stories), tt.stories)
			}
			var urls []string
			for _, st := range d.Stories {
				for _, src := range st.Sources {
					if src.Language != tt.lang {
						t.Errorf("story %q draws on a %s source %s", st.Headline, src.Language, src.URL)
					}
					urls = append(urls, src.URL)
				}
			}
			for _, u := range tt.mustHave {
				if !slices.Contains(urls, u) {
					t.Errorf("missing source %s", u)
				}
			}
			if !strings.HasPrefix(d.Overview, tt.overview) {
				t.Errorf("overview %q", d.Overview)
			}
			if len(d.Notes) != 0 {
				t.Errorf("notes %q on a plain extractive edition", d.Notes)
			}
		})
	}
	// The stories both languages share carry the same ids.
	de, en := map[string]bool{}, map[string]bool{}
	for _, st := range ds[0].Stories {
		de[st.ID] = true
	}
	for _, st := range ds[1].Stories {
		en[st.ID] = true
	}
	shared := 0
	for id := range de {
		if en[id] {
			shared++
		}
	}
	if shared != 4 {
		t.Errorf("%d stories in both languages, want 4 (H20, DeepSeek, Huawei, Nvidia results)", shared)
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
