package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// obs is one observation of the pipeline.
type obs struct {
	at               time.Duration
	onStream, briefs uint64
}

// pipeline: every article appears at once; how fast do they get onto
// ARTICLES and through summarize's briefing?
func (h *harness) pipeline(ctx context.Context) error {
	h.site = newSite(h.o.feeds, h.o.items, time.Now(), 0)
	if err := h.site.Start(); err != nil {
		return err
	}
	if err := h.writeConfig(nil); err != nil {
		return err
	}
	want := uint64(h.site.Count())
	if err := h.startStages(ctx); err != nil {
		return err
	}
	t0 := time.Now()
	var samples []obs
	var ingested, briefed time.Duration
	loads := []string{loadavg()}
	for briefed == 0 {
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w after %s: %d samples, last %v", ctx.Err(), time.Since(t0).Round(time.Second), len(samples), samples[max(0, len(samples)-1):])
		case <-time.After(time.Second):
		}
		on, done, err := h.counts(ctx)
		if err != nil {
			continue // the consumer appears with the first summarize process
		}
		s := obs{at: time.Since(t0), onStream: on, briefs: done}
		samples = append(samples, s)
		if ingested == 0 && on >= want {
			ingested = s.at
		}
		if on >= want && done >= want {
			briefed = s.at
		}
		if len(samples)%15 == 0 {
			loads = append(loads, loadavg())
			logf("on ARTICLES %d/%d, briefed %d; load %s", on, want, done, loadavg())
		}
		if c := h.crashed(); len(c) > 0 {
			return fmt.Errorf("stage processes exited: %s (logs in %s)", join(c), h.dir)
		}
	}
	loads = append(loads, loadavg())
	first := firstAt(samples, func(s obs) bool { return s.onStream > 0 })
	lo, hi := firstAt(samples, func(s obs) bool { return s.briefs >= want/10 }), firstAt(samples, func(s obs) bool { return s.briefs >= want*9/10 })
	fmt.Printf("pipeline: %d articles, %s, %s, %s; LLM test double latency %s, max_concurrency %s, workers %s, max_ack_pending %s\n",
		want, plural(h.o.ingesters, "ingest process"), plural(h.o.summarizers, "summarize process"), plural(h.o.publishers, "publish process"),
		h.o.llmLatency, orDefault(h.o.llmConcurrency), orDefault(h.o.workers), orDefault(h.o.maxAckPending))
	fmt.Printf("  first article on ARTICLES after %s; all %d after %s: %.1f articles/s onto the stream (from the first)\n",
		first.Round(100*time.Millisecond), want, ingested.Round(100*time.Millisecond), rate(want-1, ingested-first))
	fmt.Printf("  all briefed after %s: %.1f articles/s feed to brief (from the first article on the stream); 10%%→90%% of them at %.1f/s\n",
		briefed.Round(100*time.Millisecond), rate(want, briefed-first), rate(want*9/10-want/10, hi-lo))
	fmt.Printf("  LLM calls %d; CPU %s; %s\n", h.llmCalls.Load(), h.cpuLine(), loadRange(loads))
	return nil
}

// mail: a small feed, one edition slot; how fast do the digests reach
// every subscriber?
func (h *harness) mail(ctx context.Context) error {
	h.site = newSite(h.o.feeds, h.o.items, time.Now(), 0)
	if err := h.site.Start(); err != nil {
		return err
	}
	slot := time.Now().Add(80 * time.Second).UTC().Truncate(time.Minute).Add(time.Minute)
	if err := h.writeConfig([]time.Time{slot}); err != nil {
		return err
	}
	if err := h.startStages(ctx); err != nil {
		return err
	}
	want := h.o.subscribers
	logf("edition slot %s UTC; %d subscribers (half German, half English): %d mails expected", slot.Format("15:04"), want, want)
	var first, last time.Time
	var firstN, n int
	loads := []string{loadavg()}
	for i := 0; n < want; i++ {
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w: %d of %d mails", ctx.Err(), n, want)
		case <-time.After(time.Second):
		}
		m, err := h.mails(ctx)
		if err != nil {
			logf("mailpit: %v", err)
			continue
		}
		if m > 0 && first.IsZero() {
			first, firstN = time.Now(), m
		}
		if m > n {
			last = time.Now()
		}
		n = m
		if i%15 == 0 {
			loads = append(loads, loadavg())
			logf("mails %d/%d; load %s", n, want, loadavg())
		}
		if c := h.crashed(); len(c) > 0 {
			return fmt.Errorf("stage processes exited: %s (logs in %s)", join(c), h.dir)
		}
	}
	loads = append(loads, loadavg())
	fmt.Printf("mail: %d subscribers, %s, rate_per_second %s\n", want, plural(h.o.publishers, "publish process"), orDefaultF(h.o.rate))
	fmt.Printf("  first mail %s after the slot, last %s after it: %.1f mails/s (first to last)\n",
		first.Sub(slot).Round(100*time.Millisecond), last.Sub(slot).Round(100*time.Millisecond), rate(uint64(n-firstN), last.Sub(first)))
	fmt.Printf("  CPU %s; %s\n", h.cpuLine(), loadRange(loads))
	return nil
}

// soak: a steady feed for o.duration with edition slots; each process's
// RSS every 10 s.
func (h *harness) soak(ctx context.Context) error {
	h.site = newSite(h.o.feeds, h.o.items, time.Now().Add(20*time.Second), h.o.duration)
	if err := h.site.Start(); err != nil {
		return err
	}
	var slots []time.Time
	for t := time.Now().Add(h.o.every).UTC().Truncate(time.Minute); t.Before(time.Now().Add(h.o.duration)); t = t.Add(h.o.every) {
		slots = append(slots, t)
	}
	if err := h.writeConfig(slots); err != nil {
		return err
	}
	if err := h.startStages(ctx); err != nil {
		return err
	}
	procs := append(append([]*child{}, h.stages...), h.nodes...)
	if h.mailpit != nil {
		procs = append(procs, h.mailpit)
	}
	csv, err := os.Create(filepath.Join(h.dir, "rss.csv"))
	if err != nil {
		return err
	}
	defer csv.Close()
	fmt.Fprint(csv, "seconds,load1")
	for _, p := range procs {
		fmt.Fprintf(csv, ",%s_rss_kib,%s_cpu_s", p.name, p.name)
	}
	fmt.Fprintln(csv)
	series := make([][]int64, len(procs))
	t0 := time.Now()
	end := t0.Add(h.o.duration + time.Minute)
	loads := []string{}
	for i := 0; time.Now().Before(end); i++ {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Second):
		}
		fmt.Fprintf(csv, "%.0f,%s", time.Since(t0).Seconds(), strings.Fields(loadavg())[0])
		for j, p := range procs {
			r := p.rss()
			series[j] = append(series[j], r)
			fmt.Fprintf(csv, ",%d,%.2f", r/1024, p.cpu().Seconds())
		}
		fmt.Fprintln(csv)
		if i%6 == 5 {
			on, done, _ := h.counts(ctx)
			m := 0
			if h.mailpit != nil {
				m, _ = h.mails(ctx)
			}
			loads = append(loads, loadavg())
			logf("on ARTICLES %d, briefed %d, mails %d; load %s", on, done, m, loadavg())
		}
		if c := h.crashed(); len(c) > 0 {
			return fmt.Errorf("stage processes exited: %s (logs in %s)", join(c), h.dir)
		}
	}
	on, done, _ := h.counts(ctx)
	fmt.Printf("soak: %s, %d of %d articles on ARTICLES, %d briefed, %d edition slots, LLM calls %d; RSS every 10 s in %s\n",
		time.Since(t0).Round(time.Second), on, h.site.Count(), done, len(slots), h.llmCalls.Load(), csv.Name())
	fmt.Printf("  %-12s %9s %9s %9s %9s %9s  %s\n", "process", "at 1 min", "min", "max", "half-way", "end", "CPU")
	for j, p := range procs {
		s := series[j]
		if len(s) < 7 {
			continue
		}
		mn, mx := s[0], s[0]
		for _, v := range s {
			mn, mx = min(mn, v), max(mx, v)
		}
		fmt.Printf("  %-12s %9s %9s %9s %9s %9s  %s\n", p.name, mib(s[5]), mib(mn), mib(mx), mib(s[len(s)/2]), mib(s[len(s)-1]), p.cpu().Round(100*time.Millisecond))
	}
	fmt.Printf("  %s\n", loadRange(loads))
	return nil
}

func firstAt(ss []obs, ok func(obs) bool) time.Duration {
	for _, s := range ss {
		if ok(s) {
			return s.at
		}
	}
	return 0
}

func rate(n uint64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

func mib(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

func orDefault(v int) string {
	if v == 0 {
		return "default"
	}
	return fmt.Sprint(v)
}

func orDefaultF(v float64) string {
	if v == 0 {
		return "default"
	}
	return fmt.Sprint(v)
}

// cpuLine is each stage process's CPU time so far.
func (h *harness) cpuLine() string {
	var parts []string
	for _, c := range h.stages {
		parts = append(parts, fmt.Sprintf("%s %s", c.name, c.cpu().Round(100*time.Millisecond)))
	}
	others := h.nodes
	if h.mailpit != nil {
		others = append(others[:len(others):len(others)], h.mailpit)
	}
	for _, c := range others {
		parts = append(parts, fmt.Sprintf("%s %s", c.name, c.cpu().Round(100*time.Millisecond)))
	}
	return join(parts)
}
