// Package cputime reads the CPU time of this process, for benchmarks that
// run on shared machines: wall time there says more about the neighbours
// than about the code.
package cputime

import (
	"testing"
	"time"
)

// Process is the user plus system CPU time, all threads, this process has
// used so far; 0 where the platform does not tell (see process_other.go).
func Process() time.Duration { return process() }

// Clock measures the process CPU time from Start to Report.
type Clock struct{ start time.Duration }

// Start starts a Clock.
func Start() Clock { return Clock{process()} }

// Report adds cpu-ns/op, the CPU time since Start divided by b.N, to b's
// results.
func (c Clock) Report(b *testing.B) {
	if b.N > 0 {
		b.ReportMetric(float64(process()-c.start)/float64(b.N), "cpu-ns/op")
	}
}
