package verify

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The factuality evaluation reads judg_en_factuality.jsonl from the
// summeval directory (not shipped with the repository) and is skipped
// without it:
//
//	go test ./summarize/verify -run TestFactuality -summeval ../shared/summeval -v
//
// A summary is predicted consistent when Unsupported finds nothing. The
// score is balanced accuracy (mean of the recall on consistent and on
// inconsistent summaries) per set, as in the SummaC benchmark, and its
// mean over the three sets is gated by -floor-factuality.
var (
	summevalDir    = flag.String("summeval", "", "directory of the summeval evaluation data; the evaluation is skipped without it")
	floorFactual   = flag.Float64("floor-factuality", 0.53, "least mean balanced accuracy over the SummaC sets")
	showFactuality = flag.Int("factuality-examples", 0, "log this many misjudged summaries per set")
)

type judged struct {
	ID        string   `json:"id"`
	Documents []string `json:"documents"`
	Summary   string   `json:"summary"`
	Label     int      `json:"label"`
	Set       string   `json:"set"`
}

func TestFactuality(t *testing.T) {
	if *summevalDir == "" {
		t.Skip("no -summeval directory given")
	}
	f, err := os.Open(filepath.Join(*summevalDir, "judg_en_factuality.jsonl"))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer f.Close()
	type counts struct{ tp, fn, tn, fp int } // positive = consistent
	per := map[string]*counts{}
	examples := map[string]int{}
	findings := map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var it judged
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			t.Fatalf("parse: %v", err)
		}
		c := per[it.Set]
		if c == nil {
			c = &counts{}
			per[it.Set] = c
		}
		got := Unsupported(langs, it.Summary, it.Documents, "en")
		for _, g := range got {
			findings[g.Kind]++
		}
		consistent := len(got) == 0
		switch {
		case it.Label == 1 && consistent:
			c.tp++
		case it.Label == 1:
			c.fn++
		case !consistent:
			c.tn++
		default:
			c.fp++
		}
		if consistent != (it.Label == 1) && examples[it.Set] < *showFactuality {
			examples[it.Set]++
			t.Logf("%s label=%d findings=%v\n  %s", it.ID, it.Label, got, it.Summary)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	sets := make([]string, 0, len(per))
	for s := range per {
		sets = append(sets, s)
	}
	sort.Strings(sets)
	var sum float64
	var report strings.Builder
	for _, s := range sets {
		c := per[s]
		recallPos := ratio(c.tp, c.tp+c.fn)
		recallNeg := ratio(c.tn, c.tn+c.fp)
		bacc := (recallPos + recallNeg) / 2
		sum += bacc
		fmt.Fprintf(&report, "%-18s n=%3d  balanced accuracy %.3f  (consistent kept %d/%d, inconsistent flagged %d/%d)\n",
			s, c.tp+c.fn+c.tn+c.fp, bacc, c.tp, c.tp+c.fn, c.tn, c.tn+c.fp)
	}
	mean := sum / float64(len(sets))
	fmt.Fprintf(&report, "mean balanced accuracy %.3f; findings by kind %v", mean, findings)
	t.Log("\n" + report.String())
	if mean < *floorFactual {
		t.Errorf("mean balanced accuracy %.3f below floor %.3f", mean, *floorFactual)
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
