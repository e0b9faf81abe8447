package oauth1

import (
	"crypto"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"

	"github.com/oauthkit/oauth/internal/urlenc"
	"github.com/oauthkit/oauth/signer"
)

// A SignatureMethod computes and checks oauth_signature values
// (RFC 5849 §3.4). The package provides HMAC-SHA1, HMAC-SHA256,
// HMAC-SHA512, PLAINTEXT and RSA-SHA1/256/512; users may supply their own.
// Implementations must be safe for concurrent use.
type SignatureMethod interface {
	// Name is the oauth_signature_method value, such as "HMAC-SHA1".
	Name() string

	// AppendSign appends the oauth_signature value for the signature base
	// string base to dst, as text and not yet percent-encoded (Base64 for
	// the HMAC and RSA methods). key is the RFC 5849 §3.4.2 key: the
	// encoded consumer secret, '&', the encoded token secret; methods
	// that sign with a private key ignore it. AppendSign must not retain
	// or modify key or base.
	AppendSign(dst, key, base []byte) ([]byte, error)

	// Verify checks signature, the oauth_signature value as received
	// (percent-decoded), against base. key is as for AppendSign; pub is
	// the consumer's public key for the RSA methods (nil otherwise). A
	// mismatch is an error wrapping [ErrInvalidSignature].
	Verify(key []byte, pub crypto.PublicKey, base, signature []byte) error
}

// The HMAC and PLAINTEXT signature methods (RFC 5849 §3.4.2, §3.4.4; the
// SHA-2 variants as most providers that offer them implement them). They
// must not be changed. A program links only the methods it refers to.
var (
	// HMACSHA1 is "HMAC-SHA1", the default method.
	HMACSHA1 SignatureMethod = &hmacMethod{"HMAC-SHA1", sha1.New}
	// HMACSHA256 is "HMAC-SHA256".
	HMACSHA256 SignatureMethod = &hmacMethod{"HMAC-SHA256", sha256.New}
	// HMACSHA512 is "HMAC-SHA512".
	HMACSHA512 SignatureMethod = &hmacMethod{"HMAC-SHA512", sha512.New}
	// Plaintext is "PLAINTEXT": it sends the key itself as the signature.
	// Use it only over TLS: [Config.Sign] refuses it over plain http to a
	// host that is not a loopback address ([ErrInsecureTransport], unless
	// Config.InsecureAllowHTTP), and [Verifier] refuses it on plain HTTP
	// unless told otherwise.
	Plaintext SignatureMethod = &plaintextMethod{}
)

// ErrNoPrivateKey is returned when an RSA method made with a nil key is
// asked to sign. Such a value can still verify.
var ErrNoPrivateKey = errors.New("oauth1: rsa signature method has no private key")

// RSASHA1 returns the RSA-SHA1 method (RFC 5849 §3.4.3, RSASSA-PKCS1-v1_5)
// signing with key. With a nil key it can only verify (with the public key
// the [Verifier] looks up). Providers such as Jira use it.
func RSASHA1(key *rsa.PrivateKey) SignatureMethod { return &rsaMethod{signer.RSASHA1, key} }

// RSASHA256 is [RSASHA1] with SHA-256.
func RSASHA256(key *rsa.PrivateKey) SignatureMethod { return &rsaMethod{signer.RSASHA256, key} }

// RSASHA512 is [RSASHA1] with SHA-512.
func RSASHA512(key *rsa.PrivateKey) SignatureMethod { return &rsaMethod{signer.RSASHA512, key} }

// DefaultMethods are the methods a [Verifier] accepts when its Methods
// field is nil: every method of this package, the RSA ones verify-only.
func DefaultMethods() []SignatureMethod {
	return []SignatureMethod{HMACSHA1, HMACSHA256, HMACSHA512, Plaintext,
		RSASHA1(nil), RSASHA256(nil), RSASHA512(nil)}
}

// The methods print as their name. An RSA method holds a private key,
// which no fmt verb may show: its Format prints the name for every verb.
// [Config] relies on this.

func (m *hmacMethod) String() string               { return m.Name() }
func (m *plaintextMethod) String() string          { return m.Name() }
func (m *rsaMethod) String() string                { return m.Name() }
func (m *rsaMethod) Format(f fmt.State, verb rune) { urlenc.Format(f, verb, m.Name()) }

// hmacMethod signs with crypto/hmac and the hash function of its name.
type hmacMethod struct {
	name string
	hash func() hash.Hash
}

func (m *hmacMethod) Name() string { return m.name }

func (m *hmacMethod) AppendSign(dst, key, base []byte) ([]byte, error) {
	var sum [sha512.Size]byte // the longest MAC
	mac := hmac.New(m.hash, key)
	mac.Write(base)
	return appendBase64(dst, mac.Sum(sum[:0])), nil
}

func (m *hmacMethod) Verify(key []byte, _ crypto.PublicKey, base, signature []byte) error {
	var raw [sha512.Size + 3]byte // DecodedLen rounds up to a multiple of 3
	if base64.StdEncoding.DecodedLen(len(signature)) > len(raw) {
		return fmt.Errorf("oauth1: %s: malformed signature: %w", m.name, ErrInvalidSignature)
	}
	n, err := base64.StdEncoding.Decode(raw[:], signature)
	if err != nil {
		return fmt.Errorf("oauth1: %s: malformed signature: %w", m.name, ErrInvalidSignature)
	}
	var sum [sha512.Size]byte
	mac := hmac.New(m.hash, key)
	mac.Write(base)
	if !hmac.Equal(mac.Sum(sum[:0]), raw[:n]) {
		return fmt.Errorf("oauth1: %s: %w", m.name, ErrInvalidSignature)
	}
	return nil
}

type plaintextMethod struct{}

func (*plaintextMethod) Name() string { return signer.Plaintext.Name() }

func (*plaintextMethod) AppendSign(dst, key, base []byte) ([]byte, error) {
	return signer.Plaintext.AppendSign(dst, key, base), nil
}

func (*plaintextMethod) Verify(key []byte, _ crypto.PublicKey, base, signature []byte) error {
	if err := signer.Plaintext.Verify(key, base, signature); err != nil {
		return fmt.Errorf("oauth1: PLAINTEXT: %w", ErrInvalidSignature)
	}
	return nil
}

type rsaMethod struct {
	alg *signer.RSA
	key *rsa.PrivateKey
}

func (m *rsaMethod) Name() string { return m.alg.Name() }

func (m *rsaMethod) AppendSign(dst, _, base []byte) ([]byte, error) {
	if m.key == nil {
		return dst, ErrNoPrivateKey
	}
	sig, err := m.alg.Sign(m.key, base)
	if err != nil {
		return dst, fmt.Errorf("oauth1: %s: %w", m.alg.Name(), err)
	}
	return append(dst, base64.StdEncoding.EncodeToString(sig)...), nil
}

func (m *rsaMethod) Verify(_ []byte, pub crypto.PublicKey, base, signature []byte) error {
	rpub, ok := pub.(*rsa.PublicKey)
	if !ok || rpub == nil {
		return fmt.Errorf("oauth1: %s: no rsa public key for the consumer: %w", m.alg.Name(), ErrInvalidSignature)
	}
	raw := make([]byte, base64.StdEncoding.DecodedLen(len(signature)))
	n, err := base64.StdEncoding.Decode(raw, signature)
	if err != nil {
		return fmt.Errorf("oauth1: %s: malformed signature: %w", m.alg.Name(), ErrInvalidSignature)
	}
	if err := m.alg.Verify(rpub, base, raw[:n]); err != nil {
		return fmt.Errorf("oauth1: %s: %w", m.alg.Name(), ErrInvalidSignature)
	}
	return nil
}
