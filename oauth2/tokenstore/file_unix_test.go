//go:build darwin || dragonfly || freebsd || illumos || linux || netbsd || openbsd

package tokenstore_test

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/tokenstore"
)

// TestFileNotRegular puts a FIFO at Path: Load and Save fail at once
// instead of waiting, in open(2), for a writer that never comes.
func TestFileNotRegular(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token.json")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	f := &tokenstore.File{Path: path}
	done := make(chan error, 2)
	go func() {
		_, _, err := f.Load(context.Background())
		done <- err
	}()
	go func() {
		_, err := f.Save(context.Background(), &oauth2.Token{AccessToken: "at"}, "")
		done <- err
	}()
	for i := 0; i < 2; i++ {
		select {
		case err := <-done:
			if err == nil {
				t.Errorf("Load or Save of a FIFO succeeded, want an error")
			}
		case <-time.After(time.Minute): // a hang guard, not a timing assertion
			t.Fatal("Load or Save of a FIFO blocked")
		}
	}
}
