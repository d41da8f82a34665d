package verify

import (
	"reflect"
	"testing"
)

func TestFindDates(t *testing.T) {
	type d struct {
		span                  string
		day, month, year, dow int
	}
	tests := []struct {
		text string
		want []d
	}{
		{"Am 3. Oktober 2025 begann es.", []d{{"3. Oktober 2025", 3, 10, 2025, 0}}},
		{"On October 3, 2025, it began.", []d{{"October 3, 2025", 3, 10, 2025, 0}}},
		{"on Oct. 3rd and in March 2024", []d{{"Oct. 3rd", 3, 10, 0, 0}, {"March 2024", 0, 3, 2024, 0}}},
		{"bis 13. Oktober.", []d{{"13. Oktober", 13, 10, 0, 0}}},
		{"Sept. 11 changed it", []d{{"Sept. 11", 11, 9, 0, 0}}},
		{"Im Mai. Am Dienstag und montags.", []d{{"Mai", 0, 5, 0, 0}, {"Dienstag", 0, 0, 0, 2}, {"montags", 0, 0, 0, 1}}},
		{"May I ask? It may rain in May.", []d{{"May", 0, 5, 0, 0}}},
		{"the 44 March 1999", []d{{"March 1999", 0, 3, 1999, 0}}},
		{"", nil},
	}
	for _, tt := range tests {
		var got []d
		for _, x := range findDates(tt.text) {
			got = append(got, d{tt.text[x.start:x.end], x.day, x.month, x.year, x.dow})
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("findDates(%q)\n got %+v\nwant %+v", tt.text, got, tt.want)
		}
	}
}
