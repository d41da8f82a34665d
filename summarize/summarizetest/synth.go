package summarizetest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// SynthDay generates a realistic news day of n articles on the topic,
// deterministically from seed: a few big stories carried by many outlets in
// both languages (wire copies under new headlines, and rewrites), a middle
// of stories with a handful of reports, and a long tail covered once. The
// texts are templated but article-length (about 3,000 characters), with
// shared background paragraphs, so that clustering and token counts behave
// as on a real day. An article's URL ends in /<lang>/<event>-<i>, so tests
// know which articles truly report one event.
func SynthDay(seed uint64, n int, day time.Time) []news.Article {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	companies := []string{"Nvidia", "Huawei", "Alibaba", "Baidu", "Tencent", "ByteDance", "SMIC", "DeepSeek", "Moonshot AI", "Zhipu", "AMD", "Cambricon", "Hygon", "Biren", "MetaX", "CXMT"}
	places := []string{"Guizhou", "Inner Mongolia", "Ningxia", "Texas", "Arizona", "Malaysia", "Saxony", "Johor"}
	outletsEN := []string{"cnbc", "scmp", "techcrunch", "verge", "ars", "register", "restofworld", "dw-en", "mittr", "reuters"}
	outletsDE := []string{"heise", "golem", "tagesschau", "t3n", "spiegel", "zeit", "netzpolitik", "dw-de", "handelsblatt", "faz"}

	// Coverage sizes: big stories first, then the tail, until n articles.
	var sizes []int
	for total := 0; total < n; {
		var s int
		switch k := len(sizes); {
		case k < 5:
			s = 9 + r.IntN(3)
		case k < 15:
			s = 5 + r.IntN(3)
		case k < 30:
			s = 2 + r.IntN(3)
		default:
			s = 1 + r.IntN(2)
		}
		s = min(s, n-total)
		sizes = append(sizes, s)
		total += s
	}
	var out []news.Article
	used := map[string]bool{} // one story of a kind per company and day
	for e, size := range sizes {
		company := companies[r.IntN(len(companies))]
		for used[fmt.Sprint(e%6, company)] && len(used) < 6*len(companies) {
			company = companies[r.IntN(len(companies))]
		}
		used[fmt.Sprint(e%6, company)] = true
		ev := synthEvent{
			kind: e % 6, company: company, partner: companies[r.IntN(len(companies))],
			product: fmt.Sprintf("%c%d%02d", 'A'+rune(e%20), 1+e%9, e), amount: 2 + r.IntN(88), pct: 5 + r.IntN(80),
			count: 3 + r.IntN(40), place: places[r.IntN(len(places))], bg: r.IntN(len(backgroundEN)),
			when: day.Add(time.Duration(r.IntN(22*60)) * time.Minute),
		}
		if ev.partner == ev.company {
			ev.partner = companies[(r.IntN(len(companies)-1)+1+indexOf(companies, ev.company))%len(companies)]
		}
		// Which languages cover it: big stories both, small ones often one.
		langs := []string{"en", "de"}
		if size <= 2 && r.IntN(2) == 0 {
			langs = langs[r.IntN(2):][:1]
		}
		for i := 0; i < size; i++ {
			lang := langs[i%len(langs)]
			outlets := outletsEN
			if lang == "de" {
				outlets = outletsDE
			}
			outlet := outlets[(e*3+i)%len(outlets)]
			variant := 0 // the original wire text
			if i >= len(langs) {
				variant = 1 + r.IntN(2) // 1: a wire copy under a new headline, 2: a rewrite
			}
			title, text := ev.render(lang, variant, r)
			url := fmt.Sprintf("https://%s.example/%s/%d-%d", outlet, lang, e, i)
			out = append(out, news.Article{
				Schema: news.ArticleSchema, ID: news.ArticleID(url), URL: url, Source: outlet, Outlet: outlet,
				Language: lang, Title: title, Text: text, Relevance: 0.4 + r.Float64()*0.55,
				Published: ev.when.Add(time.Duration(i*17) * time.Minute), FetchedAt: ev.when.Add(time.Duration(i*17+5) * time.Minute),
			})
		}
	}
	return out
}

func indexOf(ss []string, s string) int {
	for i, x := range ss {
		if x == s {
			return i
		}
	}
	return 0
}

type synthEvent struct {
	kind                             int
	company, partner, product, place string
	amount, pct, count, bg           int
	when                             time.Time
}

func (ev synthEvent) fill(s string) string {
	return strings.NewReplacer("{C}", ev.company, "{P}", ev.partner, "{X}", ev.product, "{L}", ev.place,
		"{A}", fmt.Sprint(ev.amount), "{Q}", fmt.Sprint(ev.pct), "{N}", fmt.Sprint(ev.count)).Replace(s)
}

// Titles and leads per story kind; German and English state the same facts.
var synthTitles = [6][2]string{
	{"{C} says US export rules on {X} chips will cost it ${A} billion", "{C} rechnet wegen US-Exportkontrollen für {X} mit {A} Milliarden Dollar Belastung"},
	{"{C} releases open-weight model {X} with {N} billion parameters", "{C} veröffentlicht Modell {X} mit offenen Gewichten und {N} Milliarden Parametern"},
	{"{C} to raise {X} output by {Q} percent next year", "{C} will Produktion von {X} im kommenden Jahr um {Q} Prozent steigern"},
	{"{C} to invest ${A} billion in data centres in {L}", "{C} investiert {A} Milliarden Dollar in Rechenzentren in {L}"},
	{"US adds {N} Chinese firms including {C} to Entity List over {X}", "USA setzen {N} chinesische Firmen wegen {X}, darunter {C}, auf die Entity List"},
	{"{C} and {P} sign {X} chip deal worth ${A} billion", "{C} und {P} schließen {X}-Chipvertrag über {A} Milliarden Dollar"},
}

var synthLeads = [6][2]string{
	{"{C} said on Friday that new US export controls on its {X} chips will lead to a charge of ${A} billion in the current quarter. The Commerce Department told the company that sales of the {X} to China now require a license.",
		"{C} erwartet wegen neuer US-Exportkontrollen für seine {X}-Chips eine Belastung von {A} Milliarden Dollar im laufenden Quartal. Das US-Handelsministerium verlangt für Verkäufe des {X} nach China nun eine Lizenz."},
	{"{C} released {X}, an open-weight model with {N} billion parameters, on Friday. The company said {X} matches leading US models on coding benchmarks at a fraction of the cost.",
		"{C} hat am Freitag {X} veröffentlicht, ein Modell mit offenen Gewichten und {N} Milliarden Parametern. Nach Angaben des Unternehmens hält {X} bei Programmier-Benchmarks mit führenden US-Modellen mit, zu einem Bruchteil der Kosten."},
	{"{C} plans to raise output of its {X} processor by {Q} percent next year, people familiar with the matter said. The {X} is one of China's main domestic alternatives to restricted US chips.",
		"{C} will die Produktion seines Prozessors {X} im kommenden Jahr um {Q} Prozent steigern, berichten Insider. Der {X} gilt als eine der wichtigsten chinesischen Alternativen zu den beschränkten US-Chips."},
	{"{C} will invest ${A} billion in new data centres in {L} over the next three years, the company said. The sites are meant to serve demand for training and running large models such as {X}.",
		"{C} investiert in den kommenden drei Jahren {A} Milliarden Dollar in neue Rechenzentren in {L}, teilte das Unternehmen mit. Die Standorte sollen die Nachfrage nach Training und Betrieb großer Modelle wie {X} bedienen."},
	{"The US Commerce Department added {N} Chinese companies including {C} to the Entity List, citing their work on {X}. Companies on the list need a license to buy American technology.",
		"Das US-Handelsministerium hat {N} chinesische Unternehmen, darunter {C}, wegen ihrer Arbeit an {X} auf die Entity List gesetzt. Firmen auf der Liste brauchen eine Lizenz, um amerikanische Technik zu kaufen."},
	{"{C} and {P} signed a deal worth ${A} billion for {X} chips, the companies said on Friday. Deliveries are to begin next year.",
		"{C} und {P} haben einen Vertrag über {X}-Chips im Wert von {A} Milliarden Dollar geschlossen, teilten die Unternehmen am Freitag mit. Die Lieferungen sollen im kommenden Jahr beginnen."},
}

var synthMore = [2][]string{
	{"\"We are confident that {X} will find its customers,\" a spokesperson for {C} said in a statement. \"The market for this technology is larger than any single country, and we will keep investing in it.\"",
		"{P}, one of its main competitors, has announced similar plans in recent months, and analysts expect the two companies to compete for the same large customers in cloud computing and telecommunications.",
		"What happens next depends on regulators in Washington and Beijing, who are both expected to publish new guidance before the end of the year. Lawyers advising companies in the sector said their clients were preparing for several scenarios at once.",
		"{C} declined to give further details. Analysts said the move shows how quickly the industry is adapting to the rivalry between Washington and Beijing.",
		"Shares of {C} moved {Q} percent in early trading as investors weighed the news.",
		"The announcement follows months of negotiations and comes as both governments review their technology policies.",
		"Industry groups said they expected more companies to follow in the coming weeks."},
	{"„Wir sind zuversichtlich, dass {X} seine Kunden finden wird“, erklärte ein Sprecher von {C}. „Der Markt für diese Technik ist größer als jedes einzelne Land, und wir werden weiter investieren.“",
		"{P}, einer der wichtigsten Konkurrenten, hat in den vergangenen Monaten ähnliche Pläne angekündigt. Analysten erwarten, dass beide Unternehmen um dieselben Großkunden in Cloud-Computing und Telekommunikation konkurrieren.",
		"Wie es weitergeht, hängt von den Regulierungsbehörden in Washington und Peking ab, die beide bis Jahresende neue Leitlinien veröffentlichen wollen. Anwälte, die Unternehmen der Branche beraten, sagen, ihre Mandanten bereiteten sich auf mehrere Szenarien gleichzeitig vor.",
		"{C} wollte sich zu weiteren Einzelheiten nicht äußern. Analysten sehen darin ein Zeichen, wie schnell sich die Branche an die Rivalität zwischen Washington und Peking anpasst.",
		"Die Aktie von {C} bewegte sich im frühen Handel um {Q} Prozent, als Anleger die Nachricht bewerteten.",
		"Die Ankündigung folgt auf monatelange Verhandlungen und fällt in eine Zeit, in der beide Regierungen ihre Technologiepolitik überprüfen.",
		"Branchenverbände erwarten, dass weitere Unternehmen in den kommenden Wochen folgen."},
}

var backgroundEN = []string{
	"Washington has tightened export controls on advanced chips and chip-making equipment since October 2022, arguing that the technology could help China's military. Beijing has responded with subsidies for domestic suppliers and restrictions on exports of rare minerals. The measures have reshaped supply chains across Asia, and companies in Taiwan, South Korea and Japan have had to adapt their sales to Chinese customers.",
	"Chinese developers have increasingly released their models with open weights, allowing anyone to download and adapt them. The strategy has won them a large following among developers worldwide, and several of the most downloaded model families on Hugging Face now come from China. Critics argue that the openness also helps Chinese firms set standards.",
	"Demand for computing power has driven a boom in data centre construction on both sides of the Pacific. Power supply has become a bottleneck, and operators are signing long-term contracts with utilities. In China, local governments offer cheap electricity to attract new sites in the west of the country.",
	"The rivalry has drawn in Europe as well, where companies weigh whether to build products on American or Chinese models. The EU AI Act sets rules for providers of general-purpose models, and regulators are still working out how to apply them to models developed abroad.",
	"Investors have poured money into chip designers in China since the first restrictions, and several have filed for listings in Shanghai. Yet manufacturing remains the weak point: without the most advanced lithography machines, Chinese foundries struggle to produce leading-edge chips in volume.",
}

var backgroundDE = []string{
	"Washington hat die Exportkontrollen für fortschrittliche Chips und Anlagen zur Chipherstellung seit Oktober 2022 immer wieder verschärft und argumentiert, die Technik könne Chinas Militär helfen. Peking reagierte mit Subventionen für heimische Anbieter und Exportbeschränkungen für seltene Rohstoffe. Die Maßnahmen haben die Lieferketten in ganz Asien verändert, auch Unternehmen in Taiwan, Südkorea und Japan mussten ihre Geschäfte mit chinesischen Kunden anpassen.",
	"Chinesische Entwickler veröffentlichen ihre Modelle zunehmend mit offenen Gewichten, sodass jeder sie herunterladen und anpassen kann. Die Strategie hat ihnen weltweit viele Anhänger unter Entwicklern eingebracht, mehrere der meistgeladenen Modellfamilien bei Hugging Face stammen inzwischen aus China. Kritiker meinen, die Offenheit helfe chinesischen Firmen auch, Standards zu setzen.",
	"Der Bedarf an Rechenleistung hat auf beiden Seiten des Pazifiks einen Bauboom bei Rechenzentren ausgelöst. Die Stromversorgung ist zum Engpass geworden, Betreiber schließen langfristige Verträge mit Energieversorgern. In China locken Lokalregierungen mit billigem Strom neue Standorte in den Westen des Landes.",
	"Die Rivalität erfasst auch Europa, wo Unternehmen abwägen, ob sie ihre Produkte auf amerikanischen oder chinesischen Modellen aufbauen. Die KI-Verordnung der EU regelt die Pflichten von Anbietern allgemeiner KI-Modelle, und die Aufsichtsbehörden klären noch, wie sie auf Modelle aus dem Ausland anzuwenden sind.",
	"Investoren haben seit den ersten Beschränkungen viel Geld in chinesische Chipentwickler gesteckt, mehrere haben einen Börsengang in Shanghai beantragt. Die Fertigung bleibt jedoch die Schwachstelle: Ohne die modernsten Lithografiemaschinen können chinesische Auftragsfertiger Spitzenchips kaum in großer Stückzahl herstellen.",
}

// render writes the event in lang. variant 0 is the wire original, 1 a
// copy of it under another headline with a boilerplate line appended, 2 an
// outlet's own rewrite (other order, other background).
func (ev synthEvent) render(lang string, variant int, r *rand.Rand) (title, text string) {
	li := 0
	bg := backgroundEN
	if lang == "de" {
		li, bg = 1, backgroundDE
	}
	title = ev.fill(synthTitles[ev.kind][li])
	more := synthMore[li]
	paras := []string{
		ev.fill(synthLeads[ev.kind][li]),
		ev.fill(more[3]),
		ev.fill(more[0]),
		bg[ev.bg],
		ev.fill(more[4]) + " " + ev.fill(more[5]),
		ev.fill(more[1]),
		bg[(ev.bg+1)%len(bg)],
		ev.fill(more[2]),
		bg[(ev.bg+3)%len(bg)],
		ev.fill(more[6]),
	}
	switch variant {
	case 1:
		if lang == "de" {
			title = "Bericht: " + title
			paras = append(paras, "Mit Material von Nachrichtenagenturen.")
		} else {
			title = "Report: " + title
			paras = append(paras, "Additional reporting by wire services.")
		}
	case 2:
		paras[1], paras[4] = paras[4], paras[1]
		paras[3], paras[6] = bg[(ev.bg+2)%len(bg)], paras[3]
		paras[2], paras[5] = paras[5], paras[2]
		if r.IntN(2) == 0 {
			paras = append(paras[:8], paras[9:]...)
		}
	}
	return title, strings.Join(paras, "\n\n")
}
