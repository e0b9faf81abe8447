package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"strings"
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

// TestHelpHidesSecret checks that -h does not print the secret of the
// environment (a flag's default would be).
func TestHelpHidesSecret(t *testing.T) {
	const secret = "s3cret-from-the-environment"
	t.Setenv("OAUTH_CLIENT_SECRET", secret)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-h"}, &out); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("run -h = %v, want flag.ErrHelp", err)
	}
	if strings.Contains(out.String(), secret) {
		t.Errorf("-h prints the client secret:\n%s", out.String())
	}
}
