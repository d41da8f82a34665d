package extract

import "strings"

// Class and id strings are matched against word lists by splitting them
// once into letter runs (maximal runs of a–z; digits, "-", "_", spaces and
// non-ASCII bytes separate them) and looking the runs up, instead of running
// a regular expression over every element's class: with an alternation that
// must start after a non-letter, Go's regexp cannot use a literal prefix and
// steps through every byte of every class string, which was a fifth of the
// extractor's CPU time.
//
// A word list has two kinds of entries, written as in a regular expression
// where "-?" is an optional hyphen:
//
//   - prefix words match where a run starts ("related" matches
//     "relatedArticles" and "post-related-links");
//   - whole words must span whole runs ("ad" matches "ad-slot" and "top_ad"
//     but not "head" or "adapt"; "tag-list" matches the runs "tag" "list"
//     joined by a single hyphen).

// classWords is a compiled word list.
type classWords struct {
	prefix   [26][]string    // prefix words by first letter
	whole    map[string]bool // whole words, hyphenated forms included
	maxParts int             // most runs a whole word spans
}

// span is one letter run of a class string: s[start:end].
type span struct{ start, end int }

func newClassWords(prefix, whole []string) *classWords {
	w := &classWords{whole: map[string]bool{}, maxParts: 1}
	for _, p := range prefix {
		for _, v := range expandHyphens(p) {
			c := v[0] - 'a'
			w.prefix[c] = append(w.prefix[c], v)
		}
	}
	for _, p := range whole {
		for _, v := range expandHyphens(p) {
			w.whole[v] = true
			w.maxParts = max(w.maxParts, strings.Count(v, "-")+1)
		}
	}
	return w
}

// expandHyphens turns "most-?read" into "mostread" and "most-read".
func expandHyphens(p string) []string {
	i := strings.Index(p, "-?")
	if i < 0 {
		return []string{p}
	}
	var out []string
	for _, rest := range expandHyphens(p[i+2:]) {
		out = append(out, p[:i]+rest, p[:i]+"-"+rest)
	}
	return out
}

// letterRuns appends the letter runs of s to buf.
func letterRuns(s string, buf []span) []span {
	start := -1
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			buf = append(buf, span{start, i})
			start = -1
		}
	}
	if start >= 0 {
		buf = append(buf, span{start, len(s)})
	}
	return buf
}

// match reports whether any word of the list occurs in s, whose letter runs
// are runs.
func (w *classWords) match(s string, runs []span) bool {
	for i, r := range runs {
		for _, p := range w.prefix[s[r.start]-'a'] {
			if strings.HasPrefix(s[r.start:], p) {
				return true
			}
		}
		if w.whole[s[r.start:r.end]] {
			return true
		}
		// Hyphen-joined runs: "tag-list", "article-body".
		for j := i + 1; j < len(runs) && j-i < w.maxParts; j++ {
			if runs[j].start != runs[j-1].end+1 || s[runs[j-1].end] != '-' {
				break
			}
			if w.whole[s[r.start:runs[j].end]] {
				return true
			}
		}
	}
	return false
}
