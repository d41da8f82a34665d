package verify

import (
	"regexp"
	"strconv"
	"strings"
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

// weekdays maps German and English weekday names to 1 (Monday) – 7.
var weekdays = map[string]int{
	"monday": 1, "montag": 1, "tuesday": 2, "dienstag": 2, "wednesday": 3, "mittwoch": 3,
	"thursday": 4, "donnerstag": 4, "friday": 5, "freitag": 5, "saturday": 6, "samstag": 6,
	"sonnabend": 6, "sunday": 7, "sonntag": 7,
}

// dateRE finds "3. Oktober 2025", "3 October", "October 3, 2025", "Oct. 3",
// "März 2024" and weekday names. Groups: 1 day before, 2 month, 3 day
// after, 4 year, 5 weekday.
var dateRE = regexp.MustCompile(`(?i)(?:\b(\d{1,2})\.?\s+)?\b(` + alternation(months) + `)\b\.?(?:\s+(\d{1,2})(?:st|nd|rd|th)?\b)?(?:,?\s+(\d{4})\b)?|\b(` + alternation(weekdays) + `)s?\b`)

func alternation(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, regexp.QuoteMeta(k))
	}
	// Longest first, so "september" wins over "sep".
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && (len(keys[j]) > len(keys[j-1]) || len(keys[j]) == len(keys[j-1]) && keys[j] < keys[j-1]); j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return strings.Join(keys, "|")
}

// date is one date fact; zero fields were not stated.
type date struct {
	start, end            int
	day, month, year, dow int
}

func findDates(text string) []date {
	var out []date
	for _, m := range dateRE.FindAllStringSubmatchIndex(text, -1) {
		d := date{start: m[0], end: m[1]}
		if strings.HasSuffix(text[d.start:d.end], ".") {
			d.end-- // "13. Oktober." ends the sentence; "Oct." keeps its period below
			if m[5]-m[4] <= 4 && m[5] == d.end {
				d.end++
			}
		}
		group := func(g int) string {
			if m[2*g] < 0 {
				return ""
			}
			return text[m[2*g]:m[2*g+1]]
		}
		if wd := group(5); wd != "" {
			d.dow = weekdays[strings.ToLower(wd)]
			out = append(out, d)
			continue
		}
		name := group(2)
		low := strings.ToLower(name)
		d.month = months[low]
		d.day, _ = strconv.Atoi(group(1))
		if d.day == 0 {
			d.day, _ = strconv.Atoi(group(3))
		}
		d.year, _ = strconv.Atoi(group(4))
		if d.day > 31 {
			d.day = 0
		}
		// "may" and "mar" are ordinary words unless capitalised or dated;
		// in lower-case text only a day or year makes them a date.
		if (low == "may" || low == "mar" || low == "jan" || low == "dec") && name == low && d.day == 0 && d.year == 0 {
			continue
		}
		if low == "may" && d.day == 0 && d.year == 0 && sentenceStart(text[:m[0]]) {
			continue // sentence-initial "May" is usually the modal verb
		}
		out = append(out, d)
	}
	return out
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
