package signer

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"fmt"
)

// RSA is an RSA signature method of OAuth 1 (RFC 5849 §3.4.3): RSASSA-PKCS1-v1_5
// (RFC 3447 §8.2) over the signature base string. PKCS #1 v1.5 signatures
// are deterministic, so the same key and message always give the same
// signature.
//
// An RSA holds no key; the key is passed to every call. Use the predefined
// values [RSASHA1], [RSASHA256] and [RSASHA512]; the zero value is not
// usable. An RSA is safe for concurrent use by multiple goroutines.
type RSA struct {
	name string
	hash crypto.Hash
}

var (
	// RSASHA1 is the "RSA-SHA1" method of RFC 5849 §3.4.3.
	RSASHA1 = &RSA{name: "RSA-SHA1", hash: crypto.SHA1}
	// RSASHA256 is "RSA-SHA256", RSA-SHA1 with SHA-256 as the hash.
	RSASHA256 = &RSA{name: "RSA-SHA256", hash: crypto.SHA256}
	// RSASHA512 is "RSA-SHA512", RSA-SHA1 with SHA-512 as the hash.
	RSASHA512 = &RSA{name: "RSA-SHA512", hash: crypto.SHA512}
)

// Name returns the method's oauth_signature_method value, such as
// "RSA-SHA1".
func (a *RSA) Name() string { return a.name }

// Sign returns the RSASSA-PKCS1-v1_5 signature of message with key. A nil
// key gives an error wrapping [ErrWrongKeyType]; errors from
// [crypto/rsa.SignPKCS1v15] (such as a key too small for the hash) are
// wrapped.
func (a *RSA) Sign(key *rsa.PrivateKey, message []byte) ([]byte, error) {
	if key == nil || key.N == nil {
		return nil, fmt.Errorf("%w: %s: nil rsa private key", ErrWrongKeyType, a.name)
	}
	var buf [sha512.Size]byte
	sig, err := rsa.SignPKCS1v15(nil, key, a.hash, digest(&buf, a.hash, message))
	if err != nil {
		return nil, fmt.Errorf("signer: %s: %w", a.name, err)
	}
	return sig, nil
}

// Verify returns nil if sig is a valid RSASSA-PKCS1-v1_5 signature of
// message by the private key of key, and [ErrVerification] if it is not. A
// nil key gives an error wrapping [ErrWrongKeyType].
func (a *RSA) Verify(key *rsa.PublicKey, message, sig []byte) error {
	if key == nil || key.N == nil {
		return fmt.Errorf("%w: %s: nil rsa public key", ErrWrongKeyType, a.name)
	}
	var buf [sha512.Size]byte
	return rsaVerifyErr(a.name, rsa.VerifyPKCS1v15(key, a.hash, digest(&buf, a.hash, message), sig))
}

// rsaVerifyErr maps crypto/rsa's verification error to ErrVerification and
// wraps anything else (an unusable key, for instance).
func rsaVerifyErr(name string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, rsa.ErrVerification):
		return ErrVerification
	default:
		return fmt.Errorf("signer: %s: %w", name, err)
	}
}

// digest hashes message with h into buf, without allocating, and returns
// the digest.
func digest(buf *[sha512.Size]byte, h crypto.Hash, message []byte) []byte {
	switch h {
	case crypto.SHA1:
		d := sha1.Sum(message)
		return buf[:copy(buf[:], d[:])]
	case crypto.SHA256:
		d := sha256.Sum256(message)
		return buf[:copy(buf[:], d[:])]
	default:
		*buf = sha512.Sum512(message)
		return buf[:]
	}
}
