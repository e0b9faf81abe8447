package jose

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	_ "crypto/sha256" // registers SHA-256 for crypto.Hash.New
	_ "crypto/sha512" // registers SHA-384 and SHA-512 for crypto.Hash.New
	"encoding/asn1"
	"fmt"
	"math/big"

	"github.com/oauthkit/oauth/signer"
)

// ECDSASigner makes ECDSA JWS signatures (RFC 7518 §3.4): [ES256] on
// P-256, [ES384] on P-384 or [ES512] on P-521. ECDSA signatures are
// randomized. Create one with [NewECDSASigner]; the zero value is not
// usable. An ECDSASigner is safe for concurrent use by multiple goroutines
// if its crypto.Signer is, as *ecdsa.PrivateKey is.
//
// String and Format, with every fmt verb, show only the algorithm, never
// the key.
type ECDSASigner struct {
	jwsName
	c   ecParams
	key crypto.Signer
	pub *ecdsa.PublicKey
}

// NewECDSASigner returns a signer for alg ([ES256], [ES384] or [ES512])
// with key, any [crypto.Signer] whose public key is a *ecdsa.PublicKey on the
// curve of alg: a *ecdsa.PrivateKey, or a key in a KMS or HSM. It signs by
// calling key.Sign with the hash as options and converts the ASN.1
// signature that crypto.Signer returns to the fixed-width R || S form of
// RFC 7518 §3.4.
//
// Another alg gives an error wrapping [signer.ErrUnsupportedAlgorithm]; a nil key
// or a key of another kind or curve one wrapping [signer.ErrWrongKeyType]. The key
// must not be modified after the call.
func NewECDSASigner(alg string, key crypto.Signer) (*ECDSASigner, error) {
	c, err := ecParamsByAlg(alg)
	if err != nil {
		return nil, err
	}
	if k, ok := key.(*ecdsa.PrivateKey); key == nil || ok && (k == nil || k.D == nil) {
		return nil, fmt.Errorf("jose: %w: %s: nil ecdsa private key", signer.ErrWrongKeyType, alg)
	}
	pub, ok := key.Public().(*ecdsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("jose: %w: %s needs an ecdsa key, got a crypto.Signer with a %T public key", signer.ErrWrongKeyType, alg, key.Public())
	}
	if err := checkECDSAPublic(c, pub); err != nil {
		return nil, err
	}
	return &ECDSASigner{jwsName: jwsName{"ECDSASigner", alg}, c: c, key: key, pub: pub}, nil
}

// Sign returns the R || S signature of signingInput, each half as long as
// the curve's order (32, 48 or 66 bytes). Errors from the key's Sign method
// are wrapped.
func (s *ECDSASigner) Sign(signingInput []byte) ([]byte, error) {
	if s.key == nil {
		return nil, errZeroValue("ECDSASigner")
	}
	der, err := s.key.Sign(rand.Reader, jwsDigest(s.c.hash, signingInput), s.c.hash)
	if err != nil {
		return nil, fmt.Errorf("jose: %s: %w", s.alg, err)
	}
	var rs struct{ R, S *big.Int }
	rest, err := asn1.Unmarshal(der, &rs)
	if err != nil || len(rest) != 0 || !ecScalarFits(rs.R, s.c.size) || !ecScalarFits(rs.S, s.c.size) {
		return nil, fmt.Errorf("jose: %s: key returned a malformed ecdsa signature", s.alg)
	}
	sig := make([]byte, 2*s.c.size)
	rs.R.FillBytes(sig[:s.c.size])
	rs.S.FillBytes(sig[s.c.size:])
	return sig, nil
}

// Public returns the signer's *ecdsa.PublicKey.
func (s *ECDSASigner) Public() crypto.PublicKey { return s.pub }

// ECDSAVerifier checks ECDSA JWS signatures (RFC 7518 §3.4): [ES256],
// [ES384] or [ES512]. Only the R || S form verifies, not ASN.1. Create one
// with [NewECDSAVerifier]; the zero value is not usable. An
// ECDSAVerifier is safe for concurrent use by multiple goroutines.
type ECDSAVerifier struct {
	jwsName
	c   ecParams
	pub *ecdsa.PublicKey
}

// NewECDSAVerifier returns a verifier for alg ([ES256], [ES384] or
// [ES512]) with pub, which must be a valid point on the curve of alg.
// Another alg gives an error wrapping [signer.ErrUnsupportedAlgorithm]; another key
// one wrapping [signer.ErrWrongKeyType]. The key must not be modified after the
// call.
func NewECDSAVerifier(alg string, pub *ecdsa.PublicKey) (*ECDSAVerifier, error) {
	c, err := ecParamsByAlg(alg)
	if err != nil {
		return nil, err
	}
	if err := checkECDSAPublic(c, pub); err != nil {
		return nil, err
	}
	return &ECDSAVerifier{jwsName: jwsName{"ECDSAVerifier", alg}, c: c, pub: pub}, nil
}

// Verify returns nil if sig is a valid R || S signature of signingInput and
// [signer.ErrVerification] otherwise.
func (v *ECDSAVerifier) Verify(signingInput, sig []byte) error {
	if v.pub == nil {
		return errZeroValue("ECDSAVerifier")
	}
	if len(sig) != 2*v.c.size {
		return signer.ErrVerification
	}
	r := new(big.Int).SetBytes(sig[:v.c.size])
	s := new(big.Int).SetBytes(sig[v.c.size:])
	if !ecdsa.Verify(v.pub, jwsDigest(v.c.hash, signingInput), r, s) {
		return signer.ErrVerification
	}
	return nil
}

// ecParams are the parameters of one ECDSA JWS algorithm.
type ecParams struct {
	alg   string // "ES256"
	crv   string // the JWK "crv", "P-256"
	curve elliptic.Curve
	hash  crypto.Hash
	size  int // bytes of a coordinate, a private key, and half a signature
}

// ecParamsByAlg returns the parameters of an ES* alg.
func ecParamsByAlg(alg string) (ecParams, error) {
	switch alg {
	case ES256:
		return ecParams{ES256, "P-256", elliptic.P256(), crypto.SHA256, 32}, nil
	case ES384:
		return ecParams{ES384, "P-384", elliptic.P384(), crypto.SHA384, 48}, nil
	case ES512:
		return ecParams{ES512, "P-521", elliptic.P521(), crypto.SHA512, 66}, nil
	}
	return ecParams{}, fmt.Errorf("jose: %w: %q is not an ecdsa jws algorithm", signer.ErrUnsupportedAlgorithm, truncate(alg))
}

// checkECDSAPublic checks that pub is a valid point on the curve of c.
func checkECDSAPublic(c ecParams, pub *ecdsa.PublicKey) error {
	if pub == nil || pub.Curve == nil || pub.X == nil || pub.Y == nil {
		return fmt.Errorf("jose: %w: %s: nil ecdsa public key", signer.ErrWrongKeyType, c.alg)
	}
	if pub.Curve != c.curve {
		name := "an unknown curve"
		if p := pub.Curve.Params(); p != nil && p.Name != "" {
			name = p.Name
		}
		return fmt.Errorf("jose: %w: %s needs a %s key, got %s", signer.ErrWrongKeyType, c.alg, c.crv, truncate(name))
	}
	if _, err := pub.ECDH(); err != nil {
		return fmt.Errorf("jose: %w: %s: invalid %s public key", signer.ErrWrongKeyType, c.alg, c.crv)
	}
	return nil
}

// ecScalarFits reports whether n is positive and fits in size bytes.
func ecScalarFits(n *big.Int, size int) bool {
	return n != nil && n.Sign() > 0 && n.BitLen() <= 8*size
}
