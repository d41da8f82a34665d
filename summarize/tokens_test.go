package summarize

import (
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/summarize/llm"
	"github.com/newsdesk/newsdesk/summarize/llm/llmtest"
	"github.com/newsdesk/newsdesk/summarize/summarizetest"
)

var tokenArticles = flag.Int("tokens.articles", 200, "articles in the synthetic day of TestTokenBudget")

// naivePrompt is the approach we measure against: every article summarized
// on its own, whole, once per edition language.
func naivePrompt(a news.Article, lang string) []llm.Message {
	return []llm.Message{
		{Role: "system", Content: "You are a news editor."},
		{Role: "user", Content: fmt.Sprintf("Summarize the following news article in %s in 3 sentences.\n\nTitle: %s\n\n%s", testLangs.Get(lang).Name, a.Title, a.Text)},
	}
}

// naiveEditor, a TEST DOUBLE, answers with the article's first three
// sentences: a summary as long as a real one.
func naiveEditor(req llmtest.ChatRequest) llmtest.Reply {
	u := req.Messages[len(req.Messages)-1].Content
	body := u[strings.Index(u, "\n\n")+2:]
	body = body[strings.Index(body, "\n\n")+2:]
	sents := strings.SplitAfter(body, ". ")
	return llmtest.OK(strings.TrimSpace(strings.Join(sents[:min(3, len(sents))], "")))
}

// TestTokenBudget measures issue 4: the tokens one edition costs over a
// realistic synthetic day (wire stories in several outlets and both
// languages), ours against summarizing every item in each language. Both
// run through the llmtest double, which counts tokens the way the llm
// package estimates them. Run:
//
//	go test ./summarize -run TestTokenBudget -v
func TestTokenBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("token budget: not in -short")
	}
	day := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	articles := summarizetest.SynthDay(42, *tokenArticles, day)
	chars := 0
	for _, a := range articles {
		chars += len([]rune(a.Text))
	}

	// Naive: every article, whole, in each language.
	naive := llmtest.New(t, naiveEditor)
	no := false
	nc, err := llm.New(llm.Config{BaseURL: naive.URL, Model: "naive", CheckModel: &no, ContextTokens: 32768, MaxConcurrency: 4}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range articles {
		for _, lang := range []string{"de", "en"} {
			if _, err := nc.Complete(t.Context(), llm.Request{Messages: naivePrompt(a, lang), MaxTokens: 300, Purpose: "naive"}); err != nil {
				t.Fatal(err)
			}
		}
	}

	// Ours: briefs ahead (as the consumer makes them), then the edition.
	ts := newLLMSetup(t, editor(nil), func(c *Config, lc *llm.Config) {
		c.LLMDeadline = time.Minute
		lc.ContextTokens = 32768
		lc.MaxConcurrency = 4
	})
	for _, a := range articles {
		if _, err := ts.stage.HandleArticle(t.Context(), a); err != nil {
			t.Fatal(err)
		}
	}
	ahead := ts.srv.Usage()
	ds, err := ts.stage.Compose(t.Context(), "daily", "2026-11-28", articles)
	if err != nil {
		t.Fatal(err)
	}
	ours := ts.srv.Usage()
	for i, lang := range []string{"de", "en"} {
		checkDigest(t, ds[i], lang)
		if ds[i].Generator != "llm:llmtest-model" || len(ds[i].Stories) < 6 {
			t.Errorf("%s: generator %q with %d stories, notes %q", lang, ds[i].Generator, len(ds[i].Stories), ds[i].Notes)
		}
	}
	ratio := float64(naive.Usage().Total()) / float64(ours.Total())
	t.Logf("synthetic day: %d articles of %d characters on average, %d stories in the edition", len(articles), chars/len(articles), len(ds[0].Stories))
	t.Logf("naive (each article, whole, in de and en): %d calls, %d prompt + %d completion = %d tokens",
		naive.Usage().Calls, naive.Usage().PromptTokens, naive.Usage().CompletionTokens, naive.Usage().Total())
	t.Logf("ours: %d calls, %d prompt + %d completion = %d tokens (briefs ahead %d tokens in %d calls; edition %d tokens in %d calls)",
		ours.Calls, ours.PromptTokens, ours.CompletionTokens, ours.Total(), ahead.Total(), ahead.Calls, ours.Total()-ahead.Total(), ours.Calls-ahead.Calls)
	t.Logf("ratio naive/ours: %.2f×", ratio)
	if ratio < 3 {
		t.Errorf("ours costs %.2f× fewer tokens than naive; the target is at least 3×", ratio)
	}
}
