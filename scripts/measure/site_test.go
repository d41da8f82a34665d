package main

import (
	"io"
	"net/http"
	"strings"
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

// TestSiteReleases: a feed lists only the articles already released, and
// their pages are served only from then on.
func TestSiteReleases(t *testing.T) {
	s := newSite(2, 3, time.Now().Add(-time.Minute), 2*time.Hour)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Srv.Close()
	get := func(u string) (int, string) {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	_, feed := get(s.FeedURL(0))
	if n := strings.Count(feed, "<item>"); n != 1 {
		t.Errorf("feed lists %d items a minute into two hours, want 1:\n%s", n, feed)
	}
	if code, _ := get(s.Base + s.Feeds[0][0].Path); code != http.StatusOK {
		t.Errorf("released page: %d", code)
	}
	if code, _ := get(s.Base + s.Feeds[0][2].Path); code != http.StatusNotFound {
		t.Errorf("unreleased page: %d, want 404", code)
	}
}

func TestLoadRange(t *testing.T) {
	got := loadRange([]string{"x", "7 1 1", "3.50 1 1", "19.30 2 2"})
	if want := "1-minute load average 3.5–19.3 on 2 cores"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
