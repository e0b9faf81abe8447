package jose_test

import (
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// TestLinkCost builds the programs in testdata/linkcost and checks, with go
// tool nm, which of the package's code is in them: a program pays in binary
// size only for the algorithms it calls, and one that signs OAuth 1 requests
// links no code of this package at all. It needs the go command and takes
// a few seconds, so -short skips it.
func TestLinkCost(t *testing.T) {
	if testing.Short() {
		t.Skip("builds programs; skipped with -short")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	const pkg = "github.com/oauthkit/oauth/signer/jose."
	var asymmetricJWS []string
	for _, name := range []string{"(*RSA", "RSA", "NewRSA", "(*PSS", "PSS", "NewPSS", "(*ECDSA", "ECDSA", "NewECDSA",
		"(*Ed25519", "Ed25519", "NewEd25519", "NewSigner", "NewVerifier",
		"rsaHash", "pssOptions", "rsaSignerPublic", "checkRSAPublic", "rsaVerifyErr", "jwsDigest",
		"ecParamsByAlg", "checkECDSAPublic", "ecScalarFits"} {
		asymmetricJWS = append(asymmetricJWS, pkg+name)
	}
	asymmetricJWS = append(asymmetricJWS, "crypto/rsa.Sign", "crypto/rsa.Verify", "crypto/ecdsa.Sign", "crypto/ecdsa.Verify",
		"crypto/ed25519.Sign", "crypto/ed25519.Verify")
	jwk := []string{pkg + "ParseJWK", pkg + "ParsePrivateJWK", pkg + "parseJWK", pkg + "PublicJWK", pkg + "(*JWK)", pkg + "JWK.", "crypto/ecdh."}
	tests := []struct {
		prog      string
		forbidden []string
		required  []string
	}{
		{"hmacjws", append(asymmetricJWS, jwk...), []string{pkg + "SignCompact", pkg + "(*HMAC).Sign"}},
		{"oauth1hmac", []string{pkg}, []string{"github.com/oauthkit/oauth/signer.(*HMAC).AppendSign"}},
		{"oauth1client", []string{pkg}, []string{"github.com/oauthkit/oauth/oauth1.(*hmacMethod).AppendSign", "github.com/oauthkit/oauth/oauth1.(*Transport).RoundTrip"}},
	}
	for _, tt := range tests {
		t.Run(tt.prog, func(t *testing.T) {
			t.Parallel()
			bin := filepath.Join(t.TempDir(), tt.prog)
			if out, err := exec.Command(goCmd, "build", "-o", bin, "./testdata/linkcost/"+tt.prog).CombinedOutput(); err != nil {
				t.Fatalf("go build: %v\n%s", err, out)
			}
			out, err := exec.Command(goCmd, "tool", "nm", bin).Output()
			if err != nil {
				t.Fatalf("go tool nm: %v", err)
			}
			var code []string // text symbols: functions and methods
			for _, line := range strings.Split(string(out), "\n") {
				if f := strings.Fields(line); len(f) == 3 && (f[1] == "T" || f[1] == "t") {
					code = append(code, f[2])
				}
			}
			has := func(prefix string) bool {
				for _, s := range code {
					if strings.HasPrefix(s, prefix) {
						return true
					}
				}
				return false
			}
			for _, p := range tt.forbidden {
				if has(p) {
					t.Errorf("%s links %s*", tt.prog, p)
				}
			}
			for _, p := range tt.required {
				if !has(p) {
					t.Errorf("%s does not link %s*: the check sees nothing", tt.prog, p)
				}
			}
		})
	}
}

// TestOAuth1Dependencies checks, with go list -deps, that the OAuth 1
// programs in testdata/linkcost depend on neither log/slog nor
// encoding/json nor hash/maphash nor this package: importing log/slog alone
// costs 32 KB of binary and encoding/json 12 KB, against a budget of 40 KB
// over net/http for an OAuth 1 program (API v1 §4). oauth1hmac uses
// package signer alone; oauth1client signs requests with
// oauth1.Config.Client.
func TestOAuth1Dependencies(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	goList := func(t *testing.T, args ...string) string {
		t.Helper()
		out, err := exec.Command(goCmd, append([]string{"list"}, args...)...).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", strings.Join(args, " "), err)
		}
		return strings.TrimSpace(string(out))
	}
	forbidden := []string{"log/slog", "encoding/json", "hash/maphash", "github.com/oauthkit/oauth/signer/jose"}
	for _, prog := range []string{"oauth1hmac", "oauth1client"} {
		// Each line: a package the program depends on, then what it imports.
		var deps [][]string
		for _, line := range strings.Split(goList(t, "-deps", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "./testdata/linkcost/"+prog), "\n") {
			deps = append(deps, strings.Fields(line))
		}
		if len(deps) < 3 {
			t.Fatalf("go list -deps %s lists %d packages: the check sees nothing", prog, len(deps))
		}
		for _, f := range forbidden {
			t.Run(prog+"/"+path.Base(f), func(t *testing.T) {
				// The packages that bring f in, other than forbidden ones,
				// which are reported on their own (log/slog imports
				// encoding/json).
				var importers []string
				for _, d := range deps {
					if contains(d[1:], f) && !contains(forbidden, d[0]) {
						importers = append(importers, d[0])
					}
				}
				if len(importers) > 0 {
					t.Errorf("%s depends on %s, imported by %s", prog, f, strings.Join(importers, ", "))
				}
			})
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
