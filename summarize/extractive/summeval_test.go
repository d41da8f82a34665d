package extractive

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
var (
	summevalDir = flag.String("summeval", "", "directory of the summeval evaluation data; the evaluation is skipped without it")
	leadMargin  = flag.Float64("summeval-lead-margin", 0.5, "fail when our ROUGE-1 F is more than this many points below the lead baseline")
	floorCNNDM  = flag.String("floor-cnndm", "41.3/18.8/37.4", "ROUGE-1/2/L F floors (points) on cnndm_frank, 3 sentences")
	floorMulti  = flag.String("floor-multinews", "44.1/14.5/39.7", "ROUGE-1/2/L F floors on multinews, as many sentences as First-3")
	floorSZ     = flag.String("floor-sz", "22.7/7.1/19.4", "ROUGE-1/2/L F floors on sz_t5_de, 2 sentences")
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

func loadItems(t *testing.T, file string) []evalItem {
	t.Helper()
	f, err := os.Open(filepath.Join(*summevalDir, file))
	if err != nil {
		t.Fatalf("open evaluation data: %v", err)
	}
	defer f.Close()
	var items []evalItem
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var it evalItem
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		items = append(items, it)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", file, err)
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

func TestSummEval(t *testing.T) {
	if *summevalDir == "" {
		t.Skip("no -summeval directory given")
	}
	t.Run("cnndm", func(t *testing.T) {
		for _, file := range []string{"en_cnndm_frank.jsonl", "en_cnndm_summeval.jsonl"} {
			var ours, base meter
			for _, it := range loadItems(t, file) {
				ours.add(Summarize(it.Documents[0], langs.Get("en"), 3), it.Reference, "en")
				base.add(lead(it.Documents[0], "en", 3), it.Reference, "en")
			}
			t.Logf("%-26s n=%3d  ours %v  LEAD-3 %v  (ROUGE-1/2/L F)", file, ours.n, ours.mean(), base.mean())
			if file == "en_cnndm_frank.jsonl" {
				checkFloor(t, file, ours.mean(), base.mean(), *floorCNNDM)
			}
		}
	})
	t.Run("xsum", func(t *testing.T) {
		var ours, base meter
		for _, it := range loadItems(t, "en_xsum_frank.jsonl") {
			ours.add(Summarize(it.Documents[0], langs.Get("en"), 1), it.Reference, "en")
			base.add(lead(it.Documents[0], "en", 1), it.Reference, "en")
		}
		// XSum references are written to not repeat the article's first
		// sentence; reported for information only, no floor.
		t.Logf("%-26s n=%3d  ours %v  LEAD-1 %v", "en_xsum_frank.jsonl", ours.n, ours.mean(), base.mean())
	})
	t.Run("multinews", func(t *testing.T) {
		var ours, base, oursHeld, baseHeld, matched meter
		var words, baseWords int
		items := loadItems(t, "multi_en_multinews.jsonl")
		for i, it := range items {
			var first []string
			for _, d := range it.Documents {
				first = append(first, lead(d, "en", 3)...)
			}
			sum := SummarizeMulti(it.Documents, langs.Get("en"), len(first))
			n := len(strings.Fields(strings.Join(sum, " ")))
			words += n
			baseWords += len(strings.Fields(strings.Join(first, " ")))
			matched.add(leadWords(it.Documents, n), it.Reference, "en")
			ours.add(sum, it.Reference, "en")
			base.add(first, it.Reference, "en")
			if i >= len(items)/2 { // not used for tuning
				oursHeld.add(sum, it.Reference, "en")
				baseHeld.add(first, it.Reference, "en")
			}
		}
		t.Logf("%-26s n=%3d  ours %v  First-3 %v  (mean words: ours %d, First-3 %d)", "multi_en_multinews.jsonl",
			ours.n, ours.mean(), base.mean(), words/max(ours.n, 1), baseWords/max(base.n, 1))
		t.Logf("%-26s n=%3d  ours %v  First-3 %v  (second half, held out from tuning)", "", oursHeld.n, oursHeld.mean(), baseHeld.mean())
		t.Logf("%-26s n=%3d  lead sentences round-robin over the documents up to our length: %v", "", matched.n, matched.mean())
		if ours.mean().R1 < matched.mean().R1-*leadMargin {
			t.Errorf("multinews: ours R-1 %.2f below the length-matched lead %.2f", ours.mean().R1, matched.mean().R1)
		}
		checkFloor(t, "multinews", ours.mean(), base.mean(), *floorMulti)
	})
	t.Run("sz", func(t *testing.T) {
		items := loadItems(t, "de_sz_t5.jsonl")
		for k := 1; k <= 3; k++ {
			var ours, base meter
			for _, it := range items {
				ours.add(Summarize(it.Documents[0], langs.Get("de"), k), it.Reference, "de")
				base.add(lead(it.Documents[0], "de", k), it.Reference, "de")
			}
			t.Logf("%-26s n=%3d  k=%d  ours %v  LEAD-%d %v", "de_sz_t5.jsonl", ours.n, k, ours.mean(), k, base.mean())
			if k == 2 {
				checkFloor(t, "sz_t5_de", ours.mean(), base.mean(), *floorSZ)
			}
		}
	})
}
