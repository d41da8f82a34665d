package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/natsembed"
	"github.com/newsdesk/newsdesk/internal/smtptest"
)

// TestBackupRestore follows docs/deployment.md with the scripts in
// deploy/: the backup refuses while newsdesk runs on the store; stopped,
// it saves the state directory; after the store is lost, the restore puts
// it back, and the next run knows what was published and mailed (it sends
// nothing twice).
func TestBackupRestore(t *testing.T) {
	for _, tool := range []string{"sh", "flock", "tar", "find"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the deploy scripts need %s: %v", tool, err)
		}
	}
	backup, _ := filepath.Abs("../../deploy/newsdesk-backup")
	restore, _ := filepath.Abs("../../deploy/newsdesk-restore")
	smtpSrv := smtptest.Start(t)
	c := newCronSetup(t, smtpSrv.Addr)
	state := filepath.Join(c.dir, "state")
	c.data, c.out = filepath.Join(state, "nats"), filepath.Join(state, "out")
	c.writeConfig(t, nil)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()

	if code, out, errOut := runCmd(ctx, "run", "--once", "--config", c.config); code != 0 {
		t.Fatalf("first run: exit %d\n%s\n%s", code, out, errOut)
	}
	if n := len(smtpSrv.WaitFor(4, 5*time.Second)); n != 4 {
		t.Fatalf("first run: %d mails, want 4", n)
	}
	archive := filepath.Join(c.dir, "newsdesk.tar.gz")
	script := func(args ...string) (int, string) {
		cmd := exec.CommandContext(ctx, "sh", args...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), out.String()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0, out.String()
	}

	// While newsdesk runs, the backup refuses and says who holds the store.
	// The first run left its pid in the lock file; empty it, so that the
	// pid shows that this run holds the lock, not that the last one did.
	lock := filepath.Join(c.data, natsembed.LockFile)
	if err := os.WriteFile(lock, nil, 0o640); err != nil {
		t.Fatal(err)
	}
	dctx, stop := context.WithCancel(ctx)
	daemon := make(chan int, 1)
	var daemonErr bytes.Buffer // written until daemon sends
	go func() {
		var o bytes.Buffer
		daemon <- run(dctx, []string{"run", "--config", c.config}, &o, &daemonErr)
	}()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if pid, _ := os.ReadFile(lock); strings.TrimSpace(string(pid)) == strconv.Itoa(os.Getpid()) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("run never locked its data directory")
		}
	}
	code, out := script(backup, state, archive)
	if code != 75 || !strings.Contains(out, "in use by newsdesk (pid "+strconv.Itoa(os.Getpid())+")") {
		t.Errorf("backup while running: exit %d, want 75 naming the pid:\n%s", code, out)
	}
	if _, err := os.Stat(archive); err == nil {
		t.Error("backup while running left an archive")
	}
	if code, out := script(restore, archive, state); code == 0 {
		t.Errorf("restore while running: exit 0:\n%s", out)
	}
	stop()
	if code := <-daemon; code != 0 {
		t.Fatalf("run exited %d:\n%s", code, daemonErr.String())
	}

	if code, out := script(backup, state, archive); code != 0 {
		t.Fatalf("backup: exit %d\n%s", code, out)
	}
	// The store is lost.
	if err := os.RemoveAll(c.data); err != nil {
		t.Fatal(err)
	}
	code, out = script(restore, archive, state)
	if code != 0 || !strings.Contains(out, "restored to "+state) {
		t.Fatalf("restore: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(c.data, natsembed.LockFile)); err != nil {
		t.Fatalf("the restored state has no store: %v", err)
	}
	before, _ := filepath.Glob(state + ".before-restore-*")
	if len(before) != 1 {
		t.Errorf("what the directory held before is not kept aside: %v", before)
	}

	code, runOut, errOut := runCmd(ctx, "run", "--once", "--config", c.config)
	if code != 0 || !strings.Contains(runOut, "already published") {
		t.Errorf("run after the restore: exit %d\n%s\n%s", code, runOut, errOut)
	}
	if n := len(smtpSrv.WaitFor(5, time.Second)); n != 4 {
		t.Errorf("%d mails in all, want 4: the restored store forgot what it mailed", n)
	}
	// Not a backup: refused, nothing moved.
	junk := filepath.Join(c.dir, "junk.tar.gz")
	if err := exec.Command("tar", "-C", c.dir, "-czf", junk, "newsdesk.yaml").Run(); err != nil {
		t.Fatal(err)
	}
	if code, out := script(restore, junk, state); code != 1 || !strings.Contains(out, "not a newsdesk-backup archive") {
		t.Errorf("restore of a foreign archive: exit %d\n%s", code, out)
	}
}
