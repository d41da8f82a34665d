package render

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/internal/news"
)

// Named limits for what one digest may put on a page. A digest that exceeds
// them is cut, not refused: the reader still gets the edition.
const (
	DefaultMaxStories      = 50
	DefaultMaxSources      = 20
	DefaultMaxTitleRunes   = 300
	DefaultMaxSummaryRunes = 6000
	DefaultMaxNotes        = 10
)

// Limits caps what is rendered from one digest.
type Limits struct {
	MaxStories      int `yaml:"max_stories"`
	MaxSources      int `yaml:"max_sources"`
	MaxTitleRunes   int `yaml:"max_title_runes"`
	MaxSummaryRunes int `yaml:"max_summary_runes"`
	MaxNotes        int `yaml:"max_notes"`
}

// Defaults fills zero fields from the Default… constants.
func (l *Limits) Defaults() {
	def := func(p *int, v int) {
		if *p <= 0 {
			*p = v
		}
	}
	def(&l.MaxStories, DefaultMaxStories)
	def(&l.MaxSources, DefaultMaxSources)
	def(&l.MaxTitleRunes, DefaultMaxTitleRunes)
	def(&l.MaxSummaryRunes, DefaultMaxSummaryRunes)
	def(&l.MaxNotes, DefaultMaxNotes)
}

// View is a digest cleaned for display: every string is plain text free of
// control characters, every URL is "" or a safe http(s) URL.
type View struct {
	ID        string
	Edition   string
	Date      string
	Slot      string // "19:00" for an edition with several slots a day, else ""
	Language  string
	Title     string
	Overview  []string
	Stories   []Story
	Notes     []string
	Generator string
	CreatedAt time.Time
	Labels    Labels
}

// Story is one story of a View.
type Story struct {
	Headline string
	Update   bool
	// Lang is the language tag of a story told in another language than
	// the digest's (for the lang attribute), and Label says so to the
	// reader ("Englischsprachige Quelle"); both empty otherwise.
	Lang, Label string
	Paragraphs  [][]Segment
	// Sources are the numbered sources the text cites; Also are the
	// story's other sources, which it does not cite (listed unnumbered,
	// so no "[2]" stands under a text that never says [2]). A story
	// without text lists every source under Sources.
	Sources []Source
	Also    []Source
}

// Segment is a run of summary text, or (Cite > 0) one citation marker that
// links to URL when URL is not empty.
type Segment struct {
	Text string
	Cite int
	URL  string
}

// Source is one numbered source of a story.
type Source struct {
	N      int
	Outlet string
	Title  string
	URL    string
	// Lang is the language tag of a source title in another language
	// than the page's, for screen readers and hyphenation; "" otherwise.
	Lang string
}

// citeRE matches "[1]" and "[1, 3]" / "[1;3]" citation groups.
var citeRE = regexp.MustCompile(`\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]`)

// Build cleans d into a View under lim (lim must be defaulted), with the
// labels of l, the language to show it in (the caller picks a registered
// language for a digest whose own language is not).
func Build(d news.Digest, lim Limits, l *lang.Language) View {
	v := View{
		ID:        CleanText(d.ID, lim.MaxTitleRunes),
		Edition:   CleanText(d.Edition, 64),
		Date:      CleanText(d.Date, 32),
		Slot:      CleanText(d.Slot, 8),
		Language:  LangTag(d.Language),
		Title:     CleanText(Title(d, l), lim.MaxTitleRunes),
		Overview:  Paragraphs(d.Overview, lim.MaxSummaryRunes),
		Generator: CleanText(GeneratorText(d.Generator, l), 200),
		CreatedAt: d.CreatedAt,
	}
	v.Labels = LabelsFor(l)
	for i, n := range d.Notes {
		if i >= lim.MaxNotes {
			break
		}
		if c := CleanText(n, lim.MaxTitleRunes); c != "" {
			v.Notes = append(v.Notes, c)
		}
	}
	for i, s := range d.Stories {
		if i >= lim.MaxStories {
			break
		}
		st := buildStory(s, lim, v.Language)
		if code := LangTag(s.TextLanguage(d.Language)); code != v.Language {
			// The reader's catalog names the other language ("label.
			// source_language@en"), or says "another language" with its
			// code.
			st.Lang = code
			st.Label = CleanText(l.Catalog().TFor("label.source_language", code, "language", strings.ToUpper(code)), 100)
		}
		v.Stories = append(v.Stories, st)
	}
	return v
}

// MaxLeadRunes caps the lead story's headline in an edition's title.
const MaxLeadRunes = 80

// Title is what readers see a digest as in mail subjects, feed items,
// page titles and archive lists: the edition's name (its title up to a
// colon, as in "KI-Wettlauf China–USA: Nachrichtenüberblick"), the date
// in l's words with the slot of an edition that runs several times a day,
// and the headline of the first story told in the digest's language ("KI-
// Wettlauf China–USA, 6. Dezember: USA verschärfen Exportkontrollen …";
// none when every story comes from another language). The result is
// cleaned plain text.
func Title(d news.Digest, l *lang.Language) string {
	name := CleanText(d.Title, DefaultMaxTitleRunes)
	if i := strings.IndexByte(name, ':'); i > 0 {
		name = strings.TrimSpace(name[:i])
	}
	if name == "" {
		name = l.T("label.digest")
	}
	date := CleanText(d.Date, 32)
	if t, err := time.Parse(time.DateOnly, d.Date); err == nil {
		date = l.Catalog().DayMonth(t)
	}
	if slot := CleanText(d.Slot, 8); slot != "" {
		// Each slot is an edition of its own: mail subjects, feed items
		// and pages must tell them apart.
		date = l.T("title.date_slot", "date", date, "slot", slot)
	}
	// The lead is the first story told in the reader's language: a
	// German subject line does not carry an English headline.
	lead := ""
	for _, st := range d.Stories {
		if st.TextLanguage(d.Language) == d.Language {
			// "…, 6. Dezember: USA verschärfen Exportkontrollen: Aus für
			// …" would nest colons; the headline's own becomes a dash.
			lead = CleanText(strings.ReplaceAll(st.Headline, ": ", " – "), MaxLeadRunes)
			break
		}
	}
	if lead == "" {
		return CleanText(l.T("title.edition_no_lead", "name", name, "date", date), 0)
	}
	return CleanText(l.T("title.edition", "name", name, "date", date, "lead", lead), 0)
}

// buildStory cleans s; pageLang is the page's language tag, which a
// source title in another language is marked against.
func buildStory(s news.Story, lim Limits, pageLang string) Story {
	st := Story{Headline: CleanText(s.Headline, lim.MaxTitleRunes), Update: s.Update}
	for i, src := range s.Sources {
		if i >= lim.MaxSources {
			break
		}
		out := Source{
			N:      i + 1,
			Outlet: CleanText(src.Outlet, 100),
			Title:  CleanText(src.Title, lim.MaxTitleRunes),
			URL:    SafeURL(src.URL),
		}
		if src.Language != "" && LangTag(src.Language) != pageLang {
			out.Lang = LangTag(src.Language)
		}
		st.Sources = append(st.Sources, out)
	}
	for _, p := range Paragraphs(s.Summary, lim.MaxSummaryRunes) {
		st.Paragraphs = append(st.Paragraphs, segments(p, st.Sources))
	}
	if len(st.Paragraphs) > 0 {
		splitUncited(&st)
	}
	return st
}

// splitUncited moves the sources no citation names to st.Also and
// numbers the cited ones 1…k in their order, rewriting the citations to
// match.
func splitUncited(st *Story) {
	renum := make([]int, len(st.Sources)+1)
	for _, p := range st.Paragraphs {
		for _, seg := range p {
			if seg.Cite > 0 {
				renum[seg.Cite] = 1
			}
		}
	}
	var cited []Source
	for i, src := range st.Sources {
		if renum[i+1] == 0 {
			src.N = 0
			st.Also = append(st.Also, src)
			continue
		}
		src.N = len(cited) + 1
		renum[i+1] = src.N
		cited = append(cited, src)
	}
	st.Sources = cited
	for _, p := range st.Paragraphs {
		for j := range p {
			if p[j].Cite > 0 {
				p[j].Cite = renum[p[j].Cite]
			}
		}
	}
}

// segments splits a cleaned paragraph into text and citation markers. A
// citation to a source that does not exist stays literal text, so a
// hallucinated [7] is visible rather than silently dropped.
func segments(p string, sources []Source) []Segment {
	var out []Segment
	last := 0
	for _, m := range citeRE.FindAllStringSubmatchIndex(p, -1) {
		nums := strings.FieldsFunc(p[m[2]:m[3]], func(r rune) bool { return r == ',' || r == ';' || r == ' ' })
		var cites []Segment
		for _, f := range nums {
			n, err := strconv.Atoi(f)
			if err != nil || n < 1 || n > len(sources) {
				cites = nil
				break
			}
			cites = append(cites, Segment{Cite: n, URL: sources[n-1].URL})
		}
		if cites == nil {
			continue
		}
		if m[0] > last {
			out = append(out, Segment{Text: p[last:m[0]]})
		}
		out = append(out, cites...)
		last = m[1]
	}
	if last < len(p) {
		out = append(out, Segment{Text: p[last:]})
	}
	return out
}

// LangTag reduces an untrusted language code to a safe BCP 47-ish tag
// ("de", "en", "pt-br"); anything else becomes "und".
func LangTag(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || len(s) > 12 {
		return "und"
	}
	for i, r := range s {
		if !(r >= 'a' && r <= 'z') && !(r == '-' && i > 0) {
			return "und"
		}
	}
	return s
}
