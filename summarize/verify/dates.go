package verify

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// months maps German and English month names and abbreviations to 1–12.
var months = map[string]int{
	"january": 1, "jan": 1, "januar": 1, "jänner": 1,
	"february": 2, "feb": 2, "februar": 2,
	"march": 3, "mar": 3, "märz": 3, "mär": 3,
	"april": 4, "apr": 4,
	"may": 5, "mai": 5,
	"june": 6, "jun": 6, "juni": 6,
	"july": 7, "jul": 7, "juli": 7,
	"august": 8, "aug": 8,
	"september": 9, "sept": 9, "sep": 9,
	"october": 10, "oct": 10, "oktober": 10, "okt": 10,
	"november": 11, "nov": 11,
	"december": 12, "dec": 12, "dezember": 12, "dez": 12,
}

// monthAbbrevs are the abbreviated month names, which keep their period.
var monthAbbrevs = map[string]bool{
	"jan": true, "feb": true, "mar": true, "mär": true, "apr": true, "jun": true, "jul": true, "aug": true,
	"sep": true, "sept": true, "oct": true, "okt": true, "nov": true, "dec": true, "dez": true,
}

// weekdays maps German and English weekday names to 1 (Monday) – 7.
var weekdays = map[string]int{
	"monday": 1, "montag": 1, "tuesday": 2, "dienstag": 2, "wednesday": 3, "mittwoch": 3,
	"thursday": 4, "donnerstag": 4, "friday": 5, "freitag": 5, "saturday": 6, "samstag": 6,
	"sonnabend": 6, "sunday": 7, "sonntag": 7,
}

// date is one date fact; zero fields were not stated.
type date struct {
	start, end            int
	day, month, year, dow int
}

// token is a run of letters or a run of digits in a text.
type token struct {
	start, end int
	digits     bool
}

// tokens splits text into runs of letters and runs of ASCII digits.
func tokens(text string) []token {
	var out []token
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r >= '0' && r <= '9':
			j := i
			for j < len(text) && text[j] >= '0' && text[j] <= '9' {
				j++
			}
			out = append(out, token{i, j, true})
			i = j
		case unicode.IsLetter(r):
			j := i
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if !unicode.IsLetter(r2) {
					break
				}
				j += s2
			}
			out = append(out, token{i, j, false})
			i = j
		default:
			i += size
		}
	}
	return out
}

// findDates finds "3. Oktober 2025", "3 October", "October 3, 2025",
// "Oct. 3", "März 2024" and weekday names. A hand-written scan over word
// tokens: a regular expression with every month name was ten times slower.
func findDates(text string) []date {
	toks := tokens(text)
	cased := hasUpper(text)
	var out []date
	for k, t := range toks {
		if t.digits {
			continue
		}
		word := text[t.start:t.end]
		low := strings.ToLower(word)
		if dow, ok := weekdays[strings.TrimSuffix(low, "s")]; ok && (weekdays[low] != 0 || strings.HasSuffix(low, "s")) {
			out = append(out, date{start: t.start, end: t.end, dow: dow})
			continue
		}
		if dow := compoundWeekday(low); dow != 0 {
			out = append(out, date{start: t.start, end: t.end, dow: dow})
			continue
		}
		month, ok := months[low]
		if !ok {
			continue
		}
		d := date{start: t.start, end: t.end, month: month}
		// Day before: "3. Oktober", "3 October".
		if k > 0 && toks[k-1].digits && toks[k-1].end-toks[k-1].start <= 2 {
			gap := text[toks[k-1].end:t.start]
			day := atoi(text[toks[k-1].start:toks[k-1].end])
			if g := strings.TrimLeft(gap, "."); strings.TrimSpace(g) == "" && g != "" && len(gap)-len(g) <= 1 && day >= 1 && day <= 31 {
				d.day = day
				d.start = toks[k-1].start
			}
		}
		next := k + 1
		// Day after: "October 3", "Oct. 3", "October 3rd".
		if d.day == 0 && next < len(toks) && toks[next].digits && toks[next].end-toks[next].start <= 2 {
			gap := text[t.end:toks[next].start]
			day := atoi(text[toks[next].start:toks[next].end])
			if g := strings.TrimPrefix(gap, "."); strings.TrimSpace(g) == "" && g != "" && day >= 1 && day <= 31 {
				d.day = day
				d.end = toks[next].end
				if ordinalSuffix(text[d.end:]) {
					d.end += 2
				}
				next++
			}
		}
		// Year: "Oktober 2025", "October 3, 2025".
		if next < len(toks) && toks[next].digits && toks[next].end-toks[next].start == 4 {
			gap := text[d.end:toks[next].start]
			g := strings.TrimPrefix(strings.TrimPrefix(gap, "."), ",")
			if strings.TrimSpace(g) == "" && g != "" && len(gap) <= 3 {
				d.year = atoi(text[toks[next].start:toks[next].end])
				d.end = toks[next].end
			}
		}
		// "May 3"/"Oct. 3": keep the abbreviation's period in the span.
		if d.end == t.end && strings.HasPrefix(text[t.end:], ".") && monthAbbrevs[low] {
			d.end++
		}
		// "may", "mar", "jan", "dec" are ordinary words unless capitalised
		// or dated; a sentence-initial "May" is usually the modal verb.
		if d.day == 0 && d.year == 0 {
			// German and English capitalise month names, so in a text
			// that uses capitals a lower-case "march" or "august" is
			// the common word. An all-lower-case text (some corpora
			// are) says nothing by case; only the words that are
			// mostly other words are left out there.
			if word == low && (cased || low == "may" || low == "mar" || low == "jan" || low == "dec") {
				continue
			}
			if low == "may" && sentenceStart(text[:t.start]) {
				continue
			}
		}
		out = append(out, d)
	}
	return out
}

// dayParts are the German words for a part of the day that a weekday
// is compounded with: "Dienstagabend" is Tuesday evening.
var dayParts = []string{"abend", "abends", "morgen", "morgens", "mittag", "mittags", "nachmittag",
	"nachmittags", "vormittag", "vormittags", "nacht", "nachts", "früh"}

// minCompoundWeekday is the least length of a weekday name that a German
// word may end with and still name that day: "Ostermontag",
// "Karfreitag", "Totensonntag" (Monday, Friday, Sunday), while the
// English names are never compounded that way.
const minCompoundWeekday = 6

// compoundWeekday returns the weekday (1–7) of a German compound that
// opens with a weekday and goes on with a part of the day
// ("dienstagabend", "sonntagnachmittags"), or ends with a German weekday
// name ("ostermontag"); 0 for any other lower-cased word.
func compoundWeekday(low string) int {
	for name, dow := range weekdays {
		if len(name) < minCompoundWeekday || len(low) <= len(name) {
			continue
		}
		if rest, ok := strings.CutPrefix(low, name); ok && slices.Contains(dayParts, rest) {
			return dow
		}
		if strings.HasSuffix(low, name) && germanWeekday(name) {
			return dow
		}
	}
	return 0
}

// germanWeekday reports whether a weekday name is German: the English
// ones end in "day".
func germanWeekday(name string) bool { return !strings.HasSuffix(name, "day") }

func hasUpper(s string) bool { return strings.IndexFunc(s, unicode.IsUpper) >= 0 }

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}

// supports reports whether source date s supports text date t: same
// weekday, or same month with no contradicting day or year.
func (t date) supportedBy(s date) bool {
	if t.dow != 0 {
		return s.dow == t.dow
	}
	if s.month != t.month {
		return false
	}
	if t.day != 0 && s.day != t.day {
		return false
	}
	if t.year != 0 && s.year != 0 && s.year != t.year {
		return false
	}
	return true
}

// sentenceStart reports whether a word preceded by head opens a sentence.
func sentenceStart(head string) bool {
	head = strings.TrimRight(head, " \t\n\"'“„‘‚»«(")
	return head == "" || strings.HasSuffix(head, ".") || strings.HasSuffix(head, "!") ||
		strings.HasSuffix(head, "?") || strings.HasSuffix(head, ":")
}
