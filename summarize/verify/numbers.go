package verify

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// numberCore matches the digits of a number with thousands separators
// (",", ".", NBSP, narrow NBSP, apostrophe) and an optional decimal part.
// Which separator is the decimal one is decided by parseNumber.
var numberCore = regexp.MustCompile(`\d{1,3}(?:[.,\x{00A0}\x{202F}'’ ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?`)

// scales maps scale words to their factor. German "Billion" is 10^12 and is
// handled by the caller, which knows the language.
var scales = map[string]float64{
	"thousand": 1e3, "tausend": 1e3, "tsd": 1e3, "k": 1e3,
	"million": 1e6, "millions": 1e6, "mn": 1e6, "mio": 1e6, "millionen": 1e6, "m": 1e6,
	"billion": 1e9, "billions": 1e9, "bn": 1e9, "milliarde": 1e9, "milliarden": 1e9, "mrd": 1e9, "b": 1e9,
	"trillion": 1e12, "trillions": 1e12, "billionen": 1e12,
	"billiarde": 1e15, "billiarden": 1e15,
}

// currencies maps currency symbols and words to ISO codes.
var currencies = map[string]string{
	"$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "us-dollar": "USD",
	"€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
	"£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP", "pfund": "GBP",
	"yuan": "CNY", "renminbi": "CNY", "rmb": "CNY", "cny": "CNY",
	"yen": "JPY", "jpy": "JPY",
}

var percentWords = map[string]bool{
	"%": true, "percent": true, "per cent": true, "prozent": true, "prozentpunkte": true,
	"percentage points": true, "percentage point": true, "pct": true,
}

// number is one numeric fact: value = mantissa × scale, stated to
// `decimals` places of the mantissa.
type number struct {
	start, end int // byte span in the text, including unit words
	value      float64
	tolerance  float64 // half a unit of the last stated digit, times scale
	currency   string  // ISO code or ""
	percent    bool
	year       bool // a bare four-digit year
	// alt is the value under the other separator convention, for sources
	// whose convention is unknown ("3.000" is 3000 in German, 3 in English).
	alt    float64
	hasAlt bool
	// unscaled is the value without an attached "m", which is metres as
	// often as million ("the 200m freestyle").
	unscaled    float64
	hasUnscaled bool
	// clock: a time of day written with am/pm; value is the hour on the
	// 24-hour clock (with the minutes as hundredths: 23.50), alt as
	// written (11.50).
	clock bool
}

// groupSeparators are the thousands separators parseNumber drops besides
// "." and ",".
var groupSeparators = strings.NewReplacer("\u00a0", "", "\u202f", "", "'", "", "’", "", " ", "")

// parseNumber reads a numberCore match. decimalComma selects the convention for
// the one ambiguous case, a single separator followed by exactly three
// digits. It returns the value, the number of decimals, and the value
// under the other convention when that differs.
func parseNumber(core string, decimalComma bool) (v float64, decimals int, alt float64, hasAlt bool, ok bool) {
	clean := groupSeparators.Replace(core)
	dots, commas := strings.Count(clean, "."), strings.Count(clean, ",")
	parse := func(decimalSep byte) (float64, int, bool) {
		var b strings.Builder
		dec := -1
		for i := 0; i < len(clean); i++ {
			c := clean[i]
			switch {
			case c >= '0' && c <= '9':
				b.WriteByte(c)
				if dec >= 0 {
					dec++
				}
			case c == decimalSep:
				if dec >= 0 {
					return 0, 0, false
				}
				b.WriteByte('.')
				dec = 0
			}
		}
		f, err := strconv.ParseFloat(b.String(), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return 0, 0, false
		}
		return f, max(dec, 0), true
	}
	switch {
	case dots == 0 && commas == 0:
		v, d, ok := parse(0)
		return v, d, 0, false, ok
	case dots > 0 && commas > 0:
		// The last separator is the decimal one: "1,234.5", "1.234,5".
		sep := byte('.')
		if strings.LastIndexByte(clean, ',') > strings.LastIndexByte(clean, '.') {
			sep = ','
		}
		v, d, ok := parse(sep)
		return v, d, 0, false, ok
	case dots+commas > 1:
		// "1,000,000" or "1.000.000": thousands only.
		v, d, ok := parse(0)
		return v, d, 0, false, ok
	}
	sep := byte('.')
	if commas == 1 {
		sep = ','
	}
	k := strings.IndexByte(clean, sep)
	if len(clean)-k-1 != 3 {
		// "1,5", "3.14": the separator is decimal in either convention.
		v, d, ok := parse(sep)
		return v, d, 0, false, ok
	}
	// "3.000" / "3,000": German reads "." as thousands, English ",".
	asThousands, _, ok1 := parse(0)
	asDecimal, d, ok2 := parse(sep)
	if !ok1 || !ok2 {
		return 0, 0, 0, false, false
	}
	thousands := (sep == '.') == decimalComma
	if thousands {
		return asThousands, 0, asDecimal, true, true
	}
	return asDecimal, d, asThousands, true, true
}

// findNumbers returns the numeric facts of text. st selects the separator
// convention and the meaning of "Billion".
func findNumbers(text string, st numberStyle) []number {
	var out []number
	for _, m := range numberCore.FindAllStringIndex(text, -1) {
		start, end := m[0], m[1]
		if r, _ := utf8.DecodeLastRuneInString(text[:start]); start > 0 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_') {
			// "H100", "Qwen2.5": part of a name, not a quantity.
			continue
		}
		if end < len(text) {
			r, _ := utf8.DecodeRuneInString(text[end:])
			if unicode.IsDigit(r) {
				continue
			}
			if unicode.IsLetter(r) && !ordinalSuffix(text[end:]) && !attachedUnit(text[end:]) && !decade(text[end:]) &&
				clockSuffix(text[end:]) == 0 {
				continue // "4o" in "GPT-4o", "5G"
			}
		}
		v, dec, alt, hasAlt, ok := parseNumber(text[start:end], st.decimalComma)
		if !ok {
			continue
		}
		n := number{start: start, end: end, value: v, alt: alt, hasAlt: hasAlt}
		n.tolerance = 0.5 * math.Pow(10, -float64(dec))
		if y, ok := rangeYear(text[:start], text[start:end]); ok {
			n.value, n.hasAlt, n.year = y, false, true
			out = append(out, n)
			continue
		}
		if size := clockSuffix(text[end:]); size > 0 {
			h, ok := clock(v, dec, text[end:end+size])
			if !ok && !strings.HasPrefix(text[end:], " ") {
				continue // "45am" of "7:45am": not a number on its own
			}
			// "3pm" is 15 o'clock, as a German text writes it ("15
			// Uhr", "15.00 Uhr"); "11.50pm" is 23.50.
			if ok {
				n.value, n.alt, n.hasAlt, n.clock = h, v, true, true
				n.end += size
				out = append(out, n)
				continue
			}
		}
		if code, at := currencyBefore(text[:start]); code != "" {
			n.currency, n.start = code, at
		}
		rest := text[end:]
		if ordinalSuffix(rest) {
			n.end += 2
			rest = text[n.end:]
		}
		// Scale: "1.5 billion", "3 Mio.", "$5m", "2bn".
		if w, size := nextWord(rest); w != "" {
			lw := strings.ToLower(w)
			f, isScale := scales[lw]
			if isScale && len(lw) == 1 && size != len(w) && n.currency == "" {
				isScale = false // "m", "b", "k" only when attached ("5m") or after money ("$7.5 m")
			}
			if isScale && st.longScale && lw == "billion" {
				f = 1e12
			}
			if isScale && lw == "m" && n.currency == "" && n.value >= minMetres {
				// "200m" is two hundred million or two hundred metres;
				// "$200m" is money.
				n.unscaled, n.hasUnscaled = n.value, true
			}
			if isScale {
				n.value *= f
				n.alt *= f
				n.tolerance *= f
				n.end += size
				rest = text[n.end:]
				if strings.HasPrefix(rest, ".") && (lw == "mio" || lw == "mrd" || lw == "tsd") {
					n.end++
					rest = rest[1:]
				}
			}
		}
		// Unit after: "%", "Prozent", "Dollar", "Euro", "€".
		if w, size := nextWord(rest); w != "" {
			lw := strings.ToLower(w)
			if percentWords[lw] || (lw == "per" && strings.HasPrefix(strings.ToLower(strings.TrimLeft(rest, " ")), "per cent")) {
				n.percent = true
				n.end += size
			} else if code, ok := currencies[lw]; ok {
				n.currency = code
				n.end += size
			}
		}
		n.year = !n.percent && n.currency == "" && n.value >= 1900 && n.value <= 2100 &&
			n.value == math.Trunc(n.value) && end-start == 4
		out = append(out, n)
	}
	return out
}

// currencyBefore returns the currency written right before a number
// ("$1.5", "€ 3", "US$ 2", "EUR 5") and where it starts in head.
func currencyBefore(head string) (string, int) {
	// Only the last few bytes matter; looking further would make the scan
	// quadratic in the text length.
	base := max(0, len(head)-12)
	for base > 0 && !utf8.RuneStart(head[base]) {
		base--
	}
	code, at := currencyBeforeShort(head[base:])
	return code, base + at
}

func currencyBeforeShort(head string) (string, int) {
	trimmed := strings.TrimRight(head, " \u00a0\u202f")
	r, size := utf8.DecodeLastRuneInString(trimmed)
	switch r {
	case '$', '€', '£':
		start := len(trimmed) - size
		if strings.HasSuffix(trimmed[:start], "US") || strings.HasSuffix(trimmed[:start], "us") {
			start -= 2
		}
		return currencies[string(r)], start
	}
	k := strings.LastIndexFunc(trimmed, func(r rune) bool { return !unicode.IsLetter(r) })
	start := 0
	if k >= 0 {
		_, sz := utf8.DecodeRuneInString(trimmed[k:])
		start = k + sz
	}
	switch word := strings.ToLower(trimmed[start:]); word {
	case "usd", "eur", "gbp", "cny", "rmb", "jpy":
		return currencies[word], start
	}
	return "", len(head)
}

// nextWord returns the unit word right after a number: "%", "€", "$", or a
// run of letters (with "-" inside, as in "US-Dollar"), after at most one
// space. size is the byte length consumed including the space.
func nextWord(s string) (string, int) {
	i := 0
	if strings.HasPrefix(s, " ") {
		i = 1
	} else if strings.HasPrefix(s, "\u00a0") || strings.HasPrefix(s, "\u202f") {
		i = len("\u00a0")
	}
	if i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == '%' || r == '€' || r == '$' || r == '£' {
			return string(r), i + size
		}
	}
	j := i
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if !unicode.IsLetter(r) && !(r == '-' && j > i) {
			break
		}
		j += size
	}
	w := strings.TrimRight(s[i:j], "-")
	if w == "" {
		return "", 0
	}
	return w, i + len(w)
}

// ordinalSuffix: "1st", "2nd", "3rd", "89th".
func ordinalSuffix(s string) bool {
	if len(s) < 2 {
		return false
	}
	suf := strings.ToLower(s[:2])
	if suf != "st" && suf != "nd" && suf != "rd" && suf != "th" {
		return false
	}
	if len(s) == 2 {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[2:])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// decade: "1990s", "his 50s".
func decade(s string) bool {
	if !strings.HasPrefix(s, "s") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[1:])
	return len(s) == 1 || !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// attachedUnit: a scale letter glued to the number, "5m", "2bn", "3k".
func attachedUnit(s string) bool {
	w, _ := nextWord(s)
	w = strings.ToLower(w)
	_, ok := scales[w]
	return ok || units[w]
}

// minMetres is the least number with an attached "m" that may be metres:
// news writes distances in metres from 50 ("the 50m freestyle"), while
// "1m" and "16m" are millions far more often.
const minMetres = 50

// units are units of measurement written onto a number ("726ft", "5km",
// "10kg"): the number is a quantity, not part of a name.
var units = map[string]bool{
	"ft": true, "km": true, "kg": true, "mph": true, "kmh": true, "cm": true, "mm": true,
	"mi": true, "lb": true, "lbs": true, "yd": true, "yds": true, "ha": true, "sq": true,
}

// rangeYear reads the second year of a range written short, "2012/13"
// or "1990-95": the two digits core after a four-digit year head ends
// with are that year's decade, later in the same century (2013, 1995).
func rangeYear(head, core string) (float64, bool) {
	if len(core) != 2 || len(head) < 5 {
		return 0, false
	}
	sep, size := utf8.DecodeLastRuneInString(head)
	if sep != '/' && sep != '-' && sep != '–' {
		return 0, false
	}
	first := head[:len(head)-size]
	if len(first) < 4 || (len(first) > 4 && first[len(first)-5] >= '0' && first[len(first)-5] <= '9') {
		return 0, false
	}
	y := atoi(first[len(first)-4:])
	yy := atoi(core)
	if y < 1900 || y > 2100 || core[0] < '0' || core[0] > '9' || core[1] < '0' || core[1] > '9' || yy <= y%100 {
		return 0, false
	}
	return float64(y - y%100 + yy), true
}

// clockSuffix returns the length of an am/pm marker at the start of s
// ("pm", " p.m.", "am"), 0 if there is none or a word goes on after it.
func clockSuffix(s string) int {
	i := 0
	if strings.HasPrefix(s, " ") {
		i = 1
	}
	if i >= len(s) || (s[i] != 'a' && s[i] != 'p' && s[i] != 'A' && s[i] != 'P') {
		return 0
	}
	j := i + 1
	if j < len(s) && s[j] == '.' {
		j++
	}
	if j >= len(s) || (s[j] != 'm' && s[j] != 'M') {
		return 0
	}
	j++
	if j < len(s) && s[j] == '.' {
		j++
	}
	if r, _ := utf8.DecodeRuneInString(s[j:]); j < len(s) && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
		return 0 // "3 amendments", "5 pmol"
	}
	return j
}

// clock is the hour on the 24-hour clock of v written with the marker
// ("pm", "a.m."): v is 1–12, with the minutes as two decimals ("11.50").
func clock(v float64, decimals int, marker string) (float64, bool) {
	if v < 1 || v >= 13 || (decimals != 0 && decimals != 2) {
		return 0, false
	}
	if decimals == 2 && v-math.Trunc(v) >= 0.595 {
		return 0, false // "11.75pm" is no time
	}
	pm := strings.ContainsAny(marker, "pP")
	switch {
	case pm && v < 12:
		v += 12
	case !pm && v >= 12:
		v -= 12
	}
	return v, true
}
