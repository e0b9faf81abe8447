package dpop

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
	"github.com/oauthkit/oauth/signer"
	"github.com/oauthkit/oauth/signer/jose"
)

// ErrNotExportable is returned by [Key.MarshalPrivateJWK] for a key made
// by [NewKey], whose private half is the signer's, out of this package's
// reach: save the key given to the signer's constructor instead (with
// [jose.JWK.MarshalPrivate], for instance).
var ErrNotExportable = errors.New("dpop: the key's private half is not at hand")

// A Key is a DPoP key (RFC 9449): it makes the proofs that bind a
// client's tokens to it, and implements oauth2.DPoP, so that a Config
// holding it in its DPoP field sends a proof with every token request and
// with every request that carries a DPoP-bound token.
//
// Make one with [GenerateKey] (ES256), [NewKey] (a signer of any
// asymmetric algorithm) or [ParseKey] (a saved key). A Key is immutable
// and safe for concurrent use by multiple goroutines. String and Format,
// with every fmt verb, show its algorithm and thumbprint, never the key.
type Key struct {
	// held is the signer and the private key, behind a pointer: fmt
	// walks the fields of a Key it reaches without calling Format (one
	// in an unexported struct field, or printed with %p), and prints a
	// pointer there as an address, never what it points to.
	held *held
	alg  string
	// prefix is the proof's encoded header followed by '.': the same for
	// every proof of the key.
	prefix []byte
	jkt    string
	// rand is the source of jti values.
	rand io.Reader
}

// held is what a Key holds that must not be printed.
type held struct {
	s jose.Signer
	// priv is the private key, for MarshalPrivateJWK; nil when unknown.
	priv crypto.PrivateKey
}

// proofAlgs are the algorithms a Key signs with: the asymmetric JWS
// algorithms of RFC 7518 §3 and RFC 8037 (RFC 9449 §4.2 forbids a MAC).
var proofAlgs = []string{jose.ES256, jose.ES384, jose.ES512, jose.EdDSA,
	jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512}

// NewKey returns a Key that signs proofs with s, a signer of an
// asymmetric algorithm made by package jose's constructor of its family
// (ES256 with jose.NewECDSASigner is the most widely accepted; EdDSA,
// RS256 and PS256 work with servers that list them in
// dpop_signing_alg_values_supported), or any jose.Signer with a
// Public() crypto.PublicKey method. Only that family's code is linked.
//
// A nil s, a signer without Public, or a public key [jose.PublicJWK]
// refuses gives an error wrapping [signer.ErrWrongKeyType]; HMAC and
// "none" one wrapping [signer.ErrUnsupportedAlgorithm]. [Key.MarshalPrivateJWK]
// of the result fails with [ErrNotExportable]: the caller keeps the key
// it gave the signer, and saves that.
func NewKey(s jose.Signer) (*Key, error) {
	return newKey(s, nil)
}

// GenerateKey returns a new ES256 Key: a P-256 key from crypto/rand, the
// algorithm every DPoP server accepts (the AT Protocol requires it). Save
// it with [Key.MarshalPrivateJWK].
func GenerateKey() (*Key, error) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("dpop: generating key: %w", err)
	}
	s, err := jose.NewECDSASigner(jose.ES256, priv)
	if err != nil {
		return nil, err
	}
	return newKey(s, priv)
}

// ParseKey returns the Key of data, a private JWK as
// [Key.MarshalPrivateJWK] writes it (RFC 7517; parsed and checked by
// [jose.ParsePrivateJWK]). The algorithm is the JWK's "alg"; without one,
// ES256, ES384 or ES512 by an EC key's curve, EdDSA for Ed25519, RS256 for
// RSA. It links the signers of every algorithm family. Errors wrap those
// of jose.ParsePrivateJWK ([jose.ErrMalformedJWK],
// [jose.ErrUnsupportedJWK]) or of NewKey; none holds key material.
func ParseKey(data []byte) (*Key, error) {
	k, err := jose.ParsePrivateJWK(data)
	if err != nil {
		return nil, fmt.Errorf("dpop: %w", err)
	}
	alg := k.Algorithm
	if alg == "" {
		switch key := k.Key.(type) {
		case *ecdsa.PrivateKey:
			alg = map[string]string{"P-256": jose.ES256, "P-384": jose.ES384, "P-521": jose.ES512}[key.Curve.Params().Name]
		case crypto.Signer:
			if k.Kty() == "OKP" {
				alg = jose.EdDSA
			} else {
				alg = jose.RS256
			}
		}
	}
	s, err := jose.NewSigner(alg, k.Key)
	if err != nil {
		return nil, fmt.Errorf("dpop: %w", err)
	}
	return newKey(s, k.Key)
}

func newKey(s jose.Signer, priv crypto.PrivateKey) (*Key, error) {
	if s == nil {
		return nil, fmt.Errorf("dpop: %w: nil signer", signer.ErrWrongKeyType)
	}
	alg := s.Alg()
	ok := false
	for _, a := range proofAlgs {
		ok = ok || a == alg
	}
	if !ok {
		return nil, fmt.Errorf("dpop: %w: %q: a proof is signed with a private key (RFC 9449 §4.2)", signer.ErrUnsupportedAlgorithm, clip(alg))
	}
	pub, ok := s.(interface{ Public() crypto.PublicKey })
	if !ok {
		return nil, fmt.Errorf("dpop: %w: the signer has no Public method", signer.ErrWrongKeyType)
	}
	jwk, err := jose.PublicJWK(pub.Public())
	if err != nil {
		return nil, fmt.Errorf("dpop: %w", err)
	}
	jkt, err := jwk.Thumbprint()
	if err != nil {
		return nil, fmt.Errorf("dpop: %w", err)
	}
	pubJSON, err := jwk.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("dpop: %w", err)
	}
	// RFC 9449 §4.2: typ, alg, and the public key as a JWK.
	header := []byte(`{"typ":"dpop+jwt","alg":`)
	header = urlenc.AppendJSONString(header, alg, true)
	header = append(header, `,"jwk":`...)
	header = append(header, pubJSON...)
	header = append(header, '}')
	prefix := base64.RawURLEncoding.AppendEncode(nil, header)
	prefix = append(prefix, '.')
	return &Key{held: &held{s: s, priv: priv}, alg: alg, prefix: prefix, jkt: jkt, rand: rand.Reader}, nil
}

// Alg returns the JWS algorithm of k's proofs, such as "ES256".
func (k *Key) Alg() string { return k.alg }

// Thumbprint returns the RFC 7638 SHA-256 thumbprint of k's public key,
// base64url-encoded: the "jkt" of RFC 9449 §6.1 that a server binds tokens
// to, and the dpop_jkt of an authorization request (§10).
func (k *Key) Thumbprint() string { return k.jkt }

// Proof returns a DPoP proof (RFC 9449 §4.2): a JWT whose header has typ
// "dpop+jwt", k's alg and public key (jwk), and whose claims are a new
// "jti" (128 bits from crypto/rand), "htm" method, "htu" uri, "iat" (iat
// in whole seconds), "ath" (the base64url SHA-256 of accessToken, §4.2),
// when accessToken is not empty, and "nonce" when nonce is not empty.
// uri is used as it is: the target URI without query and fragment, as
// package oauth2 passes it. It fails only if crypto/rand or the signer
// does.
func (k *Key) Proof(method, uri, accessToken, nonce string, iat time.Time) (string, error) {
	var jti [16]byte
	if _, err := io.ReadFull(k.rand, jti[:]); err != nil {
		return "", fmt.Errorf("dpop: jti: %w", err)
	}
	var cb [512]byte
	claims := append(cb[:0], `{"jti":"`...)
	claims = base64.RawURLEncoding.AppendEncode(claims, jti[:])
	claims = urlenc.AppendJSONString(append(claims, `","htm":`...), method, true)
	claims = urlenc.AppendJSONString(append(claims, `,"htu":`...), uri, true)
	claims = strconv.AppendInt(append(claims, `,"iat":`...), iat.Unix(), 10)
	if accessToken != "" {
		sum := sha256.Sum256([]byte(accessToken))
		claims = append(claims, `,"ath":"`...)
		claims = base64.RawURLEncoding.AppendEncode(claims, sum[:])
		claims = append(claims, '"')
	}
	if nonce != "" {
		claims = urlenc.AppendJSONString(append(claims, `,"nonce":`...), nonce, true)
	}
	claims = append(claims, '}')

	enc := base64.RawURLEncoding
	buf := make([]byte, 0, len(k.prefix)+enc.EncodedLen(len(claims))+1+enc.EncodedLen(512))
	buf = append(buf, k.prefix...)
	buf = enc.AppendEncode(buf, claims)
	sig, err := k.held.s.Sign(buf)
	if err != nil {
		return "", fmt.Errorf("dpop: signing proof: %w", err)
	}
	buf = append(buf, '.')
	return string(enc.AppendEncode(buf, sig)), nil
}

// MarshalPrivateJWK returns k's private key as a private JWK with its
// "alg" (RFC 7517; see [jose.JWK.MarshalPrivate]), the form [ParseKey]
// reads back: how a client saves its DPoP key beside its tokens. The
// result is a secret: write it where only the client can read it (a file
// of mode 0600, as a token file), never to a log. A Key made by NewKey
// gives [ErrNotExportable].
func (k *Key) MarshalPrivateJWK() ([]byte, error) {
	if k.held == nil || k.held.priv == nil {
		return nil, ErrNotExportable
	}
	b, err := jose.JWK{Key: k.held.priv, Algorithm: k.alg}.MarshalPrivate()
	if err != nil {
		return nil, fmt.Errorf("dpop: %w", err)
	}
	return b, nil
}

// String returns dpop.Key{Alg:"...",Thumbprint:"..."}: never the key.
func (k *Key) String() string {
	if k == nil {
		return "dpop.Key(nil)"
	}
	return "dpop.Key{Alg:" + strconv.Quote(k.alg) + ",Thumbprint:" + strconv.Quote(k.jkt) + "}"
}

// Format implements fmt.Formatter: %q prints String quoted, every other
// verb prints String, so that no verb reaches the key. Its receiver is a
// value, so that a Key printed as one (dereferenced, or a field of a
// struct) is covered too; a nil *Key prints as "<nil>".
func (k Key) Format(f fmt.State, verb rune) {
	s := k.String()
	if verb == 'q' {
		s = strconv.Quote(s)
	}
	io.WriteString(f, s)
}

// clip bounds a value quoted in an error.
func clip(s string) string {
	if len(s) > 32 {
		return s[:32] + "..."
	}
	return s
}
