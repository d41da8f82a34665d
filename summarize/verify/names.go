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

// dotted matches dotted abbreviations such as "U.S." and "U.K.".
var dotted = regexp.MustCompile(`\b(?:\pL\.){2,}`)

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

// equivalents maps a lower-cased name word to a canonical form shared by its
// German and English spellings.
var equivalents = map[string]string{
	"us": "usa", "usa": "usa", "u.s": "usa", "u.s.a": "usa", "amerika": "usa", "america": "usa",
	"vereinigte": "usa", "vereinigten": "usa", "prc": "china", "volksrepublik": "china",
	"peking": "beijing", "beijing": "beijing", "deutschland": "germany", "germany": "germany",
	"brd": "germany", "russland": "russia", "russia": "russia", "europa": "europe", "europe": "europe",
	"ki": "ai", "ai": "ai", "brüssel": "brussels", "brussels": "brussels", "moskau": "moscow",
	"moscow": "moscow", "wien": "vienna", "vienna": "vienna", "münchen": "munich", "munich": "munich",
	"köln": "cologne", "cologne": "cologne", "rom": "rome", "rome": "rome", "genf": "geneva",
	"geneva": "geneva", "frankreich": "france", "france": "france", "großbritannien": "uk",
	"britain": "uk", "uk": "uk", "indien": "india", "india": "india", "italien": "italy",
	"italy": "italy", "spanien": "spain", "spain": "spain", "niederlande": "netherlands",
	"netherlands": "netherlands", "schweiz": "switzerland", "switzerland": "switzerland",
	"österreich": "austria", "austria": "austria", "kanada": "canada", "canada": "canada",
	"mexiko": "mexico", "mexico": "mexico", "brasilien": "brazil", "brazil": "brazil",
	"türkei": "turkey", "turkey": "turkey", "ägypten": "egypt", "egypt": "egypt", "polen": "poland",
	"poland": "poland", "griechenland": "greece", "greece": "greece", "schweden": "sweden",
	"sweden": "sweden", "dänemark": "denmark", "denmark": "denmark", "afrika": "africa",
	"africa": "africa", "asien": "asia", "asia": "asia", "nordkorea": "northkorea",
	"südkorea": "southkorea", "korea": "korea", "japan": "japan", "taiwan": "taiwan",
	"schottland": "scotland", "scotland": "scotland", "england": "england", "irland": "ireland",
	"ireland": "ireland", "wales": "wales", "ukraine": "ukraine", "israel": "israel", "iran": "iran",
	"syrien": "syria", "syria": "syria", "irak": "iraq", "iraq": "iraq", "libyen": "libya",
	"libya": "libya", "saudi-arabien": "saudiarabia", "kuba": "cuba", "cuba": "cuba",
	"australien": "australia", "australia": "australia", "neuseeland": "newzealand",
	"belgien": "belgium", "belgium": "belgium", "portugal": "portugal", "ungarn": "hungary",
	"hungary": "hungary", "tschechien": "czechia", "rumänien": "romania", "romania": "romania",
	"finnland": "finland", "finland": "finland", "norwegen": "norway", "norway": "norway",
	"singapur": "singapore", "singapore": "singapore", "vietnam": "vietnam", "indonesien": "indonesia",
	"indonesia": "indonesia", "philippinen": "philippines", "philippines": "philippines",
	"kalifornien": "california", "california": "california", "texas": "texas", "florida": "florida",
	"hongkong": "hongkong", "schanghai": "shanghai", "shanghai": "shanghai", "shenzhen": "shenzhen",
	"ezb": "ecb", "ecb": "ecb", "eu": "eu", "un": "un", "uno": "un", "nato": "nato",
	"chinese": "chinese", "american": "american", "german": "german", "european": "european",
	"russian": "russian", "japanese": "japanese", "british": "british", "french": "french",
	"europäische": "eu", "european-union": "eu",
}

// demonyms are capitalised English adjectives of peoples and places.
// They are not checked as names: a source says "US" or "in China" where
// a summary says "American" or "Chinese", and the adjective is rarely the
// fact that matters.
var demonyms = map[string]bool{
	"american": true, "asian": true, "african": true, "european": true, "chinese": true, "japanese": true,
	"german": true, "french": true, "british": true, "russian": true, "indian": true, "turkish": true,
	"arab": true, "arabic": true, "bavarian": true, "allied": true, "swiss": true, "dutch": true,
	"spanish": true, "italian": true, "polish": true, "korean": true, "vietnamese": true, "canadian": true,
	"mexican": true, "brazilian": true, "australian": true, "israeli": true, "iranian": true, "iraqi": true,
	"syrian": true, "ukrainian": true, "palestinian": true, "saudi": true, "egyptian": true, "greek": true,
	"swedish": true, "norwegian": true, "danish": true, "finnish": true, "irish": true, "scottish": true,
	"welsh": true, "english": true, "western": true, "eastern": true, "soviet": true, "taiwanese": true,
	"austrian": true, "belgian": true, "hungarian": true, "czech": true, "romanian": true, "serbian": true,
	"afghan": true, "pakistani": true, "nigerian": true, "venezuelan": true, "cuban": true, "latin": true,
	"muslim": true, "christian": true, "jewish": true, "catholic": true, "nordic": true, "atlantic": true,
}

// adjectivePrefixes map German adjective stems in sources to the English
// capitalised adjective a summary would use ("chinesische" → "Chinese").
var adjectivePrefixes = map[string]string{
	"chinesisch": "chinese", "amerikanisch": "american", "us-amerikanisch": "american",
	"deutsch": "german", "europäisch": "european", "russisch": "russian", "japanisch": "japanese",
	"britisch": "british", "französisch": "french",
}

// phrases are two-word names whose words mean something else alone.
var phrases = map[string]string{
	"north korea": "northkorea", "south korea": "southkorea", "united states": "usa",
	"united kingdom": "uk", "european union": "eu", "white house": "whitehouse",
	"weißen hauses": "whitehouse", "weiße haus": "whitehouse", "weißen haus": "whitehouse",
	"vereinigte staaten": "usa", "vereinigten staaten": "usa", "hong kong": "hongkong",
	"artificial intelligence": "ai", "künstliche intelligenz": "ai", "künstlicher intelligenz": "ai",
	"united nations": "un", "vereinten nationen": "un", "vereinte nationen": "un",
	"world health": "who", "weltgesundheitsorganisation": "who",
	"new zealand": "newzealand", "saudi arabia": "saudiarabia", "czech republic": "czechia",
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
	before     string // the token right before the run, "" if not adjacent
	initial    bool   // the run opens a sentence
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
		if i+1 < len(locs) {
			next := text[locs[i+1][0]:locs[i+1][1]]
			between := text[m[1]:locs[i+1][0]]
			nextCap = strings.TrimSpace(between) == "" && nameLike(langs, next, code)
		}
		isName := nameLike(langs, tok, code)
		if isName && initial && !distinctiveShape(tok) && !nextCap {
			isName = false
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
	"detective": true, "officer": true, "coach": true, "manager": true,
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

// checkedTokens returns the tokens of a run that must be found in the
// sources. In German it leaves out the ordinary nouns that stand next to a
// name: titles and cue words anywhere ("Herr Hussen"), a role noun or
// adjective before a name ("Australier Marc Leishman"), and a noun after a
// genitive name ("Schottlands Zukunft").
func checkedTokens(langs *lang.Registry, run nameRun, code string, ix nameIndex) []string {
	if code != "de" {
		var out []string
		for i, t := range run.tokens {
			low := strings.ToLower(t)
			if englishTitles[low] {
				continue // "Sir Bobby Robson": the title is often left out
			}
			if i == 0 && run.initial && len(run.tokens) > 1 && !distinctiveShape(t) {
				continue // "Suspects Adnan Farah": capitalised as first word
			}
			out = append(out, t)
		}
		return out
	}
	if len(run.tokens) == 1 {
		t := run.tokens[0]
		if germanAcronyms[strings.ToLower(t)] || langs.Get(code).IsStopword(t) {
			return nil // "WM", "NICHT"
		}
		return run.tokens
	}
	if len(run.tokens) == 2 && !distinctiveShape(run.tokens[0]) && !distinctiveShape(run.tokens[1]) &&
		!ix.supports(run.tokens[0]) && !ix.supports(run.tokens[1]) &&
		(germanLooking(langs, run.tokens[0]) || germanLooking(langs, run.tokens[1])) {
		// Two capitalised words, neither in the sources, at least one of
		// them German in form: a noun phrase ("Erste Hilfe", "Stück
		// Rohr"), not a name. "Lisa Su" has no German form and is checked.
		return nil
	}
	var out []string
	last := len(run.tokens) - 1
	for i, t := range run.tokens {
		low := strings.ToLower(t)
		if distinctiveShape(t) {
			out = append(out, t)
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
		out = append(out, t)
	}
	return out
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
	if demonyms[low] {
		return false
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

// nameIndex is what the sources offer to support names.
type nameIndex map[string]struct{}

func (ix nameIndex) add(w string) {
	ix[w] = struct{}{}
	if f := fold(w); f != w {
		ix[f] = struct{}{}
	}
}

func (ix nameIndex) has(w string) bool {
	if _, ok := ix[w]; ok {
		return true
	}
	_, ok := ix[fold(w)]
	return ok
}

// fold removes diacritics and spells ß as ss, so that "Jürgen" in a German
// text matches "Jurgen" in an English source and "Łódź" matches "Lodz".
func fold(w string) string {
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
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

func (ix nameIndex) addSource(src string) {
	words := lang.Words(src)
	for i, w := range words {
		ix.add(w)
		if c, ok := equivalents[w]; ok {
			ix.add(c)
		}
		if len(w) >= 6 {
			for p, c := range adjectivePrefixes {
				if strings.HasPrefix(w, p) {
					ix.add(c)
				}
			}
		}
		if i+1 < len(words) {
			if c, ok := phrases[w+" "+words[i+1]]; ok {
				ix.add(c)
			}
		}
	}
	// Dotted abbreviations are one token here, not letters: "U.S." → "usa".
	for _, tok := range dotted.FindAllString(src, -1) {
		low := strings.ToLower(strings.TrimSuffix(tok, "."))
		if c, ok := equivalents[low]; ok {
			ix.add(c)
		}
	}
}

// supports reports whether a name token of the text is found in the
// sources, directly, without a German genitive "s" or English possessive,
// or through a cross-language equivalent.
func (ix nameIndex) supports(tok string) bool {
	low := strings.ToLower(tok)
	if c, ok := equivalents[strings.TrimSuffix(low, ".")]; ok && ix.has(c) {
		return true
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
		if ix.has(w) {
			continue
		}
		if c, ok := equivalents[w]; ok && ix.has(c) {
			continue
		}
		if trimmed := strings.TrimSuffix(w, "s"); trimmed != w && (ix.has(trimmed) || ix.has(equivalents[trimmed])) {
			continue
		}
		return false
	}
	return true
}

func hasDigit(s string) bool {
	return strings.IndexFunc(s, unicode.IsDigit) >= 0
}
