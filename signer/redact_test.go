package signer_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/oauthkit/oauth/signer"
)

// TestNoKeyInPrintedValues prints every signer type with every fmt verb
// and through slog's JSON and text handlers and checks that no secret or
// private key shows.
func TestNoKeyInPrintedValues(t *testing.T) {
	k := keys(t)
	secret := []byte("HMAC-CONSUMER-SECRET&TOKEN-SECRET")
	// An HMAC secret as fmt prints a []byte ([72 77 ...]) and as text; the
	// RSA key as fmt prints its numbers.
	secrets := []string{string(secret), strings.Trim(fmt.Sprint(secret[:8]), "[]"),
		k.RSA.D.String()[:24], k.RSA.Primes[0].String()[:24]}
	tests := []struct {
		name, alg string
		v         any
	}{
		{"HMAC", "HMAC-SHA1", signer.HMACSHA1},
		{"HMACKey", "HMAC-SHA256", signer.HMACSHA256.NewKey(secret)},
		{"HMACKey value", "HMAC-SHA1", *signer.HMACSHA1.NewKey(secret)},
		{"struct holding an *HMACKey", "HMAC-SHA1", struct{ K *signer.HMACKey }{signer.HMACSHA1.NewKey(secret)}},
		{"struct holding an HMACKey", "HMAC-SHA512", struct{ K signer.HMACKey }{*signer.HMACSHA512.NewKey(secret)}},
		{"zero HMACKey", "HMACKey", signer.HMACKey{}},
		{"RSA", "RSA-SHA256", signer.RSASHA256},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forms := map[string]string{}
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
				forms[verb] = fmt.Sprintf(verb, tt.v)
			}
			var jb, tb bytes.Buffer
			slog.New(slog.NewJSONHandler(&jb, nil)).Info("m", "v", tt.v)
			slog.New(slog.NewTextHandler(&tb, nil)).Info("m", "v", tt.v)
			forms["slog json"], forms["slog text"] = jb.String(), tb.String()
			for how, got := range forms {
				for _, s := range secrets {
					if strings.Contains(got, s) {
						t.Errorf("%s printed with %s shows a secret: %s", tt.name, how, got)
					}
				}
			}
			if !strings.Contains(forms["%v"], tt.alg) {
				t.Errorf("Sprintf(%%v) = %s, want it to name %s", forms["%v"], tt.alg)
			}
		})
	}
}
