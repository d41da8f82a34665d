package extractive

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// junkMarkers are phrases that mark a sentence as page furniture wherever
// they stand: bylines, photo credits, cross-links, copyright lines,
// player and account furniture. Matched case-insensitively as
// substrings, since page furniture is often glued to the word before it
// ("saidOpens a new window").
var junkMarkers = []string{
	"lesen sie auch", "lesen sie mehr", "mehr zum thema", "auch interessant", "zum artikel",
	"foto:", "fotos:", "bild:", "bildquelle", "quelle: dpa", "© ", "copyright 19", "copyright 20",
	"alle rechte vorbehalten", "all rights reserved", "jetzt abonnieren",
	"click here", "read more", "read also", "related:", "related articles", "photo:", "photograph:", "image:",
	"getty images", "scroll down", "video:", "watch:", "advertisement", "share this", "e-mail to a friend",
	"support our journalism",
	// Account, newsletter and player furniture that sits beside short
	// articles (video pages, newsletters published as pages).
	"reply to this email", "reply to this e-mail", "email forwarded to you", "e-mail weitergeleitet", "inviting your friends", "invite your friends",
	"e-mail von uns", "passwort vergessen", "passwort zurücksetzen", "forgot your password", "reset your password",
	"embed-code", "opens a new window", "in einem neuen fenster",
	// Template filler a page was published with.
	"lorem ipsum", "sociis natoque", "consectetur adipiscing",
}

// caseMarkers are furniture only as written, since their case is what
// says the reader is addressed: "Teilen Sie" asks the reader, "teilen
// sie" is "they share"; "follow us" is a prompt, "follow US export
// controls" is news.
var caseMarkers = []string{
	"Folgen Sie uns", "Teilen Sie", "Klicken Sie", "Unterstützen Sie uns", "Follow us", "follow us",
}

// readerMarkers name things news is also written about (subscriptions,
// advertising, copyright, cookies): a sentence with one is furniture only
// when it addresses the reader (see addressesReader) or opens with it as
// an order ("Subscribe to …", "Abonnieren Sie …").
var readerMarkers = []string{
	"newsletter", "abonnieren", "subscribe", "sign up", "cookie", "cookies", "javascript", "anzeige", "werbung",
	"copyright", "werbeblocker", "adblocker", "ad blocker", "nutzungsbedingungen",
	// Push-notification prompts ("Erlauben Sie … Ihnen Benachrichtigungen
	// zu schicken", "Wir halten Sie … auf dem Laufenden").
	"benachrichtigungen", "notifications", "auf dem laufenden", "browser", "browsers",
}

// readerWords are the words that address the reader or speak for the
// site, as written (German "Sie" and "Ihr…" capitalised).
var readerWords = map[string]bool{
	"you": true, "your": true, "yours": true, "our": true, "us": true, "we": true,
	"Sie": true, "Ihnen": true, "Ihr": true, "Ihre": true, "Ihren": true, "Ihrem": true, "Ihrer": true,
	"uns": true, "unser": true, "unsere": true, "unseren": true, "unserem": true, "unserer": true,
	"du": true, "dich": true, "dir": true, "dein": true, "deine": true, "deinen": true, "euch": true,
	"wir": true, "Wir": true, "We": true, "You": true, "Your": true, "Our": true, "Du": true,
}

// appeals are word and phrase pairs that together mark a site asking for
// support in its own voice ("Die einfachste Art, uns … zu unterstützen", "help us
// keep"), which no single marker catches without also catching news
// about support ("Die USA unterstützen die Ukraine").
var appeals = [][2]string{{"uns", "unterstütz"}, {"us", "help us"}, {"us", "support us"}}

// teaserWords open an indirect question. A German sentence that opens
// with one and has no comma is a teaser's clause with no main clause
// ("Welche Neuerungen X plant und warum Y kein Problem ist."); an English
// one needs the teaser's "and why"/"and how" to tell it from a sentence
// ("What happened next surprised everyone.").
var (
	teaserDE     = []string{"welche", "welcher", "welches", "welchen", "was", "wie", "warum", "weshalb", "wieso", "wer", "wo", "wann", "ob"}
	teaserEN     = []string{"what", "how", "why", "which", "where", "when", "whether", "who"}
	teaserJoinEN = []string{" and why ", " and how ", " and what ", " and where ", " and whether ", " and who "}
)

// junkPrefixes mark bylines and datelines when they open the sentence.
var junkPrefixes = []string{
	"von ", "by ", "updated ", "aktualisiert ", "published ", "veröffentlicht ", "stand: ",
}

// isJunk reports whether a sentence is page furniture. words is its word
// count; markers false says the sentence has none of the markers' first
// words, so the substring search can be skipped.
func isJunk(s string, words int, markers bool) bool {
	low := ""
	if markers {
		low = strings.ToLower(s)
		for _, m := range junkMarkers {
			if strings.Contains(low, m) {
				return true
			}
		}
		// "(c) 2025 …", not "Section 5(c) of the rule".
		if hasPhrase(low, "(c) ") {
			return true
		}
		for _, m := range caseMarkers {
			if hasPhrase(s, m) {
				return true
			}
		}
		for _, m := range readerMarkers {
			if hasPhrase(low, m) && (addressesReader(s) || strings.HasPrefix(low, m)) {
				return true
			}
		}
		for _, a := range appeals {
			// The cue word as written: "us", not "US".
			if hasPhrase(s, a[0]) && strings.Contains(low, a[1]) && !quoted(s) {
				return true
			}
		}
	}
	if isTeaser(s) || hasEmailAddress(s) {
		return true
	}
	// A byline is short: "Von Anna Muster, Berlin", "By John Smith, CNN".
	if words <= 8 {
		if low == "" {
			low = strings.ToLower(s)
		}
		for _, p := range junkPrefixes {
			if strings.HasPrefix(low, p) {
				return true
			}
		}
	}
	return false
}

// addressesReader reports whether s speaks to the reader or for the site
// ("Wir verwenden Cookies, um Ihnen …", "Sign up for our newsletter"). A
// sentence with quotation marks is someone quoted ("„Werbung ist für uns
// kein Thema“, sagte …"), not the site.
func addressesReader(s string) bool {
	if quoted(s) {
		return false
	}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if readerWords[w] {
			return true
		}
	}
	return false
}

func quoted(s string) bool { return strings.ContainsAny(s, "\"„“”«»") }

// hasPhrase reports whether s holds phrase p not inside a longer word:
// the byte before it is not a letter or digit, nor the byte after it
// when p ends in one ("cookie" is not in "cookies", "foto:" is in
// "Foto:Reuters").
func hasPhrase(s, p string) bool {
	for i := 0; ; {
		k := strings.Index(s[i:], p)
		if k < 0 {
			return false
		}
		k += i
		end := k + len(p)
		if (k == 0 || !isWordByte(lowerByte(s[k-1]))) && (!isWordByte(lowerByte(p[len(p)-1])) || end == len(s) || !isWordByte(lowerByte(s[end]))) {
			return true
		}
		i = k + 1
	}
}

func lowerByte(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isWordByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80 }

// cutOff reports whether sentence s of text stops on "..." or "…" at the
// end of its paragraph: a teaser cut off where the page links to the rest
// ("Mit dabei: der Personalchef des …"). An ellipsis inside a paragraph is
// a pause with more to come, and a quote that trails off („Wir werden
// sehen …“) ends on its closing mark; both are kept.
func cutOff(s, text string) bool {
	if !strings.HasSuffix(s, "…") && !strings.HasSuffix(s, "...") {
		return false
	}
	// The sentence's last words, as they stand in text (Sentences only
	// collapses white space, and the tail of a sentence rarely has a run
	// of it).
	tail := s[lastWordStart(s):]
	if k := strings.LastIndexByte(s[:len(s)-len(tail)], ' '); k >= 0 {
		tail = s[k+1:]
	}
	for i := 0; ; {
		k := strings.Index(text[i:], tail)
		if k < 0 {
			return false
		}
		end := i + k + len(tail)
		rest := strings.TrimLeft(text[end:], " \t")
		if rest == "" || rest[0] == '\n' || rest[0] == '\r' {
			return true
		}
		i = end
	}
}

// isTeaser reports whether s is an indirect question standing alone as a
// sentence (see teaserDE).
func isTeaser(s string) bool {
	// A comma, a dash or a colon may set off a main clause ("Wie X
	// plant, erklärt Y"); a question mark inside is a quoted question.
	if !strings.HasSuffix(s, ".") || strings.ContainsAny(s, ",;:?!–—") || strings.Contains(s, " - ") {
		return false
	}
	w := strings.TrimLeft(firstWord(s), "\"„“»'")
	if r, _ := utf8.DecodeRuneInString(w); !unicode.IsUpper(r) {
		return false
	}
	first := strings.ToLower(w)
	if slices.Contains(teaserDE, first) {
		return verbFinalDE(s, first)
	}
	if slices.Contains(teaserEN, first) {
		for _, j := range teaserJoinEN {
			if strings.Contains(s, j) {
				return true
			}
		}
	}
	return false
}

// verbFinalDE reports whether a German sentence opening with the
// question word first reads as a subordinate clause, whose finite verb
// comes last ("… umbauen will."), rather than a main clause that a
// comparison opens ("Wie die meisten Monarchen schröpften sie ihre
// Untertanen.", "Wie erwartet hob die Notenbank die Zinsen an."): the
// last word is in lower case (German nouns are capitalised) and "wie" is
// not followed by a participle ("wie erwartet", "wie berichtet").
func verbFinalDE(s, first string) bool {
	f := strings.Fields(strings.TrimRight(s, ".\"“”»«'"))
	if len(f) < 3 {
		return false
	}
	last := strings.Trim(f[len(f)-1], "\"„“”»«'()")
	if r, _ := utf8.DecodeRuneInString(last); !unicode.IsLower(r) {
		return false
	}
	if first == "wie" {
		second := f[1]
		if r, _ := utf8.DecodeRuneInString(second); unicode.IsLower(r) && (strings.HasSuffix(second, "t") || strings.HasSuffix(second, "en")) && !slices.Contains(teaserDE, second) {
			return false // "Wie erwartet …", "Wie angekündigt …", "Wie geplant …"
		}
	}
	return true
}

// hasEmailAddress reports whether s holds an e-mail address ("Email my
// colleagues at jane@example.com"): a contact line, which a digest does
// not repeat.
func hasEmailAddress(s string) bool {
	for i := strings.IndexByte(s, '@'); i >= 0; {
		if i > 0 && !unicode.IsSpace(rune(s[i-1])) {
			domain, _, _ := strings.Cut(s[i+1:], " ")
			domain = strings.TrimRight(domain, ".,;:)\"'»“”")
			if k := strings.LastIndexByte(domain, '.'); k > 0 && k < len(domain)-1 {
				return true
			}
		}
		j := strings.IndexByte(s[i+1:], '@')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}
