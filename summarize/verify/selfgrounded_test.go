package verify

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/summarize/extractive"
)

// TestSelfGrounded checks for false alarms on real text: summaries made by
// the extractive summarizer consist of source sentences, so Unsupported
// must find nothing in them. Any finding is a bug in fact extraction or
// matching (a number parsed differently in summary and source, a name split
// differently, …).
//
//	go test ./summarize/verify -run TestSelfGrounded -summeval ../shared/summeval -v
func TestSelfGrounded(t *testing.T) {
	if *summevalDir == "" {
		t.Skip("no -summeval directory given")
	}
	for _, file := range []string{"de_sz_t5.jsonl", "en_cnndm_frank.jsonl", "multi_en_multinews.jsonl"} {
		f, err := os.Open(filepath.Join(*summevalDir, file))
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		n, bad := 0, 0
		for sc.Scan() {
			var it struct {
				Lang      string   `json:"lang"`
				Documents []string `json:"documents"`
			}
			if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
				t.Fatal(err)
			}
			summary := strings.Join(extractive.SummarizeMulti(it.Documents, langs.Get(it.Lang), 4), " ")
			n++
			if got := Unsupported(langs, summary, it.Documents, it.Lang); len(got) > 0 {
				bad++
				t.Errorf("%s: findings %v in a summary made of source sentences: %q", file, got, summary)
			}
		}
		f.Close()
		t.Logf("%s: %d of %d extractive summaries with findings", file, bad, n)
	}
}
