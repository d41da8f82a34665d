package extract

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html/atom"
)

// boilerTextRe matches short blocks that are page furniture in English or
// German: share prompts, "read more" boxes, newsletter pitches, ad labels,
// photo credits and copyright lines. Only blocks shorter than
// maxBoilerTextLen are tested, so a sentence of prose that happens to
// contain "newsletter" is kept.
var boilerTextRe = regexp.MustCompile(`(?i)^(advert|advertisement|anzeige|werbung|sponsored|` +
	`this (web)?site uses cookies|diese (web)?seite verwendet cookies|` +
	`(read|lesen sie|see) (more|also|auch|mehr)|weiterlesen|mehr (zum thema|dazu|lesen)|related( articles| stories| coverage)?|` +
	`share( this)?( article| story| on \w+)?|teilen|artikel teilen|follow us|folgen sie uns|` +
	`sign up|subscribe|jetzt abonnieren|abonnieren|newsletter|click here|hier klicken|` +
	`(photo|image|foto|bild|quelle|source|credit|video|grafik)s?\s*:|` +
	`©|\(c\)|copyright|all rights reserved|alle rechte vorbehalten|` +
	`(this|dieser) (article|artikel)|loading|wird geladen|` +
	`(more|mehr) (from|von|news|nachrichten)|top stories|most (read|popular)|meistgelesen|` +
	`we use cookies|wir verwenden cookies|cookie|datenschutz|privacy policy|terms of (use|service)|` +
	`comments?|kommentare?|\d+ comments?|leave a (reply|comment)|` +
	`updated|aktualisiert|published|veröffentlicht|posted|` +
	`listen|anhören|audio|print|drucken|e-?mail|whatsapp|facebook|twitter|linkedin|pinterest|reddit|` +
	`auch interessant|schon gelesen|mehr themen|themen im artikel|beitragsbild|titelbild|bildquelle|` +
	`photograph(ed)? by|credit|quellen? ausblenden|alle angaben ohne gewähr|` +
	`-?\s*anzeige\s*-?|discover (our|more)|don't miss|you may also like|das könnte sie auch interessieren|` +
	`if you enjoyed|stay up-to-date|download (the|our) app|advertising disclosure|` +
	`(this|the) (post|article|page) (contains|may contain)|diskutieren sie mit)` +
	// A word must end where the pattern does; a pattern that ends in
	// punctuation ("Quelle:", "©") is followed by anything.
	`(\b|$|[^\pL\pN_])`)

// promptRe finds subscription and comment prompts anywhere in a short
// block: "If you're already a subscriber, log in", "Jetzt Abonnent werden".
// It is matched against the lower-cased text.
var promptRe = regexp.MustCompile(`(already a subscriber|bereits abonnent|to (view|read|continue reading) the (full|whole|rest of the) (story|article)|` +
	`subscribe (now|today) |jetzt (abonnieren|abonnent werden|registrieren|kostenlos testen)|` +
	`sign up for (our|the) (free |daily |weekly )?newsletter|newsletter (abonnieren|bestellen)|` +
	`hinterlasse (jetzt )?einen kommentar|diskutieren sie mit|if you enjoyed (reading )?this|noch keine bewertungen|nichts mehr (verpassen|versäumen)|` +
	`(this|the) (article|post) (contains|may contain) (affiliate|references)|affiliate links?|` +
	`(requires|needs|enable|activate|aktivieren sie) javascript|javascript (is )?(required|disabled|deaktiviert)|benötigt javascript|enable-javascript|` +
	// newsletter and alert sign-ups, with the messages their forms leave
	`delivered (directly |straight )?to your inbox|meet your inbox|successfully subscribed|subscribing you to|` +
	`turn on (push |browser )?notifications|` +
	// comment moderation notes
	`moderating (all )?comments|comments are moderated|kommentare werden moderiert)`)

const maxPromptLen = 250

// promptGate holds literals one of which every promptRe match contains;
// checking them first spares the regexp on ordinary paragraphs.
var promptGate = []string{"subscri", "abonn", "continue reading", "to view", "to read", "jetzt ", "newsletter", "inbox", "notifications", "moderat",
	"hinterlasse", "diskutieren", "enjoyed", "bewertungen", "nichts mehr", "contain", "affiliate", "javascript"}

// isPromptLower reports whether text, lower-cased as t, is a prompt.
func isPromptLower(text, t string) bool {
	if len(text) >= maxPromptLen {
		return false
	}
	for _, g := range promptGate {
		if strings.Contains(t, g) {
			return promptRe.MatchString(t)
		}
	}
	return false
}

const (
	maxBoilerTextLen = 100
	minDedupLen      = 80 // shorter repeats ("Meal 1", "Portion: 1 cup") are real content
)

// creditRe matches photo-agency credits; a short block naming one without
// ending a sentence is a caption or credit line.
var creditRe = regexp.MustCompile(`(?i)\b(getty ?images|ap photo|reuters|afp|dpa|imago|picture[- ]alliance|shutterstock|istock|bloomberg|epa|keystone|unsplash)\b`)

// creditGate holds a literal of each creditRe alternative, lower-cased;
// checking them first spares the regexp on ordinary short blocks.
var creditGate = []string{"getty", "ap photo", "reuters", "afp", "dpa", "imago", "picture", "shutterstock", "istock",
	"bloomberg", "epa", "keystone", "unsplash"}

func hasCreditWord(text string) bool {
	t := strings.ToLower(text)
	for _, g := range creditGate {
		if strings.Contains(t, g) {
			return true
		}
	}
	return false
}

// isCredit reports whether text is a short credit line such as
// "Natalie Naccache | Bloomberg | Getty Images".
func isCredit(text string) bool {
	if len(text) > 80 || !hasCreditWord(text) || !creditRe.MatchString(text) {
		return false
	}
	t := strings.TrimSpace(text)
	if strings.HasSuffix(t, "]") || strings.HasSuffix(t, ".") {
		return false
	}
	return len(t) <= 40 || strings.ContainsAny(t, "|/©")
}

// creditTailRe and zoomRe find figure captions: a short block that ends
// in a photo credit ("… © CAE", "… (Foto: Getty)") or opens with the label
// of a zoom button ("Vergrößern Das neue Modell …"). Both are matched
// against the lower-cased text.
var (
	creditTailRe = regexp.MustCompile(`(©|\(c\)|\b(fotos?|photos?|bild|bildquelle|credit|image|quelle|source)\s*:)\s*[^.!?:]+\)?\s*$`)
	zoomRe       = regexp.MustCompile(`^(vergrößern|enlarge|zoom( in)?|bild vergrößern|view (larger|full size))\b`)
)

// hasZoomLabel reports whether lower-cased t opens with a word zoomRe
// starts with, so that the regexp runs only on those blocks.
func hasZoomLabel(t string) bool {
	for _, p := range []string{"vergrößern", "enlarge", "zoom", "bild ", "view "} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

// maxCaptionLen bytes: longer blocks ending in a credit are paragraphs
// that quote a source.
const maxCaptionLen = 250

// maxCreditLen bytes: a longer tail after "Quelle:" is a sentence.
const maxCreditLen = 70

// isCaptionLower reports a caption or credit line; t is text lower-cased,
// which the caller has made already.
func isCaptionLower(text, t string) bool {
	if len(text) > maxCaptionLen {
		return false
	}
	if hasZoomLabel(t) && zoomRe.MatchString(t) {
		return true
	}
	// Every creditTailRe match holds "©", "(c)" or a colon.
	if strings.IndexByte(t, ':') < 0 && !strings.Contains(t, "©") && !strings.Contains(t, "(c)") {
		return false
	}
	loc := creditTailRe.FindStringIndex(t)
	return loc != nil && len(t)-loc[0] <= maxCreditLen
}

// isAuthorBio reports whether text is a short biography of one of the
// article's authors ("Jane Doe is a senior writer at …").
func isAuthorBio(text string, authors []string) bool {
	if len(text) > 400 {
		return false
	}
	var names []string
	for _, a := range authors {
		names = append(names, a)
		if f, _, ok := strings.Cut(a, " "); ok {
			names = append(names, f) // "Jake is the co-founder of …"
		}
	}
	for _, a := range names {
		if len(a) < 3 || !strings.HasPrefix(text, a+" ") {
			continue
		}
		rest := strings.TrimSpace(text[len(a):])
		for _, v := range []string{"is ", "was ", "ist ", "war ", "has ", "hat ", "writes ", "schreibt ", "covers ", "is an ", "(@"} {
			if strings.HasPrefix(rest, v) {
				return true
			}
		}
	}
	return false
}

// minHeadlineKey is the shortest heading matched inside <title>, so that a
// short subheading ("Fazit") is not taken for the headline.
const minHeadlineKey = 20

// headline is the longest part of a <title> split at the separators sites
// put between headline and site name ("Headline - Site", "Site | Headline").
func headline(title string) string {
	best := title
	for _, sep := range []string{" | ", " - ", " – ", " — ", " :: ", " · "} {
		if !strings.Contains(title, sep) {
			continue
		}
		best = ""
		for _, part := range strings.Split(title, sep) {
			if len(part) > len(best) {
				best = part
			}
		}
		break
	}
	return best
}

// maxCrumbExtra is how many letters a breadcrumb trail may put before the
// headline.
const maxCrumbExtra = 40

// crumbRe is how a breadcrumb trail looks: it starts at the home page or
// separates its steps with arrows or slashes.
var crumbRe = regexp.MustCompile(`(?i)^(home|start|startseite|front ?page|homepage)\b|[›»>/→|]`)

// isCrumbs reports whether b is a breadcrumb trail that ends in the
// headline ("Home › Climate › <headline>"), as opposed to a sentence or
// subheading that happens to end with the headline's words.
func isCrumbs(b block, key, headKey string) bool {
	if len(headKey) < minHeadlineKey || !strings.HasSuffix(key, headKey) || len(key)-len(headKey) > maxCrumbExtra {
		return false
	}
	t := strings.TrimSpace(b.text)
	if isHeadingAtom(b.kind) || strings.HasSuffix(t, ".") || strings.HasSuffix(t, "!") || strings.HasSuffix(t, "?") {
		return false
	}
	return crumbRe.MatchString(b.text)
}

// filterBlocks drops navigation-like, boilerplate and duplicate blocks.
func filterBlocks(blocks []block, title string, authors []string) []block {
	out := blocks[:0]
	seen := make(map[string]bool, len(blocks))
	normTitle := normKey(title)
	headKey := normKey(headline(title))
	for _, b := range dropDatedTeasers(dropRankedLists(blocks)) {
		n := len(b.text)
		if b.link > 0 {
			share := float64(b.link) / float64(n)
			if share > 0.6 || (share > 0.33 && n < 120 && !isPostSignature(b.text) && !isLinkedSentence(b)) {
				continue
			}
		}
		if n < maxBoilerTextLen && boilerTextRe.MatchString(strings.TrimLeft(b.text, "([{*–—-• ")) {
			continue
		}
		// The tests below lower-case short blocks; do it once.
		lower := ""
		if n <= maxCaptionLen {
			lower = strings.ToLower(b.text)
		}
		if isPromptLower(b.text, lower) {
			continue
		}
		if isDateLine(b.text) || isCredit(b.text) || isCaptionLower(b.text, lower) || isAuthorBio(b.text, authors) ||
			(!isHeadingAtom(b.kind) && isBylineDate(b.text)) || isCounter(b.text) {
			continue
		}
		if urlShare(b.text) > 0.5 {
			continue // image metadata, tracking pixels, raw link dumps
		}
		key := normKey(b.text)
		if key == "" {
			continue
		}
		if isHeadingAtom(b.kind) || b.kind == atom.P {
			if normTitle != "" && key == normTitle {
				continue
			}
		}
		// The page's <h1> is its headline, which belongs in Title, not Text;
		// so is a heading that <title> holds with the site name around it.
		if b.kind == atom.H1 || (isHeadingAtom(b.kind) && len(key) >= minHeadlineKey && strings.Contains(normTitle, key)) {
			continue
		}
		// A breadcrumb trail ends in the headline: "Home Climate <title>".
		if isCrumbs(b, key, headKey) {
			continue
		}
		if seen[key] && n > minDedupLen {
			continue
		}
		seen[key] = true
		out = append(out, b)
	}
	return trimEdges(out)
}

// trimEdges removes leading and trailing blocks that are headings without
// prose after them, short lines without any sentence punctuation (dates,
// bylines, "Updated 3 hours ago"), house notices (notice.go) and, at the
// end, a note about the writer.
func trimEdges(bs []block) []block {
	for len(bs) > 0 && isHeadingAtom(bs[len(bs)-1].kind) {
		bs = bs[:len(bs)-1]
	}
	notices, bio := 0, false
	for len(bs) > 1 {
		last := bs[len(bs)-1]
		switch {
		case isStub(last):
		case isHeadingAtom(last.kind) && (notices > 0 || bio):
			// the heading over a notice we removed ("About the author")
		case notices < maxNotices && isNotice(last):
			notices++
		case !bio && isTrailingBio(last):
			bio = true
		default:
			goto head
		}
		bs = bs[:len(bs)-1]
	}
head:
	notices = 0
	for len(bs) > 1 {
		first := bs[0]
		switch {
		case isStub(first):
		case notices < maxNotices && isNotice(first):
			notices++
		default:
			return bs
		}
		bs = bs[1:]
	}
	if len(bs) == 1 && isStub(bs[0]) {
		return nil
	}
	return bs
}

func isStub(b block) bool {
	if isHeadingAtom(b.kind) {
		return false
	}
	if utf8.RuneCountInString(b.text) >= 40 {
		return false
	}
	return !strings.ContainsAny(b.text, ".!?:;")
}

func isHeadingAtom(a atom.Atom) bool {
	switch a {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

// normKey lower-cases s and keeps only letters and digits, for comparing
// blocks with the title and with each other.
func normKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
				b.WriteByte(c)
			case c >= 'A' && c <= 'Z':
				b.WriteByte(c + 'a' - 'A')
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
		i += size
	}
	return b.String()
}

// minSentenceText bytes of text outside links make a short block that
// ends like a sentence prose with a link in it ("But a new report by
// <a>Stanford's Center on Poverty</a> calls that into question.").
const minSentenceText = 40

func isLinkedSentence(b block) bool {
	if len(b.text)-b.link < minSentenceText {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(strings.TrimSpace(b.text))
	return strings.ContainsRune(".!?\"”", last)
}

// isPostSignature reports whether text signs an embedded social post:
// "— Jane Doe (@jdoe) November 19, 2019", mostly links, but part of the
// quote the article shows.
func isPostSignature(text string) bool {
	return len(text) < 120 && strings.Contains(text, "(@") && yearRe.MatchString(text)
}

// urlShare is the share of text made of http(s) URLs.
func urlShare(text string) float64 {
	if !strings.Contains(text, "http") {
		return 0
	}
	u := 0
	for _, f := range strings.Fields(text) {
		if strings.HasPrefix(f, "http://") || strings.HasPrefix(f, "https://") {
			u += len(f)
		}
	}
	return float64(u) / float64(len(text))
}

var yearRe = regexp.MustCompile(`\b(19|20)\d\d\b`)

// bylineDateRe is how a byline or a publication line opens, or the word
// that marks one ("By Jane Doe - 11/18/19 11:04 PM", "Von Max Muster
// publiziert am 30. Juli 2018", "First Published: Tuesday, …", "New Delhi |
// Updated: 19 November 2019"). It is matched against the lower-cased text.
var bylineDateRe = regexp.MustCompile(`^(by|von|text|texte|текст|por|posted|published|first published|last updated|updated|aktualisiert|veröffentlicht|erstellt|stand)\b|` +
	`\b(updated|published|aktualisiert|veröffentlicht|publiziert|publicado|опубликовано)\b`)

var clockRe = regexp.MustCompile(`\b\d{1,2}[:.]\d\d\b`)

// maxBylineLen bytes: a longer line is a sentence about someone.
const maxBylineLen = 120

// isBylineDate reports whether text is a byline or publication line with
// its date: short, not a sentence, dated, and opening or marked as one.
func isBylineDate(text string) bool {
	t := strings.TrimSpace(text)
	if len(t) > maxBylineLen || (!yearRe.MatchString(t) && !clockRe.MatchString(t)) {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(t)
	if strings.ContainsRune("!?\"”“»", last) || (last == '.' && !strings.HasSuffix(strings.ToLower(t), "m.")) {
		return false
	}
	return bylineDateRe.MatchString(strings.ToLower(t))
}

// counterRe matches the counters of galleries and slideshows ("Image 1 of
// 5", "3 / 12", "Bild 2 von 8").
var counterRe = regexp.MustCompile(`(?i)^(image|photo|picture|slide|bild|foto)?\s*\d{1,3}\s*(of|von|/)\s*\d{1,3}$`)

func isCounter(text string) bool {
	return len(text) < 24 && counterRe.MatchString(strings.TrimSpace(text))
}

// isDateLine reports whether text is a dateline or timestamp on its own
// ("November 20, 2019 - 11:28 AMT", "Mittwoch, 03.04.2020, 05:28 Uhr").
func isDateLine(text string) bool {
	// "— Jane Doe (@jdoe) November 19, 2019" signs an embedded post the
	// article quotes.
	if len(text) > 60 || !yearRe.MatchString(text) || strings.Contains(text, "(@") {
		return false
	}
	words := strings.Fields(text)
	if len(words) > 9 {
		return false
	}
	letters := 0
	for _, r := range text {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	// Mostly digits and separators, or a few words around a year.
	return letters < 30 && !strings.ContainsAny(strings.TrimRight(text, "."), "!?")
}
