package tokenstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"unsafe"
)

// LockFileEx and UnlockFileEx (fileapi.h), which package syscall does not
// wrap.
var (
	kernel32         = syscall.NewLazyDLL("kernel32.dll")
	procLockFileEx   = kernel32.NewProc("LockFileEx")
	procUnlockFileEx = kernel32.NewProc("UnlockFileEx")
)

const (
	lockfileFailImmediately = 0x1
	lockfileExclusiveLock   = 0x2

	errorAccessDenied     syscall.Errno = 5
	errorSharingViolation syscall.Errno = 32
	errorLockViolation    syscall.Errno = 33
)

// lockFile takes an exclusive LockFileEx lock on the first byte of the
// file name, created if missing, waiting until ctx is done. The returned
// function unlocks it and closes the file; Windows also releases it when
// the process dies.
func lockFile(ctx context.Context, name string) (unlock func(), err error) {
	fh, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("tokenstore: %w", err)
	}
	release := func() {
		lockFileEx(fh, procUnlockFileEx, 0)
		fh.Close()
	}
	err = lockFileEx(fh, procLockFileEx, lockfileExclusiveLock|lockfileFailImmediately)
	if err == nil {
		return release, nil
	}
	if !errors.Is(err, errorLockViolation) {
		fh.Close()
		return nil, fmt.Errorf("tokenstore: lock %q: %w", name, err)
	}
	// Held elsewhere: wait for it on a goroutine of its own, which the
	// blocking call occupies, so that ctx can end the wait.
	done := make(chan error, 1)
	go func() { done <- lockFileEx(fh, procLockFileEx, lockfileExclusiveLock) }()
	select {
	case err := <-done:
		if err != nil {
			fh.Close()
			return nil, fmt.Errorf("tokenstore: lock %q: %w", name, err)
		}
		return release, nil
	case <-ctx.Done():
		go func() {
			if <-done == nil {
				release()
			} else {
				fh.Close()
			}
		}()
		return nil, fmt.Errorf("tokenstore: lock %q: %w", name, ctx.Err())
	}
}

// lockFileEx calls proc, LockFileEx with flags or UnlockFileEx, on the
// first byte of fh (a synchronous handle: the call returns once done).
func lockFileEx(fh *os.File, proc *syscall.LazyProc, flags uint32) error {
	rc, err := fh.SyscallConn()
	if err != nil {
		return err
	}
	var callErr error
	if err := rc.Control(func(h uintptr) {
		var ol syscall.Overlapped
		var r uintptr
		var e error
		if proc == procLockFileEx {
			r, _, e = proc.Call(h, uintptr(flags), 0, 1, 0, uintptr(unsafe.Pointer(&ol)))
		} else {
			r, _, e = proc.Call(h, 0, 1, 0, uintptr(unsafe.Pointer(&ol)))
		}
		if r == 0 {
			callErr = e
		}
	}); err != nil {
		return err
	}
	return callErr
}

// syncDir does nothing: Windows cannot sync a directory; NTFS journals
// the rename.
func syncDir(string) error { return nil }

// transient reports whether err may go away if the call is tried again:
// another process that has the file open can keep it from being opened
// or replaced for a moment.
func transient(err error) bool {
	return errors.Is(err, errorAccessDenied) || errors.Is(err, errorSharingViolation)
}

// openNonblock is the flag that opens a FIFO without waiting for a writer,
// where there is one.
const openNonblock = 0
