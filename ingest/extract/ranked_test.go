package extract

import (
	"strings"
	"testing"
)

func TestDropRankedLists(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{
			name: "numbers in their own blocks",
			in:   []string{story[0], "1", "Night buses: what changes in March", "2", "Tram line delayed again", "3", "Mayor: „Wir bauen die Linie“", story[1]},
			want: []string{story[0], story[1]},
		},
		{
			name: "numbers opening the headlines",
			in:   []string{story[0], "1. Night buses: what changes in March", "2. Tram line delayed again", "3. Council election results", "4. Weather for the weekend", story[1]},
			want: []string{story[0], story[1]},
		},
		{
			name: "a numbered list of sentences stays",
			in:   []string{story[0], "1. Buy a ticket before you board.", "2. Validate it in the machine at the front.", "3. Keep it until you leave the bus.", story[1]},
			want: []string{story[0], "1. Buy a ticket before you board.", "2. Validate it in the machine at the front.", "3. Keep it until you leave the bus.", story[1]},
		},
		{
			name: "two ranked lines are not a list",
			in:   []string{story[0], "1", "Night buses", "2", "Tram line", story[1]},
			want: []string{story[0], "1", "Night buses", "2", "Tram line", story[1]},
		},
		{
			name: "years and model names are not ranks",
			in:   []string{"2019", "Tram line delayed", "3D printing in the depot", "5G on every bus"},
			want: []string{"2019", "Tram line delayed", "3D printing in the depot", "5G on every bus"},
		},
		{
			name: "numbers out of order are not a ranking",
			in:   []string{"2", "Tram line delayed", "1", "Night buses", "3", "Weather"},
			want: []string{"2", "Tram line delayed", "1", "Night buses", "3", "Weather"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, b := range dropRankedLists(paras(tc.in...)) {
				got = append(got, b.text)
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func FuzzDropRankedLists(f *testing.F) {
	f.Add("1\nHeadline\n2\nOther\n3\nThird")
	f.Add("1. a\n2. b\n3. c.")
	f.Add("99 \n\n1")
	f.Fuzz(func(t *testing.T, s string) {
		in := paras(strings.Split(s, "\n")...)
		out := dropRankedLists(in)
		if len(out) > len(in) {
			t.Fatalf("grew from %d to %d blocks", len(in), len(out))
		}
	})
}
