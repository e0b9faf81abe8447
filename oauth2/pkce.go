package oauth2

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
)

// GenerateVerifier returns a new PKCE code verifier (RFC 7636 §4.1): 32
// octets from crypto/rand, base64url-encoded without padding (43
// characters), as golang.org/x/oauth2's function of that name does. It
// panics if crypto/rand fails, which no program can recover from. A Login
// makes its own verifier; this serves S256ChallengeOption and
// VerifierOption.
func GenerateVerifier() string {
	v, err := randomString(rand.Reader, 32)
	if err != nil {
		panic(err)
	}
	return v
}

// S256ChallengeFromVerifier returns the S256 code challenge of verifier
// (RFC 7636 §4.2): BASE64URL(SHA256(ASCII(verifier))) without padding.
func S256ChallengeFromVerifier(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// ValidVerifier reports whether v has the syntax RFC 7636 §4.1 requires of
// a code verifier: 43 to 128 characters from A-Z a-z 0-9 - . _ ~.
func ValidVerifier(v string) bool {
	if len(v) < 43 || len(v) > 128 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '.', c == '_', c == '~':
		default:
			return false
		}
	}
	return true
}

// randomString reads n octets from r and returns them base64url-encoded
// without padding.
func randomString(r io.Reader, n int) (string, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("oauth2: reading random bytes: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
