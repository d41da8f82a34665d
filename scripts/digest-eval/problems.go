package main

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// kinds are the problems counted, in the order they are reported.
var kinds = []string{"lean", "fragment", "boilerplate", "not-main", "repeat", "truncation", "empty"}

// problem is one thing a reader of a brief would stumble over.
type problem struct {
	kind, detail string
}

// check returns the problems of a brief's sentences in language lg. t is
// the page's ground truth, when the corpus has it.
func check(sents []string, lg string, t *truth) []problem {
	if len(sents) == 0 {
		return []problem{{"empty", "no brief"}}
	}
	var out []problem
	add := func(kind, format string, args ...any) {
		out = append(out, problem{kind, fmt.Sprintf(format, args...)})
	}
	if why := leans(sents[0], lg); why != "" {
		add("lean", "opens with %s: %q", why, firstWords(sents[0], 8))
	}
	truthText := normalize(t.text)
	var truthGrams map[string]bool
	if truthText != "" {
		truthGrams = trigrams(truthText)
	}
	for i, s := range sents {
		junk := boilerplate(s, lg)
		if why := truncated(s); why != "" {
			add("truncation", "%s: %q", why, lastWords(s, 8))
		} else if why := fragment(s, lg); why != "" && junk == "" {
			add("fragment", "%s: %q", why, firstWords(s, 8))
		}
		if junk != "" {
			add("boilerplate", "%s: %q", junk, firstWords(s, 10))
		} else if seg := withoutSegment(s, t.without); seg != "" {
			add("boilerplate", "ground truth says not main text (%q): %q", seg, firstWords(s, 10))
		} else if truthGrams != nil {
			if share := coverage(normalize(s), truthGrams); share < 0.5 {
				add("not-main", "%.0f %% of it in the true text: %q", 100*share, firstWords(s, 10))
			}
		}
		for j := range i {
			if similar(sents[j], s) {
				add("repeat", "sentence %d repeats sentence %d: %q", i+1, j+1, firstWords(s, 8))
				break
			}
		}
	}
	return out
}

// leanOpeners are first words that point back to something a reader of
// the brief has not been told: pronouns, demonstratives, connectives.
var leanOpeners = map[string][]string{
	"de": strings.Fields(`er sie ihm ihn ihnen ihr ihre ihrem ihren ihrer sein seine seinem seinen seiner
		dies diese dieser dieses diesem diesen dabei damit dadurch dafür dagegen daher danach darauf darüber
		darum davon dazu deshalb deswegen dennoch trotzdem allerdings jedoch zudem außerdem ebenfalls auch
		doch aber und oder denn dort hierbei hierzu dann zuvor demnach solche`),
	"en": strings.Fields(`he she they him her his their its it this these those that but and or however
		also still yet meanwhile instead then such both there's`),
}

// leanIt is German "Es" that stands for a thing named before ("Es liegt
// am Fluss"), not the expletive ("Es gibt", "Es geht um", "Es ist
// unklar, ob").
var leanIt = regexp.MustCompile(`^Es (liegt|lag|weist|wies|besteht|bestand|bildet|bildete|befindet|stammt|zählt|gehört|wurde|war) `)

// leanThat are "Das"/"That" followed by a verb: "Das sei …", "That was …".
var leanThat = regexp.MustCompile(`(?i)^["„“»]?(das|that|it) (ist|war|sei|wäre|hat|habe|hätte|zeigt|bedeutet|heißt|soll|sollte|könnte|würde|wird|is|was|would|could|will|has|had|means|shows)\b`)

// leanSpeech is speech attributed to a pronoun, or reported in the German
// subjunctive with no speaker: "…, sagte er", "he said", "Man habe …".
var leanSpeech = regexp.MustCompile(`(?i)\b(sagte|sagt|erklärte|betonte|so) (er|sie)\b|\b(er|sie) (sagte|sagt|erklärte|betonte)\b|\b(he|she|they) (said|says|added|told)\b|\b(said|says|added) (he|she|they)\b|^(man|es|sie|er) (habe|sei|seien|liege|gebe|könne|müsse|wolle|solle|werde)\b`)

// leans says why sentence s, at the start of a brief, leans on one before
// it ("" when it does not).
func leans(s, lg string) string {
	w := strings.ToLower(trimPunct(firstWord(s)))
	for _, o := range leanOpeners[lg] {
		if w == o {
			return fmt.Sprintf("%q", w)
		}
	}
	if m := leanIt.FindString(s); m != "" {
		return fmt.Sprintf("%q", m)
	}
	if m := leanThat.FindString(s); m != "" {
		return fmt.Sprintf("%q", m)
	}
	if m := leanSpeech.FindString(s); m != "" {
		return fmt.Sprintf("%q", m)
	}
	return ""
}

// finiteDE and finiteEN are frequent finite verb forms; a sentence with
// none of them and no word that looks like a finite verb is a fragment.
var (
	finiteDE = wordSet(`ist sind war waren sei seien wäre wären hat haben hatte hatten habe hätte hätten wird werden wurde
		wurden würde würden werde kann können konnte konnten könne könnte muss müssen musste mussten müsse soll sollen
		sollte sollten solle will wollen wollte wollten wolle darf dürfen durfte gibt gab geht ging kommt kam steht stand
		liegt lag sagt sagte sagten heißt hieß bleibt blieb zeigt zeigte macht machte lässt ließ sieht sah gilt galt`)
	finiteEN = wordSet(`is are was were be been has have had will would can could may might must shall should does do
		did says said gets got goes went makes made takes took comes came sees saw knows knew thinks thought wants
		wanted shows showed plans planned expects expected remains remained`)
	// notVerbDE are lower-case words with verb-like endings that are not verbs.
	notVerbDE = wordSet(`nicht mit seit jetzt bereits erst heute gestern morgen meist zuletzt fast oft selbst nebst
		samt trotz etwa bisher derzeit sonst insgesamt zunächst stets zumindest mindestens höchstens denen einen
		keinen meinen deinen seinen ihren unseren euren diesen jenen welchen allen vielen wenigen anderen beiden
		oben unten neben hinten vorne gegen zwischen ohne unter wegen binnen sondern wieder immer außer oder aber
		weder entweder später früher länger weiter eben zuerst hinter über`)
)

// teaserDE is a German indirect question standing alone, as teasers
// write them: "Welche Neuerungen X plant und warum Y kein Problem ist."
var teaserDE = regexp.MustCompile(`^(Welche[nrms]?|Was|Wie|Warum|Weshalb|Wieso|Wer|Wo|Wann|Ob) [^,;:?!]*\p{Ll}+\.$`)

// fragment says why s is not a whole sentence ("" when it is one).
func fragment(s, lg string) string {
	body := strings.TrimLeftFunc(s, func(r rune) bool { return strings.ContainsRune("\"'„“”»«‚‘’([ ", r) })
	r, _ := utf8.DecodeRuneInString(body)
	switch {
	case body == "":
		return "empty sentence"
	case unicode.IsLower(r):
		return "starts lower-case"
	case !unicode.IsLetter(r) && !unicode.IsDigit(r):
		return fmt.Sprintf("starts mid-sentence with %q", r)
	}
	if lg == "de" && teaserDE.MatchString(s) {
		return "a question clause with no main clause"
	}
	words := strings.Fields(s)
	if len(words) < 4 {
		return "fewer than four words"
	}
	if !hasFiniteVerb(words, lg) {
		return "no finite verb"
	}
	return ""
}

func hasFiniteVerb(words []string, _ string) bool {
	for i, w := range words {
		w = trimPunct(w)
		low := strings.ToLower(w)
		if finiteDE[low] || finiteEN[low] || preteriteDE[low] {
			return true
		}
		if i == 0 {
			continue
		}
		prev := strings.ToLower(trimPunct(words[i-1]))
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsLower(r) {
			continue
		}
		if baseEN[low] {
			return true
		}
		// German: a lower-case word with a finite ending ("fordert",
		// "kritisierte", "planen") that no article or preposition before
		// it and no noun after it makes an adjective ("mit ausgeprägten
		// Sternen", "blauen Nebeln").
		nounNext := false
		if i+1 < len(words) {
			n, _ := utf8.DecodeRuneInString(strings.TrimLeft(words[i+1], "(\"„“»"))
			nounNext = unicode.IsUpper(n) && !politeDE[trimPunct(words[i+1])]
		}
		if !notVerbDE[low] && utf8.RuneCountInString(low) > 3 && !participleDE.MatchString(low) && (strings.HasSuffix(low, "t") || strings.HasSuffix(low, "te") || strings.HasSuffix(low, "ten") ||
			strings.HasSuffix(low, "en") || strings.HasSuffix(low, "ern")) && !determinerDE[prev] && !nounNext {
			return true
		}
		// English: a past tense, a third person before its object ("rises
		// to", not "goats and"), or any word after a subject pronoun ("I
		// spun", "we'd buy").
		next := ""
		if i+1 < len(words) {
			next = strings.ToLower(trimPunct(words[i+1]))
		}
		if strings.HasSuffix(low, "ed") || strings.HasSuffix(low, "s") && !strings.HasSuffix(low, "ss") && !strings.HasSuffix(low, "'s") && !strings.HasSuffix(low, "’s") && objectEN[next] ||
			subjectEN[prev] || strings.ContainsAny(prev, "'’") && subjectEN[strings.FieldsFunc(prev, func(r rune) bool { return r == '\'' || r == '’' })[0]] {
			return true
		}
	}
	return false
}

var (
	// preteriteDE are strong verbs' past forms, which no ending gives away.
	preteriteDE = wordSet(`lud fand nahm gab kam ging stand lag sah hielt fiel rief zog trat traf bot bat blieb schrieb stieg
		sprach brachte dachte wusste galt warf wies schlug trug hob fuhr flog starb sank begann gewann verlor lief
		schien schwieg stieß fing hing las aß tat wuchs`)
	// determinerDE are words after which a German "-en"/"-te" word is an
	// adjective or noun, not a verb.
	determinerDE = wordSet(`den dem des ein eine einer einem einen eines im am zum zur vom beim mit in auf an
		für von aus bei nach über unter vor hinter zwischen durch ohne gegen um sehr so zu ihre ihren seine seinen
		unsere diese diesen dieser jede jeden alle allen viele vielen keine keinen`)
	subjectEN = wordSet(`i we you they he she it`)
	// baseEN are frequent verbs in their plain form ("officials say").
	baseEN = wordSet(`say need want plan try seem appear remain expect hope have make take go get come know think look
		use find give tell work call feel keep begin show hear play run move live believe hold bring write stand pay meet
		include lead allow add grow win offer consider buy serve send build stay fall reach face warn argue claim agree
		fear urge vote raise rise continue`)
	objectEN = wordSet(`the a an to that his her its their on in for with up out about it him them us no more as at by from`)
	// politeDE are capitalised pronouns, which follow a verb as often as
	// a noun does ("finden Sie").
	politeDE = wordSet(`Sie Ihr Ihnen Ihre`)
	// participleDE are past participles ("gemacht", "abgeblendet"), which
	// are not finite.
	participleDE = regexp.MustCompile(`^(ab|an|auf|aus|ein|mit|vor|zu|nach|bei|weg|her|hin|zurück|fest|frei)?ge\pL{4,}t$`)
)

// truncated says why s looks cut off ("" when it does not).
func truncated(s string) string {
	t := strings.TrimRightFunc(s, func(r rune) bool { return strings.ContainsRune("\"'“”»«‘’)] ", r) })
	switch {
	case strings.HasSuffix(t, "[…]"), strings.HasSuffix(t, "[...]"):
		return "ends in [...]"
	case strings.HasSuffix(t, "…"), strings.HasSuffix(t, "..."):
		return "ends in an ellipsis"
	case t == "":
		return "empty"
	}
	r, _ := utf8.DecodeLastRuneInString(t)
	if r != '.' && r != '!' && r != '?' {
		return fmt.Sprintf("ends with %q, not a full stop", r)
	}
	return ""
}

// boilerplateRules are page furniture a reader of a newsletter should
// never see. Each matches the lower-cased sentence.
var boilerplateRules = []struct {
	name string
	re   *regexp.Regexp
}{
	{"support appeal", regexp.MustCompile(`unterstütz\w* (sie )?(uns|unsere|unseren|unabhängig)|\buns\b.{0,40}\bunterstütz|spenden? (sie|jetzt)|jetzt spenden|support (us|our (journalism|work|reporting))|donate (now|today|to)|make a donation|become a (member|patron|subscriber)|fördermitglied|patreon`)},
	{"affiliate note", regexp.MustCompile(`provision|affiliate|partnerlink|commission (if|when|from)|earn a commission|\* ?(=|gekennzeichnet)|werbelink`)},
	{"newsletter/subscription", regexp.MustCompile(`newsletter|abonnier|\babo\b|subscribe|sign up|anmelden|registrier|einloggen|log in\b|jetzt lesen|weiterlesen|continue reading`)},
	{"cookie/ads", regexp.MustCompile(`cookie|werbung|anzeige\b|advertisement|sponsored (content|post)|werbeblock|adblock|ad blocker|javascript`)},
	{"photo credit", regexp.MustCompile(`(foto|fotos|bild|image|photo|credit|quelle|source)\s?:|getty|imago|picture alliance|shutterstock|©|\(c\) `)},
	{"cross-link", regexp.MustCompile(`lesen sie (auch|mehr|hier)|mehr zum thema|mehr dazu|auch interessant|das könnte sie|read (more|also)|related (articles|stories|coverage)|you (may|might) also like|see also`)},
	{"share/comment prompt", regexp.MustCompile(`teilen sie|artikel teilen|share (this|on)|(teilen|share) (auf|on) (facebook|twitter|whatsapp|x)|folgen sie uns|follow us|kommentar(e|ieren)|leave a comment|hier klicken|click here`)},
	{"newsletter/account text", regexp.MustCompile(`reply to this (e-?mail|newsletter)|inviting your friends|e-mail von uns|passwort (vergessen|zurück)|(reset|forgot) (your )?password|opens a new window|öffnet (sich )?in einem neuen (fenster|tab)`)},
	{"placeholder text", regexp.MustCompile(`lorem ipsum|sociis natoque|consectetur adipiscing`)},
	{"live-ticker stamp", regexp.MustCompile(`^(update|aktualisierung|nachtrag) (vom|am|from|on) [^:]{0,40}\d{1,2}[:.]\d{2}`)},
	{"legal notice", regexp.MustCompile(`nutzungsbedingungen|bitte beachten sie|terms of (use|service)|privacy policy|datenschutzerklärung|alle rechte vorbehalten|all rights reserved`)},
	{"byline/date", regexp.MustCompile(`^(von|by|stand|aktualisiert|updated|published|veröffentlicht)\b[^.]{0,60}$|^\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}|min(\.|uten)? lesezeit|min read|^\d{1,2}:\d{2}( uhr)?$`)},
}

// boilerplate says which furniture s is ("" when it is none).
func boilerplate(s, _ string) string {
	low := strings.ToLower(s)
	for _, r := range boilerplateRules {
		if r.re.MatchString(low) {
			return r.name
		}
	}
	return ""
}

// withoutSegment returns the ground-truth "without" segment that s
// contains or is contained in.
func withoutSegment(s string, without []string) string {
	ns := normalize(s)
	for _, w := range without {
		nw := normalize(w)
		if len(strings.Fields(nw)) < 3 {
			continue
		}
		if strings.Contains(ns, nw) || strings.Contains(nw, ns) {
			return firstWords(w, 8)
		}
	}
	return ""
}

// normalize lower-cases s and keeps only its words, one space apart.
func normalize(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

func trigrams(norm string) map[string]bool {
	w := strings.Fields(norm)
	m := make(map[string]bool, len(w))
	for i := 0; i+3 <= len(w); i++ {
		m[strings.Join(w[i:i+3], " ")] = true
	}
	return m
}

// coverage is the share of norm's word trigrams found in grams (1 for a
// sentence too short to have one).
func coverage(norm string, grams map[string]bool) float64 {
	w := strings.Fields(norm)
	if len(w) < 3 {
		return 1
	}
	hit := 0
	for i := 0; i+3 <= len(w); i++ {
		if grams[strings.Join(w[i:i+3], " ")] {
			hit++
		}
	}
	return float64(hit) / float64(len(w)-2)
}

// similar reports whether two sentences say (nearly) the same words.
func similar(a, b string) bool {
	na, nb := normalize(a), normalize(b)
	if na == "" || nb == "" {
		return false
	}
	if strings.Contains(na, nb) || strings.Contains(nb, na) {
		return true
	}
	wa, wb := wordSet(na), wordSet(nb)
	inter := 0
	for w := range wa {
		if wb[w] {
			inter++
		}
	}
	union := len(wa) + len(wb) - inter
	return union > 0 && float64(inter)/float64(union) >= 0.7
}

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

func trimPunct(w string) string {
	return strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' })
}

func lastWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) <= n {
		return s
	}
	return "… " + strings.Join(f[len(f)-n:], " ")
}
