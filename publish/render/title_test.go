package render_test

import (
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/publish/render"
)

func TestTitle(t *testing.T) {
	langs := lang.Default()
	story := func(h string) []news.Story { return []news.Story{{Headline: h}, {Headline: "Zweite Meldung"}} }
	long := strings.Repeat("Exportkontrollen ", 10)
	tests := []struct {
		name, lang string
		d          news.Digest
		want       string
	}{
		{"German", "de", news.Digest{Title: "KI-Wettlauf China–USA: Nachrichtenüberblick", Date: "2026-12-06", Stories: story("USA verschärfen Exportkontrollen")},
			"KI-Wettlauf China–USA, 6. Dezember: USA verschärfen Exportkontrollen"},
		{"English", "en", news.Digest{Title: "China–US AI race: news digest", Date: "2026-12-06", Stories: story("US tightens export controls")},
			"China–US AI race, December 6: US tightens export controls"},
		{"slot", "de", news.Digest{Title: "KI-Wettlauf China–USA: Nachrichtenüberblick", Date: "2026-12-06", Slot: "19:00", Stories: story("Huawei stellt Chip vor")},
			"KI-Wettlauf China–USA, 6. Dezember, 19:00 Uhr: Huawei stellt Chip vor"},
		{"no stories", "en", news.Digest{Title: "China–US AI race: news digest", Date: "2026-12-06"},
			"China–US AI race, December 6"},
		{"no title", "de", news.Digest{Date: "2026-01-01", Stories: story("Neujahr")}, "Nachrichtenüberblick, 1. Januar: Neujahr"},
		{"title without colon", "en", news.Digest{Title: "Morning brief", Date: "2026-03-02", Stories: story("Chips")}, "Morning brief, March 2: Chips"},
		{"long lead is cut", "de", news.Digest{Title: "KI", Date: "2026-12-06", Stories: story(long)},
			"KI, 6. Dezember: " + render.CleanText(long, render.MaxLeadRunes)},
		{"a colon in the lead becomes a dash", "de", news.Digest{Title: "KI-Wettlauf China–USA: Nachrichtenüberblick", Date: "2026-12-06", Stories: story("USA verschärfen Exportkontrollen: Aus für Nvidias H20 in China")},
			"KI-Wettlauf China–USA, 6. Dezember: USA verschärfen Exportkontrollen – Aus für Nvidias H20 in China"},
		{"lead in the reader's language", "de", news.Digest{Title: "KI-Wettlauf China–USA: Nachrichtenüberblick", Language: "de", Date: "2026-12-06",
			Stories: []news.Story{{Headline: "Huawei plans to lift Ascend output", Language: "en"}, {Headline: "Alibaba veröffentlicht Qwen4"}}},
			"KI-Wettlauf China–USA, 6. Dezember: Alibaba veröffentlicht Qwen4"},
		{"every story from another language", "de", news.Digest{Title: "KI-Wettlauf China–USA: Nachrichtenüberblick", Language: "de", Date: "2026-12-06",
			Stories: []news.Story{{Headline: "Huawei plans to lift Ascend output", Language: "en"}}},
			"KI-Wettlauf China–USA, 6. Dezember"},
		{"hostile", "en", news.Digest{Title: "Evil\r\nBcc: x@y: z", Date: "<b>", Stories: story("<script>\u202e\r\nx")},
			"Evil Bcc, <b>: <script> x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := render.Title(tt.d, langs.Get(tt.lang)); got != tt.want {
				t.Errorf("Title = %q, want %q", got, tt.want)
			}
		})
	}
}
