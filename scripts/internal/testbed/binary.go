package testbed

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/newsdesk/newsdesk/internal/testnet"
)

// Binary finds a program: flagged when set, else $PATH, then GOPATH/bin.
// hint is the document that says how to install it, named in the error.
func Binary(flagged, name, hint string) (string, error) {
	if flagged != "" {
		return flagged, nil
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	out, err := exec.Command("go", "env", "GOPATH").Output()
	if err == nil {
		for _, d := range filepath.SplitList(strings.TrimSpace(string(out))) {
			p := filepath.Join(d, "bin", name)
			if _, err := os.Stat(p); err == nil {
				return p, nil
			}
		}
	}
	return "", fmt.Errorf("%s not found: go install it (%s)", name, hint)
}

// FreePort is a free loopback port outside the kernel's ephemeral range
// (testnet.FreePort): the nodes and mailpit are started on it later, and
// a killed node restarts on it, so nothing the kernel hands out by itself
// in between may take it.
func FreePort() (int, error) { return testnet.FreePort() }
