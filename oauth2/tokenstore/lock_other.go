//go:build !(darwin || dragonfly || freebsd || illumos || linux || netbsd || openbsd || windows)

package tokenstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
)

// lockFile fails: this system has no file lock that package syscall
// reaches (flock or LockFileEx).
func lockFile(context.Context, string) (func(), error) {
	return nil, fmt.Errorf("tokenstore: no file lock on %s: %w", runtime.GOOS, errors.ErrUnsupported)
}

// syncDir makes a rename in dir durable where the system can.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return nil
	}
	defer d.Close()
	d.Sync() // not every system syncs directories: best effort
	return nil
}

// transient reports whether err may go away if the call is tried again: it
// never does here.
func transient(error) bool { return false }

// openNonblock is the flag that opens a FIFO without waiting for a writer,
// where there is one.
const openNonblock = 0
