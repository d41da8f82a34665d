package render

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// wrapWidth keeps plain-text lines under the 78-column SHOULD of RFC 5322.
const wrapWidth = 76

// EmailText renders the text/plain part of a digest email. Citations stay
// as [n] and refer to the numbered source list printed under each story.
func EmailText(v View, l MailLinks) string {
	var b strings.Builder
	line := func(s string) { b.WriteString(s); b.WriteByte('\n') }
	para := func(s string) { wrap(&b, s, wrapWidth); b.WriteByte('\n') }
	source := func(src Source, mark string) {
		t := mark + src.Title
		if src.Outlet != "" {
			t += " — " + src.Outlet
		}
		wrapIndent(&b, t, wrapWidth, sourceIndent)
		if src.URL != "" {
			line(sourceIndent + src.URL)
		}
	}

	line(v.Title)
	line(strings.Repeat("=", min(utf8.RuneCountInString(v.Title), wrapWidth)))
	b.WriteByte('\n')
	if u := SafeURL(l.ArchiveURL); u != "" {
		line(v.Labels.Archive + ": " + u)
		b.WriteByte('\n')
	}
	for _, p := range v.Overview {
		para(p)
	}
	for _, s := range v.Stories {
		h := s.Headline
		if s.Update {
			h = v.Labels.Update + ": " + h
		}
		line(h)
		line(strings.Repeat("-", min(utf8.RuneCountInString(h), wrapWidth)))
		if s.Label != "" {
			line("(" + s.Label + ")")
			if len(s.Paragraphs) == 0 {
				b.WriteByte('\n')
			}
		}
		for _, p := range s.Paragraphs {
			para(segmentsText(p))
		}
		if len(s.Sources) > 0 {
			line(v.Labels.Sources + ":")
			for _, src := range s.Sources {
				source(src, "["+strconv.Itoa(src.N)+"] ")
			}
			b.WriteByte('\n')
		}
		if len(s.Also) > 0 {
			line(v.Labels.Also + ":")
			for _, src := range s.Also {
				source(src, "- ")
			}
			b.WriteByte('\n')
		}
	}
	if len(v.Notes) > 0 {
		para(v.Labels.Notes + ": " + strings.Join(v.Notes, " · "))
	}
	line("-- ")
	para(v.Labels.UnsubHint)
	line(SafeURL(l.UnsubscribeURL))
	for _, lk := range safeLinks(l.Legal) {
		line(lk.Label + ": " + lk.URL)
	}
	return b.String()
}

func segmentsText(segs []Segment) string {
	var b strings.Builder
	for _, s := range segs {
		if s.Cite > 0 {
			b.WriteString("[" + strconv.Itoa(s.Cite) + "]")
			continue
		}
		b.WriteString(s.Text)
	}
	return b.String()
}

// sourceIndent starts the lines of a source entry after its first: the
// rest of its title and its URL stand under the title, not under "[1]".
const sourceIndent = "    "

// wrap writes s word-wrapped at width columns; words longer than width
// (URLs) get a line of their own rather than being broken.
func wrap(b *strings.Builder, s string, width int) { wrapIndent(b, s, width, "") }

// wrapIndent is wrap with every line after the first starting with indent.
func wrapIndent(b *strings.Builder, s string, width int, indent string) {
	col, start := 0, 0
	for _, w := range strings.Fields(s) {
		n := utf8.RuneCountInString(w)
		if col > start && col+1+n > width {
			b.WriteByte('\n')
			b.WriteString(indent)
			col = utf8.RuneCountInString(indent)
			start = col
		}
		if col > start {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += n
	}
	b.WriteByte('\n')
}
