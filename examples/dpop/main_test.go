package main

import (
	"strings"
	"testing"

	"github.com/oauthkit/oauth/examples/internal/clitest"
)

func TestFake(t *testing.T) {
	out := clitest.Run(t, run, "-fake")
	clitest.Contains(t, out, `DPoP key: dpop.Key{Alg:"ES256"`, `signed in: oauth2.Token{`, `TokenType:"DPoP"`, "refreshed: ")
	if n := strings.Count(out, "API 200 OK: token_type DPoP"); n != 2 {
		t.Errorf("%d DPoP API calls answered 200 OK, want 2:\n%s", n, out)
	}
}

func TestHelp(t *testing.T) {
	clitest.Help(t, run, "OAUTH_ISSUER", "OAUTH_CLIENT_ID", "OAUTH_CLIENT_KEY", "OAUTH_API")
}
