package ingest

import (
	"context"
	"errors"
	"net"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestCheckFeedHosts: hosts that do not resolve, and hosts on addresses
// the fetcher refuses, are reported once per host with their feeds; a
// public address, or any address with allow_private_networks, is not.
// DNS here is a resolver that answers nothing (this machine may have no
// DNS); names resolve from /etc/hosts or not at all.
func TestCheckFeedHosts(t *testing.T) {
	noDNS := &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
		return nil, errors.New("no DNS in this test")
	}}
	feeds := []FeedConfig{
		{ID: "loop", URL: "http://127.0.0.1:8080/feed.xml"},
		{ID: "loop2", URL: "http://127.0.0.1:8080/other.xml"},
		{ID: "lan", URL: "https://192.168.1.20/rss"},
		{ID: "v6", URL: "http://[fd00::1]/atom"},
		{ID: "public", URL: "https://93.184.215.14/feed"},
		{ID: "typo", URL: "https://rss.nosuch-host.invalid/feed"},
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	got := CheckFeedHosts(ctx, feeds, false, noDNS, 4)
	want := map[string][]string{"127.0.0.1": {"loop", "loop2"}, "192.168.1.20": {"lan"}, "fd00::1": {"v6"}, "rss.nosuch-host.invalid": {"typo"}}
	if len(got) != len(want) {
		t.Fatalf("%d problems, want %d: %+v", len(got), len(want), got)
	}
	for _, p := range got {
		if !slices.Equal(p.FeedIDs, want[p.Host]) {
			t.Errorf("host %s: feeds %v, want %v", p.Host, p.FeedIDs, want[p.Host])
		}
		wantWord := "ingest.allow_private_networks"
		if p.Host == "rss.nosuch-host.invalid" {
			wantWord = "does not resolve"
		}
		if !strings.Contains(p.Problem, wantWord) {
			t.Errorf("host %s: %q lacks %q", p.Host, p.Problem, wantWord)
		}
	}
	got = CheckFeedHosts(ctx, feeds[:5], true, noDNS, 4)
	if len(got) != 0 {
		t.Errorf("with allow_private_networks: %+v", got)
	}
}

// TestCheckFeedHostsResolved: a name from /etc/hosts that resolves to
// loopback is reported with the address it resolves to.
func TestCheckFeedHostsResolved(t *testing.T) {
	noDNS := &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
		return nil, errors.New("no DNS in this test")
	}}
	got := CheckFeedHosts(t.Context(), []FeedConfig{{ID: "local", URL: "http://localhost:8765/feed.xml"}}, false, noDNS, 1)
	if len(got) != 1 || !strings.Contains(got[0].Problem, "resolves to ") || !strings.Contains(got[0].Problem, "loopback") {
		t.Errorf("localhost: %+v", got)
	}
}
