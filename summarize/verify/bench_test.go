package verify

import (
	"fmt"
	"strings"
	"testing"
)

func BenchmarkUnsupported(b *testing.B) {
	source := strings.Repeat("Nvidia will invest $1.5 billion in China, chief executive Jensen Huang said on Tuesday. "+
		"The plant will employ 3,000 people from October 3, 2025, and exports fell 11.8% to $1.47 billion. ", 20)
	sources := []string{source, source, source}
	text := "Nvidia investiert 1,5 Milliarden Dollar in China, sagte Konzernchef Jensen Huang am Dienstag. " +
		"Das Werk soll ab dem 3. Oktober 2025 rund 3.000 Menschen beschäftigen; die Exporte sanken um 12 Prozent."
	for b.Loop() {
		Unsupported(langs, text, sources, "de")
	}
}

func BenchmarkLanguage(b *testing.B) {
	text := strings.Repeat("Die USA verschärfen die Exportregeln für KI-Chips. Nvidia darf weniger nach China liefern. ", 10)
	for b.Loop() {
		Language(langs, text, "de")
	}
}

// BenchmarkUnsupportedHostile runs on 1 MiB of German capitalised words,
// numbers and dates, to show the cost stays linear in the input.
func BenchmarkUnsupportedHostile(b *testing.B) {
	unit := "Am 3. Oktober zahlte Herr Müller 1.500 Euro an Präsident Xi Jinping und die WM-Gruppe 12,5 %. "
	for _, size := range []int{64 << 10, 1 << 20} {
		text := strings.Repeat(unit, size/len(unit))
		b.Run(fmt.Sprintf("%dKiB", size>>10), func(b *testing.B) {
			for b.Loop() {
				Unsupported(langs, text, []string{unit}, "de")
			}
		})
	}
}
