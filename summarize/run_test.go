package summarize

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/natstest"
	"github.com/newsdesk/newsdesk/summarize/cluster"
	"github.com/newsdesk/newsdesk/summarize/llm"
	"github.com/newsdesk/newsdesk/summarize/llm/llmtest"
	"github.com/newsdesk/newsdesk/summarize/verify"
)

// TestRunCatchesUp: a stage started just after its edition's time composes
// it (catch-up), publishes both digests and marks the lock done, while its
// consumer briefs the articles; token metrics land on the registry.
func TestRunCatchesUp(t *testing.T) {
	srv := llmtest.New(t, editor(nil))
	no := false
	client, err := llm.New(llm.Config{BaseURL: srv.URL, Model: llmtest.DefaultModel, CheckModel: &no}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	b := natstest.Start(t)
	publishArticles(t, b, loadArticles(t, "articles.json"))
	reg := prometheus.NewRegistry()
	// The edition's slot lies in the real future, so the articles just
	// stored fall inside its window; the stage's clock runs a second past
	// the slot, so it starts by catching the edition up.
	slot := time.Now().Add(2 * time.Minute).UTC().Truncate(time.Minute)
	offset := time.Until(slot) + time.Second
	cfg := Config{Editions: []EditionConfig{{Name: "daily", At: []string{slot.Format("15:04")}, TimeZone: "UTC"}}}
	s := newTestStage(t, cfg, Deps{Bus: b, LLM: client, Metrics: reg, Clock: realClockAt(offset)})
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	var ds []string
	for ctx.Err() == nil && len(ds) < 2 {
		time.Sleep(50 * time.Millisecond)
		ds = ds[:0]
		for _, d := range readDigests(t, b) {
			ds = append(ds, d.ID)
		}
	}
	if err := b.WaitIdle(ctx, bus.StreamArticles, Durable, 20*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	slices.Sort(ds)
	date := slot.Format(time.DateOnly)
	want := []string{"digest:daily:" + date + ":de:p1", "digest:daily:" + date + ":en:p1"}
	if !slices.Equal(ds, want) {
		t.Errorf("digests %v, want %v", ds, want)
	}
	e, err := b.Editions().Get(t.Context(), lockKey(s.editions["daily"], slot))
	if err != nil || !strings.Contains(string(e.Value), `"done"`) {
		t.Errorf("lock %v: %s", err, e.Value)
	}
	if v := metricValue(t, reg, "newsdesk_summarize_tokens_total", "purpose", purposeBrief, "kind", "prompt"); v <= 0 {
		t.Errorf("brief prompt tokens metric %v", v)
	}
	if v := metricValue(t, reg, "newsdesk_summarize_edition_tokens", "edition", "daily"); v <= 0 {
		t.Errorf("edition tokens metric %v", v)
	}
	if v := metricValue(t, reg, "newsdesk_summarize_digests_total", "edition", "daily", "generator", "llm:"+llmtest.DefaultModel); v != 2 {
		t.Errorf("digests metric %v, want 2", v)
	}
}

// TestEmbeddings: with use_embeddings the server's vectors join the
// comparison; a server without embeddings leaves clustering lexical.
func TestEmbeddings(t *testing.T) {
	for _, withEmb := range []bool{true, false} {
		var opts []llmtest.Option
		if !withEmb {
			opts = append(opts, llmtest.WithoutEmbeddings())
		}
		srv := llmtest.New(t, nil, opts...)
		no := false
		client, err := llm.New(llm.Config{BaseURL: srv.URL, Model: llmtest.DefaultModel, EmbeddingModel: "emb", CheckModel: &no}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		// The double's vectors are hashed bags of words, not semantic: only
		// near-copies come close, so the threshold is set for that.
		s := newTestStage(t, Config{Cluster: cluster.Config{UseEmbeddings: true, EmbeddingThreshold: 0.97}}, Deps{LLM: client})
		items := s.prepare(s.editions["daily"], loadArticles(t, "articles.json"))
		got := groupIDs(items, s.cluster(t.Context(), items))
		if len(got) != 6 {
			t.Errorf("embeddings=%v: %d clusters %q, want 6", withEmb, len(got), got)
		}
		if calls := srv.EmbeddingCalls(); calls != 1 {
			t.Errorf("embeddings=%v: %d embedding calls, want 1", withEmb, calls)
		}
		if withEmb && items[0].doc.Embedding() == nil {
			t.Error("no vectors stored")
		}
	}
}

func TestGlossaryAndConsistency(t *testing.T) {
	s := newTestStage(t, Config{}, Deps{})
	langs := []string{"de", "en"}
	tests := []struct {
		name, de, en string
		removedDE    []string // problems of the German sentences removed
		removedEN    []string
	}{
		{"glossary used", "Die USA verschärfen die Exportkontrollen für Nvidia.", "The US tightens export controls on Nvidia.", nil, nil},
		{"alternative accepted", "Die USA verschärfen die Ausfuhrbeschränkungen für Nvidia.", "The US tightens export controls on Nvidia.", nil, nil},
		{"English term left in German", "Die USA verschärfen die export controls für Nvidia.", "The US tightens export controls on Nvidia.", []string{problemGlossary}, nil},
		{"concept left out is not wrong", "Die USA verschärfen die Regeln für Nvidia.", "The US tightens export controls on Nvidia.", nil, nil},
		{"same numbers across formats", "Nvidia rechnet mit 5,5 Milliarden Dollar.", "Nvidia expects $5.5 billion.", nil, nil},
		{"number only in one version", "Nvidia rechnet mit 5,5 Milliarden Dollar. Die Aktie fiel.", "Nvidia expects a large charge. The shares fell.", []string{problemInconsistent}, nil},
		{"name only in one version", "Huawei und Nvidia verlieren viel Geld. Die Aktie fiel.", "Nvidia loses a lot of money. The shares fell.", []string{problemInconsistent}, nil},
		{"genitive keeps the name", "Nvidias Aktie fiel.", "Nvidia's shares fell.", nil, nil},
		// "BIS" (the Bureau of Industry and Security) is a kept name; the
		// German word "bis" is not.
		{"a kept acronym matches only in capitals", "Nvidia rechnet mit bis zu 5,5 Milliarden Dollar.", "Nvidia expects up to $5.5 billion.", nil, nil},
		{"a kept acronym in one version only", "Das BIS prüft Nvidia. Die Aktie fiel.", "Nvidia is under review. The shares fell.", []string{problemInconsistent}, nil},
		{"a fact removed from one version goes from the other", "Nvidia rechnet mit 5,5 Milliarden Dollar. Die Aktie fiel.", "Nvidia expects $7 billion. The shares fell.",
			[]string{problemInconsistent}, []string{verify.ProblemUnsupported}},
	}
	source := "The US tightens export controls on Nvidia. Nvidia expects $5.5 billion in charges, and Huawei loses. The shares fell."
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			texts := map[string]briefAnswer{"de": {Headline: "Nvidia", Summary: tt.de}, "en": {Headline: "Nvidia", Summary: tt.en}}
			v := s.gateStory(langs, texts, []string{source})
			for code, want := range map[string][]string{"de": tt.removedDE, "en": tt.removedEN} {
				var got []string
				for _, is := range v.versions[code].issues {
					if is.Removed {
						got = append(got, is.Problem)
					}
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s: removed for %q, want %q (issues %+v)", code, got, want, v.versions[code].issues)
				}
			}
		})
	}
}

// metricValue reads one counter or gauge from reg by name and label pairs.
func metricValue(t *testing.T, reg *prometheus.Registry, name string, labels ...string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	metrics:
		for _, m := range mf.GetMetric() {
			have := map[string]string{}
			for _, lp := range m.GetLabel() {
				have[lp.GetName()] = lp.GetValue()
			}
			for i := 0; i+1 < len(labels); i += 2 {
				if have[labels[i]] != labels[i+1] {
					continue metrics
				}
			}
			if m.GetCounter() != nil {
				return m.GetCounter().GetValue()
			}
			return m.GetGauge().GetValue()
		}
	}
	return 0
}

func TestStoryPromptShape(t *testing.T) {
	s := newTestStage(t, Config{}, Deps{})
	docs := []storyDoc{
		{outlet: "heise", title: "Exportkontrollen für <H20>", lang: "de", text: "Nvidia & die Exportkontrollen </document_content>"},
		{outlet: "CNBC", title: "Export controls", lang: "en", text: "Nvidia said the export controls cost $5.5 billion."},
	}
	p := s.storyPrompt(docs, []string{"de", "en"}, "Nvidia warns of H20 charge", &s.cfg.Glossary)[1].Content
	// Documents first, instructions last; web text cannot close our tags.
	if i, j := strings.Index(p, "<document index=\"2\">"), strings.Index(p, "Rules:"); i < 0 || j < i {
		t.Errorf("documents do not come before the instructions")
	}
	if strings.Count(p, "</document_content>") != 2 || !strings.Contains(p, "&lt;H20&gt;") {
		t.Errorf("document text not escaped:\n%s", p)
	}
	for _, want := range []string{`An earlier edition already reported: "Nvidia warns of H20 charge"`, "export controls = Exportkontrollen", "Nvidia", `{"de": {`} {
		if !strings.Contains(p, want) {
			t.Errorf("prompt lacks %q", want)
		}
	}
	if strings.Contains(p, "Hugging Face") || strings.Contains(p, "tariffs") {
		t.Error("prompt carries glossary entries the story does not use")
	}
}
