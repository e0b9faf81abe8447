package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/oauthkit/oauth/examples/internal/clitest"
	"github.com/oauthkit/oauth/oauth2"
)

// TestFake runs -fake with -token and checks that the token was written
// there, once at sign-in and again at the refresh.
func TestFake(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tok.json")
	out := clitest.Run(t, run, "-fake", "-token", path)
	clitest.Contains(t, out, "signed in; token saved to "+path, ") saved to "+path, `"email":"alice@example.com"`)
	if n := strings.Count(out, "200 OK"); n != 2 {
		t.Errorf("%d API calls answered 200 OK, want 2:\n%s", n, out)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var tok oauth2.Token
	if err := json.Unmarshal(data, &tok); err != nil {
		t.Fatal(err)
	}
	if tok.RefreshToken == "" || !tok.Valid() {
		t.Errorf("saved token has no refresh token or is not valid: %v", &tok)
	}
}

func TestHelp(t *testing.T) {
	clitest.Help(t, run, "GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET", "google-token.json", "google-fake-token.json")
}

// TestSaveTokenNewFile checks that saveToken writes the token only to a
// file of its own, of mode 0600: not through a file or a symlink that
// someone made ready at a name it could guess.
func TestSaveTokenNewFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tok.json")
	elsewhere := filepath.Join(dir, "elsewhere")
	if err := os.WriteFile(elsewhere, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, path+".tmp"); err != nil {
		t.Skip("no symlinks here:", err)
	}
	if err := saveToken(path, &oauth2.Token{AccessToken: "at", RefreshToken: "rt"}); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(elsewhere); err != nil || len(data) != 0 {
		t.Errorf("the file a symlink pointed to holds %q (%v), want it untouched", data, err)
	}
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !fi.Mode().IsRegular() || (runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600) {
		t.Errorf("token file mode = %v, want a regular file of mode 0600", fi.Mode())
	}
}
