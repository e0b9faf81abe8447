//go:build darwin || dragonfly || freebsd || illumos || linux || netbsd || openbsd

package tokenstore_test

import (
	"context"
	"errors"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth2/tokenstore"
)

// TestLeakLockWait: a Lock whose context ends while another File holds
// the lock leaves a goroutine waiting for it; once the holder releases
// the lock, that goroutine takes it, releases it and ends, and the lock
// is free.
func TestLeakLockWait(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token.json")
	holder, waiter := &tokenstore.File{Path: path}, &tokenstore.File{Path: path}
	before := runtime.NumGoroutine()
	unlock, err := holder.Lock(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := waiter.Lock(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("Lock under a held lock with a cancelled context: %v, want context.Canceled", err)
		}
	}
	unlock()
	// The waiting goroutines end once they got the lock and released it
	// (polled, a second at most).
	n := runtime.NumGoroutine()
	for deadline := time.Now().Add(time.Second); n > before && time.Now().Before(deadline); n = runtime.NumGoroutine() {
		time.Sleep(time.Millisecond)
	}
	if n > before {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines before, %d after:\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // a hang, not a timing assertion
	defer cancel()
	u, err := waiter.Lock(ctx)
	if err != nil {
		t.Fatalf("Lock after the holder released it: %v", err)
	}
	u()
}
