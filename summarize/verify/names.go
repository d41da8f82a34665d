package verify

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/newsdesk/newsdesk/internal/lang"
)

// nameToken matches a word that may be (part of) a name: letters and digits
// joined by "-", "'", ".", "&" as in "GPT-4o", "O'Brien", "U.S", "AT&T".
var nameToken = regexp.MustCompile(`[\p{L}\p{N}][\p{L}\p{N}\p{M}]*(?:[-'’.&][\p{L}\p{N}\p{M}]+)*`)

// germanNounEndings mark capitalised German words that are common nouns, not
// names ("Regierung", "Sicherheit", "Wirtschaft"). Short endings such as
// "-er" or "-en" are left out on purpose: too many names end that way.
var germanNounEndings = []string{
	"ung", "ungen", "heit", "heiten", "keit", "keiten", "schaft", "schaften", "tion", "tionen",
	"tät", "täten", "ismus", "nis", "nisse", "tum", "tümer", "ling", "linge", "ment", "mente",
	"chen", "lein", "erin", "erinnen", "ik", "iken", "enz", "anz", "ie", "ien", "eit", "ur",
	"ent", "enten", "ant", "anten", "ist", "isten", "ler", "ner", "ter", "tern", "ern", "zeug",
	"werk", "amt", "ort", "land", "länder", "staat", "staaten", "markt", "haus", "bank", "netz",
	"zahl", "zahlen", "jahr", "jahre", "jahren", "tag", "tage", "tagen", "geld", "preis", "preise",
	"chip", "chips", "modell", "modelle", "daten", "zoll", "zölle", "handel", "sprecher", "angaben",
	"bericht", "berichten", "behörde", "behörden", "menschen", "leute", "welt", "stadt", "frage",
	"fragen", "ende", "zeit", "teil", "seite", "fall", "grund", "ziel", "plan", "pläne", "gesetz",
	"regeln", "kontrollen", "software", "hersteller", "anbieter", "kunden", "nutzer", "firma",
	"firmen", "konzern", "konzerne", "aktie", "aktien", "börse", "umsatz", "gewinn", "quartal",
	"milliarde", "milliarden", "million", "millionen", "prozent", "wirtschaft", "politik",
	"minister", "ministerin", "kanzler", "kanzlerin", "präsident", "präsidentin", "präsidenten",
	"chef", "chefin", "experte", "experten", "forscher", "halbleiter", "sanktionen", "zentren",
	"zentrum", "woche", "wochen", "monat", "monate", "monaten", "kosten", "mittel", "system",
	"systeme", "krieg", "streit", "rede", "interview", "ansicht", "sicht", "woche", "mal", "weg",
}

// germanNameCues are words after which a single capitalised German word is
// a name ("Präsident Xi", "Konzern Huawei", "Firma Zhipu").
var germanNameCues = map[string]bool{
	"präsident": true, "präsidentin": true, "staatschef": true, "kanzler": true, "kanzlerin": true,
	"minister": true, "ministerin": true, "chef": true, "chefin": true, "konzern": true, "konzerns": true,
	"firma": true, "unternehmen": true, "hersteller": true, "herstellers": true, "start-up": true,
	"startup": true, "gründer": true, "gründerin": true, "herr": true, "herrn": true, "frau": true, "ceo": true,
	"modell": true, "modells": true, "chiphersteller": true, "chipkonzern": true, "tech-konzern": true,
	"techkonzern": true, "senator": true, "senatorin": true, "abgeordnete": true, "abgeordneten": true,
	"sprecher": true, "sprecherin": true, "analyst": true, "analystin": true, "professor": true,
	"professorin": true, "forscher": true, "forscherin": true, "dr": true, "prof": true,
}

// nameRun is a run of name-like tokens in the text.
type nameRun struct {
	start, end int
	tokens     []string
	spans      [][2]int // byte spans of tokens in the text
	before     string   // the token right before the run, "" if not adjacent
	initial    bool     // the run opens a sentence
}

// findNames returns runs of capitalised tokens that look like names.
func findNames(langs *lang.Registry, text, code string) []nameRun {
	var out []nameRun
	locs := nameToken.FindAllStringIndex(text, -1)
	var cur *nameRun
	prevEnd := 0
	flush := func() {
		if cur != nil {
			out = append(out, *cur)
			cur = nil
		}
	}
	for i, m := range locs {
		tok := text[m[0]:m[1]]
		initial := sentenceStart(text[:m[0]])
		gap := text[prevEnd:m[0]]
		prevEnd = m[1]
		if cur != nil && strings.TrimSpace(gap) != "" && strings.TrimSpace(gap) != "-" {
			flush()
		}

		nextCap := false
		if i+1 < len(locs) && strings.TrimSpace(text[m[1]:locs[i+1][0]]) == "" {
			nextCap = nameLike(langs, text[locs[i+1][0]:locs[i+1][1]], code)
		}
		isName := nameLike(langs, tok, code)
		if isName && initial && !distinctiveShape(tok) && !nextCap {
			isName = false
		}
		if cur != nil && clubForms[strings.ToLower(cur.tokens[len(cur.tokens)-1])] && startsUpper(tok) {
			isName = true // "FC Bayern": a club form's name, even a German noun's shape
		}
		if !isName {
			flush()
			continue
		}
		if cur == nil {
			cur = &nameRun{start: m[0], initial: initial}
			if i > 0 && strings.TrimSpace(text[locs[i-1][1]:m[0]]) == "" {
				cur.before = text[locs[i-1][0]:locs[i-1][1]]
			}
		}
		cur.end = m[1]
		cur.tokens = append(cur.tokens, tok)
		cur.spans = append(cur.spans, [2]int{m[0], m[1]})
	}
	flush()
	if code != "de" {
		return out
	}
	// In German every noun is capitalised: keep a run only if it has a
	// name's shape, is two words or more ("Xi Jinping"), or follows a cue.
	kept := out[:0]
	for _, r := range out {
		distinctive := false
		for _, t := range r.tokens {
			distinctive = distinctive || distinctiveShape(t)
		}
		if !distinctive && sentenceStart(text[:r.start]) {
			continue // "Geführte Einkaufstasche von …": a noun phrase
		}
		cue := germanNameCues[strings.ToLower(r.before)]
		if distinctive || len(r.tokens) >= 2 || cue {
			kept = append(kept, r)
		}
	}
	return kept
}

// germanRoleEndings are endings of German nouns and adjectives that stand
// before a name: "Australier Marc Leishman", "Militärhistorikers Mark
// Felton", "Internationalen Währungsfonds", "Stürmer Kane".
var germanRoleEndings = []string{"er", "ers", "ier", "iers", "in", "innen", "ent", "enten", "ist", "isten", "ant", "anten", "or", "ors", "e", "en", "es", "em"}

// englishTitles are words in English name runs that sources often leave
// out or phrase differently; they are not checked.
var englishTitles = map[string]bool{
	"sir": true, "mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "lord": true,
	"lady": true, "dame": true, "president": true, "senator": true, "sen": true, "rep": true,
	"gov": true, "governor": true, "king": true, "queen": true, "prince": true, "princess": true,
	"pope": true, "general": true, "gen": true, "captain": true, "capt": true, "former": true,
	"chief": true, "ceo": true, "minister": true, "prime": true, "secretary": true, "judge": true,
	"detective": true, "officer": true, "coach": true, "manager": true, "chairman": true,
	"chairwoman": true, "chair": true, "mayor": true, "spokesman": true, "spokeswoman": true,
	"deputy": true, "vice": true, "founder": true, "co-ceo": true, "cfo": true,
}

// clubForms are the abbreviations before a sports club's name that say
// what kind of club it is ("FC Bayern", "SC Freiburg"); sources often
// leave them out ("Bayern", "Arsenal"). The name after them is checked.
var clubForms = map[string]bool{"fc": true, "afc": true, "cf": true, "sc": true, "sv": true, "ac": true}

func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// germanAcronyms are German abbreviations that are ordinary words, not
// names, and have no English counterpart in the sources (WM = World Cup).
var germanAcronyms = map[string]bool{
	"wm": true, "em": true, "lkw": true, "pkw": true, "kfz": true, "sms": true, "bip": true,
	"ag": true, "gmbh": true, "tv": true, "nr": true, "ok": true, "dax": false,
}

// germanLooking reports whether a capitalised word is recognisably German:
// umlaut or ß, a spelled number, or a common German noun or adjective
// ending. Used to tell "Erste Hilfe" from "Lisa Su".
func germanLooking(langs *lang.Registry, t string) bool {
	low := strings.ToLower(t)
	if strings.ContainsAny(low, "äöüß") {
		return true
	}
	if isNumberWord(langs, low) {
		return true
	}
	return hasAnySuffix(low, germanRoleEndings) || hasAnySuffix(low, germanNounEndings)
}

// germanCompound is the length from which a capitalised German word is
// taken for a compound noun rather than a name.
const germanCompound = 13

// checkedTokens returns the indices of the tokens of a run that must be
// found in the sources. In German it leaves out the ordinary nouns that
// stand next to a name: titles and cue words anywhere ("Herr Hussen"), a
// role noun or adjective before a name ("Australier Marc Leishman"), and
// a noun after a genitive name ("Schottlands Zukunft").
func checkedTokens(langs *lang.Registry, run nameRun, code string, ix nameIndex) []int {
	if code != "de" {
		var out []int
		for i, t := range run.tokens {
			low := strings.ToLower(t)
			if englishTitles[low] || clubForms[low] && len(run.tokens) > 1 {
				continue // "Sir Bobby Robson", "FC Bayern": often left out
			}
			if i == 0 && run.initial && len(run.tokens) > 1 && !distinctiveShape(t) {
				continue // "Suspects Adnan Farah": capitalised as first word
			}
			out = append(out, i)
		}
		return out
	}
	if len(run.tokens) == 1 {
		t := run.tokens[0]
		if germanAcronyms[strings.ToLower(t)] || langs.Get(code).IsStopword(t) {
			return nil // "WM", "NICHT"
		}
		return []int{0}
	}
	if len(run.tokens) == 2 && !distinctiveShape(run.tokens[0]) && !distinctiveShape(run.tokens[1]) &&
		!ix.supports(langs, run.tokens[0]) && !ix.supports(langs, run.tokens[1]) &&
		(germanLooking(langs, run.tokens[0]) || germanLooking(langs, run.tokens[1])) {
		// Two capitalised words, neither in the sources, at least one of
		// them German in form: a noun phrase ("Erste Hilfe", "Stück
		// Rohr"), not a name. "Lisa Su" has no German form and is checked.
		return nil
	}
	var out []int
	last := len(run.tokens) - 1
	for i, t := range run.tokens {
		low := strings.ToLower(t)
		if clubForms[low] {
			continue // "FC Arsenal": the name is the rest of the run
		}
		if distinctiveShape(t) {
			out = append(out, i)
			continue
		}
		switch {
		case germanNameCues[low]:
			continue
		case i == 0 && (len(run.tokens) >= 3 || hasAnySuffix(low, germanRoleEndings) || strings.HasSuffix(low, "s")):
			continue // "Landsmann Nicolas Almagro", "Stürmer Kane"
		case utf8.RuneCountInString(t) >= germanCompound:
			continue // "Bezirksgericht", "Währungsfonds": compounds, not names
		case i == last && strings.HasSuffix(strings.ToLower(run.tokens[i-1]), "s"):
			continue
		}
		out = append(out, i)
	}
	return ix.dropNounsBesideNames(langs, run, out)
}

func hasAnySuffix(s string, suffixes []string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

// nameLike reports whether a token may be part of a name, ignoring its
// position in the sentence.
func nameLike(langs *lang.Registry, tok, code string) bool {
	r, _ := utf8.DecodeRuneInString(tok)
	if distinctiveShape(tok) {
		return true
	}
	if !unicode.IsUpper(r) {
		return false
	}
	low := strings.ToLower(tok)
	if langs.IsStopword(low) {
		return false
	}
	if _, ok := months[low]; ok {
		return false
	}
	if _, ok := weekdays[strings.TrimSuffix(low, "s")]; ok {
		return false
	}
	if utf8.RuneCountInString(tok) < 2 {
		return false
	}
	if langs.NotName(low) || isNumberWord(langs, low) {
		return false // "Chinese", "Spring"; "Vier" is checked as a number
	}
	if code == "de" {
		for _, e := range germanNounEndings {
			if strings.HasSuffix(low, e) {
				return false
			}
		}
	}
	return true
}

// distinctiveShape: names that look like names anywhere, even at the start
// of a sentence or in German: "OpenAI", "iPhone", "GPT-4o", "H100", "CDU".
func distinctiveShape(tok string) bool {
	var upper, lower, digit, letters int
	first := true
	innerUpper := false
	for _, r := range tok {
		switch {
		case unicode.IsUpper(r):
			upper++
			letters++
			if !first {
				innerUpper = true
			}
		case unicode.IsLower(r):
			lower++
			letters++
		case unicode.IsDigit(r):
			digit++
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			first = false
		} else {
			first = true // "US-Präsident": each part starts fresh
		}
	}
	if letters == 0 {
		return false
	}
	switch {
	case digit > 0 && upper > 0:
		return true
	case upper >= 2 && lower == 0:
		return true
	case innerUpper && lower > 0:
		return true
	}
	return false
}

// nameIndex is what the sources offer to support names: their words as
// written, folded (see fold) and transliterated (see transliterate), and
// the registry's keys of the names they write (keyMark+"munich" for
// "München", see lang.Registry.NameKeys).
type nameIndex map[string]struct{}

// keyMark starts the index entries of registry keys, so that a key never
// meets a word.
const keyMark = "\x00"

func (ix nameIndex) add(w string) {
	ix[w] = struct{}{}
	if f := fold(w); f != w {
		ix[f] = struct{}{}
	}
	if t := transliterate(w); t != w {
		ix[t] = struct{}{}
	}
	if a := asciiOnly(w); a != w && utf8.RuneCountInString(a) >= 4 {
		ix[a] = struct{}{}
	}
	if sk, ok := skeleton(w); ok {
		ix[skeletonMark+sk] = struct{}{}
	}
}

// skeletonMark starts the index entries of skeletons (see skeleton);
// pairMark those of two words the sources write next to each other,
// folded (see neighbourVariant).
const (
	skeletonMark = "\x01"
	pairMark     = "\x02"
)

// minSkeleton is the least length of a name compared by its skeleton.
const minSkeleton = 5

// skeletonSpellings are the spellings by which German and English
// transcribe the same sound of a name from another script: German
// "Ustinow", "Netanjahu", "Akinfejew", "Chodorkowski", "Hindukusch" are
// English "Ustinov", "Netanyahu", "Akinfeev", "Khodorkovsky", "Hindu
// Kush". Both sides are reduced to the same skeleton.
var skeletonSpellings = strings.NewReplacer("tsch", "ch", "sch", "sh", "kh", "ch", "j", "y", "w", "v")

// skeleton is a lower-cased name word without diacritics and with the
// transcription differences of skeletonSpellings evened out: a y between
// vowels dropped ("Akinfejew", "Akinfeev"), a final y or iy spelled i
// ("Chodorkowski", "Khodorkovsky"; "Dmitrij", "Dmitry"). False for words
// shorter than minSkeleton, whose skeletons would meet too often.
func skeleton(w string) (string, bool) {
	if utf8.RuneCountInString(w) < minSkeleton {
		return "", false
	}
	r := []byte(skeletonSpellings.Replace(fold(w)))
	var b []byte
	for i, c := range r {
		if c == 'y' && i > 0 && i+1 < len(r) && isVowel(r[i-1]) && isVowel(r[i+1]) {
			continue
		}
		b = append(b, c)
	}
	sk := string(b)
	sk = strings.TrimSuffix(sk, "iy")
	if strings.HasSuffix(sk, "y") {
		sk = strings.TrimSuffix(sk, "y")
	}
	if sk != string(b) {
		sk += "i"
	}
	return sk, true
}

func isVowel(c byte) bool { return strings.IndexByte("aeiou", c) >= 0 }

func (ix nameIndex) has(w string) bool {
	if _, ok := ix[w]; ok {
		return true
	}
	_, ok := ix[fold(w)]
	return ok
}

// hasSpelling reports whether the sources write the lower-cased word w,
// perhaps transcribed another way (see skeleton).
func (ix nameIndex) hasSpelling(w string) bool {
	if ix.has(w) {
		return true
	}
	sk, ok := skeleton(w)
	return ok && ix.has(skeletonMark+sk)
}

// addKeys adds the keys of a name a source writes, and the keys of the
// regions that hold the place it names (see lang.Registry.Regions): a
// source on Venezuela supports "the South American country".
func (ix nameIndex) addKeys(langs *lang.Registry, keys []string) {
	for _, k := range keys {
		ix[keyMark+k] = struct{}{}
		for _, r := range langs.Regions(k) {
			ix[keyMark+r] = struct{}{}
		}
	}
}

func (ix nameIndex) hasKey(keys []string) bool {
	for _, k := range keys {
		if _, ok := ix[keyMark+k]; ok {
			return true
		}
	}
	return false
}

// fold removes diacritics and spells ß as ss, so that "Jürgen" in a German
// text matches "Jurgen" in an English source and "Łódź" matches "Lodz".
func fold(w string) string {
	if isASCII(w) {
		return w
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(w) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'ß':
			b.WriteString("ss")
		case r == 'ł':
			b.WriteRune('l')
		case r == 'ø':
			b.WriteRune('o')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// transliterate writes German umlauts the way English text does when it
// does not fold them: "Müller" is "Mueller", "Göteborg" "Goeteborg".
func transliterate(w string) string {
	if isASCII(w) {
		return w
	}
	return umlauts.Replace(w)
}

var umlauts = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss")

// asciiOnly drops every letter outside ASCII: text passed through a
// tokenizer that lacks them reads "Martnez" for "Martínez".
func asciiOnly(w string) string {
	if isASCII(w) {
		return w
	}
	return strings.Map(func(r rune) rune {
		if r >= 0x80 {
			return -1
		}
		return r
	}, w)
}

func isASCII(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= 0x80 {
			return false
		}
	}
	return true
}

func (ix nameIndex) addSource(langs *lang.Registry, src string) {
	words := lang.Words(src)
	for i, w := range words {
		ix.add(w)
		if i > 0 {
			ix[pairMark+fold(words[i-1])+" "+fold(w)] = struct{}{}
		}
		// "Vereinten Nationen", "U.S." (the words u, s): a phrase's keys.
		if keys, n := langs.NameAt(words[i:]); n > 1 {
			ix.addKeys(langs, keys)
		}
		ix.addKeys(langs, langs.NameKeys(w))
		ix.addCompoundKeys(langs, w)
		// A genitive or plural: "Brasiliens", "Amerikas".
		if stem, ok := strings.CutSuffix(w, "s"); ok && utf8.RuneCountInString(stem) >= minDerivedStem {
			ix.addKeys(langs, langs.NameKeys(stem))
		}
	}
}

// minCompoundName is the least length of a name a source word may end
// with for its keys to count ("Europa" in "Westeuropa").
const minCompoundName = 4

// addCompoundKeys adds the keys of a name that a source word ends with
// after a part of minDerivedStem letters or more: German compounds end in
// the name ("Westeuropa", "Südfrankreich", "Ostdeutschland"). A name the
// word begins with is found by the stems of the names data.
func (ix nameIndex) addCompoundKeys(langs *lang.Registry, w string) {
	runes := []rune(w)
	for i := minDerivedStem; len(runes)-i >= minCompoundName; i++ {
		if keys := langs.NameKeys(string(runes[i:])); keys != nil {
			ix.addKeys(langs, keys)
			return
		}
	}
}

// minDerivedStem is the least length of a name that a derivation ending
// may be taken from or added to: "Trumps" is Trump's, but "Ms" is not M.
const minDerivedStem = 3

// supports reports whether a name token of the text is found in the
// sources: directly, through a form the registry lists for the same name
// in any language ("Munich" for "München"), or with a derivation ending
// added or removed ("Karlsruher" for "Karlsruhe", "Trumps" for "Trump").
func (ix nameIndex) supports(langs *lang.Registry, tok string) bool {
	if words := lang.Words(tok); len(words) > 1 {
		if keys, n := langs.NameAt(words); n == len(words) && ix.hasKey(keys) {
			return true // "U.S"
		}
	}
	parts := strings.Split(tok, "-")
	checked := parts[:0:0]
	for _, p := range parts {
		// In "US-Präsident" or "GPT-4o-Konkurrenten" only the name parts
		// are names; the rest is an ordinary word in the text's language.
		if germanAcronyms[strings.ToLower(p)] && len(parts) > 1 {
			continue // "WM-Viertelfinale", "LKW-Fahrer"
		}
		if len(parts) == 1 || distinctiveShape(p) || hasDigit(p) {
			checked = append(checked, p)
		}
	}
	for _, w := range lang.Words(strings.Join(checked, " ")) {
		if utf8.RuneCountInString(w) < 2 && !hasDigit(w) {
			continue // "s" of "Trump's", "U" of "U.S."
		}
		if !ix.supportsWord(langs, w) {
			return false
		}
	}
	return true
}

func (ix nameIndex) supportsWord(langs *lang.Registry, w string) bool {
	if ix.has(w) || ix.has(transliterate(w)) || ix.hasKey(langs.NameKeys(w)) {
		return true
	}
	if ix.hasSpelling(w) {
		return true
	}
	for _, d := range langs.NameDerivations() {
		if ix.has(w + d) {
			return true
		}
		if stem, ok := strings.CutSuffix(w, d); ok && utf8.RuneCountInString(stem) >= minDerivedStem &&
			(ix.hasSpelling(stem) || ix.hasKey(langs.NameKeys(stem))) {
			return true
		}
	}
	return false
}

// minCompoundPart is the least length of a German word that counts as
// found when a source word begins or ends with it.
const minCompoundPart = 5

// compoundPart reports whether a source word begins or ends with the
// lower-cased German word w (or its stem) and goes on (see inLongerWord):
// a German noun the sources use inside a compound ("Heimat" in
// "Heimatschutzministerin", "Spiele" in "Rückspiel") is an ordinary word,
// not a name.
func (ix nameIndex) compoundPart(l *lang.Language, w string) bool {
	stem := l.Stem(w)
	if utf8.RuneCountInString(stem) < minCompoundPart {
		stem = w
	}
	return utf8.RuneCountInString(stem) >= minCompoundPart && ix.inLongerWord(stem)
}

// minNameInCompound is the least length of a name that counts as found
// inside a longer source word; minCompoundRest the least length of the
// rest of that word.
const (
	minNameInCompound = 4
	minCompoundRest   = 3
)

// nameInCompound reports whether a source word begins or ends with the
// lower-cased name w and goes on (see inLongerWord): a German source
// writes a name into a compound ("Bundesliga" in "Bundesligatrainer",
// "Nazi" in "Naziherrschaft"). A shorter name is too often a syllable.
func (ix nameIndex) nameInCompound(w string) bool {
	return utf8.RuneCountInString(w) >= minNameInCompound && ix.inLongerWord(w)
}

// inLongerWord reports whether a word of the sources begins or ends with
// w and goes on for minCompoundRest letters or more. A shorter rest is an
// ending (see NameDerivations), not the other part of a compound.
func (ix nameIndex) inLongerWord(w string) bool {
	n := utf8.RuneCountInString(w)
	for k := range ix {
		if k == "" || k[0] < ' ' {
			continue // not a word (see keyMark, skeletonMark, pairMark, capLeftMark)
		}
		if (strings.HasPrefix(k, w) || strings.HasSuffix(k, w)) && utf8.RuneCountInString(k)-n >= minCompoundRest {
			return true
		}
	}
	return false
}

func hasDigit(s string) bool {
	return strings.IndexFunc(s, unicode.IsDigit) >= 0
}

// supportsRun reports whether every checked token of a name run is found
// in the sources. A token inside a name phrase the sources support
// (taken) is found; so are two tokens that the sources write as one word
// ("Fair Play" for "Fairplay"), and, in German, a word the sources use
// inside a compound.
func (ix nameIndex) supportsRun(langs *lang.Registry, run nameRun, code string, taken []bool) bool {
	for _, i := range checkedTokens(langs, run, code, ix) {
		tok := run.tokens[i]
		switch {
		case taken[run.spans[i][0]], ix.supports(langs, tok):
			continue
		case i+1 < len(run.tokens) && ix.hasSpelling(strings.ToLower(tok+run.tokens[i+1])),
			i > 0 && ix.hasSpelling(strings.ToLower(run.tokens[i-1]+tok)):
			continue
		case i > 0 && ix.neighbourVariant(run.tokens[i-1], tok, false),
			i+1 < len(run.tokens) && ix.neighbourVariant(run.tokens[i+1], tok, true):
			continue
		case code == "de" && !distinctiveShape(tok) && ix.compoundPart(langs.Get(code), strings.ToLower(tok)):
			continue
		case code != "de" && ix.nameInCompound(strings.ToLower(tok)):
			continue
		}
		return false
	}
	return true
}

// namePhrase is a name of several words the registry knows, in a text.
type namePhrase struct {
	start, end int
	keys       []string
}

// namePhrases returns the registry's name phrases in text ("United
// Nations", "Formel 1"), longest first at each word, not overlapping.
func namePhrases(langs *lang.Registry, text string) []namePhrase {
	spans := wordSpans(text)
	words := make([]string, len(spans))
	for i, sp := range spans {
		words[i] = sp.word
	}
	var out []namePhrase
	for i := 0; i < len(words); i++ {
		keys, n := langs.NameAt(words[i:])
		if n < 2 {
			continue
		}
		out = append(out, namePhrase{start: spans[i].start, end: spans[i+n-1].end, keys: keys})
		i += n - 1
	}
	return out
}

// wordSpan is one word of a text as lang.Words splits it, lower-cased,
// with its byte span.
type wordSpan struct {
	start, end int
	word       string
}

// wordSpans splits text like lang.Words and keeps where each word is.
func wordSpans(text string) []wordSpan {
	var out []wordSpan
	start := -1
	flush := func(end int) {
		if start >= 0 {
			out = append(out, wordSpan{start, end, strings.ToLower(text[start:end])})
			start = -1
		}
	}
	for i, r := range text {
		if r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)) {
			if start < 0 && !unicode.Is(unicode.Mn, r) {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(text))
	return out
}

// minVariant is the least length of a name word that may differ from
// the sources' spelling by a vowel (see neighbourVariant).
const minVariant = 4

// neighbourVariant reports whether the sources write tok with one vowel
// changed, added or dropped, next to the word they and the text share:
// "Mohammed Morsi" for "Mohammed Mursi", "Houthi rebels" for "Huthi
// rebels". Transcriptions of a name from another script differ so,
// while a different name differs by more ("Mohammed Morsy Ali") or by a
// consonant ("Mohammed Bursi"). before says that neighbour comes after
// tok in the text and in the sources.
func (ix nameIndex) neighbourVariant(neighbour, tok string, before bool) bool {
	nw, tw := lang.Words(neighbour), lang.Words(tok)
	if len(nw) != 1 || len(tw) != 1 || utf8.RuneCountInString(tw[0]) < minVariant || !ix.has(nw[0]) {
		return false
	}
	n, t := fold(nw[0]), fold(tw[0])
	found := false
	vowelVariants(t, func(v string) bool {
		key := pairMark + n + " " + v
		if before {
			key = pairMark + v + " " + n
		}
		_, found = ix[key]
		return !found
	})
	return found
}

const vowels = "aeiouy"

// vowelVariants calls yield with every word that differs from the
// lower-case ASCII word w by one vowel changed, added or dropped, until
// yield returns false.
func vowelVariants(w string, yield func(string) bool) {
	for i := 0; i <= len(w); i++ {
		for _, v := range []byte(vowels) {
			if !yield(w[:i] + string(v) + w[i:]) { // added
				return
			}
			if i < len(w) && isVowelOrY(w[i]) && w[i] != v && !yield(w[:i]+string(v)+w[i+1:]) { // changed
				return
			}
		}
		if i < len(w) && isVowelOrY(w[i]) && !yield(w[:i]+w[i+1:]) { // dropped
			return
		}
	}
}

func isVowelOrY(c byte) bool { return strings.IndexByte(vowels, c) >= 0 }
