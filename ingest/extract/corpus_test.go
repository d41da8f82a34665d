package extract

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	readeck "codeberg.org/readeck/go-readability/v2"
	shiori "github.com/go-shiori/go-readability"
	"github.com/markusmobius/go-trafilatura"
)

var (
	corpusDir     = flag.String("corpus", "", "path of shared/corpus/articles; the corpus evaluation skips without it")
	minF1SH       = flag.Float64("min-f1-scrapinghub", 0, "fail if our F1 on scrapinghub is below this")
	minF1TE       = flag.Float64("min-f1-trafilatura", 0, "fail if our segment F1 on trafilatura-eval is below this")
	minF1RD       = flag.Float64("min-f1-readability", 0, "fail if our F1 against the readability set is below this")
	liveBaselines = flag.Bool("live-baselines", false, "also run go-trafilatura and go-readability on the pages in this run")
	noRules       = flag.Bool("no-rules", false, "evaluate without the built-in site rules")
	dumpDir       = flag.String("dump", "", "write our per-page output texts into this directory")
	worstN        = flag.Int("worst", 10, "list this many worst pages per set (of the tune split only)")
	showHoldout   = flag.Bool("show-holdout", false, "also list holdout pages among the worst (spoils the holdout for tuning)")
)

type corpusPage struct {
	set, name, lang string
	site, split     string // registrable domain; "tune" or "holdout" (split.go)
	url             *url.URL
	html            []byte
	truth           string   // scrapinghub articleBody, readability text
	with, without   []string // trafilatura-eval segments
}

func loadCorpus(t testing.TB, dir string) []corpusPage {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "INDEX.tsv"))
	if err != nil {
		t.Fatalf("corpus index: %v", err)
	}
	defer f.Close()
	var pages []corpusPage
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for first := true; sc.Scan(); first = false {
		cols := strings.Split(sc.Text(), "\t")
		if first || len(cols) < 6 {
			continue
		}
		p := corpusPage{set: cols[4], name: cols[0], lang: cols[2]}
		if u, err := url.Parse(cols[5]); err == nil && u.Scheme != "" && u.Host != "" {
			p.url = u
		}
		p.site = siteOf(p.url, p.name)
		p.split = splitOf(p.site)
		p.html = gunzip(t, filepath.Join(dir, cols[0]))
		exp, err := os.ReadFile(filepath.Join(dir, cols[1]))
		if err != nil {
			t.Fatalf("corpus: %v", err)
		}
		switch p.set {
		case "scrapinghub":
			var v struct {
				ArticleBody string `json:"articleBody"`
			}
			if err := json.Unmarshal(exp, &v); err != nil {
				t.Fatalf("%s: %v", cols[1], err)
			}
			p.truth = v.ArticleBody
		case "trafilatura-eval":
			var v struct {
				With    []string `json:"with"`
				Without []string `json:"without"`
			}
			if err := json.Unmarshal(exp, &v); err != nil {
				t.Fatalf("%s: %v", cols[1], err)
			}
			p.with, p.without = v.With, v.Without
		case "readability":
			p.truth = string(exp)
			if strings.HasSuffix(cols[1], ".html") {
				if txt, err := os.ReadFile(strings.TrimSuffix(filepath.Join(dir, cols[1]), ".expected.html") + ".txt"); err == nil {
					p.truth = string(txt)
				}
			}
		}
		pages = append(pages, p)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("corpus index: %v", err)
	}
	return pages
}

func gunzip(t testing.TB, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("corpus: %v", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("corpus %s: %v", path, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("corpus %s: %v", path, err)
	}
	return b
}

// system is one extractor under evaluation: page in, article text out.
type system struct {
	name string
	run  func(p corpusPage) string
}

func ourSystem(t testing.TB, opts Options) system {
	ex, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return system{"newsdesk", func(p corpusPage) string {
		res, err := ex.Extract(p.html, p.url, "")
		if err != nil {
			return ""
		}
		return res.Text
	}}
}

func liveSystems() []system {
	traf := func(fallback bool) func(p corpusPage) string {
		return func(p corpusPage) string {
			res, err := trafilatura.Extract(bytes.NewReader(p.html), trafilatura.Options{OriginalURL: p.url, EnableFallback: fallback})
			if err != nil || res == nil {
				return ""
			}
			return res.ContentText
		}
	}
	return []system{
		{"go-trafilatura", traf(false)},
		{"go-trafilatura+fallback", traf(true)},
		{"readeck go-readability", func(p corpusPage) string {
			parser := readeck.NewParser()
			a, err := parser.Parse(bytes.NewReader(p.html), p.url)
			if err != nil || a.Node == nil {
				return ""
			}
			var b strings.Builder
			if err := a.RenderText(&b); err != nil {
				return ""
			}
			return b.String()
		}},
		{"go-shiori go-readability", func(p corpusPage) string {
			a, err := shiori.FromReader(bytes.NewReader(p.html), p.url)
			if err != nil {
				return ""
			}
			return a.TextContent
		}},
	}
}

// runAll runs sys over pages on two workers and returns the outputs by index.
func runAll(sys system, pages []corpusPage) []string {
	out := make([]string, len(pages))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = sys.run(pages[i])
			}
		}()
	}
	for i := range pages {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

func TestCorpus(t *testing.T) {
	if *corpusDir == "" {
		t.Skip("corpus evaluation skipped: pass -corpus /path/to/shared/corpus/articles")
	}
	pages := loadCorpus(t, *corpusDir)
	ours := ourSystem(t, Options{NoBuiltinRules: *noRules})
	systems := []system{ours}
	if *liveBaselines {
		systems = append(systems, liveSystems()...)
	}
	outputs := make(map[string][]string)
	for _, s := range systems {
		outputs[s.name] = runAll(s, pages)
	}
	if *dumpDir != "" {
		dump(t, pages, outputs[ours.name])
	}

	t.Run("scrapinghub", func(t *testing.T) {
		f1 := scoreShingles(t, "scrapinghub", pages, systems, outputs)
		for _, b := range publishedBaselines(t, pages) {
			scoreShingles(t, "scrapinghub", pages, []system{{name: b.name + " (published output)"}}, map[string][]string{b.name + " (published output)": b.out})
		}
		if f1 < *minF1SH {
			t.Errorf("scrapinghub F1 %.4f is below the floor %.4f", f1, *minF1SH)
		}
	})
	t.Run("trafilatura-eval", func(t *testing.T) {
		f1 := scoreSegments(t, pages, systems, outputs)
		if f1 < *minF1TE {
			t.Errorf("trafilatura-eval F1 %.4f is below the floor %.4f", f1, *minF1TE)
		}
	})
	t.Run("readability", func(t *testing.T) {
		f1 := scoreShingles(t, "readability", pages, systems, outputs)
		if f1 < *minF1RD {
			t.Errorf("readability F1 %.4f is below the floor %.4f", f1, *minF1RD)
		}
	})
}

// scoreShingles scores every system on one shingle-metric set, overall and
// per language, and returns our F1.
func scoreShingles(t *testing.T, set string, pages []corpusPage, systems []system, outputs map[string][]string) float64 {
	var ourF1 float64
	for si, s := range systems {
		all := &prf{}
		byLang := map[string]*prf{}
		bySplit := map[string]*prf{} // "tune", "holdout", "tune en", …
		splitByName := map[string]string{}
		add := func(m map[string]*prf, k string, p corpusPage, pred string) {
			if m[k] == nil {
				m[k] = &prf{}
			}
			m[k].add(p.name, p.truth, pred)
		}
		for i, p := range pages {
			if p.set != set {
				continue
			}
			pred := outputs[s.name][i]
			splitByName[p.name] = p.split
			all.add(p.name, p.truth, pred)
			add(byLang, p.lang, p, pred)
			add(bySplit, p.split, p, pred)
			add(bySplit, p.split+" "+p.lang, p, pred)
		}
		p, r, f1, acc := all.result()
		t.Logf("%-44s %s all  n=%3d  P %.3f  R %.3f  F1 %.4f  acc %.3f", s.name, set, all.n, p, r, f1, acc)
		for _, l := range sortedKeys(byLang) {
			p, r, f1, _ := byLang[l].result()
			t.Logf("%-44s %s %-5s n=%3d  P %.3f  R %.3f  F1 %.4f", s.name, set, l, byLang[l].n, p, r, f1)
		}
		if !strings.Contains(s.name, "published") {
			for _, k := range sortedKeys(bySplit) {
				p, r, f1, _ := bySplit[k].result()
				t.Logf("%-44s %s split %-10s n=%3d  P %.3f  R %.3f  F1 %.4f", s.name, set, k, bySplit[k].n, p, r, f1)
			}
		}
		if si == 0 && s.name == "newsdesk" {
			ourF1 = f1
			var worst []pageScore
			for _, w := range all.pages {
				if *showHoldout || splitByName[w.name] == "tune" {
					worst = append(worst, w)
				}
			}
			sort.Slice(worst, func(i, j int) bool { return f1of(worst[i]) < f1of(worst[j]) })
			for _, w := range worst[:min(*worstN, len(worst))] {
				t.Logf("  worst: %s P %.2f R %.2f", w.name, w.p, w.r)
			}
			if *dumpDir != "" {
				var b strings.Builder
				for _, w := range all.pages {
					fmt.Fprintf(&b, "%s\t%.4f\t%.4f\n", w.name, w.p, w.r)
				}
				if err := os.WriteFile(filepath.Join(*dumpDir, set+".scores.tsv"), []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return ourF1
}

func f1of(s pageScore) float64 {
	if s.p+s.r == 0 {
		return 0
	}
	return 2 * s.p * s.r / (s.p + s.r)
}

func scoreSegments(t *testing.T, pages []corpusPage, systems []system, outputs map[string][]string) float64 {
	var ourF1 float64
	for si, s := range systems {
		all := &segScore{}
		byLang := map[string]*segScore{}
		bySplit := map[string]*segScore{}
		add := func(m map[string]*segScore, k string, p corpusPage, pred string) {
			if m[k] == nil {
				m[k] = &segScore{}
			}
			m[k].add(p.with, p.without, pred)
		}
		type bad struct {
			name   string
			fn, fp int
		}
		var bads []bad
		for i, p := range pages {
			if p.set != "trafilatura-eval" {
				continue
			}
			pred := outputs[s.name][i]
			_, fn, fp := all.add(p.with, p.without, pred)
			add(byLang, p.lang, p, pred)
			add(bySplit, p.split, p, pred)
			add(bySplit, p.split+" "+p.lang, p, pred)
			if fn+fp > 0 && (*showHoldout || p.split == "tune") {
				bads = append(bads, bad{p.name, fn, fp})
			}
		}
		p, r, f1, acc := all.result()
		t.Logf("%-44s trafilatura-eval all  P %.3f  R %.3f  F1 %.4f  acc %.3f  (tp %d fn %d fp %d tn %d)", s.name, p, r, f1, acc, all.tp, all.fn, all.fp, all.tn)
		for _, l := range sortedKeys(byLang) {
			p, r, f1, _ := byLang[l].result()
			t.Logf("%-44s trafilatura-eval %-5s P %.3f  R %.3f  F1 %.4f", s.name, l, p, r, f1)
		}
		for _, k := range sortedKeys(bySplit) {
			p, r, f1, _ := bySplit[k].result()
			t.Logf("%-44s trafilatura-eval split %-10s P %.3f  R %.3f  F1 %.4f  (tp %d fn %d fp %d tn %d)", s.name, k, p, r, f1,
				bySplit[k].tp, bySplit[k].fn, bySplit[k].fp, bySplit[k].tn)
		}
		if si == 0 {
			ourF1 = f1
			sort.Slice(bads, func(i, j int) bool { return bads[i].fn+bads[i].fp > bads[j].fn+bads[j].fp })
			for _, b := range bads[:min(*worstN, len(bads))] {
				t.Logf("  worst: %s fn %d fp %d", b.name, b.fn, b.fp)
			}
		}
	}
	return ourF1
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

type baseline struct {
	name string
	out  []string
}

// publishedBaselines reads the benchmark's published outputs of other
// extractors, aligned with pages.
func publishedBaselines(t *testing.T, pages []corpusPage) []baseline {
	files, _ := filepath.Glob(filepath.Join(*corpusDir, "scrapinghub-baselines", "*.json.gz"))
	var out []baseline
	for _, f := range files {
		var v struct {
			Output map[string]struct {
				ArticleBody string `json:"articleBody"`
			} `json:"output"`
		}
		if err := json.Unmarshal(gunzip(t, f), &v); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		b := baseline{name: strings.TrimSuffix(filepath.Base(f), ".json.gz"), out: make([]string, len(pages))}
		for i, p := range pages {
			if p.set == "scrapinghub" {
				id := strings.TrimSuffix(filepath.Base(p.name), ".html.gz")
				b.out[i] = v.Output[id].ArticleBody
			}
		}
		out = append(out, b)
	}
	return out
}

func dump(t *testing.T, pages []corpusPage, out []string) {
	for i, p := range pages {
		path := filepath.Join(*dumpDir, strings.TrimSuffix(p.name, ".html.gz")+".txt")
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(out[i]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fmt.Fprintf(os.Stderr, "dumped %d outputs to %s\n", len(pages), *dumpDir)
}
