package ingest

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

// errPrivateAddress is returned (wrapped) when the SSRF guard refuses a dial.
var errPrivateAddress = errors.New("ssrf guard: refusing non-public address")

// specialRange is one entry of the IANA special-purpose address registries
// (iana.org/assignments/iana-ipv4-special-registry and
// iana-ipv6-special-registry), plus multicast, which has a registry of its
// own. Every entry is refused, including the few the registry marks
// globally reachable: those are anycast infrastructure (AS112, PCP, TURN,
// AMT, DETs), where no news feed lives. Entries that wrap an IPv4 address
// (NAT64, 6to4, IPv4-mapped) are refused when the wrapped address is.
type specialRange struct {
	prefix netip.Prefix
	name   string
	// embedded extracts the IPv4 address an IPv6 address of this range
	// carries; nil for ranges refused outright.
	embedded func(netip.Addr) netip.Addr
}

func special(prefix, name string) specialRange {
	return specialRange{prefix: netip.MustParsePrefix(prefix), name: name}
}

func wrapping(prefix, name string, embedded func(netip.Addr) netip.Addr) specialRange {
	return specialRange{prefix: netip.MustParsePrefix(prefix), name: name, embedded: embedded}
}

// lastFour is the IPv4 address in the low 32 bits (NAT64, RFC 6052;
// IPv4-mapped, RFC 4291).
func lastFour(a netip.Addr) netip.Addr {
	b := a.As16()
	return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
}

// sixToFour is the IPv4 address in bits 16–47 of a 6to4 address (RFC 3056).
func sixToFour(a netip.Addr) netip.Addr {
	b := a.As16()
	return netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]})
}

// specialRanges is the guard's list, in registry order.
var specialRanges = []specialRange{
	// IPv4 special-purpose address registry.
	special("0.0.0.0/8", `"this network" (RFC 791)`),
	special("10.0.0.0/8", "private use (RFC 1918)"),
	special("100.64.0.0/10", "shared address space (RFC 6598)"),
	special("127.0.0.0/8", "loopback (RFC 1122)"),
	special("169.254.0.0/16", "link local (RFC 3927)"),
	special("172.16.0.0/12", "private use (RFC 1918)"),
	special("192.0.0.0/24", "IETF protocol assignments (RFC 6890)"),
	special("192.0.2.0/24", "documentation, TEST-NET-1 (RFC 5737)"),
	special("192.31.196.0/24", "AS112-v4 (RFC 7535)"),
	special("192.52.193.0/24", "AMT (RFC 7450)"),
	special("192.88.99.0/24", "deprecated 6to4 relay anycast (RFC 7526)"),
	special("192.168.0.0/16", "private use (RFC 1918)"),
	special("192.175.48.0/24", "direct delegation AS112 service (RFC 7534)"),
	special("198.18.0.0/15", "benchmarking (RFC 2544)"),
	special("198.51.100.0/24", "documentation, TEST-NET-2 (RFC 5737)"),
	special("203.0.113.0/24", "documentation, TEST-NET-3 (RFC 5737)"),
	special("224.0.0.0/4", "multicast (RFC 5771)"),
	special("240.0.0.0/4", "reserved (RFC 1112)"),
	special("255.255.255.255/32", "limited broadcast (RFC 919)"),
	// IPv6 special-purpose address registry.
	special("::/96", "unspecified, loopback and IPv4-compatible (RFC 4291)"),
	wrapping("::ffff:0:0/96", "IPv4-mapped (RFC 4291)", lastFour),
	wrapping("64:ff9b::/96", "IPv4-IPv6 translation (RFC 6052)", lastFour),
	special("64:ff9b:1::/48", "local-use IPv4-IPv6 translation (RFC 8215)"),
	special("100::/64", "discard-only (RFC 6666)"),
	special("100:0:0:1::/64", "dummy IPv6 prefix (RFC 9780)"),
	special("2001::/23", "IETF protocol assignments: Teredo, benchmarking, ORCHID, anycast (RFC 2928)"),
	special("2001:db8::/32", "documentation (RFC 3849)"),
	wrapping("2002::/16", "6to4 (RFC 3056)", sixToFour),
	special("2620:4f:8000::/48", "direct delegation AS112 service (RFC 7534)"),
	special("3fff::/20", "documentation (RFC 9637)"),
	special("5f00::/16", "segment routing SIDs (RFC 9602)"),
	special("fc00::/7", "unique local (RFC 4193)"),
	special("fe80::/10", "link-local unicast (RFC 4291)"),
	special("fec0::/10", "deprecated site-local (RFC 3879)"),
	special("ff00::/8", "multicast (RFC 4291)"),
}

// publicOnly is a net.Dialer Control hook that refuses every address in
// specialRanges. It runs after name resolution, on the address actually
// dialled, so a public name resolving to 127.0.0.1 (DNS rebinding) is
// refused too, before any packet is sent.
func publicOnly(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("ssrf guard: %w", err)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("ssrf guard: %q is not an IP address", host)
	}
	if why := nonPublic(ip); why != "" {
		return fmt.Errorf("%w %s: %s (set ingest.allow_private_networks: true to permit)", errPrivateAddress, ip, why)
	}
	return nil
}

// nonPublic names the special-purpose range ip falls in, "" if none.
func nonPublic(ip netip.Addr) string {
	if !ip.IsValid() {
		return "invalid address"
	}
	ip = ip.WithZone("")
	for _, r := range specialRanges {
		if !r.prefix.Contains(ip) {
			continue
		}
		if r.embedded == nil {
			return r.name
		}
		if why := nonPublic(r.embedded(ip)); why != "" {
			return r.name + " of " + why
		}
		return ""
	}
	return ""
}
