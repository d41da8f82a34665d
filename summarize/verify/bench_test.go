package verify

import (
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
		Unsupported(text, sources, "de")
	}
}

func BenchmarkLanguage(b *testing.B) {
	text := strings.Repeat("Die USA verschärfen die Exportregeln für KI-Chips. Nvidia darf weniger nach China liefern. ", 10)
	for b.Loop() {
		Language(text, "de")
	}
}
