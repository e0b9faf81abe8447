package jose

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	_ "crypto/sha256" // registers SHA-256 for crypto.Hash.New
	_ "crypto/sha512" // registers SHA-384 and SHA-512 for crypto.Hash.New
	"errors"
	"fmt"

	"github.com/oauthkit/oauth/signer"
)

// The RSA key sizes JWS accepts. RFC 7518 §3.3 and §3.5 require at least
// 2048 bits; the upper bound keeps a hostile key from making a verification
// arbitrarily slow.
const (
	minRSABits = 2048
	maxRSABits = 8192
)

// RSASigner makes RSASSA-PKCS1-v1_5 JWS signatures (RFC 7518 §3.3):
// [RS256], [RS384] or [RS512]. PKCS #1 v1.5 signatures are deterministic.
// Create one with [NewRSASigner]; the zero value is not usable. An
// RSASigner is safe for concurrent use by multiple goroutines if its
// crypto.Signer is, as *rsa.PrivateKey is.
//
// String and Format, with every fmt verb, show only the algorithm, never
// the key.
type RSASigner struct {
	jwsName
	hash crypto.Hash
	key  crypto.Signer
	pub  *rsa.PublicKey
}

// NewRSASigner returns a signer for alg ([RS256], [RS384] or [RS512])
// with key, any [crypto.Signer] whose public key is a *rsa.PublicKey of 2048
// to 8192 bits (RFC 7518 §3.3): a *rsa.PrivateKey, or a key in a KMS or HSM.
// It signs by calling key.Sign with the hash as options.
//
// Another alg gives an error wrapping [signer.ErrUnsupportedAlgorithm]; a nil key,
// another kind of key or a key of another size one wrapping
// [signer.ErrWrongKeyType]. The key must not be modified after the call.
func NewRSASigner(alg string, key crypto.Signer) (*RSASigner, error) {
	h, err := rsaHash(alg, 'R')
	if err != nil {
		return nil, err
	}
	pub, err := rsaSignerPublic(alg, key)
	if err != nil {
		return nil, err
	}
	return &RSASigner{jwsName: jwsName{"RSASigner", alg}, hash: h, key: key, pub: pub}, nil
}

// Sign returns the RSASSA-PKCS1-v1_5 signature of signingInput. Errors from
// the key's Sign method are wrapped.
func (s *RSASigner) Sign(signingInput []byte) ([]byte, error) {
	if s.key == nil {
		return nil, errZeroValue("RSASigner")
	}
	sig, err := s.key.Sign(rand.Reader, jwsDigest(s.hash, signingInput), s.hash)
	if err != nil {
		return nil, fmt.Errorf("jose: %s: %w", s.alg, err)
	}
	return sig, nil
}

// Public returns the signer's *rsa.PublicKey.
func (s *RSASigner) Public() crypto.PublicKey { return s.pub }

// RSAVerifier checks RSASSA-PKCS1-v1_5 JWS signatures (RFC 7518 §3.3):
// [RS256], [RS384] or [RS512]. Create one with [NewRSAVerifier]; the zero
// value is not usable. An RSAVerifier is safe for concurrent use by
// multiple goroutines.
type RSAVerifier struct {
	jwsName
	hash crypto.Hash
	pub  *rsa.PublicKey
}

// NewRSAVerifier returns a verifier for alg ([RS256], [RS384] or
// [RS512]) with pub, which must be 2048 to 8192 bits with an odd public
// exponent from 3 to 2³¹-1. Another alg gives an error wrapping
// [signer.ErrUnsupportedAlgorithm]; another key one wrapping [signer.ErrWrongKeyType]. The
// key must not be modified after the call.
func NewRSAVerifier(alg string, pub *rsa.PublicKey) (*RSAVerifier, error) {
	h, err := rsaHash(alg, 'R')
	if err != nil {
		return nil, err
	}
	if err := checkRSAPublic(alg, pub); err != nil {
		return nil, err
	}
	return &RSAVerifier{jwsName: jwsName{"RSAVerifier", alg}, hash: h, pub: pub}, nil
}

// Verify returns nil if sig is a valid RSASSA-PKCS1-v1_5 signature of
// signingInput and [signer.ErrVerification] otherwise.
func (v *RSAVerifier) Verify(signingInput, sig []byte) error {
	if v.pub == nil {
		return errZeroValue("RSAVerifier")
	}
	return rsaVerifyErr(v.alg, rsa.VerifyPKCS1v15(v.pub, v.hash, jwsDigest(v.hash, signingInput), sig))
}

// PSSSigner makes RSASSA-PSS JWS signatures (RFC 7518 §3.5): [PS256],
// [PS384] or [PS512], with MGF1 on the same hash and a salt as long as the
// hash. PSS signatures are randomized. Create one with [NewPSSSigner];
// the zero value is not usable. A PSSSigner is safe for concurrent use by
// multiple goroutines if its crypto.Signer is, as *rsa.PrivateKey is.
//
// String and Format, with every fmt verb, show only the algorithm, never
// the key.
type PSSSigner struct {
	jwsName
	opts *rsa.PSSOptions
	key  crypto.Signer
	pub  *rsa.PublicKey
}

// NewPSSSigner returns a signer for alg ([PS256], [PS384] or [PS512])
// with key, as [NewRSASigner] does for PKCS #1 v1.5. It signs by calling
// key.Sign with *rsa.PSSOptions whose salt length is the hash length.
func NewPSSSigner(alg string, key crypto.Signer) (*PSSSigner, error) {
	h, err := rsaHash(alg, 'P')
	if err != nil {
		return nil, err
	}
	pub, err := rsaSignerPublic(alg, key)
	if err != nil {
		return nil, err
	}
	return &PSSSigner{jwsName: jwsName{"PSSSigner", alg}, opts: pssOptions(h), key: key, pub: pub}, nil
}

// Sign returns an RSASSA-PSS signature of signingInput. Errors from the key's
// Sign method are wrapped.
func (s *PSSSigner) Sign(signingInput []byte) ([]byte, error) {
	if s.key == nil {
		return nil, errZeroValue("PSSSigner")
	}
	sig, err := s.key.Sign(rand.Reader, jwsDigest(s.opts.Hash, signingInput), s.opts)
	if err != nil {
		return nil, fmt.Errorf("jose: %s: %w", s.alg, err)
	}
	return sig, nil
}

// Public returns the signer's *rsa.PublicKey.
func (s *PSSSigner) Public() crypto.PublicKey { return s.pub }

// PSSVerifier checks RSASSA-PSS JWS signatures (RFC 7518 §3.5): [PS256],
// [PS384] or [PS512]. Only a salt as long as the hash verifies. Create one
// with [NewPSSVerifier]; the zero value is not usable. A PSSVerifier is
// safe for concurrent use by multiple goroutines.
type PSSVerifier struct {
	jwsName
	opts *rsa.PSSOptions
	pub  *rsa.PublicKey
}

// NewPSSVerifier returns a verifier for alg ([PS256], [PS384] or
// [PS512]) with pub, which must be as for [NewRSAVerifier].
func NewPSSVerifier(alg string, pub *rsa.PublicKey) (*PSSVerifier, error) {
	h, err := rsaHash(alg, 'P')
	if err != nil {
		return nil, err
	}
	if err := checkRSAPublic(alg, pub); err != nil {
		return nil, err
	}
	return &PSSVerifier{jwsName: jwsName{"PSSVerifier", alg}, opts: pssOptions(h), pub: pub}, nil
}

// Verify returns nil if sig is a valid RSASSA-PSS signature of signingInput
// and [signer.ErrVerification] otherwise.
func (v *PSSVerifier) Verify(signingInput, sig []byte) error {
	if v.pub == nil {
		return errZeroValue("PSSVerifier")
	}
	return rsaVerifyErr(v.alg, rsa.VerifyPSS(v.pub, v.opts.Hash, jwsDigest(v.opts.Hash, signingInput), sig, v.opts))
}

// rsaHash returns the hash of alg, which must be RS* (family 'R') or PS*
// (family 'P').
func rsaHash(alg string, family byte) (crypto.Hash, error) {
	var h crypto.Hash
	switch alg {
	case RS256, PS256:
		h = crypto.SHA256
	case RS384, PS384:
		h = crypto.SHA384
	case RS512, PS512:
		h = crypto.SHA512
	}
	if h == 0 || alg[0] != family {
		kind := "an rsassa-pkcs1-v1_5"
		if family == 'P' {
			kind = "an rsassa-pss"
		}
		return 0, fmt.Errorf("jose: %w: %q is not %s jws algorithm", signer.ErrUnsupportedAlgorithm, truncate(alg), kind)
	}
	return h, nil
}

func pssOptions(h crypto.Hash) *rsa.PSSOptions {
	return &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: h}
}

// rsaSignerPublic returns the RSA public key of key, checked for JWS.
func rsaSignerPublic(alg string, key crypto.Signer) (*rsa.PublicKey, error) {
	if k, ok := key.(*rsa.PrivateKey); key == nil || ok && (k == nil || k.N == nil || k.D == nil) {
		return nil, fmt.Errorf("jose: %w: %s: nil rsa private key", signer.ErrWrongKeyType, alg)
	}
	pub, ok := key.Public().(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("jose: %w: %s needs an rsa key, got a crypto.Signer with a %T public key", signer.ErrWrongKeyType, alg, key.Public())
	}
	if err := checkRSAPublic(alg, pub); err != nil {
		return nil, err
	}
	return pub, nil
}

// checkRSAPublic checks that pub is an RSA key JWS may use: 2048 to 8192
// bits (RFC 7518 §3.3), and an odd public exponent from 3 to 2³¹-1, which
// every RSA implementation accepts.
func checkRSAPublic(alg string, pub *rsa.PublicKey) error {
	if pub == nil || pub.N == nil {
		return fmt.Errorf("jose: %w: %s: nil rsa public key", signer.ErrWrongKeyType, alg)
	}
	if n := pub.N.BitLen(); n < minRSABits || n > maxRSABits {
		return fmt.Errorf("jose: %w: %s: rsa key has %d bits, want %d to %d", signer.ErrWrongKeyType, alg, n, minRSABits, maxRSABits)
	}
	if pub.E < 3 || pub.E > 1<<31-1 || pub.E%2 == 0 {
		return fmt.Errorf("jose: %w: %s: rsa public exponent %d is not an odd number from 3 to 2^31-1", signer.ErrWrongKeyType, alg, pub.E)
	}
	return nil
}

// jwsDigest returns the hash h of msg.
func jwsDigest(h crypto.Hash, msg []byte) []byte {
	d := h.New()
	d.Write(msg)
	return d.Sum(nil)
}

// rsaVerifyErr maps crypto/rsa's verification error to
// signer.ErrVerification and wraps anything else (an unusable key, for
// instance).
func rsaVerifyErr(name string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, rsa.ErrVerification):
		return signer.ErrVerification
	default:
		return fmt.Errorf("jose: %s: %w", name, err)
	}
}
