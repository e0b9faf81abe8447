package main

import (
	"encoding/json"
	"os"
	"path/filepath"
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
