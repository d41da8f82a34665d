package rouge

import (
	"strings"

	"github.com/newsdesk/newsdesk/internal/lang"
)

// Score is precision, recall and F1 (the F-measure with beta = 1) of a
// candidate against a reference, each in [0,1].
type Score struct{ P, R, F float64 }

// Tokens returns the ROUGE tokens of text: lower-cased Unicode words,
// stemmed with l's stemmer (unstemmed for nil).
func Tokens(text string, l *lang.Language) []string {
	words := lang.Words(text)
	for i, w := range words {
		words[i] = l.Stem(w)
	}
	return words
}

// Rouge1 is unigram overlap.
func Rouge1(candidate, reference string, l *lang.Language) Score {
	return rougeN(Tokens(candidate, l), Tokens(reference, l), 1)
}

// Rouge2 is bigram overlap.
func Rouge2(candidate, reference string, l *lang.Language) Score {
	return rougeN(Tokens(candidate, l), Tokens(reference, l), 2)
}

func rougeN(cand, ref []string, n int) Score {
	cg, rg := ngrams(cand, n), ngrams(ref, n)
	var overlap, nc, nr int
	for g, c := range cg {
		overlap += min(c, rg[g])
		nc += c
	}
	for _, c := range rg {
		nr += c
	}
	return score(overlap, nc, nr)
}

func ngrams(toks []string, n int) map[string]int {
	m := make(map[string]int)
	for i := 0; i+n <= len(toks); i++ {
		m[strings.Join(toks[i:i+n], "\x00")]++
	}
	return m
}

func score(hits, nCand, nRef int) Score {
	var s Score
	if nCand > 0 {
		s.P = float64(hits) / float64(nCand)
	}
	if nRef > 0 {
		s.R = float64(hits) / float64(nRef)
	}
	if s.P+s.R > 0 {
		s.F = 2 * s.P * s.R / (s.P + s.R)
	}
	return s
}

// RougeL is summary-level ROUGE-L: candidate and reference are split into
// sentences at newlines; for each reference sentence the union of its LCS
// with every candidate sentence counts as hits, each token counted at most
// as often as it occurs in both texts (as in rougeLsum of Google's
// rouge-score and ROUGE-1.5.5's summary-level LCS). Without newlines it is
// sentence-level ROUGE-L.
func RougeL(candidate, reference string, l *lang.Language) Score {
	cands := sentenceTokens(candidate, l)
	refs := sentenceTokens(reference, l)
	candCount, refCount := map[string]int{}, map[string]int{}
	var nc, nr int
	for _, s := range cands {
		for _, t := range s {
			candCount[t]++
			nc++
		}
	}
	for _, s := range refs {
		for _, t := range s {
			refCount[t]++
			nr++
		}
	}
	hits := 0
	for _, r := range refs {
		union := make([]bool, len(r))
		for _, c := range cands {
			markLCS(r, c, union)
		}
		for i, in := range union {
			if !in {
				continue
			}
			t := r[i]
			if candCount[t] > 0 && refCount[t] > 0 {
				hits++
				candCount[t]--
				refCount[t]--
			}
		}
	}
	return score(hits, nc, nr)
}

func sentenceTokens(text string, l *lang.Language) [][]string {
	var out [][]string
	for _, line := range strings.Split(text, "\n") {
		if t := Tokens(line, l); len(t) > 0 {
			out = append(out, t)
		}
	}
	return out
}

// markLCS sets union[i] for every token of ref that is on one longest
// common subsequence of ref and cand.
func markLCS(ref, cand []string, union []bool) {
	n, m := len(ref), len(cand)
	if n == 0 || m == 0 {
		return
	}
	// dp[i][j] = LCS length of ref[:i], cand[:j], in one flat slice.
	w := m + 1
	dp := make([]int32, (n+1)*w)
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			switch {
			case ref[i-1] == cand[j-1]:
				dp[i*w+j] = dp[(i-1)*w+j-1] + 1
			case dp[(i-1)*w+j] >= dp[i*w+j-1]:
				dp[i*w+j] = dp[(i-1)*w+j]
			default:
				dp[i*w+j] = dp[i*w+j-1]
			}
		}
	}
	for i, j := n, m; i > 0 && j > 0; {
		switch {
		case ref[i-1] == cand[j-1]:
			union[i-1] = true
			i--
			j--
		case dp[(i-1)*w+j] >= dp[i*w+j-1]:
			i--
		default:
			j--
		}
	}
}
