package summarizetest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/summarize/llm"
	"github.com/newsdesk/newsdesk/summarize/llm/llmtest"
)

// The testdata prompts are what the summarize stage sent for the bundled
// sample site (newsdesk demo); when the stage's prompts change, refresh
// them from a demo run.

func request(t testing.TB, name string, extra ...string) llmtest.ChatRequest {
	t.Helper()
	p, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	msgs := []llm.Message{{Role: "system", Content: "You are a careful news editor."}, {Role: "user", Content: string(p)}}
	for _, e := range extra {
		msgs = append(msgs, llm.Message{Role: "user", Content: e})
	}
	purpose, _, _ := strings.Cut(strings.TrimSuffix(name, ".txt"), "-")
	return llmtest.ChatRequest{Messages: msgs, Purpose: purpose}
}

type version struct{ Headline, Summary string }

func storyAnswer(t *testing.T, r llmtest.Reply) map[string]version {
	t.Helper()
	var out map[string]version
	if err := json.Unmarshal([]byte(r.Content), &out); err != nil {
		t.Fatalf("story answer %q: %v", r.Content, err)
	}
	return out
}

// TestPurpose: requests are told apart by the purpose header alone, and
// a retry by its second user message.
func TestPurpose(t *testing.T) {
	tests := []struct {
		file, header, want string
	}{
		{"brief.txt", "brief", PurposeBrief},
		{"story-bilingual.txt", "story", PurposeStory},
		{"overview-de.txt", "overview", PurposeOverview},
		{"story-bilingual.txt", "", PurposeUnknown},   // no header: the prompt is not read
		{"brief.txt", "story", PurposeStory},          // the header wins over the wording
		{"overview-de.txt", "warmup", PurposeUnknown}, // not one of the stage's
	}
	for _, tt := range tests {
		req := request(t, tt.file)
		req.Purpose = tt.header
		if got := Purpose(req); got != tt.want {
			t.Errorf("%s with %q: purpose %q, want %q", tt.file, tt.header, got, tt.want)
		}
		if IsRetry(req) {
			t.Errorf("%s: first attempt taken for a retry", tt.file)
		}
		retry := request(t, tt.file, "Your previous answer was rejected: no [n] citations. Answer again.")
		if !IsRetry(retry) || Prompt(retry) != Prompt(req) {
			t.Errorf("%s retry: retry %v, prompt changed", tt.file, IsRetry(retry))
		}
	}
}

func TestAnswerShape(t *testing.T) {
	if got := storyLangs(Prompt(request(t, "story-bilingual.txt"))); !slices.Equal(got, []string{"de", "en"}) {
		t.Errorf("story languages %v", got)
	}
	if got := storyLangs(Prompt(request(t, "brief.txt"))); len(got) != 0 {
		t.Errorf("a brief asks for languages %v", got)
	}
	for file, want := range map[string]string{"overview-de.txt": "de", "overview-en.txt": "en"} {
		if got := overviewLang(Prompt(request(t, file))); got != want {
			t.Errorf("%s: overview language %q, want %q", file, got, want)
		}
	}
}

func TestDocs(t *testing.T) {
	docs := Docs(request(t, "story-bilingual.txt").Messages[1].Content)
	if len(docs) != 2 {
		t.Fatalf("%d docs, want 2", len(docs))
	}
	want := []Doc{
		{Index: "1", Source: "Techblatt", Title: "Alibaba veröffentlicht Qwen4 mit offenen Gewichten", Lang: "de"},
		{Index: "2", Source: "The Kernel Post", Title: "Alibaba releases Qwen4 as open weights, taking aim at US coding models", Lang: "en"},
	}
	for i, w := range want {
		d := docs[i]
		if d.Index != w.Index || d.Source != w.Source || d.Title != w.Title || d.Lang != w.Lang || d.Content == "" {
			t.Errorf("doc %d = %+v, want %+v with content", i, d, w)
		}
	}
}

var citeRe = regexp.MustCompile(`\[(\d+)\]`)

func TestEditorStory(t *testing.T) {
	tests := []struct {
		name string
		file string
		opts []Option
		want map[string]version
	}{
		{name: "a source in each language", file: "story-bilingual.txt", want: map[string]version{
			"de": {"Alibaba veröffentlicht Qwen4 mit offenen Gewichten", "Alibaba veröffentlicht Qwen4 mit offenen Gewichten. Der Bericht schildert die Hintergründe und die Folgen für die Branche [1]."},
			"en": {"Alibaba releases Qwen4 as open weights, taking aim at US coding models", "Alibaba releases Qwen4 as open weights, taking aim at US coding models. The report describes the background and what it means for the industry [2]."},
		}},
		{name: "one language: the wrong language, for the checks to catch", file: "story-english-only.txt", want: map[string]version{
			"de": {"China's Big Fund puts 18 billion yuan into CXMT's high-bandwidth memory push", "China's Big Fund puts 18 billion yuan into CXMT's high-bandwidth memory push [1]."},
			"en": {"China's Big Fund puts 18 billion yuan into CXMT's high-bandwidth memory push", "China's Big Fund puts 18 billion yuan into CXMT's high-bandwidth memory push. The report describes the background and what it means for the industry [1]."},
		}},
		{name: "one language: a canned translation", file: "story-english-only.txt",
			opts: []Option{WithTranslations(map[string]string{
				"China's Big Fund puts 18 billion yuan into CXMT's high-bandwidth memory push": "Chinas Big Fund steckt 18 Milliarden Yuan in CXMT",
			}), WithStandIns()},
			want: map[string]version{
				"de": {"Chinas Big Fund steckt 18 Milliarden Yuan in CXMT", "Chinas Big Fund steckt 18 Milliarden Yuan in CXMT [1]."},
				"en": {"China's Big Fund puts 18 billion yuan into CXMT's high-bandwidth memory push", "China's Big Fund puts 18 billion yuan into CXMT's high-bandwidth memory push. The report describes the background and what it means for the industry [1]."},
			}},
		{name: "English only: stand-ins", file: "story-english-only.txt", opts: []Option{WithStandIns()}, want: map[string]version{
			"de": {"Meldung zu CXMT", "Über diese Geschichte berichtet nur eine Quelle in einer anderen Sprache; es geht um CXMT [1]."},
			"en": {"Report on CXMT", "This story is covered only by a source in another language; it concerns CXMT [1]."},
		}},
		{name: "German only: stand-ins cite every document", file: "story-german-only.txt", opts: []Option{WithStandIns()}, want: map[string]version{
			"de": {"Meldung zu Qwen", "Über diese Geschichte berichtet nur eine Quelle in einer anderen Sprache; es geht um Qwen [1][2]."},
			"en": {"Report on Qwen", "This story is covered only by a source in another language; it concerns Qwen [1][2]."},
		}},
		{name: "stand-ins leave stories with every language alone", file: "story-bilingual.txt", opts: []Option{WithStandIns()}, want: map[string]version{
			"de": {"Alibaba veröffentlicht Qwen4 mit offenen Gewichten", "Alibaba veröffentlicht Qwen4 mit offenen Gewichten. Der Bericht schildert die Hintergründe und die Folgen für die Branche [1]."},
			"en": {"Alibaba releases Qwen4 as open weights, taking aim at US coding models", "Alibaba releases Qwen4 as open weights, taking aim at US coding models. The report describes the background and what it means for the industry [2]."},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := storyAnswer(t, Editor(tt.opts...)(request(t, tt.file)))
			if len(got) != len(tt.want) {
				t.Errorf("versions %v, want %v", got, tt.want)
			}
			for code, w := range tt.want {
				if got[code] != w {
					t.Errorf("%s = %+v, want %+v", code, got[code], w)
				}
			}
		})
	}
}

// TestStandInLanguage: the stand-ins are in their language, as the
// stage's checks demand.
func TestStandInLanguage(t *testing.T) {
	for _, file := range []string{"story-english-only.txt", "story-german-only.txt"} {
		got := storyAnswer(t, Editor(WithStandIns())(request(t, file)))
		for code, v := range got {
			text := v.Headline + ". " + citeRe.ReplaceAllString(v.Summary, "")
			if l := lang.Detect(text); l != code {
				t.Errorf("%s %s stand-in detected as %s: %q", file, code, l, text)
			}
		}
	}
}

func TestEditorBriefAndOverview(t *testing.T) {
	h := Editor()
	var brief struct{ Headline, Summary string }
	if err := json.Unmarshal([]byte(h(request(t, "brief.txt")).Content), &brief); err != nil {
		t.Fatal(err)
	}
	d := Docs(request(t, "brief.txt").Messages[1].Content)[0]
	if brief.Headline != d.Title || brief.Summary == "" || !strings.HasPrefix(d.Content, brief.Summary) {
		t.Errorf("brief %+v: want the title and the document's first sentences", brief)
	}
	for file, prefix := range map[string]string{
		"overview-de.txt": "Heute im Überblick: USA verschärfen Exportkontrollen",
		"overview-en.txt": "Today: ",
	} {
		var ov struct{ Overview string }
		if err := json.Unmarshal([]byte(h(request(t, file)).Content), &ov); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(ov.Overview, prefix) {
			t.Errorf("%s: overview %q, want it to start %q", file, ov.Overview, prefix)
		}
	}
}

// TestFault: faults see per-story call counts and replace what they choose.
func TestFault(t *testing.T) {
	type seen struct {
		purpose, story string
		n              int
	}
	var calls []seen
	h := Editor(WithFault(func(purpose string, n int, story string, good map[string]any) (llmtest.Reply, bool) {
		calls = append(calls, seen{purpose, story, n})
		return llmtest.ServerError(), purpose == PurposeStory && n == 1
	}))
	bi, mono := request(t, "story-bilingual.txt"), request(t, "story-english-only.txt")
	replies := []llmtest.Reply{h(bi), h(mono), h(bi), h(request(t, "brief.txt"))}
	want := []seen{
		{PurposeStory, "Alibaba releases Qwen4 as open weights, taking aim at US coding models", 1},
		{PurposeStory, "China's Big Fund puts 18 billion yuan into CXMT's high-bandwidth memory push", 1},
		{PurposeStory, "Alibaba releases Qwen4 as open weights, taking aim at US coding models", 2},
		{PurposeBrief, "", 1},
	}
	for i, w := range want {
		if calls[i] != w {
			t.Errorf("call %d seen as %+v, want %+v", i, calls[i], w)
		}
	}
	for i, status := range []int{500, 500, 0, 0} {
		if replies[i].Status != status {
			t.Errorf("reply %d status %d, want %d", i, replies[i].Status, status)
		}
	}
}

// FuzzEditor: whatever a request holds, the editor answers with JSON and
// never panics.
func FuzzEditor(f *testing.F) {
	for _, name := range []string{"brief.txt", "story-bilingual.txt", "story-german-only.txt", "overview-en.txt"} {
		p, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(p))
	}
	f.Add("Write the story once in each of: . Both")
	f.Add("Write the overview of today's digest in Klingon")
	h := Editor(WithStandIns())
	f.Fuzz(func(t *testing.T, prompt string) {
		purpose := []string{PurposeBrief, PurposeStory, PurposeOverview, ""}[len(prompt)%4]
		r := h(llmtest.ChatRequest{Messages: []llm.Message{{Role: "user", Content: prompt}}, Purpose: purpose})
		if !json.Valid([]byte(r.Content)) {
			t.Errorf("answer is not JSON: %q", r.Content)
		}
	})
}
