//go:build !unix

package cputime

import "time"

// process is not measured outside Unix: benchmarks report cpu-ns/op as 0.
func process() time.Duration { return 0 }
