package cputime

import (
	"runtime"
	"testing"
)

func TestProcessAdvances(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" || runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skip("no process CPU time on " + runtime.GOOS)
	}
	start := Process()
	x := 0
	for i := range 300_000_000 {
		x ^= i
	}
	if Process() <= start {
		t.Errorf("CPU time did not advance over a busy loop (%d)", x)
	}
}
