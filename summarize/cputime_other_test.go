//go:build !unix

package summarize

import "time"

// cpuTime is not measured here: benchmarks report cpu-ns/op as 0.
func cpuTime() time.Duration { return 0 }
