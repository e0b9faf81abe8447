package jose_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestLinkCost builds the programs in testdata/linkcost and checks, with go
// tool nm, which of the package's code is in them: a program pays in binary
// size only for the algorithms it calls. It needs the go command and takes
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
		{"oauth1hmac", append(asymmetricJWS, pkg), []string{"github.com/oauthkit/oauth/signer.(*HMAC).AppendSign"}},
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
