package natsembed

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestStoreLock: a second server on the same store directory fails at once
// with ErrInUse, naming the holder; once the first shuts down, the store is
// free again.
func TestStoreLock(t *testing.T) {
	dir := t.TempDir()
	first, err := Start(Options{StoreDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Start(Options{StoreDir: dir})
	if !errors.Is(err, ErrInUse) {
		first.Shutdown()
		t.Fatalf("second server on the same store: %v, want ErrInUse", err)
	}
	if !strings.Contains(err.Error(), "pid "+strconv.Itoa(os.Getpid())) || !strings.Contains(err.Error(), dir) {
		t.Errorf("error %q does not name the directory and the holder", err)
	}
	first.Shutdown()
	again, err := Start(Options{StoreDir: dir})
	if err != nil {
		t.Fatalf("store still locked after shutdown: %v", err)
	}
	again.Shutdown()
}
