//go:build darwin || dragonfly || freebsd || illumos || linux || netbsd || openbsd

package tokenstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockFile takes an exclusive flock(2) on the file name, created with mode
// 0600 if missing, waiting until ctx is done. The lock belongs to the open
// file, which the returned function closes, releasing it; so does the
// death of the process. Files are opened close-on-exec, so a child
// process never inherits it.
func lockFile(ctx context.Context, name string) (unlock func(), err error) {
	fh, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("tokenstore: %w", err)
	}
	release := func() { fh.Close() }
	err = flock(fh, syscall.LOCK_EX|syscall.LOCK_NB)
	if err == nil {
		return release, nil
	}
	if !errors.Is(err, syscall.EWOULDBLOCK) {
		fh.Close()
		return nil, fmt.Errorf("tokenstore: lock %q: %w", name, err)
	}
	// Held elsewhere: wait for it on a goroutine of its own, which the
	// blocking call occupies, so that ctx can end the wait.
	done := make(chan error, 1)
	go func() { done <- flock(fh, syscall.LOCK_EX) }()
	select {
	case err := <-done:
		if err != nil {
			fh.Close()
			return nil, fmt.Errorf("tokenstore: lock %q: %w", name, err)
		}
		return release, nil
	case <-ctx.Done():
		go func() {
			<-done
			fh.Close() // releases the lock if the wait got it
		}()
		return nil, fmt.Errorf("tokenstore: lock %q: %w", name, ctx.Err())
	}
}

// flock calls flock(2) on fh, again when a signal interrupts it.
func flock(fh *os.File, how int) error {
	rc, err := fh.SyscallConn()
	if err != nil {
		return err
	}
	var ferr error
	if err := rc.Control(func(fd uintptr) {
		for {
			if ferr = syscall.Flock(int(fd), how); ferr != syscall.EINTR {
				return
			}
		}
	}); err != nil {
		return err
	}
	return ferr
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// transient reports whether err may go away if the call is tried again: it
// never does here.
func transient(error) bool { return false }

// openNonblock is the flag that opens a FIFO without waiting for a writer,
// where there is one.
const openNonblock = syscall.O_NONBLOCK
