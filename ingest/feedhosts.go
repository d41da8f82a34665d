package ingest

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"sync"
)

// HostProblem is what resolving a configured feed's host found wrong.
type HostProblem struct {
	FeedIDs []string // the feeds on the host, in config order
	Host    string
	Problem string
}

// CheckFeedHosts resolves the host of every feed in feeds (each host
// once, concurrency at a time) and reports the hosts that do not resolve
// and, unless allowPrivate, those that resolve to an address the fetcher
// refuses (loopback, private, …; see ssrf.go). It fetches nothing:
// newsdesk check --connect calls it so that a mistyped host or a feed on
// the local network shows before the first poll.
func CheckFeedHosts(ctx context.Context, feeds []FeedConfig, allowPrivate bool, r *net.Resolver, concurrency int) []HostProblem {
	if r == nil {
		r = net.DefaultResolver
	}
	concurrency = max(concurrency, 1)
	byHost := map[string][]string{}
	var hosts []string
	for _, f := range feeds {
		u, err := url.Parse(f.URL)
		if err != nil || u.Hostname() == "" {
			continue // Validate reports malformed URLs
		}
		h := u.Hostname()
		if _, ok := byHost[h]; !ok {
			hosts = append(hosts, h)
		}
		byHost[h] = append(byHost[h], f.ID)
	}
	problems := make([]*HostProblem, len(hosts))
	sem := make(chan struct{}, concurrency)
	var wg sync.WaitGroup
	for i, h := range hosts {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if why := hostProblem(ctx, r, h, allowPrivate); why != "" {
				problems[i] = &HostProblem{FeedIDs: byHost[h], Host: h, Problem: why}
			}
		}()
	}
	wg.Wait()
	var out []HostProblem
	for _, p := range problems {
		if p != nil {
			out = append(out, *p)
		}
	}
	return slices.Clip(out)
}

// hostProblem resolves host and says what is wrong with it, "" if nothing.
func hostProblem(ctx context.Context, r *net.Resolver, host string, allowPrivate bool) string {
	const refused = "which ingest refuses unless ingest.allow_private_networks: true"
	if ip, err := netip.ParseAddr(host); err == nil {
		if why := nonPublic(ip.Unmap()); why != "" && !allowPrivate {
			return fmt.Sprintf("is %s, %s", why, refused)
		}
		return ""
	}
	ips, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return fmt.Sprintf("does not resolve: %v", err)
	}
	if allowPrivate {
		return ""
	}
	for _, ip := range ips {
		if why := nonPublic(ip.Unmap()); why != "" {
			return fmt.Sprintf("resolves to %s (%s), %s", ip, why, refused)
		}
	}
	return ""
}
