package main

import (
	"testing"

	"github.com/oauthkit/oauth/examples/internal/clitest"
)

func TestFake(t *testing.T) {
	out := clitest.Run(t, run, "-fake", "-scope", "read", "-resource", "https://api.example")
	clitest.Contains(t, out, `got a Bearer token, scope "read"`, "200 OK", `"client_id":"post-client"`)
}

func TestHelp(t *testing.T) {
	clitest.Help(t, run, "OAUTH_CLIENT_ID", "OAUTH_CLIENT_SECRET")
}
