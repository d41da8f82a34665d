package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// proc is one child process the fault test starts, kills and restarts.
// Its output goes to a log file of its own, appended across restarts.
type proc struct {
	name string
	bin  string
	args []string
	log  string

	mu sync.Mutex
	// cmd is the running process, nil while it is down.
	cmd *exec.Cmd
	// exited is closed when the current process has exited.
	exited chan struct{}
	// expectExit is set while the harness stops or kills the process, so
	// that an exit it did not cause is told apart (a crash).
	expectExit bool
	crashes    int
	starts     int
	// held keeps the supervisor from restarting it (a stopped NATS node,
	// the end of the run).
	held bool
}

func newProc(name, dir, bin string, args ...string) *proc {
	return &proc{name: name, bin: bin, args: args, log: filepath.Join(dir, name+".log")}
}

// start starts the process; it must be down.
func (p *proc) start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd != nil {
		return fmt.Errorf("%s: already running", p.name)
	}
	f, err := os.OpenFile(p.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	fmt.Fprintf(f, "---- %s start %d\n", time.Now().UTC().Format(time.RFC3339), p.starts+1)
	cmd := exec.Command(p.bin, p.args...)
	cmd.Stdout, cmd.Stderr = f, f
	// Its own process group: a Ctrl-C on the harness reaches the harness,
	// which then stops its children in order.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", p.name, err)
	}
	p.starts++
	p.cmd, p.expectExit = cmd, false
	exited := make(chan struct{})
	p.exited = exited
	go func() {
		err := cmd.Wait()
		f.Close()
		p.mu.Lock()
		defer p.mu.Unlock()
		if !p.expectExit {
			p.crashes++
			logf("UNEXPECTED EXIT of %s (pid %d): %v; see %s", p.name, cmd.Process.Pid, err, p.log)
		}
		p.cmd = nil
		close(exited)
	}()
	return nil
}

// running reports whether the process is up.
func (p *proc) running() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cmd != nil
}

// signal sends sig to the process (not its group: it has no children)
// and waits for it to exit, at most wait; after that it is killed.
func (p *proc) signal(sig syscall.Signal, wait time.Duration) {
	p.mu.Lock()
	cmd, exited := p.cmd, p.exited
	if cmd == nil {
		p.mu.Unlock()
		return
	}
	p.expectExit = true
	p.mu.Unlock()
	_ = cmd.Process.Signal(sig)
	select {
	case <-exited:
	case <-time.After(wait):
		_ = cmd.Process.Kill()
		<-exited
	}
}

// kill9 is kill -9.
func (p *proc) kill9() { p.signal(syscall.SIGKILL, 10*time.Second) }

// stop is a clean stop (SIGTERM), as systemd or an operator does.
func (p *proc) stop() { p.signal(syscall.SIGTERM, 60*time.Second) }

// supervise starts the process whenever it is down and not held down,
// after delay, as systemd's Restart=always would, until ctx ends.
func (p *proc) supervise(ctx context.Context, delay func() time.Duration) {
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if !p.wantsStart() {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay()):
		}
		if p.wantsStart() {
			if err := p.start(); err != nil {
				logf("restart %s: %v", p.name, err)
			}
		}
	}
}

func (p *proc) wantsStart() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cmd == nil && !p.held
}

// hold keeps the supervisor from starting the process (true) or lets it
// (false).
func (p *proc) hold(h bool) {
	p.mu.Lock()
	p.held = h
	p.mu.Unlock()
}

// tail returns the last n bytes of the process's log.
func (p *proc) tail(n int64) string {
	f, err := os.Open(p.log)
	if err != nil {
		return ""
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return ""
	}
	off := max(0, st.Size()-n)
	b := make([]byte, st.Size()-off)
	_, _ = f.ReadAt(b, off)
	return string(b)
}

var logMu sync.Mutex
var logStart = time.Now()
var logOut io.Writer = os.Stdout

// logf prints one progress line with the seconds since the start.
func logf(format string, args ...any) {
	logMu.Lock()
	defer logMu.Unlock()
	fmt.Fprintf(logOut, "[%6.1fs] %s\n", time.Since(logStart).Seconds(), fmt.Sprintf(format, args...))
}
