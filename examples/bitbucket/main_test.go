package main

import (
	"testing"

	"github.com/oauthkit/oauth/examples/internal/clitest"
)

func TestFake(t *testing.T) {
	for _, args := range [][]string{{"-fake"}, {"-fake", "-oob"}} {
		out := clitest.Run(t, run, args...)
		clitest.Contains(t, out, "authorized: oauth1.Token{", "200 OK", `"signature_method":"HMAC-SHA1"`)
	}
}

func TestHelp(t *testing.T) {
	clitest.Help(t, run, "BITBUCKET_CONSUMER_KEY", "BITBUCKET_CONSUMER_SECRET", "-oob")
}
