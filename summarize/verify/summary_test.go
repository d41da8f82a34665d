package verify

import (
	"slices"
	"testing"
)

var checkSources = []string{
	"Nvidia said on Friday that new US export controls on its H20 chip will lead to a charge of $5.5 billion. The Commerce Department told the company that sales of the H20 to China now require a license.",
	"Huawei plans to produce about 1.1 million Ascend chips next year, nearly double this year's output, according to two people familiar with the plans.",
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name, text, lang string
		sources          []string
		keep             []string // kept sentences, in order
		problems         []string // issues, in order
		rejected         bool
	}{
		{
			name: "all good, one citation after a run", lang: "en", sources: checkSources,
			text: "Nvidia expects a charge of $5.5 billion. Sales of the H20 to China now require a license [1]. Huawei plans about 1.1 million Ascend chips [2].",
			keep: []string{"Nvidia expects a charge of $5.5 billion.", "Sales of the H20 to China now require a license.", "Huawei plans about 1.1 million Ascend chips."},
		},
		{
			name: "one bad number among good sentences", lang: "en", sources: checkSources,
			text:     "Nvidia expects a charge of $5.5 billion [1]. Huawei plans 3 million Ascend chips [2]. Sales of the H20 to China need a license [1].",
			keep:     []string{"Nvidia expects a charge of $5.5 billion.", "Sales of the H20 to China need a license."},
			problems: []string{ProblemUnsupported},
		},
		{
			name: "a fact cited to the wrong document", lang: "en", sources: checkSources,
			text:     "Nvidia expects a charge of $5.5 billion [2]. Huawei plans about 1.1 million Ascend chips [2].",
			keep:     []string{"Huawei plans about 1.1 million Ascend chips."},
			problems: []string{ProblemUnsupported},
			rejected: true,
		},
		{
			name: "citation of a missing document dropped", lang: "en", sources: checkSources,
			text:     "Nvidia expects a charge of $5.5 billion [1][7]. Huawei plans about 1.1 million Ascend chips [2].",
			keep:     []string{"Nvidia expects a charge of $5.5 billion.", "Huawei plans about 1.1 million Ascend chips."},
			problems: []string{ProblemBadCitation},
		},
		{
			name: "citation after the period", lang: "en", sources: checkSources,
			text: "Nvidia expects a charge of $5.5 billion. [1] Huawei plans about 1.1 million Ascend chips. [2]",
			keep: []string{"Nvidia expects a charge of $5.5 billion.", "Huawei plans about 1.1 million Ascend chips."},
		},
		{
			name: "trailing sentence without citation", lang: "en", sources: checkSources,
			text:     "Nvidia expects a charge of $5.5 billion [1]. Huawei plans about 1.1 million Ascend chips [2]. Analysts expect more rules.",
			keep:     []string{"Nvidia expects a charge of $5.5 billion.", "Huawei plans about 1.1 million Ascend chips."},
			problems: []string{ProblemUncited},
		},
		{
			name: "a sentence in the wrong language", lang: "de", sources: checkSources,
			text:     "Nvidia rechnet wegen der neuen Exportkontrollen mit einer Belastung von 5,5 Milliarden Dollar [1]. Huawei plans to produce about 1.1 million Ascend chips next year [2]. Der Verkauf des H20 nach China braucht nun eine Lizenz [1].",
			keep:     []string{"Nvidia rechnet wegen der neuen Exportkontrollen mit einer Belastung von 5,5 Milliarden Dollar.", "Der Verkauf des H20 nach China braucht nun eine Lizenz."},
			problems: []string{ProblemLanguage},
		},
		{
			name: "one source: no citations needed", lang: "en", sources: checkSources[:1],
			text: "Nvidia expects a charge of $5.5 billion. Sales of the H20 to China now require a license.",
			keep: []string{"Nvidia expects a charge of $5.5 billion.", "Sales of the H20 to China now require a license."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Check(langs, tt.text, tt.sources, tt.lang)
			var kept, problems []string
			for _, s := range r.Kept {
				kept = append(kept, s.Text)
			}
			for _, is := range r.Issues {
				problems = append(problems, is.Problem)
				if is.Evidence == "" {
					t.Errorf("issue %q without evidence", is.Problem)
				}
			}
			if !slices.Equal(kept, tt.keep) {
				t.Errorf("kept %q\nwant %q", kept, tt.keep)
			}
			if !slices.Equal(problems, tt.problems) {
				t.Errorf("problems %q, want %q (%+v)", problems, tt.problems, r.Issues)
			}
			if got := r.Rejected(MinKept); got != tt.rejected {
				t.Errorf("rejected %v, want %v", got, tt.rejected)
			}
		})
	}
}

func TestJoinCited(t *testing.T) {
	got := JoinCited([]Sentence{
		{Text: "A one.", Cites: []int{1}}, {Text: "B two.", Cites: []int{1}},
		{Text: "„C drei.“", Cites: []int{2, 3}}, {Text: "D four", Cites: []int{1}},
	})
	want := "A one. B two [1]. „C drei [2][3].“ D four [1]"
	if got != want {
		t.Errorf("JoinCited = %q, want %q", got, want)
	}
	// And back.
	sents := SplitCited(langs, want, "de")
	if len(sents) != 4 || !slices.Equal(sents[0].Cites, nil) || !slices.Equal(sents[1].Cites, []int{1}) || !slices.Equal(sents[2].Cites, []int{2, 3}) {
		t.Errorf("SplitCited(%q) = %+v", want, sents)
	}
}
