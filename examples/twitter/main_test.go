package main

import (
	"testing"

	"github.com/oauthkit/oauth/examples/internal/clitest"
)

func TestFake(t *testing.T) {
	for _, args := range [][]string{{"-fake"}, {"-fake", "-oob"}} {
		out := clitest.Run(t, run, args...)
		clitest.Contains(t, out, "authorized as @fake_user (user id 1234)", "200 OK", `"signature_method":"HMAC-SHA1"`)
	}
}

func TestHelp(t *testing.T) {
	clitest.Help(t, run, "TWITTER_CONSUMER_KEY", "TWITTER_CONSUMER_SECRET", "-oob")
}
