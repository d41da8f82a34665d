package summarize

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkCluster measures grouping a day's articles into stories.
//
//	go test ./summarize -run '^$' -bench Cluster -benchtime 3x
func BenchmarkCluster(b *testing.B) {
	for _, n := range []int{200, 1000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			s := newTestStage(b, Config{}, Deps{})
			articles := synthDay(7, n, time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC))
			b.ResetTimer()
			for range b.N {
				items := s.prepare(s.editions["daily"], articles)
				s.cluster(b.Context(), items)
			}
		})
	}
}

// BenchmarkComposeExtractive measures a whole extractive edition.
func BenchmarkComposeExtractive(b *testing.B) {
	s := newTestStage(b, Config{}, Deps{})
	articles := synthDay(7, 200, time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC))
	b.ResetTimer()
	for range b.N {
		if _, err := s.Compose(b.Context(), "daily", "2026-11-28", articles); err != nil {
			b.Fatal(err)
		}
	}
}
