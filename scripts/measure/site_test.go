package main

import (
	"testing"
	"time"
)

// TestSiteLeadsDiffer: the pipeline rate counts one LLM call per article
// only if no two articles share a brief, and the briefs cache keys on the
// lead; so every lead must differ.
func TestSiteLeadsDiffer(t *testing.T) {
	s := newSite(30, 4, time.Now(), 0)
	if s.Count() != 120 {
		t.Fatalf("count %d, want 120", s.Count())
	}
	seen := map[string]string{}
	for _, ps := range s.Feeds {
		for _, p := range ps {
			if prev, ok := seen[p.Paras[0]]; ok {
				t.Fatalf("%s and %s share their lead", prev, p.Path)
			}
			seen[p.Paras[0]] = p.Path
		}
	}
}

// TestSiteReleases: with a spread the articles come out one after another
// (the site serves only released ones; testbed's tests check that).
func TestSiteReleases(t *testing.T) {
	from := time.Now().Add(-time.Minute)
	s := newSite(2, 3, from, 2*time.Hour)
	released := 0
	for _, p := range s.Feeds[0] {
		if !p.Release.After(time.Now()) {
			released++
		}
	}
	if released != 1 {
		t.Errorf("%d of feed 0's articles out a minute into two hours, want 1", released)
	}
	if got, want := s.Feeds[1][2].Release, from.Add(2*time.Hour*5/6); !got.Equal(want) {
		t.Errorf("last article out at %s, want %s (the end of the spread's last slice)", got, want)
	}
	for _, p := range newSite(2, 3, from, 0).Feeds[1] {
		if !p.Release.Equal(from) {
			t.Errorf("%s out at %s without a spread, want %s", p.Path, p.Release, from)
		}
	}
}

func TestLoadRange(t *testing.T) {
	got := loadRange([]string{"x", "7 1 1", "3.50 1 1", "19.30 2 2"})
	if want := "1-minute load average 3.5–19.3 on 2 cores"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
