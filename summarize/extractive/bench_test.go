package extractive

import (
	"testing"
)

// BenchmarkSummEvalCorpus summarizes every English single-document article
// of the summeval sets (CNN/DM and XSum, -summeval DIR) once per op, with
// this package and with LEAD-3 over the same sentence splitter, so the two
// are compared on the same work in the same run. newsdesk is one
// Summarizer for the pass (as the summarize stage keeps one per language),
// made anew for every op, so no op profits from an earlier one;
// newsdesk-warm is one Summarizer that has seen the articles before (the
// stage's steady state, where most words of an article are known):
//
//	go test ./summarize/extractive -run '^$' -bench SummEvalCorpus -summeval ../shared/summeval
//
// docs/cpu-s is the figure to compare (CPU time of the process, which other
// work on a shared machine disturbs less than wall time). Without -summeval
// the package's own fixture articles are used.
func BenchmarkSummEvalCorpus(b *testing.B) {
	docs := benchDocs(b)
	l := langs.Get("en")
	warm := New(l) // one Summarizer for every op, as the stage keeps one
	for _, d := range docs {
		warm.Summarize(d, 3)
	}
	systems := []struct {
		name string
		run  func(string) []string
	}{
		{"newsdesk", nil}, // a new Summarizer per op: its lexicon starts empty
		{"newsdesk-warm", func(d string) []string { return warm.Summarize(d, 3) }},
		{"lead3", func(d string) []string {
			s := Sentences(d, l)
			return s[:min(3, len(s))]
		}},
	}
	for _, s := range systems {
		b.Run(s.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				run := s.run
				if run == nil {
					sum := New(l)
					run = func(d string) []string { return sum.Summarize(d, 3) }
				}
				for _, d := range docs {
					run(d)
				}
			}
			if cpu := (cpuTime() - cpu0).Seconds(); cpu > 0 {
				b.ReportMetric(cpu/float64(b.N), "cpu-s/op")
				b.ReportMetric(float64(b.N*len(docs))/cpu, "docs/cpu-s")
			}
			b.ReportMetric(float64(b.N*len(docs))/b.Elapsed().Seconds(), "docs/s")
		})
	}
}

// benchDocs are the English single-document articles of the summeval sets,
// or the fixtures without -summeval.
func benchDocs(b *testing.B) []string {
	b.Helper()
	var docs []string
	if *summevalDir == "" {
		for _, f := range []string{"en_open_models.txt"} {
			docs = append(docs, readFixture(b, f))
		}
		return docs
	}
	for _, f := range []string{"en_cnndm_frank.jsonl", "en_cnndm_summeval.jsonl", "en_xsum_frank.jsonl"} {
		for _, it := range loadItems(b, f) {
			docs = append(docs, it.Documents[0])
		}
	}
	return docs
}
