package summarize

import (
	"fmt"
	"runtime"
	rtmetrics "runtime/metrics"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/cputime"
	"github.com/newsdesk/newsdesk/summarize/summarizetest"
)

// BenchmarkCompose measures a whole extractive edition (prepare, story
// clustering, ranking, extractive summaries) of a synthetic day of n
// articles. Besides time and allocations it reports CPU time per edition
// (the machine may be shared; CPU time is what an edition costs; it
// includes the collection forced before each edition) and the peak heap
// during one edition. Compare runs with benchstat:
//
//	go test ./summarize -run '^$' -bench 'Compose/n=' -benchmem -count 6 -timeout 60m
func BenchmarkCompose(b *testing.B) {
	for _, n := range []int{1000, 5000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			s := newTestStage(b, Config{}, Deps{})
			articles := summarizetest.SynthDay(7, n, time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC))
			var peak uint64
			cpu := cputime.Start()
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				runtime.GC() // each edition starts from the same live heap
				h := watchHeap()
				b.StartTimer()
				if _, err := s.Compose(b.Context(), "daily", "2026-11-28", articles); err != nil {
					b.Fatal(err)
				}
				peak = max(peak, h.stop())
			}
			b.StopTimer()
			cpu.Report(b)
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
	}
}

// heapWatch samples the bytes in heap objects (live and not yet swept)
// every millisecond until stopped: the peak heap of what runs meanwhile.
type heapWatch struct {
	done chan struct{}
	peak chan uint64
}

func watchHeap() heapWatch {
	h := heapWatch{done: make(chan struct{}), peak: make(chan uint64)}
	go func() {
		s := []rtmetrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var peak uint64
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			rtmetrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-h.done:
				h.peak <- peak
				return
			case <-t.C:
			}
		}
	}()
	return h
}

func (h heapWatch) stop() uint64 {
	close(h.done)
	return <-h.peak
}
