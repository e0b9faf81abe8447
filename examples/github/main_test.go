package main

import (
	"testing"

	"github.com/oauthkit/oauth/examples/internal/clitest"
)

func TestFake(t *testing.T) {
	out := clitest.Run(t, run, "-fake")
	clitest.Contains(t, out, "signed in: oauth2.Token{", "200 OK", `"username":"alice"`)
}

func TestHelp(t *testing.T) {
	clitest.Help(t, run, "GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET")
}
