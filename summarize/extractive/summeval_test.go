package extractive

import (
	"flag"
	"fmt"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/summeval"

	"github.com/newsdesk/newsdesk/internal/rouge"
)

// The evaluation reads the summeval data set (not shipped with the
// repository) from the directory given by -summeval, and is skipped
// without it:
//
//	go test ./summarize/extractive -run TestSummEval -summeval ../shared/summeval -v
//
// For every set it scores our summarizer and the lead baseline of the same
// length in the same run, with the same sentence splitter and ROUGE
// implementation (internal/rouge: Unicode tokens, Snowball stems,
// summary-level ROUGE-L), and fails when ours falls below the floor flags
// or below the lead baseline by more than -summeval-lead-margin points.
// TestSummEvalLOSO (loso_test.go) is how the weights were chosen.
var (
	summevalDir        = flag.String("summeval", "", "directory of the summeval evaluation data; the evaluation is skipped without it")
	leadMargin         = flag.Float64("summeval-lead-margin", 0, "fail when our ROUGE-1 F is more than this many points below the lead baseline on a set")
	floorCNNDM         = flag.String("floor-cnndm", "41.4/18.9/37.5", "ROUGE-1/2/L F floors (points) on cnndm_frank, 3 sentences")
	floorCNNDMSummEval = flag.String("floor-cnndm-summeval", "41.8/19.1/37.7", "ROUGE-1/2/L F floors on cnndm_summeval, 3 sentences")
	floorXSum          = flag.String("floor-xsum", "17.2/1.8/12.3", "ROUGE-1/2/L F floors on xsum_frank, 1 sentence")
	floorMulti         = flag.String("floor-multinews", "42.3/13.3/38.2", "ROUGE-1/2/L F floors on multinews, as many sentences as First-3")
	floorSZ            = flag.String("floor-sz", "22.7/7.1/19.4", "ROUGE-1/2/L F floors on sz_t5_de, 2 sentences")
)

type evalItem struct {
	ID         string   `json:"id"`
	Lang       string   `json:"lang"`
	SourceLang string   `json:"source_lang"`
	Documents  []string `json:"documents"`
	Reference  string   `json:"reference"`
	References []string `json:"references"`
	Set        string   `json:"set"`
}

func loadItems(t testing.TB, file string) []evalItem {
	t.Helper()
	items, err := summeval.Load[evalItem](*summevalDir, file)
	if err != nil {
		t.Fatalf("evaluation data: %v", err)
	}
	return items
}

// triple is mean ROUGE-1/2/L F1 in points.
type triple struct{ R1, R2, RL float64 }

func (a triple) String() string { return fmt.Sprintf("%.2f/%.2f/%.2f", a.R1, a.R2, a.RL) }

type meter struct {
	sum triple
	n   int
}

// add scores one summary (a list of sentences) against a reference,
// sentence per line as summary-level ROUGE-L expects.
func (m *meter) add(summary []string, reference, lang string) {
	cand := strings.Join(summary, "\n")
	ref := strings.Join(Sentences(reference, langs.Get(lang)), "\n")
	m.sum.R1 += 100 * rouge.Rouge1(cand, ref, langs.Get(lang)).F
	m.sum.R2 += 100 * rouge.Rouge2(cand, ref, langs.Get(lang)).F
	m.sum.RL += 100 * rouge.RougeL(cand, ref, langs.Get(lang)).F
	m.n++
}

func (m *meter) mean() triple {
	if m.n == 0 {
		return triple{}
	}
	n := float64(m.n)
	return triple{m.sum.R1 / n, m.sum.R2 / n, m.sum.RL / n}
}

func lead(doc, lang string, k int) []string {
	s := Sentences(doc, langs.Get(lang))
	if len(s) > k {
		s = s[:k]
	}
	return s
}

// leadWords takes lead sentences round-robin over the documents (first
// sentence of each, then second of each, …) until at least n words: a lead
// baseline of the same length as our summary.
func leadWords(docs []string, n int) []string {
	sents := make([][]string, len(docs))
	for i, d := range docs {
		sents[i] = Sentences(d, langs.Get("en"))
	}
	var out []string
	words := 0
	for k := 0; words < n; k++ {
		added := false
		for _, s := range sents {
			if k < len(s) && words < n {
				out = append(out, s[k])
				words += len(strings.Fields(s[k]))
				added = true
			}
		}
		if !added {
			break
		}
	}
	return out
}

func parseFloor(t *testing.T, s string) triple {
	t.Helper()
	var f triple
	if _, err := fmt.Sscanf(s, "%g/%g/%g", &f.R1, &f.R2, &f.RL); err != nil {
		t.Fatalf("bad floor %q: %v", s, err)
	}
	return f
}

func checkFloor(t *testing.T, set string, ours, base triple, floor string) {
	t.Helper()
	fl := parseFloor(t, floor)
	if ours.R1 < fl.R1 || ours.R2 < fl.R2 || ours.RL < fl.RL {
		t.Errorf("%s: ours %v below floor %v", set, ours, fl)
	}
	if ours.R1 < base.R1-*leadMargin {
		t.Errorf("%s: ours R-1 %.2f more than %.2f points below the lead baseline %.2f", set, ours.R1, *leadMargin, base.R1)
	}
}

func words(sents []string) int { return len(strings.Fields(strings.Join(sents, " "))) }

// TestSummEval scores the summarizer and the lead baseline on every
// monolingual set and fails when ours is below a floor or below the lead
// by more than -summeval-lead-margin ROUGE-1 points on any set.
func TestSummEval(t *testing.T) {
	if *summevalDir == "" {
		t.Skip("no -summeval directory given")
	}
	single := []struct {
		file, lang, floor string
		k                 int
	}{
		{"en_cnndm_frank.jsonl", "en", *floorCNNDM, 3},
		{"en_cnndm_summeval.jsonl", "en", *floorCNNDMSummEval, 3},
		{"en_xsum_frank.jsonl", "en", *floorXSum, 1},
		{"de_sz_t5.jsonl", "de", *floorSZ, 2},
	}
	for _, set := range single {
		t.Run(strings.TrimSuffix(set.file, ".jsonl"), func(t *testing.T) {
			l := langs.Get(set.lang)
			sum := New(l)
			var ours, base meter
			var ow, bw int
			for _, it := range loadItems(t, set.file) {
				o, b := sum.Summarize(it.Documents[0], set.k), lead(it.Documents[0], set.lang, set.k)
				ours.add(o, it.Reference, set.lang)
				base.add(b, it.Reference, set.lang)
				ow += words(o)
				bw += words(b)
			}
			t.Logf("%-24s n=%3d  ours %v  LEAD-%d %v  (ROUGE-1/2/L F; mean words ours %d, lead %d)",
				set.file, ours.n, ours.mean(), set.k, base.mean(), ow/ours.n, bw/base.n)
			checkFloor(t, set.file, ours.mean(), base.mean(), set.floor)
		})
	}
	t.Run("multinews", func(t *testing.T) {
		var ours, first3, matched meter
		var ow, fw int
		sum := New(langs.Get("en"))
		for _, it := range loadItems(t, "multi_en_multinews.jsonl") {
			var first []string
			for _, d := range it.Documents {
				first = append(first, lead(d, "en", 3)...)
			}
			o := sum.SummarizeMulti(it.Documents, len(first))
			ow += words(o)
			fw += words(first)
			ours.add(o, it.Reference, "en")
			first3.add(first, it.Reference, "en")
			matched.add(leadWords(it.Documents, words(o)), it.Reference, "en")
		}
		// The lead baseline is lead sentences round-robin over the
		// documents up to our length in words: First-3 is shorter than
		// our summaries (ours picks as many sentences, longer ones), and
		// ROUGE F rewards length here.
		t.Logf("%-24s n=%3d  ours %v  lead round-robin to our length %v  (First-3 %v; mean words ours %d, First-3 %d)",
			"multi_en_multinews.jsonl", ours.n, ours.mean(), matched.mean(), first3.mean(), ow/ours.n, fw/first3.n)
		checkFloor(t, "multinews", ours.mean(), matched.mean(), *floorMulti)
	})
	t.Run("sz_lengths", func(t *testing.T) {
		items := loadItems(t, "de_sz_t5.jsonl")
		sum := New(langs.Get("de"))
		for _, k := range []int{1, 3} {
			var ours, base meter
			for _, it := range items {
				ours.add(sum.Summarize(it.Documents[0], k), it.Reference, "de")
				base.add(lead(it.Documents[0], "de", k), it.Reference, "de")
			}
			t.Logf("%-24s n=%3d  k=%d  ours %v  LEAD-%d %v  (information)", "de_sz_t5.jsonl", ours.n, k, ours.mean(), k, base.mean())
		}
	})
}
