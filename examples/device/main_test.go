package main

import (
	"strings"
	"testing"

	"github.com/oauthkit/oauth/examples/internal/clitest"
)

// TestFake runs -fake: the test user approves at the second poll, one
// second apart.
func TestFake(t *testing.T) {
	out := clitest.Run(t, run, "-fake")
	clitest.Contains(t, out, "enter the code ", "authorized: Bearer token")
	if n := strings.Count(out, "waiting for approval... (next poll in 1s)"); n != 2 {
		t.Errorf("%d waiting lines, want one per poll (2):\n%s", n, out)
	}
}

func TestHelp(t *testing.T) {
	clitest.Help(t, run, "GITHUB_CLIENT_ID", "GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET", "MICROSOFT_CLIENT_ID")
}
