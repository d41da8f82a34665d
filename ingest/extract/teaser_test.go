package extract

import (
	"strings"
	"testing"
)

func TestDropDatedTeasers(t *testing.T) {
	strip := []string{
		"Verkehr", "Nachtbusse im Norden", "08.12.2023Die Stadt erweitert den Nachtverkehr in vier Stadtteilen.",
		"Tram", "Linie verzögert sich", "07.12.20232023 war kein gutes Jahr für die Straßenbahn.",
		"Wetter", "Glatteis am Wochenende", "2023-12-01Der Wetterdienst warnt vor Glätte.",
	}
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"teaser strip after the story", append(append([]string{}, story...), strip...), story},
		{"two glued dates are not a strip", append(append([]string{}, story...), strip[:6]...), append(append([]string{}, story...), strip[:6]...)},
		{
			"dates in prose stay",
			[]string{"Am 08.12.2023 beschloss der Rat die Erweiterung.", "08.12.2023: Der Rat beschließt.", "08.12.2023 – Der Rat beschließt.", "Seit 2023-12-01 fahren die Busse."},
			[]string{"Am 08.12.2023 beschloss der Rat die Erweiterung.", "08.12.2023: Der Rat beschließt.", "08.12.2023 – Der Rat beschließt.", "Seit 2023-12-01 fahren die Busse."},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, b := range dropDatedTeasers(paras(tc.in...)) {
				got = append(got, b.text)
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}
