package ingest

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// addrsIn returns the first, a middle (first host bit set) and the last
// address of p.
func addrsIn(p netip.Prefix) []netip.Addr {
	first := p.Masked().Addr().AsSlice()
	mid := append([]byte(nil), first...)
	last := append([]byte(nil), first...)
	for bit := p.Bits(); bit < 8*len(first); bit++ {
		last[bit/8] |= 0x80 >> (bit % 8)
	}
	if p.Bits() < 8*len(first) {
		mid[p.Bits()/8] |= 0x80 >> (p.Bits() % 8)
	}
	var out []netip.Addr
	for _, b := range [][]byte{first, mid, last} {
		a, _ := netip.AddrFromSlice(b)
		out = append(out, a)
	}
	return out
}

// ianaSpecial lists every entry of the IANA IPv4 and IPv6 special-purpose
// address registries (2025 editions) plus the multicast blocks, written
// out here independently of specialRanges so that a range missing there
// fails this test. true marks ranges that wrap an IPv4 address.
var ianaSpecial = map[string]bool{
	"0.0.0.0/8": false, "0.0.0.0/32": false, "10.0.0.0/8": false, "100.64.0.0/10": false,
	"127.0.0.0/8": false, "169.254.0.0/16": false, "172.16.0.0/12": false, "192.0.0.0/24": false,
	"192.0.0.0/29": false, "192.0.0.8/32": false, "192.0.0.9/32": false, "192.0.0.10/32": false,
	"192.0.0.170/32": false, "192.0.0.171/32": false, "192.0.2.0/24": false, "192.31.196.0/24": false,
	"192.52.193.0/24": false, "192.88.99.0/24": false, "192.168.0.0/16": false, "192.175.48.0/24": false,
	"198.18.0.0/15": false, "198.51.100.0/24": false, "203.0.113.0/24": false, "224.0.0.0/4": false,
	"240.0.0.0/4": false, "255.255.255.255/32": false,
	"::1/128": false, "::/128": false, "::/96": false, "::ffff:0:0/96": true, "64:ff9b::/96": true,
	"64:ff9b:1::/48": false, "100::/64": false, "100:0:0:1::/64": false, "2001::/23": false, "2001::/32": false,
	"2001:1::1/128": false, "2001:1::2/128": false, "2001:1::3/128": false, "2001:2::/48": false,
	"2001:3::/32": false, "2001:4:112::/48": false, "2001:10::/28": false, "2001:20::/28": false,
	"2001:30::/28": false, "2001:db8::/32": false, "2002::/16": true, "2620:4f:8000::/48": false,
	"3fff::/20": false, "5f00::/16": false, "fc00::/7": false, "fe80::/10": false, "fec0::/10": false,
	"ff00::/8": false,
}

// TestSSRFRegistryAtDialTime dials an address at the start, middle and
// end of every registry entry through the fetcher's dial hook: each is
// refused by the guard before any connection is made. Entries that wrap
// an IPv4 address are dialled wrapping private ones.
func TestSSRFRegistryAtDialTime(t *testing.T) {
	d := &net.Dialer{Timeout: time.Second, Control: publicOnly}
	for prefix, wraps := range ianaSpecial {
		p := netip.MustParsePrefix(prefix)
		addrs := addrsIn(p)
		if wraps {
			addrs = nil
			for _, private := range []string{"10.0.0.1", "127.0.0.1", "192.168.1.1", "169.254.169.254", "198.18.0.1"} {
				addrs = append(addrs, embed(p, netip.MustParseAddr(private)))
			}
		}
		for _, a := range addrs {
			if !p.Contains(a) {
				t.Fatalf("%s: test address %s outside the range", p, a)
			}
			ctx, cancel := context.WithTimeout(t.Context(), time.Second)
			conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(a.String(), "80"))
			cancel()
			if conn != nil {
				conn.Close()
			}
			if !errors.Is(err, errPrivateAddress) {
				t.Errorf("%s: dial %s: %v, want the SSRF guard's refusal", p, a, err)
			}
		}
	}
}

// embed puts v4 into an address of a range that wraps IPv4.
func embed(p netip.Prefix, v4 netip.Addr) netip.Addr {
	b := p.Addr().As16()
	four := v4.As4()
	if p.Bits() == 16 { // 6to4: 2002:AABB:CCDD::
		copy(b[2:6], four[:])
	} else {
		copy(b[12:], four[:])
	}
	return netip.AddrFrom16(b)
}

func TestSSRFPublicAddresses(t *testing.T) {
	for _, s := range []string{
		"93.184.216.34", "1.1.1.1", "8.8.8.8", "192.0.1.255", "198.17.255.255", "198.20.0.0", "223.255.255.255",
		"2a00:1450:4001:80b::200e", "2606:4700:4700::1111",
		"::ffff:93.184.216.34", // IPv4-mapped public
		"64:ff9b::5db8:d822",   // NAT64 of 93.184.216.34
		"2002:5db8:d822::1",    // 6to4 of 93.184.216.34
	} {
		if why := nonPublic(netip.MustParseAddr(s)); why != "" {
			t.Errorf("%s refused as %s", s, why)
		}
		if err := publicOnly("tcp", net.JoinHostPort(s, "443"), nil); err != nil {
			t.Errorf("publicOnly(%s): %v", s, err)
		}
	}
	for _, s := range []string{"0.1.2.3", "198.18.0.1", "198.19.255.255", "240.0.0.1", "255.255.255.255",
		"192.0.2.7", "198.51.100.7", "203.0.113.7", "64:ff9b::a00:1", "2002:c0a8:101::1", "::7f00:1", "::a00:1", "fe80::1%eth0"} {
		if nonPublic(netip.MustParseAddr(s)) == "" {
			t.Errorf("%s counted as public", s)
		}
	}
	if err := publicOnly("tcp", "[64:ff9b::7f00:1]:80", nil); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("NAT64 of loopback: %v, want it named", err)
	}
}

// TestSSRFThroughFetcher requests URLs with literal special-purpose
// addresses through the fetcher: the refusal is permanent and names the
// range.
func TestSSRFThroughFetcher(t *testing.T) {
	cfg := testConfig()
	cfg.AllowPrivateNetworks = false
	cfg.Defaults()
	f := newFetcher(&cfg, time.Now, discardLogger(), mustMetrics(t))
	for _, u := range []string{"http://0.1.2.3/feed", "http://198.18.0.1/feed", "http://[64:ff9b::a9fe:a9fe]/latest/meta-data",
		"http://[2002:7f00:1::1]/", "http://[::7f00:1]/", "http://240.0.0.1/", "http://[fd00::1]:8080/"} {
		_, err := f.fetch(t.Context(), fetchRequest{URL: u, Kind: "feed", MaxBytes: 1 << 20})
		if !errors.Is(err, errPrivateAddress) || !isPermanent(err) {
			t.Errorf("%s: %v, want a permanent SSRF refusal", u, err)
		}
	}
}
