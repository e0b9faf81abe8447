package main

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"regexp"
	"strings"
	"testing"
)

// TestDemo runs the whole demo, verbose, and checks that every step passed
// and that no client secret, consumer secret or password reached the
// output.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every flow against the fake provider")
	}
	var out bytes.Buffer
	if code := run(&out, true, ""); code != 0 {
		t.Fatalf("demo exited %d:\n%s", code, out.String())
	}
	text := out.String()
	if !strings.Contains(text, "demo: all ") || strings.Contains(text, "FAIL") {
		t.Errorf("demo did not report every step passed:\n%s", text)
	}
	for _, secret := range []string{
		"basic-secret", "post-secret", "hmac-sha1-secret", "rsa-sha1-secret", "plaintext-secret",
		"wonderland", "BEGIN RSA PRIVATE KEY", "BEGIN EC PRIVATE KEY",
	} {
		if strings.Contains(text, secret) {
			t.Errorf("demo output contains the secret %q", secret)
		}
	}
	// Every access and refresh token the provider issued is redacted.
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, `"access_token":"`) && !strings.Contains(line, `"access_token":"[redacted]"`) {
			t.Errorf("unredacted access token: %s", line)
		}
	}
}

func TestOnlyFlag(t *testing.T) {
	var out bytes.Buffer
	if code := run(&out, false, "oauth2"); code != 0 {
		t.Fatalf("demo -only oauth2 exited %d:\n%s", code, out.String())
	}
	if strings.Contains(out.String(), "OAuth 1.0a") {
		t.Errorf("-only oauth2 ran the OAuth 1 part:\n%s", out.String())
	}
	// The client authentication seen on the wire, and the simulated waits
	// of the device flow said to be simulated.
	for _, want := range []string{
		"client authentication: client_secret_basic (",
		"client authentication: client_secret_post\n",
		"client authentication: private_key_jwt\n",
		"wait 6s (simulated: ",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("-only oauth2 output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestOnlyOIDC runs the OpenID Connect section alone, verbose, and checks
// that it passed and printed no ID token or nonce.
func TestOnlyOIDC(t *testing.T) {
	var out bytes.Buffer
	if code := run(&out, true, "oidc"); code != 0 {
		t.Fatalf("demo -only oidc exited %d:\n%s", code, out.String())
	}
	text := out.String()
	if !strings.Contains(text, "== Sign in with OpenID Connect") || strings.Contains(text, "OAuth 1.0a") || strings.Contains(text, "client credentials") {
		t.Errorf("-only oidc did not run the OpenID Connect section alone:\n%s", text)
	}
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, `"id_token":"`) && !strings.Contains(line, `"id_token":"[redacted]"`) ||
			strings.Contains(line, "nonce=") && !strings.Contains(line, "nonce=[redacted]") {
			t.Errorf("unredacted ID token or nonce: %s", line)
		}
	}
}

// fakeToken matches an access or refresh token of the fake provider.
var fakeToken = regexp.MustCompile(`\b(at|rt)_[A-Za-z0-9_-]{22}`)

// TestOnlyDPoP runs the DPoP section alone, verbose, and checks that it
// passed and printed no token and no whole proof.
func TestOnlyDPoP(t *testing.T) {
	var out bytes.Buffer
	if code := run(&out, true, "dpop"); code != 0 {
		t.Fatalf("demo -only dpop exited %d:\n%s", code, out.String())
	}
	text := out.String()
	if !strings.Contains(text, "== AT Protocol style sign-in") || strings.Contains(text, "OAuth 1.0a") {
		t.Errorf("-only dpop did not run the DPoP section alone:\n%s", text)
	}
	for _, line := range strings.Split(text, "\n") {
		if fakeToken.MatchString(line) || strings.Contains(line, "Dpop: ") && !strings.HasSuffix(line, "(a DPoP proof)") {
			t.Errorf("a token or a whole proof printed: %s", line)
		}
	}
}

// TestHelp checks that -h says what the demo does and names its flags and
// the parts -only selects.
func TestHelp(t *testing.T) {
	var out bytes.Buffer
	if _, _, err := parseArgs([]string{"-h"}, &out); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("parseArgs(-h) = %v, want flag.ErrHelp", err)
	}
	for _, want := range []string{"walks through OAuth 1.0a and OAuth 2.0", "-v", "-only", "-fake", "oauth1", "oauth2", "oidc", "dpop"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("-h output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestParseArgs(t *testing.T) {
	tests := []struct {
		name        string
		args        []string
		wantVerbose bool
		wantOnly    string
	}{
		{"none", nil, false, ""},
		{"fake is accepted", []string{"-fake"}, false, ""},
		{"fake with others", []string{"-fake", "-v", "-only", "oidc"}, true, "oidc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			verbose, only, err := parseArgs(tt.args, io.Discard)
			if err != nil {
				t.Fatalf("parseArgs(%q) = %v", tt.args, err)
			}
			if verbose != tt.wantVerbose || only != tt.wantOnly {
				t.Errorf("parseArgs(%q) = %v, %q, want %v, %q", tt.args, verbose, only, tt.wantVerbose, tt.wantOnly)
			}
		})
	}
	for _, args := range [][]string{{"-only", "oauth3"}, {"extra"}, {"-nosuchflag"}} {
		if _, _, err := parseArgs(args, io.Discard); err == nil {
			t.Errorf("parseArgs(%q) succeeded, want an error", args)
		}
	}
}
