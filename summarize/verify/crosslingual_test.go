package verify

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var floorCrossClean = flag.Float64("floor-crosslingual", 0.92, "least share of German references found clean among those whose English original is clean")

// TestCrossLingual measures how much of Unsupported's verdict survives
// translation, on xling_en2de_cnndm: each English CNN/DailyMail article has
// its English highlights and a German machine translation of them. Facts
// are the same in both, so the German reference should be flagged exactly
// when the English one is (references sometimes hold facts the article
// lacks, so neither is always clean). It reports how often the verdicts
// agree and which kinds the German side adds, and gates the share of
// German references found clean where the English original is clean (a
// false-alarm measure for German text against English sources).
//
//	go test ./summarize/verify -run TestCrossLingual -summeval ../shared/summeval -v
func TestCrossLingual(t *testing.T) {
	if *summevalDir == "" {
		t.Skip("no -summeval directory given")
	}
	f, err := os.Open(filepath.Join(*summevalDir, "xling_en2de_cnndm.jsonl"))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer f.Close()
	var n, agree, enClean, deClean, bothClean int
	extra := map[string]int{}
	var examples []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var it struct {
			ID        string   `json:"id"`
			Documents []string `json:"documents"`
			Reference string   `json:"reference"`
			Meta      struct {
				ReferenceEN string `json:"reference_en"`
			} `json:"meta"`
		}
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			t.Fatal(err)
		}
		if it.Meta.ReferenceEN == "" {
			continue
		}
		en := Unsupported(langs, it.Meta.ReferenceEN, it.Documents, "en")
		de := Unsupported(langs, it.Reference, it.Documents, "de")
		n++
		if len(en) == 0 {
			enClean++
		}
		if len(de) == 0 {
			deClean++
		}
		if len(en) == 0 && len(de) == 0 {
			bothClean++
		}
		if (len(en) == 0) == (len(de) == 0) {
			agree++
			continue
		}
		if len(en) > 0 {
			continue // the German translation lost or changed the fact
		}
		for _, f := range de {
			extra[f.Kind]++
		}
		if len(examples) < *showFactuality {
			examples = append(examples, fmt.Sprintf("%s en=%v de=%v\n    %s", it.ID, en, de, it.Reference))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	clean := ratio(bothClean, enClean)
	t.Logf("n=%d  verdicts agree %.3f; English reference clean %d, German reference clean %d; "+
		"German clean where English is clean %.3f (%d/%d); German-only findings by kind %v\n  %s",
		n, ratio(agree, n), enClean, deClean, clean, bothClean, enClean, extra, strings.Join(examples, "\n  "))
	if clean < *floorCrossClean {
		t.Errorf("German clean where English is clean: %.3f below floor %.3f", clean, *floorCrossClean)
	}
}
