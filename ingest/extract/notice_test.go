package extract

import (
	"strings"
	"testing"

	"golang.org/x/net/html/atom"
)

// story is a few paragraphs of plain reporting, long enough to be kept.
var story = []string{
	"The city council voted on Tuesday to extend the night bus service to the northern districts, after months of complaints from shift workers.",
	"The extension will cost about two million euros a year and starts in March, the transport office said in a statement.",
	"Opposition members argued the money would be better spent on the tram line, which has been delayed since 2019.",
}

func paras(texts ...string) []block {
	var bs []block
	for _, t := range texts {
		bs = append(bs, block{kind: atom.P, text: t})
	}
	return bs
}

func TestTrimEdgesNotices(t *testing.T) {
	tests := []struct {
		name          string
		before, after []string
		want          []string // texts expected to survive beyond the story
	}{
		{name: "reprint terms", after: []string{"© 2024, Example Times. This article is the copyrighted property of Example Times. Written permission must be obtained before reprint in online or print media."}},
		{name: "app pitch", after: []string{"For the latest stories and breaking news updates download the Example News apps for iOS and Android."}},
		{name: "app pitch 2", after: []string{"Get the latest news straight to your phone with the Example Daily app."}},
		{name: "social follow", after: []string{"Follow The Example Herald on Twitter and Instagram @ExampleHerald and on Facebook. Send us a message at news@example.org."}},
		{name: "opinion disclaimer de", after: []string{"Dieser Beitrag gibt die Meinung des Autors wieder, nicht notwendigerweise die der Redaktion."}},
		{name: "feedback prompt", after: []string{"We want to hear what you think about this article. Submit a letter to the editor."}},
		{name: "newsletter and membership", after: []string{
			"Receive our monthly newsletter to stay on top of the latest articles.",
			"First-time subscribers also receive a welcome gift. Join now.",
		}},
		{name: "print issue de", after: []string{"Dieser Beitrag stammt aus Ausgabe 3/2024 unseres Magazins. Das Heft ist im Handel erhältlich."}},
		{name: "licence note", after: []string{"Dieser Text wurde veröffentlicht unter der Lizenz CC-BY-NC-ND-4.0-DE."}},
		{name: "affiliate disclosure first", before: []string{"Für Links auf dieser Seite erhält Example ggf. eine Provision vom Händler. Mehr Infos."}},
		{name: "affiliate disclosure en", before: []string{"This post contains references to products from our advertisers. We may receive compensation when you click on links."}},
		{name: "push notification prompt first", before: []string{"Benachrichtigung aktivieren Dürfen wir Sie in Ihrem Browser über die wichtigsten Nachrichten informieren?"}},
		{name: "print issue origin first", before: []string{"Dieser Beitrag stammt aus Ausgabe 2/2024 der Example Review. Das Heft ist ab 1.2. im Handel erhältlich."}},
		{name: "print edition line", after: []string{"A version of this article appears in print on Page A1 of the Example edition with the headline: Night Buses."}},
		{name: "community blog label", before: []string{"Bei diesem Beitrag handelt es sich um ein Blog aus der Example-Community"}},
		{name: "medical advice disclaimer", after: []string{"Example Parenting does not offer medical advice. If you are concerned about a medical issue, contact your doctor."}},
		{name: "site disclaimer", after: []string{"Disclaimer: News articles on this site may contain opinions of the author."}},
		{name: "how to reach the writer", after: []string{"Email Jane Example at jexample@example.org or follow her @jexample. Follow us on Twitter @ExampleNews."}},
		{name: "tip line", after: []string{"Have a tip? Jane Example may be reached at jexample@example.org."}},
		{name: "contributed reporting", after: []string{"Max Muster contributed reporting to this story."}},
		{name: "agency material de", after: []string{"Mit Material von dpa und AFP"}},
		{
			name:  "a bio that ends on a contact stays",
			after: []string{"Jane Example reports on transport for the Example Times. Follow her on Twitter @jexample or email her at jexample@example.org."},
			want:  []string{"Jane Example reports on transport"},
		},
		{
			name:   "a lead that ends on a kiosk pointer stays",
			before: []string{"Die Ökobilanz von Elektroautos hängt vor allem an der Produktion der Batterien. Ein Betrieb aus Niedersachsen hat ein Verfahren entwickelt, ausgediente Akkus effizienter zu recyceln, schneller und mit weniger Energie als bisher üblich, berichtet das Magazin in seiner aktuellen Ausgabe (jetzt am Kiosk oder online zu bestellen)."},
			want:   []string{"Die Ökobilanz von Elektroautos"},
		},
		{name: "support pitch de", after: []string{"Ab nur 1,90 pro Monat gibt es Example ohne Werbebanner. Unterstütze unabhängige Berichterstattung: Mehr erfahren"}},
		{name: "author bio", after: []string{"Jane Example is a freelance journalist based in Leipzig who covers transport and urban planning for several regional papers."}},
		{name: "author bio without name link", after: []string{"ist Gründungspartner der Kanzlei Example in Berlin. Zu seinen Tätigkeitsfeldern zählen Bank- und Kapitalmarktrecht."}},
		{name: "bio heading goes with the bio", after: []string{"About the author", "John Example has worked as a software developer since 2007 and writes about tooling."}},
		{
			name:  "reporting that mentions an app stays",
			after: []string{"Residents can report broken street lights in the city's app, which the council launched last year with a budget of 40,000 euros."},
			want:  []string{"Residents can report broken street lights"},
		},
		{
			name:  "quote about a professor stays mid-text",
			after: []string{"Smith is a professor at the local university and has studied traffic for two decades.", story[0]},
			want:  []string{"Smith is a professor", story[0]},
		},
		{
			name:  "a final sentence about a person that names no profession stays",
			after: []string{"Maria Example is the third mayor in a row to promise the line, and she says she will be the one to open it."},
			want:  []string{"Maria Example is the third mayor"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := paras(tc.before...)
			in = append(in, paras(story...)...)
			for _, a := range tc.after {
				b := block{kind: atom.P, text: a}
				if a == "About the author" {
					b.kind = atom.H3
				}
				in = append(in, b)
			}
			got := trimEdges(in)
			var texts []string
			for _, b := range got {
				texts = append(texts, b.text)
			}
			all := strings.Join(texts, "\n")
			for _, s := range story {
				if !strings.Contains(all, s) {
					t.Errorf("lost story paragraph %q", s[:40])
				}
			}
			extra := len(got) - len(story)
			if extra != len(tc.want) {
				t.Errorf("kept %d blocks beyond the story, want %d:\n%s", extra, len(tc.want), all)
			}
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("dropped %q", w)
				}
			}
		})
	}
}

// BenchmarkEdgeFilters measures the edge and caption tests on a typical
// closing paragraph, the text they see most.
func BenchmarkEdgeFilters(b *testing.B) {
	bl := block{kind: atom.P, text: story[2] + " " + story[0] + " " + story[1]}
	for i := 0; i < b.N; i++ {
		isNotice(bl)
		isTrailingBio(bl)
		isCaptionLower(bl.text, strings.ToLower(bl.text))
	}
}
