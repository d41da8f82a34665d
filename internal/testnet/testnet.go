// Package testnet has network helpers for tests.
package testnet

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"testing"
)

// FreeAddr returns a loopback address ("127.0.0.1:port") whose port was
// free a moment ago: for a server a test starts there, or for an address
// nothing listens on. The port is one FreePort picks.
func FreeAddr(t testing.TB) string {
	t.Helper()
	p, err := FreePort()
	if err != nil {
		t.Fatalf("testnet: %v", err)
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(p))
}

// FreePort returns a loopback port that is free now and that the kernel
// will not hand out by itself before a server binds it.
//
// A port the kernel picked for "127.0.0.1:0" and that was closed again is
// back in the ephemeral range, where any listener on port 0 and any
// outgoing connection on the machine may take it before the server meant
// for it starts: a three-node test cluster whose route ports were chosen
// that way failed about one start in 25 on a loaded machine ("bind:
// address already in use" on node 3's route port). So FreePort picks at
// random below the ephemeral range, where only an explicit bind to that
// very port could take it, and falls back to the kernel's choice when
// that range is too small.
func FreePort() (int, error) {
	lo := ephemeralLow()
	if from := max(1024, lo/2); lo-from >= 1024 {
		for range 100 {
			p := from + rand.IntN(lo-from)
			ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
			if err == nil {
				ln.Close()
				return p, nil
			}
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// ephemeralLow is the first port of the range the kernel picks from for
// port 0 and outgoing connections: Linux says it in
// /proc/sys/net/ipv4/ip_local_port_range; elsewhere (macOS, the BSDs,
// Windows) the default is IANA's dynamic range from 49152.
func ephemeralLow() int {
	f, err := os.Open("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return 49152
	}
	defer f.Close()
	var lo, hi int
	if _, err := fmt.Fscan(bufio.NewReader(f), &lo, &hi); err != nil || lo <= 0 {
		return 49152
	}
	return lo
}
