package extract

import (
	"strings"
	"testing"
	"unicode"
)

// TestFilterBlocksFurniture feeds one furniture line between two story
// paragraphs and checks filterBlocks drops it and keeps the story.
func TestFilterBlocksFurniture(t *testing.T) {
	tests := []struct {
		name, text string
		drop       bool
	}{
		{"source label", "Quelle: Landesregierung", true},
		{"copyright sign", "© Example Verlag", true},
		{"bracketed disclaimer", "(Alle Angaben ohne Gewähr)", true},
		{"bracketed credit", "(Credit: Jane Example / Example Agency)", true},
		{"caption ending in a copyright credit", "Die Example GmbH bildet künftig Pilotinnen in Bremen aus. © Example", true},
		{"caption ending in a bracketed photo credit", "Golf im TV: Die Übertragungszeiten im Überblick. (Foto: Example Agency)", true},
		{"caption behind a zoom button label", "Vergrößern Eine kleine runde Aussparung für die Kamera im Display.", true},
		{"paragraph quoting a source with a colon stays", "The figures come from the statistics office. Its source: a survey of 40,000 households, repeated every spring since 2010 in all sixteen states, with the same questions each year so that trends can be compared.", false},
		{"breadcrumb trail ending in the headline", "Home › Local › Night buses for the north", true},
		{"breadcrumb trail from the start page", "Start Lokales Night buses for the north", true},
		{"sentence naming the headline stays", "Here are the plans for night buses for the north.", false},
		{"sentence that ends on the headline's words stays", "Residents have long asked the council to consider what the transport office now calls night buses for the north.", false},
		{"javascript notice", "Sorry, but your browser needs Javascript to use this site.", true},
		{"slideshow javascript notice", "This slideshow requires JavaScript.", true},
		{"prose about javascript stays", "The new loader needs only a few lines of JavaScript, which the team published on Monday.", false},
		{"short sentence about a source stays", "Quellen im Ministerium bestätigten das.", false},
		{"newsletters as a word inside prose stays", "Newsletters were how the campaign reached older voters, organisers said.", false},
		{"byline with its date", "By Jane Example - 11/18/19 11:04 PM EST", true},
		{"byline with its date de", "Von Max Muster publiziert am 30. Juli 2018", true},
		{"publication line", "First Published: Tuesday, November 19, 2019 08:38 AM", true},
		{"place and update time", "New Delhi, Example Bureau | Updated : 19 November 2019, 09:01 AM", true},
		{"a sentence opening with By and a year stays", "By 2030 the city wants every bus in the northern districts to run on electricity.", false},
		{"gallery counter", "Image 2 of 5", true},
		{"slide counter", "3 / 12", true},
		{"newsletter delivery pitch", "Get the day’s top headlines delivered to your inbox every morning by subscribing to our newsletter.", true},
		{"form confirmation", "You have been successfully subscribed!", true},
		{"notification prompt", "GET BREAKING NEWS IN YOUR BROWSER. CLICK HERE TO TURN ON NOTIFICATIONS.", true},
		{"comment moderation note", "Note: we are temporarily moderating all comments submitted to deal with a surge in spam.", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := paras(story[0], tc.text, story[1])
			got := filterBlocks(in, "Night buses for the north - Example Times", nil)
			var all []string
			for _, b := range got {
				all = append(all, b.text)
			}
			joined := strings.Join(all, "\n")
			if !strings.Contains(joined, story[0]) || !strings.Contains(joined, story[1]) {
				t.Fatalf("lost the story: %q", joined)
			}
			if kept := strings.Contains(joined, tc.text); kept == tc.drop {
				t.Errorf("%q kept=%v, want drop=%v", tc.text, kept, tc.drop)
			}
		})
	}
}

// refNormKey is normKey as first written, rune by rune; the ASCII fast path
// must agree with it.
func refNormKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func FuzzNormKey(f *testing.F) {
	for _, s := range []string{"Hello, World 2024!", "Ärger über Öl", "ABC Ü x", "İstanbul", "\xff\xfeA", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := normKey(s), refNormKey(s); got != want {
			t.Errorf("normKey(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestFilterBlocksLinks checks the link-share rule: short blocks that are
// mostly link text go, unless they are a sentence with a link in it or the
// signature of a quoted post.
func TestFilterBlocksLinks(t *testing.T) {
	tests := []struct {
		name, text string
		link       int
		drop       bool
	}{
		{"related link", "Related: Night buses for the east", 30, true},
		{"a link list line", "Local · Transport · Council · Opinion", 30, true},
		{"a sentence with a long link stays", "But a new report released on Monday by the Example University Center on Transport calls that into question.", 54, false},
		{"the signature of an embedded post stays", "— Example Council (@ExampleCouncil) November 20, 2019", 17, false},
		{"a mostly-link sentence still goes", "Read the full report on the Example University website.", 50, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := paras(story[0], tc.text, story[1])
			in[1].link = tc.link
			var kept bool
			for _, b := range filterBlocks(in, "Night buses for the north - Example Times", nil) {
				if b.text == tc.text {
					kept = true
				}
			}
			if kept == tc.drop {
				t.Errorf("%q kept=%v, want drop=%v", tc.text, kept, tc.drop)
			}
		})
	}
}
