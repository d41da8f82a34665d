package lang_test

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/abadojack/whatlanggo"

	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/summarize/extractive"
)

// The accuracy evaluation reads ground-truth texts from the shared corpus
// and summeval directories (not shipped with the repository) and is skipped
// without them:
//
//	go test ./internal/lang -run TestAccuracy -corpus ../shared/corpus -summeval ../shared/summeval -v
//
// It scores Detect and, for comparison, whatlanggo alone on the same texts,
// as whole texts and as their first sentence (headline-sized input), and
// fails when Detect's accuracy on German and English falls below the
// floors.
var (
	corpusDir   = flag.String("corpus", "", "shared/corpus directory (articles/INDEX.tsv and ground-truth texts)")
	summevalDir = flag.String("summeval", "", "shared/summeval directory")
	floorLong   = flag.Float64("floor-lang-long", 0.99, "least accuracy of Detect on whole German/English texts")
	floorShort  = flag.Float64("floor-lang-short", 0.965, "least accuracy of Detect on first sentences and summaries in German/English")
)

type sample struct {
	want, text, origin string
}

// corpusSamples returns the ground-truth texts of the corpus pages with
// their labelled language ("de", "en", or "other").
func corpusSamples(t *testing.T) []sample {
	t.Helper()
	dir := filepath.Join(*corpusDir, "articles")
	f, err := os.Open(filepath.Join(dir, "INDEX.tsv"))
	if err != nil {
		t.Fatalf("corpus index: %v", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = '\t'
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("corpus index: %v", err)
	}
	var out []sample
	for _, row := range rows[1:] {
		if len(row) < 3 {
			continue
		}
		text := groundTruth(t, filepath.Join(dir, row[1]))
		if strings.TrimSpace(text) != "" {
			out = append(out, sample{want: row[2], text: text, origin: row[0]})
		}
	}
	return out
}

// groundTruth reads the human text of one page: articleBody (scrapinghub),
// the must-have segments (trafilatura-eval) or the derived text
// (readability).
func groundTruth(t *testing.T, path string) string {
	switch {
	case strings.HasSuffix(path, ".json"):
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if body, ok := m["articleBody"].(string); ok {
			return body
		}
		// trafilatura-eval: the must-have segments, one per line.
		var parts []string
		if title, ok := m["title"].(string); ok && title != "" {
			parts = append(parts, title)
		}
		with, _ := m["with"].([]any)
		for _, p := range with {
			if s, ok := p.(string); ok {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, "\n")
	case strings.HasSuffix(path, ".txt"):
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return string(b)
	}
	return ""
}

// summevalSamples returns references (short, 1–4 sentences) and documents
// of the summeval sets with their language.
func summevalSamples(t *testing.T) (refs, docs []sample) {
	t.Helper()
	for _, file := range []string{"de_sz_t5.jsonl", "en_cnndm_frank.jsonl", "en_xsum_frank.jsonl", "xling_en2de_cnndm.jsonl", "xling_de2en_sz.jsonl", "multi_en_multinews.jsonl"} {
		f, err := os.Open(filepath.Join(*summevalDir, file))
		if err != nil {
			t.Fatalf("summeval: %v", err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() {
			var it struct {
				Lang, SourceLang, Reference string
				Documents                   []string
			}
			var raw struct {
				Lang       string   `json:"lang"`
				SourceLang string   `json:"source_lang"`
				Reference  string   `json:"reference"`
				Documents  []string `json:"documents"`
			}
			if err := json.Unmarshal(sc.Bytes(), &raw); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			it.Lang, it.SourceLang, it.Reference, it.Documents = raw.Lang, raw.SourceLang, raw.Reference, raw.Documents
			refs = append(refs, sample{want: it.Lang, text: it.Reference, origin: file})
			for _, d := range it.Documents {
				docs = append(docs, sample{want: it.SourceLang, text: d, origin: file})
			}
		}
		f.Close()
	}
	return refs, docs
}

// evalLangs gives the first-sentence split its rules; "other" texts get
// none beyond the universal ones.
var evalLangs = lang.Default()

func firstSentence(s sample) sample {
	code := s.want
	if code == "other" {
		code = ""
	}
	sents := extractive.Sentences(s.text, evalLangs.Get(code))
	for _, x := range sents {
		if len(strings.Fields(x)) >= 4 {
			s.text = x
			return s
		}
	}
	if len(sents) > 0 {
		s.text = sents[0]
	}
	return s
}

func whatlang(text string) string {
	info := whatlanggo.Detect(text)
	if info.Lang < 0 {
		return "und"
	}
	return info.Lang.Iso6391()
}

type tally struct{ ok, n int }

func (t tally) String() string {
	if t.n == 0 {
		return "   -  "
	}
	return fmt.Sprintf("%.4f (%d/%d)", float64(t.ok)/float64(t.n), t.ok, t.n)
}

func correct(want, got string) bool {
	if want == "other" {
		return got != "de" && got != "en"
	}
	return got == want
}

// score returns accuracy of ours and whatlanggo per label, and lists
// misses of ours.
func score(samples []sample, detect func(string) string) (map[string]tally, []string) {
	per := map[string]tally{}
	var misses []string
	for _, s := range samples {
		got := detect(s.text)
		tl := per[s.want]
		tl.n++
		if correct(s.want, got) {
			tl.ok++
		} else if len(misses) < 8 {
			txt := []rune(s.text)
			if len(txt) > 90 {
				txt = txt[:90]
			}
			misses = append(misses, fmt.Sprintf("want %s got %s: %q (%s)", s.want, got, string(txt), filepath.Base(s.origin)))
		}
		per[s.want] = tl
	}
	return per, misses
}

func deEN(per map[string]tally) tally {
	return tally{per["de"].ok + per["en"].ok, per["de"].n + per["en"].n}
}

func TestAccuracy(t *testing.T) {
	if *corpusDir == "" || *summevalDir == "" {
		t.Skip("needs -corpus and -summeval")
	}
	pages := corpusSamples(t)
	refs, docs := summevalSamples(t)
	var firsts []sample
	for _, s := range append(append([]sample{}, pages...), docs...) {
		firsts = append(firsts, firstSentence(s))
	}
	sets := []struct {
		name    string
		samples []sample
		short   bool
	}{
		{"corpus pages, whole text", pages, false},
		{"summeval documents, whole", docs, false},
		{"summeval references", refs, true},
		{"first sentences (pages+docs)", firsts, true},
	}
	var report strings.Builder
	for _, set := range sets {
		ours, misses := score(set.samples, lang.Detect)
		base, _ := score(set.samples, whatlang)
		labels := make([]string, 0, len(ours))
		for l := range ours {
			labels = append(labels, l)
		}
		sort.Strings(labels)
		fmt.Fprintf(&report, "%s:\n", set.name)
		for _, l := range labels {
			fmt.Fprintf(&report, "  %-5s ours %-22v whatlanggo %v\n", l, ours[l], base[l])
		}
		fmt.Fprintf(&report, "  de+en ours %-22v whatlanggo %v\n", deEN(ours), deEN(base))
		for _, m := range misses {
			fmt.Fprintf(&report, "    miss: %s\n", m)
		}
		floor := *floorLong
		if set.short {
			floor = *floorShort
		}
		if acc := deEN(ours); acc.n > 0 && float64(acc.ok)/float64(acc.n) < floor {
			t.Errorf("%s: de+en accuracy %v below floor %.3f", set.name, acc, floor)
		}
	}
	t.Log("\n" + report.String())
}
