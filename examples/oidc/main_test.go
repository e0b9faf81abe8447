package main

import (
	"testing"

	"github.com/oauthkit/oauth/examples/internal/clitest"
)

func TestFake(t *testing.T) {
	out := clitest.Run(t, run, "-fake")
	clitest.Contains(t, out, "signed in: alice at http://127.0.0.1:", `email "alice@example.com" (verified true)`, `userinfo: name "Alice"`)
}

func TestHelp(t *testing.T) {
	clitest.Help(t, run, "OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET")
}
