package extract

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// paywallPage is an article page: header, teaser paragraphs, then after
// (the box, or whatever the case puts there), then a footer.
func paywallPage(lang, ld, teaser, after string) []byte {
	return []byte(`<!doctype html><html lang="` + lang + `"><head><title>Night buses for the north - Example Times</title>` + ld + `</head>
<body><nav><a href="/">Home</a> <a href="/local">Local</a></nav>
<main><article><h1>Night buses for the north</h1><div class="article-body">` + teaser + `</div>` + after + `</article></main>
<footer><p>© Example Times. <a href="/subscribe">Subscribe to continue reading the Example Times every day</a></p></footer></body></html>`)
}

func paragraphs(texts ...string) string {
	var b strings.Builder
	for _, t := range texts {
		b.WriteString("<p>" + t + "</p>")
	}
	return b.String()
}

func TestPaywallInPage(t *testing.T) {
	teaser := paragraphs(story[0], story[1])
	var long []string
	for i := 0; i < 5; i++ {
		for _, p := range story {
			long = append(long, fmt.Sprintf("%s (Part %d.)", p, i+1))
		}
	}
	full := paragraphs(long...)
	const hiddenRest = "The second half of the plan, published on Wednesday, moves the depot to the harbour and adds forty drivers to the night roster from April, the transport office said."
	tests := []struct {
		name, lang, ld, teaser, after string
		paywalled, truncated          bool
	}{
		{"subscribe box after the teaser", "en", "", teaser,
			`<div class="wsj-like-login"><span class="label">To read the full story</span><div class="actions"><a href="/subscribe">Subscribe</a> <a href="/login">Sign in</a></div></div>`, true, true},
		{"paywall container by its class", "en", "", teaser,
			`<div class="c-paywall"><p>Become a member.</p><a href="/join">Join</a></div>`, true, true},
		{"German plus box", "de", "", teaser,
			`<section class="offer"><p>Jetzt weiterlesen mit Example+</p><a href="/abo">Abo abschließen</a> <a href="/login">Anmelden</a></section>`, true, true},
		{"German registration wall", "de", "", teaser,
			`<div class="regwall"><p>Kostenlos registrieren und weiterlesen</p><a href="/register">Registrieren</a></div>`, true, true},
		{"the whole article with a newsletter box after it", "en", "", full,
			`<div class="newsletter"><p>Get the best of Example Times in your inbox every morning.</p><a href="/nl">Sign up</a></div>`, false, false},
		{"an empty paywall placeholder a script fills", "en", "", full, `<div id="paywall"></div>`, false, false},
		{"a locked teaser card for another story", "en", "", full,
			`<div class="teaser regwalled"><a href="/other">Trams for the south: the council's plan for the next decade of transport</a></div>`, false, false},
		{"a subscriber label on a related story", "en", "", full,
			`<ul class="related"><li><span>Subscriber only</span> <a href="/other">Trams for the south: the council's plan</a></li></ul>`, false, false},
		{"the full text hidden in a paywall container", "de",
			`<script type="application/ld+json">{"@type":"NewsArticle","isAccessibleForFree":false,"hasPart":{"@type":"WebPageElement","isAccessibleForFree":false,"cssSelector":".paywall-full"}}</script>`,
			teaser, `<div class="paywall-full" style="display:none"><p>` + hiddenRest + `</p>` + paragraphs(long...) + `</div>`, true, false},
		{"structured data alone says paywalled, the text is whole", "en",
			`<script type="application/ld+json">{"@type":"NewsArticle","isAccessibleForFree":false}</script>`, full, "", true, false},
	}
	ex := newExtractor(t, Options{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := ex.Extract(paywallPage(tc.lang, tc.ld, tc.teaser, tc.after), mustURL(t, "https://news.example/local/night-buses"), "text/html")
			if err != nil {
				t.Fatal(err)
			}
			if res.Paywalled != tc.paywalled || res.Truncated != tc.truncated {
				t.Errorf("paywalled=%v truncated=%v, want %v %v", res.Paywalled, res.Truncated, tc.paywalled, tc.truncated)
			}
			if !strings.Contains(res.Text, story[1]) {
				t.Errorf("lost the teaser:\n%s", res.Text)
			}
			for _, w := range []string{"Subscribe", "weiterlesen", "registrieren", "Become a member"} {
				if strings.Contains(res.Text, w) {
					t.Errorf("text holds the paywall prompt %q:\n%s", w, res.Text)
				}
			}
			if strings.Contains(tc.after, hiddenRest) && !strings.Contains(res.Text, hiddenRest) {
				t.Errorf("lost the hidden full text:\n%s", res.Text)
			}
		})
	}
}

// FuzzPaywallGate checks that every text paywallPromptRe matches holds one
// of the gate literals that let it be tried.
func FuzzPaywallGate(f *testing.F) {
	for _, s := range []string{"To read the full story", "Subscribe now to continue", "This article is for subscribers",
		"Subscribers only", "Jetzt weiterlesen mit X+", "Nur für Abonnenten", "Artikel freischalten",
		"Kostenlos registrieren und weiterlesen", "Registrieren Sie sich, um den Artikel zu lesen", "Unlock this article",
		"reserved for our members", "to keep reading the rest of the story"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lower := strings.ToLower(s)
		if !paywallPromptRe.MatchString(lower) {
			return
		}
		for _, g := range paywallGate {
			if strings.Contains(lower, g) {
				return
			}
		}
		t.Errorf("%q matches paywallPromptRe but holds no gate literal", s)
	})
}

// TestPaywallPromptSpacing: the gate check sees the words of a prompt
// however the markup breaks and spaces them.
func TestPaywallPromptSpacing(t *testing.T) {
	for _, frag := range []string{
		"<div>To continue\n\t  reading, subscribe.</div>",
		"<div><span>Jetzt</span> <b>weiterlesen</b>\nmit Example+</div>",
		"<div><p>Already a reader?</p><p>Unlock this article</p></div>",
	} {
		nodes, err := html.ParseFragment(strings.NewReader(frag), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
		if err != nil || len(nodes) == 0 {
			t.Fatal(err)
		}
		var buf []byte
		if !isPaywallPrompt(nodes[0], &buf) {
			t.Errorf("%q is not read as a paywall prompt (gate text %q)", frag, buf)
		}
	}
}
