package signer

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"hash"
)

// HMAC is an HMAC signature method of OAuth 1 (RFC 5849 §3.4.2): the
// signature is the MAC ([crypto/hmac]) of the signature base string under
// the key "consumer secret & token secret", each part percent-encoded by the
// caller.
//
// An HMAC holds no secret; the key is passed to every call. Use the
// predefined values [HMACSHA1], [HMACSHA256] and [HMACSHA512]; the zero value
// is not usable. An HMAC is safe for concurrent use by multiple goroutines.
type HMAC struct {
	name string
	hash func() hash.Hash
	size int
}

var (
	// HMACSHA1 is the "HMAC-SHA1" method of RFC 5849 §3.4.2.
	HMACSHA1 = &HMAC{name: "HMAC-SHA1", hash: sha1.New, size: sha1.Size}
	// HMACSHA256 is "HMAC-SHA256", HMAC-SHA1 with SHA-256 as the hash, as
	// oauthlib and many providers implement it.
	HMACSHA256 = &HMAC{name: "HMAC-SHA256", hash: sha256.New, size: sha256.Size}
	// HMACSHA512 is "HMAC-SHA512", HMAC-SHA1 with SHA-512 as the hash.
	HMACSHA512 = &HMAC{name: "HMAC-SHA512", hash: sha512.New, size: sha512.Size}
)

// Name returns the method's oauth_signature_method value, such as
// "HMAC-SHA1".
func (a *HMAC) Name() string { return a.name }

// Size returns the length of a signature in bytes: 20 for HMAC-SHA1, 32 for
// HMAC-SHA256 and 64 for HMAC-SHA512.
func (a *HMAC) Size() int { return a.size }

// New returns a [hash.Hash] computing the MAC under key
// ([crypto/hmac.New]). To sign many messages with one key, keep it and call
// Reset before each: crypto/hmac then restores the state it reached after
// hashing the key, instead of hashing the key again. The returned hash holds
// the key and is not safe for concurrent use.
func (a *HMAC) New(key []byte) hash.Hash { return hmac.New(a.hash, key) }

// AppendSign appends the raw (not base64-encoded) MAC of message under key
// to dst and returns the extended slice, like [hash.Hash.Sum].
func (a *HMAC) AppendSign(dst, key, message []byte) []byte {
	m := a.New(key)
	m.Write(message)
	return m.Sum(dst)
}

// Sign returns the raw MAC of message under key. OAuth 1 sends it
// base64-encoded (RFC 5849 §3.4.2).
func (a *HMAC) Sign(key, message []byte) []byte {
	return a.AppendSign(make([]byte, 0, a.size), key, message)
}

// Verify reports whether sig is the raw MAC of message under key. It returns
// nil if so and [ErrVerification] otherwise. The comparison takes constant
// time ([crypto/hmac.Equal]).
func (a *HMAC) Verify(key, message, sig []byte) error {
	if !hmac.Equal(a.Sign(key, message), sig) {
		return ErrVerification
	}
	return nil
}
