package extract

import (
	"regexp"
	"strings"
	"testing"
)

// wordRe is how the benchmarks' scorers split words (Python's Unicode \w+):
// letters, marks, digits and connector punctuation.
var wordRe = regexp.MustCompile(`[\p{L}\p{M}\p{Nd}\p{Nl}\p{No}\p{Pc}]+`)

func FuzzWords(f *testing.F) {
	for _, s := range []string{"", "a", "Grüße, Äpfel_1 und 3½ Öl", "x\u0301y z", "\xffab c", "日本語 テキスト", "a\u203fb", "٣٤"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, want := words(s), wordRe.FindAllString(s, -1)
		if strings.Join(got, "\x00") != strings.Join(want, "\x00") || len(got) != len(want) {
			t.Errorf("words(%q) = %q, want %q", s, got, want)
		}
	})
}

// Scoring code for the evaluations, written from the metric descriptions in
// the benchmarks' documentation (see /work/shared/corpus/README.md §3).

// shingles counts the 4-gram token shingles of text as a multiset. Texts
// with fewer than four tokens yield one shorter shingle, as evaluate.py's
// range(max(1, len(tokens)-n+1)) does.
func shingles(text string) map[string]int {
	toks := wordRe.FindAllString(text, -1)
	const n = 4
	out := make(map[string]int)
	cnt := len(toks) - n + 1
	if cnt < 1 {
		cnt = 1
	}
	for i := 0; i < cnt; i++ {
		j := i + n
		if j > len(toks) {
			j = len(toks)
		}
		if i >= j {
			continue
		}
		out[strings.Join(toks[i:j], "\x00")]++
	}
	return out
}

// shingleMatch returns tp, fp, fn of pred against truth, as multisets.
func shingleMatch(truth, pred string) (tp, fp, fn float64) {
	t, p := shingles(truth), shingles(pred)
	for k, pc := range p {
		tc := t[k]
		m := min(pc, tc)
		tp += float64(m)
		fp += float64(pc - m)
	}
	for k, tc := range t {
		if pc := p[k]; pc < tc {
			fn += float64(tc - pc)
		}
	}
	return
}

// prf accumulates per-page shingle scores: each page's tp, fp, fn are
// normalised to sum 1, precision and recall are the means of the per-page
// values, F1 is computed from those means.
type prf struct {
	n          int
	sumP, sumR float64
	exact      int
	pages      []pageScore
}

type pageScore struct {
	name string
	p, r float64
}

func (s *prf) add(name, truth, pred string) {
	tp, fp, fn := shingleMatch(truth, pred)
	sum := tp + fp + fn
	if sum > 0 {
		tp, fp, fn = tp/sum, fp/sum, fn/sum
	}
	p, r := 0.0, 0.0
	if tp+fp > 0 {
		p = tp / (tp + fp)
	}
	if tp+fn > 0 {
		r = tp / (tp + fn)
	}
	s.n++
	s.sumP += p
	s.sumR += r
	if strings.Join(wordRe.FindAllString(truth, -1), " ") == strings.Join(wordRe.FindAllString(pred, -1), " ") {
		s.exact++
	}
	s.pages = append(s.pages, pageScore{name, p, r})
}

func (s *prf) result() (p, r, f1, acc float64) {
	if s.n == 0 {
		return
	}
	p, r = s.sumP/float64(s.n), s.sumR/float64(s.n)
	if p+r > 0 {
		f1 = 2 * p * r / (p + r)
	}
	return p, r, f1, float64(s.exact) / float64(s.n)
}

// segScore is trafilatura's segment metric: a "with" segment found in the
// whitespace-normalised output is a true positive, missing a false
// negative; a "without" segment found is a false positive, missing a true
// negative. Micro-averaged over all segments.
type segScore struct {
	tp, fn, fp, tn int
}

func (s *segScore) add(with, without []string, pred string) (tp, fn, fp int) {
	out := collapse(pred)
	for _, w := range with {
		if strings.Contains(out, collapse(w)) {
			s.tp++
			tp++
		} else {
			s.fn++
			fn++
		}
	}
	for _, w := range without {
		if strings.Contains(out, collapse(w)) {
			s.fp++
			fp++
		} else {
			s.tn++
		}
	}
	return
}

func (s *segScore) result() (p, r, f1, acc float64) {
	if s.tp+s.fp > 0 {
		p = float64(s.tp) / float64(s.tp+s.fp)
	}
	if s.tp+s.fn > 0 {
		r = float64(s.tp) / float64(s.tp+s.fn)
	}
	if d := 2*s.tp + s.fp + s.fn; d > 0 {
		f1 = 2 * float64(s.tp) / float64(d)
	}
	if all := s.tp + s.fp + s.fn + s.tn; all > 0 {
		acc = float64(s.tp+s.tn) / float64(all)
	}
	return
}
