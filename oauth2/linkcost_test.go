package oauth2_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestLinkCost builds testdata/linkcost/session, a program that does
// cfg.NewSession(tok).Client().Get(url), and checks with go tool nm that
// it links none of signer/jose's asymmetric JWS families and none of its
// JWK code (only Config.Signer, an interface the user fills, may bring
// them in), while it does link the HMAC signer client_secret_jwt uses;
// that it links none of encoding/json's encoders and decoders (token
// responses are read without them, and only Token's JSON methods, which
// a program calls through encoding/json, use them); and with go list that
// it does not depend on log/slog. It needs the go
// command and takes a few seconds, so -short skips it.
func TestLinkCost(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program; skipped with -short")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	const prog = "./testdata/linkcost/session"
	deps, err := exec.Command(goCmd, "list", "-deps", prog).Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	if !strings.Contains(string(deps), "github.com/oauthkit/oauth/oauth2\n") {
		t.Fatalf("go list -deps %s does not list oauth2: the check sees nothing", prog)
	}
	for _, p := range strings.Fields(string(deps)) {
		if p == "log/slog" {
			t.Errorf("%s depends on log/slog", prog)
		}
	}

	bin := filepath.Join(t.TempDir(), "session")
	if out, err := exec.Command(goCmd, "build", "-o", bin, prog).CombinedOutput(); err != nil {
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
	const jose = "github.com/oauthkit/oauth/signer/jose."
	for _, name := range []string{"(*RSA", "NewRSA", "(*PSS", "NewPSS", "(*ECDSA", "NewECDSA", "(*Ed25519", "NewEd25519",
		"NewSigner", "NewVerifier", "ParseJWK", "ParsePrivateJWK", "ParseJWKSet", "parseJWK", "PublicJWK", "(*JWK)", "JWK."} {
		if has(jose + name) {
			t.Errorf("%s links %s%s*", prog, jose, name)
		}
	}
	for _, name := range []string{"encoding/json.(*decodeState)", "encoding/json.(*encodeState)", "encoding/json.(*Decoder)",
		"encoding/json.Marshal", "encoding/json.Unmarshal", jose + "SignCompact"} {
		if has(name) {
			t.Errorf("%s links %s*", prog, name)
		}
	}
	for _, name := range []string{jose + "NewHMAC", "github.com/oauthkit/oauth/oauth2.(*Config).clientAssertion",
		"github.com/oauthkit/oauth/oauth2.(*jsonDecoder).object", "github.com/oauthkit/oauth/oauth2.(*Transport).RoundTrip"} {
		if !has(name) {
			t.Errorf("%s does not link %s*: the check sees nothing", prog, name)
		}
	}
}
