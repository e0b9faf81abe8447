package jose

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"hash"

	"github.com/oauthkit/oauth/signer"
)

// HMAC signs and verifies JWS with HMAC (RFC 7518 §3.2): [HS256],
// [HS384] or [HS512] with one secret. It is both a [Signer] and a
// [Verifier], and links no asymmetric cryptography into a program.
// Create one with [NewHMAC]; the zero value is not usable. An HMAC is
// safe for concurrent use by multiple goroutines.
//
// String and Format, with every fmt verb, show only the algorithm, never
// the secret.
type HMAC struct {
	jwsName
	hash func() hash.Hash
	key  []byte
}

// NewHMAC returns an HMAC signer and verifier for alg ([HS256], [HS384]
// or [HS512]) with secret, which is copied.
//
// RFC 7518 §3.2 asks for a secret at least as long as the hash output, but
// shorter ones are accepted, because providers issue shorter client secrets
// for client_secret_jwt (RFC 7523 §2.2). Another alg gives an error wrapping
// [signer.ErrUnsupportedAlgorithm]; an empty secret one wrapping [signer.ErrWrongKeyType].
func NewHMAC(alg string, secret []byte) (*HMAC, error) {
	var h func() hash.Hash
	switch alg {
	case HS256:
		h = sha256.New
	case HS384:
		h = sha512.New384
	case HS512:
		h = sha512.New
	default:
		return nil, fmt.Errorf("jose: %w: %q is not an hmac jws algorithm", signer.ErrUnsupportedAlgorithm, truncate(alg))
	}
	if len(secret) == 0 {
		return nil, fmt.Errorf("jose: %w: %s: empty secret", signer.ErrWrongKeyType, alg)
	}
	return &HMAC{jwsName: jwsName{"HMAC", alg}, hash: h, key: append([]byte(nil), secret...)}, nil
}

// Sign returns the MAC of signingInput (RFC 7518 §3.2). It fails only for a
// zero HMAC.
func (s *HMAC) Sign(signingInput []byte) ([]byte, error) {
	if s.hash == nil {
		return nil, errZeroValue("HMAC")
	}
	m := hmac.New(s.hash, s.key)
	m.Write(signingInput)
	return m.Sum(nil), nil
}

// Verify returns nil if sig is the MAC of signingInput and [signer.ErrVerification]
// otherwise. The comparison takes constant time ([crypto/hmac.Equal]).
func (s *HMAC) Verify(signingInput, sig []byte) error {
	mac, err := s.Sign(signingInput)
	if err != nil {
		return err
	}
	if !hmac.Equal(mac, sig) {
		return signer.ErrVerification
	}
	return nil
}
