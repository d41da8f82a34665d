package extractive

import (
	"flag"
	"fmt"
	"sort"
	"strings"
	"testing"
)

var sweep = flag.Bool("summeval-sweep", false, "with -summeval: print ROUGE for a grid of ranking weights (for tuning; slow)")

// TestSummEvalSweep prints ROUGE-1/2/L on tuning subsets for a grid of
// weights, to choose the params in summarize.go. It gates nothing.
//
//	go test ./summarize/extractive -run TestSummEvalSweep -summeval ../shared/summeval -summeval-sweep -v
func TestSummEvalSweep(t *testing.T) {
	if *summevalDir == "" || !*sweep {
		t.Skip("needs -summeval and -summeval-sweep")
	}
	cnn := loadItems(t, "en_cnndm_summeval.jsonl")
	sz := loadItems(t, "de_sz_t5.jsonl")
	sz = sz[:len(sz)/2]
	mn := loadItems(t, "multi_en_multinews.jsonl")
	mn = mn[:len(mn)/2]
	type row struct {
		p             params
		cnn, sz, mult triple
	}
	var rows []row
	for _, pos := range []float64{0.2, 0.3, 0.45, 0.6} {
		for _, decay := range []float64{4, 8, 16} {
			for _, red := range []float64{0.5} {
				for _, lw := range []float64{0, 0.3} {
					p := params{position: pos, decay: decay, redundancy: red, duplicate: 0.7, lengthTarget: 15, lengthWeight: lw}
					var a, b, c meter
					for _, it := range cnn {
						a.add(summarize(it.Documents[0], langs.Get("en"), 3, p), it.Reference, "en")
					}
					for _, it := range sz {
						b.add(summarize(it.Documents[0], langs.Get("de"), 2, p), it.Reference, "de")
					}
					pm := p
					pm.duplicate = 0.5
					for _, it := range mn {
						k := 0
						for _, d := range it.Documents {
							k += len(lead(d, "en", 3))
						}
						c.add(summarizeMulti(it.Documents, langs.Get("en"), k, pm), it.Reference, "en")
					}
					rows = append(rows, row{p, a.mean(), b.mean(), c.mean()})
				}
			}
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].cnn.R1+rows[i].sz.R1 > rows[j].cnn.R1+rows[j].sz.R1 })
	var sb strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&sb, "pos=%.2f decay=%g red=%.1f lenW=%.1f  cnn %v  sz %v  multi %v\n",
			r.p.position, r.p.decay, r.p.redundancy, r.p.lengthWeight, r.cnn, r.sz, r.mult)
	}
	t.Log("\n" + sb.String())
}
