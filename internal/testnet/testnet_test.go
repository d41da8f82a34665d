package testnet

import (
	"net"
	"runtime"
	"strconv"
	"testing"
)

// TestFreePort: the port is free (a server can bind it) and, on Linux,
// outside the range the kernel hands out for port 0 and outgoing
// connections.
func TestFreePort(t *testing.T) {
	lo := ephemeralLow()
	for range 20 {
		p, err := FreePort()
		if err != nil {
			t.Fatal(err)
		}
		if runtime.GOOS == "linux" && lo > 2048 && p >= lo {
			t.Errorf("port %d is in the ephemeral range (from %d)", p, lo)
		}
		ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err != nil {
			t.Fatalf("port %d not free: %v", p, err)
		}
		ln.Close()
	}
}
