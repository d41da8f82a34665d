package summarize

import (
	"bufio"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/summeval"
)

// The gate's strictness on text that is right: the stage's story checks
// (sentence by sentence, glossary, consistency between language versions)
// run on human reference summaries of the summeval data (not shipped with
// the repository; -summeval DIR, skipped without it):
//
//	go test ./summarize -run TestGateStrictness -v -summeval ../shared/summeval
//
// Each reference is one language version of a story whose sources are
// its articles; a cross-lingual item (a German summary of an English
// article, or the reverse) is checked with the summary in the article's
// language as the other version, as the stage checks an LLM's German and
// English text. The share of reference sentences kept is gated by
// -floor-kept (per set, in percent, the sets in the order reported).
var (
	summevalDir = flag.String("summeval", "", "directory of the summeval evaluation data; TestGateStrictness is skipped without it")
	floorKept   = flag.String("floor-kept", "", "least share (%) of reference sentences kept per set, comma-separated in the reported order; empty: report only")
	strictDump  = flag.String("strict-dump", "", "file to write every removed reference sentence, and every sentence removed from a SummaC summary (with its label), to (JSON lines: set, id, sentence, problem, evidence), for reading the gate's removals by cause")
)

// ptbBrackets undoes the Penn Treebank bracket tokens of the CNN/DM
// references ("-LRB- 3.7 miles -RRB-").
var ptbBrackets = strings.NewReplacer("-LRB- ", "(", " -RRB-", ")", "-LRB-", "(", "-RRB-", ")")

type strictItem struct {
	ID         string   `json:"id"`
	Lang       string   `json:"lang"`
	SourceLang string   `json:"source_lang"`
	Documents  []string `json:"documents"`
	Reference  string   `json:"reference"`
	Summary    string   `json:"summary"`
	Label      int      `json:"label"`
	Set        string   `json:"set"`
	Meta       struct {
		ReferenceEN string `json:"reference_en"`
		ReferenceDE string `json:"reference_de"`
	} `json:"meta"`
}

func loadStrict(t *testing.T, file string) []strictItem {
	t.Helper()
	items, err := summeval.Load[strictItem](*summevalDir, file)
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// strictness counts what the gate did to a set's summaries.
type strictness struct {
	items, untouched, sentences, removed int
	problems                             map[string]int
	removedNow                           map[string]bool // item id + sentence hash
}

// sentenceHash names a reference sentence in the labels file.
func sentenceHash(s string) string {
	h := sha1.Sum([]byte(s))
	return hex.EncodeToString(h[:4])
}

// strictLabel is one labelled sentence of testdata/strictness-labels.tsv.
type strictLabel struct{ id, hash, class, cause string }

// loadStrictLabels reads testdata/strictness-labels.tsv: per set the
// labelled sentences and the number of removed sentences they were drawn
// from.
func loadStrictLabels(t *testing.T) (map[string][]strictLabel, map[string]int) {
	t.Helper()
	f, err := os.Open("testdata/strictness-labels.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	labels, pools := map[string][]strictLabel{}, map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fs := strings.Split(line, "\t")
		switch {
		case len(fs) == 3 && fs[0] == "pool":
			var n int
			if _, err := fmt.Sscan(fs[2], &n); err != nil {
				t.Fatalf("labels: %q: %v", line, err)
			}
			pools[fs[1]] = n
		case len(fs) == 5:
			labels[fs[0]] = append(labels[fs[0]], strictLabel{fs[1], fs[2], fs[3], fs[4]})
		default:
			t.Fatalf("labels: malformed line %q", line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return labels, pools
}

// labelled reports, for a set's labelled sample, how many sentences of
// each class the gate removes now, and estimates the share of reference
// sentences kept among those whose facts the article states: the
// sentences the sample says are absent are taken out of the total (their
// estimated number: the pool's size times the sample's share of absent).
func (c *strictness) labelled(labels []strictLabel, pool int) string {
	if len(labels) == 0 {
		return ""
	}
	n, still := map[string]int{}, map[string]int{}
	for _, l := range labels {
		n[l.class]++
		if c.removedNow[l.id+" "+l.hash] {
			still[l.class]++
		}
	}
	// The pool was drawn from an earlier gate's removals; with a small
	// sample its estimate can exceed today's removals (and the share
	// 100 %), so it is capped there.
	absent := min(float64(pool)*float64(n["absent"])/float64(len(labels)), float64(c.removed))
	keptAmongStated := 100 * float64(c.sentences-c.removed) / max(float64(c.sentences)-absent, 1)
	return fmt.Sprintf("labelled %d: removed now: absent %d of %d, garbled %d of %d, false alarms %d of %d; kept of the sentences the article states (est.) %5.1f%%",
		len(labels), still["absent"], n["absent"], still["garbled"], n["garbled"], still["false"], n["false"], keptAmongStated)
}

func (c *strictness) add(id string, vers map[string]*version, langs []string) {
	c.items++
	touched := false
	for _, code := range langs[:1] { // the summary under test is the first
		v := vers[code]
		c.sentences += v.total
		c.removed += v.removed()
		for _, is := range v.issues {
			if is.Removed {
				c.problems[is.Problem]++
				touched = true
				if c.removedNow != nil {
					c.removedNow[id+" "+sentenceHash(is.Sentence)] = true
				}
			}
		}
	}
	if !touched {
		c.untouched++
	}
}

func (c *strictness) kept() float64 {
	return 100 * float64(c.sentences-c.removed) / float64(max(c.sentences, 1))
}

func (c *strictness) String() string {
	type kv struct {
		k string
		v int
	}
	var ps []kv
	for k, v := range c.problems {
		ps = append(ps, kv{k, v})
	}
	slices.SortFunc(ps, func(a, b kv) int { return b.v - a.v })
	var parts []string
	for _, p := range ps {
		parts = append(parts, fmt.Sprintf("%d %s", p.v, p.k))
	}
	return fmt.Sprintf("n=%4d  untouched %5.1f%%  sentences kept %5.1f%% (%d of %d)  removed for: %s",
		c.items, 100*float64(c.untouched)/float64(max(c.items, 1)), c.kept(), c.sentences-c.removed, c.sentences, strings.Join(parts, ", "))
}

// TestGateStrictness reports, per set, the share of human summaries the
// gate leaves untouched and the share of their sentences it keeps, how
// often it removes a sentence whose name was swapped for one the article
// does not support (see nameSwap), and on
// SummaC's model summaries the sentences removed from faithful and from
// unfaithful ones.
func TestGateStrictness(t *testing.T) {
	if *summevalDir == "" {
		t.Skip("no -summeval directory given")
	}
	s := newTestStage(t, Config{}, Deps{})
	type spec struct {
		name, file string
		// versions: the languages checked, the reference's first; other
		// returns the other language's version of the item.
		langs []string
		other func(strictItem) string
	}
	specs := []spec{
		{"xling_en2de (de of en articles)", "xling_en2de_cnndm.jsonl", []string{"de", "en"}, func(it strictItem) string { return it.Meta.ReferenceEN }},
		{"xling_de2en (en of de articles)", "xling_de2en_sz.jsonl", []string{"en", "de"}, func(it strictItem) string { return it.Meta.ReferenceDE }},
		{"cnndm_frank", "en_cnndm_frank.jsonl", []string{"en"}, nil},
		{"cnndm_summeval", "en_cnndm_summeval.jsonl", []string{"en"}, nil},
		{"xsum_frank", "en_xsum_frank.jsonl", []string{"en"}, nil},
		{"multinews", "multi_en_multinews.jsonl", []string{"en"}, nil},
		{"sz_t5_de", "de_sz_t5.jsonl", []string{"de"}, nil},
	}
	var floors []float64
	if *floorKept != "" {
		for _, f := range strings.Split(*floorKept, ",") {
			var v float64
			if _, err := fmt.Sscan(strings.TrimSpace(f), &v); err != nil {
				t.Fatalf("-floor-kept %q: %v", *floorKept, err)
			}
			floors = append(floors, v)
		}
	}
	var dump *json.Encoder
	if *strictDump != "" {
		f, err := os.Create(*strictDump)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		dump = json.NewEncoder(f)
	}
	labels, pools := loadStrictLabels(t)
	for i, sp := range specs {
		c := &strictness{problems: map[string]int{}, removedNow: map[string]bool{}}
		var swaps []swapItem
		for _, it := range loadStrict(t, sp.file) {
			// The CNN/DM references keep the tokenizer's brackets.
			it.Reference = ptbBrackets.Replace(it.Reference)
			// One source: the articles of a multi-document item are read
			// as one, since a reference cites none of them.
			sources := []string{strings.Join(it.Documents, "\n\n")}
			bodies := map[string]string{sp.langs[0]: it.Reference}
			if sp.other != nil {
				o := sp.other(it)
				if o == "" {
					continue
				}
				bodies[sp.langs[1]] = o
			}
			swaps = append(swaps, swapItem{bodies, sources})
			vers := map[string]*version{}
			s.gateBodies(sp.langs, bodies, sources, vers)
			c.add(it.ID, vers, sp.langs)
			if dump != nil {
				// The other language's removals too: they explain the
				// reference's removals for consistency.
				for k, code := range sp.langs {
					for _, is := range vers[code].issues {
						if is.Removed {
							_ = dump.Encode(map[string]any{"set": sp.name, "id": it.ID, "lang": code, "other": k > 0,
								"sentence": is.Sentence, "problem": is.Problem, "evidence": is.Evidence})
						}
					}
				}
			}
		}
		t.Logf("%-32s %s", sp.name, c)
		var sw nameSwap
		for i := range swaps {
			if tried, removed := s.trySwap(sp.langs, swaps, i); tried {
				sw.trials++
				if removed {
					sw.removed++
				}
			}
		}
		t.Logf("%-32s %s", "", sw)
		set, _, _ := strings.Cut(sp.name, " ")
		if l := c.labelled(labels[set], pools[set]); l != "" {
			t.Logf("%-32s %s", "", l)
		}
		if i < len(floors) && c.kept() < floors[i] {
			t.Errorf("%s: %.1f%% of reference sentences kept, floor %.1f%%", sp.name, c.kept(), floors[i])
		}
	}
	// Model summaries judged faithful or not (SummaC): what the gate
	// removes from each class.
	byClass := map[string]map[int]*strictness{}
	var sets []string
	for _, it := range loadStrict(t, "judg_en_factuality.jsonl") {
		key := it.Set
		if byClass[key] == nil {
			byClass[key] = map[int]*strictness{0: {problems: map[string]int{}}, 1: {problems: map[string]int{}}}
			sets = append(sets, key)
		}
		vers := map[string]*version{}
		s.gateBodies([]string{"en"}, map[string]string{"en": it.Summary}, it.Documents, vers)
		byClass[key][it.Label].add(it.ID, vers, []string{"en"})
		if dump != nil {
			for _, is := range vers["en"].issues {
				if is.Removed {
					_ = dump.Encode(map[string]any{"set": key, "id": it.ID, "lang": "en", "label": it.Label,
						"sentence": is.Sentence, "problem": is.Problem, "evidence": is.Evidence})
				}
			}
		}
	}
	slices.Sort(sets)
	for _, set := range sets {
		for _, label := range []int{1, 0} {
			name := map[int]string{1: "faithful", 0: "unfaithful"}[label]
			c := byClass[set][label]
			t.Logf("%-16s %-10s n=%4d  touched %5.1f%%  sentences removed %5.1f%%", set, name, c.items,
				100*float64(c.items-c.untouched)/float64(max(c.items, 1)), 100-c.kept())
		}
	}
}
