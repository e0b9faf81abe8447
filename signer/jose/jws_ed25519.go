package jose

import (
	"crypto"
	"crypto/ed25519"
	"fmt"

	"github.com/oauthkit/oauth/signer"
)

// Ed25519Signer makes [EdDSA] JWS signatures with Ed25519 (RFC 8037
// §3.1), which are deterministic. Create one with [NewEd25519Signer]; the
// zero value is not usable. An Ed25519Signer is safe for concurrent use by
// multiple goroutines if its crypto.Signer is, as ed25519.PrivateKey is.
//
// String and Format, with every fmt verb, show only the algorithm, never
// the key.
type Ed25519Signer struct {
	jwsName
	key crypto.Signer
	pub ed25519.PublicKey
}

// NewEd25519Signer returns an [EdDSA] signer with key, any
// [crypto.Signer] whose public key is an ed25519.PublicKey: an
// ed25519.PrivateKey (64 bytes), or a key in a KMS or HSM. It signs by
// calling key.Sign with crypto.Hash(0) as options, which is pure Ed25519,
// not Ed25519ph.
//
// A nil key, a private key of the wrong length or another kind of key gives
// an error wrapping [signer.ErrWrongKeyType]. The key must not be modified after the
// call.
func NewEd25519Signer(key crypto.Signer) (*Ed25519Signer, error) {
	switch k := key.(type) {
	case nil:
		return nil, fmt.Errorf("jose: %w: %s: nil ed25519 private key", signer.ErrWrongKeyType, EdDSA)
	case ed25519.PrivateKey:
		if len(k) != ed25519.PrivateKeySize {
			return nil, fmt.Errorf("jose: %w: %s: ed25519 private key is %d bytes, want %d", signer.ErrWrongKeyType, EdDSA, len(k), ed25519.PrivateKeySize)
		}
	case *ed25519.PrivateKey:
		if k == nil || len(*k) != ed25519.PrivateKeySize {
			return nil, fmt.Errorf("jose: %w: %s: nil or short ed25519 private key", signer.ErrWrongKeyType, EdDSA)
		}
	}
	pub, ok := key.Public().(ed25519.PublicKey)
	if !ok || len(pub) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("jose: %w: %s needs an ed25519 key, got a crypto.Signer with a %T public key", signer.ErrWrongKeyType, EdDSA, key.Public())
	}
	return &Ed25519Signer{jwsName: jwsName{"Ed25519Signer", EdDSA}, key: key, pub: pub}, nil
}

// Sign returns the Ed25519 signature of signingInput (RFC 8037 §3.1).
// Errors from the key's Sign method are wrapped.
func (s *Ed25519Signer) Sign(signingInput []byte) ([]byte, error) {
	if s.key == nil {
		return nil, errZeroValue("Ed25519Signer")
	}
	sig, err := s.key.Sign(nil, signingInput, crypto.Hash(0))
	if err != nil {
		return nil, fmt.Errorf("jose: %s: %w", EdDSA, err)
	}
	return sig, nil
}

// Public returns the signer's ed25519.PublicKey.
func (s *Ed25519Signer) Public() crypto.PublicKey { return s.pub }

// Ed25519Verifier checks [EdDSA] JWS signatures made with Ed25519
// (RFC 8037 §3.1). Create one with [NewEd25519Verifier]; the zero value is
// not usable. An Ed25519Verifier is safe for concurrent use by multiple
// goroutines.
type Ed25519Verifier struct {
	jwsName
	pub ed25519.PublicKey
}

// NewEd25519Verifier returns an [EdDSA] verifier with pub, which must be
// 32 bytes, or the error wraps [signer.ErrWrongKeyType]. The key must not be
// modified after the call.
func NewEd25519Verifier(pub ed25519.PublicKey) (*Ed25519Verifier, error) {
	if len(pub) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("jose: %w: %s: ed25519 public key is %d bytes, want %d", signer.ErrWrongKeyType, EdDSA, len(pub), ed25519.PublicKeySize)
	}
	return &Ed25519Verifier{jwsName: jwsName{"Ed25519Verifier", EdDSA}, pub: pub}, nil
}

// Verify returns nil if sig is a valid Ed25519 signature of signingInput
// and [signer.ErrVerification] otherwise.
func (v *Ed25519Verifier) Verify(signingInput, sig []byte) error {
	if v.pub == nil {
		return errZeroValue("Ed25519Verifier")
	}
	if !ed25519.Verify(v.pub, signingInput, sig) {
		return signer.ErrVerification
	}
	return nil
}
