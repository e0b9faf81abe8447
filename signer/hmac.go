package signer

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"hash"
	"sync"
)

// HMAC is an HMAC signature method of OAuth 1 (RFC 5849 §3.4.2): the
// signature is the MAC of the signature base string under the key
// "consumer secret & token secret", each part percent-encoded by the caller.
//
// An HMAC holds no secret; the key is passed to every call. Use the
// predefined values [HMACSHA1], [HMACSHA256] and [HMACSHA512]; the zero value
// is not usable. An HMAC is safe for concurrent use by multiple goroutines.
type HMAC struct {
	name      string
	newHash   func() hash.Hash
	size      int
	blockSize int
	// states pools *hmacState values so that signing, a hot path of every
	// OAuth 1 request, allocates nothing in the steady state.
	states sync.Pool
}

// hmacState is the scratch space of one HMAC computation (RFC 2104).
type hmacState struct {
	h     hash.Hash
	key   [sha512.BlockSize]byte
	pad   [sha512.BlockSize]byte
	inner [sha512.Size]byte
}

func newHMAC(name string, newHash func() hash.Hash) *HMAC {
	h := newHash()
	a := &HMAC{name: name, newHash: newHash, size: h.Size(), blockSize: h.BlockSize()}
	a.states.New = func() any { return &hmacState{h: newHash()} }
	return a
}

var (
	// HMACSHA1 is the "HMAC-SHA1" method of RFC 5849 §3.4.2.
	HMACSHA1 = newHMAC("HMAC-SHA1", sha1.New)
	// HMACSHA256 is "HMAC-SHA256", HMAC-SHA1 with SHA-256 as the hash, as
	// oauthlib and many providers implement it.
	HMACSHA256 = newHMAC("HMAC-SHA256", sha256.New)
	// HMACSHA512 is "HMAC-SHA512", HMAC-SHA1 with SHA-512 as the hash.
	HMACSHA512 = newHMAC("HMAC-SHA512", sha512.New)
)

// Name returns the method's oauth_signature_method value, such as
// "HMAC-SHA1".
func (a *HMAC) Name() string { return a.name }

// Size returns the length of a signature in bytes: 20 for HMAC-SHA1, 32 for
// HMAC-SHA256 and 64 for HMAC-SHA512.
func (a *HMAC) Size() int { return a.size }

// AppendSign appends the raw (not base64-encoded) MAC of message under key
// to dst and returns the extended slice, like [hash.Hash.Sum]. When dst has
// room for [HMAC.Size] more bytes it does not allocate.
func (a *HMAC) AppendSign(dst, key, message []byte) []byte {
	// RFC 2104 by hand rather than crypto/hmac.New, whose per-call
	// allocations (two hash states and two pads) would dominate signing;
	// the result is tested against crypto/hmac and the published vectors.
	st := a.states.Get().(*hmacState)
	defer a.states.Put(st)
	h, bs := st.h, a.blockSize
	k := st.key[:bs]
	clear(k)
	if len(key) > bs {
		h.Reset()
		h.Write(key)
		h.Sum(k[:0])
	} else {
		copy(k, key)
	}
	pad := st.pad[:bs]
	for i, c := range k {
		pad[i] = c ^ 0x36
	}
	h.Reset()
	h.Write(pad)
	h.Write(message)
	inner := h.Sum(st.inner[:0])
	for i, c := range k {
		pad[i] = c ^ 0x5c
	}
	h.Reset()
	h.Write(pad)
	h.Write(inner)
	return h.Sum(dst)
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
	var buf [sha512.Size]byte
	mac := a.AppendSign(buf[:0], key, message)
	if !hmac.Equal(mac, sig) {
		return ErrVerification
	}
	return nil
}
