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

// cgnat is the shared address space of RFC 6598, which netip does not count
// as private but which is not on the public internet either.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// publicOnly is a net.Dialer Control hook that refuses to connect to
// loopback, private, link-local, unspecified, multicast and shared
// addresses. It runs after name resolution, on the address actually dialled,
// so a public name resolving to 127.0.0.1 (DNS rebinding) is refused too.
func publicOnly(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("ssrf guard: %w", err)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("ssrf guard: %q is not an IP address", host)
	}
	if !isPublic(ip) {
		return fmt.Errorf("%w %s (set allow_private_networks to permit)", errPrivateAddress, ip)
	}
	return nil
}

func isPublic(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsValid() && !ip.IsLoopback() && !ip.IsPrivate() && !ip.IsLinkLocalUnicast() &&
		!ip.IsLinkLocalMulticast() && !ip.IsInterfaceLocalMulticast() && !ip.IsMulticast() &&
		!ip.IsUnspecified() && !cgnat.Contains(ip)
}
