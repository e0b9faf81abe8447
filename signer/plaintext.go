package signer

import "crypto/subtle"

// PlaintextAlgorithm is the type of [Plaintext], the "PLAINTEXT" method of
// RFC 5849 §3.4.4. It has no state; use the [Plaintext] value. It is safe for
// concurrent use by multiple goroutines.
type PlaintextAlgorithm struct{}

// Plaintext is the "PLAINTEXT" method of RFC 5849 §3.4.4: the signature is
// the key ("consumer secret & token secret") itself, and the message is
// ignored. It offers no protection without TLS.
var Plaintext = &PlaintextAlgorithm{}

// Name returns "PLAINTEXT".
func (*PlaintextAlgorithm) Name() string { return "PLAINTEXT" }

// AppendSign appends key to dst and returns the extended slice; message is
// ignored.
func (*PlaintextAlgorithm) AppendSign(dst, key, message []byte) []byte {
	return append(dst, key...)
}

// Sign returns a copy of key; message is ignored.
func (p *PlaintextAlgorithm) Sign(key, message []byte) []byte {
	return p.AppendSign(make([]byte, 0, len(key)), key, message)
}

// Verify returns nil if sig equals key and [ErrVerification] otherwise;
// message is ignored. The comparison takes time that depends on the lengths
// but not the contents ([crypto/subtle.ConstantTimeCompare]).
func (*PlaintextAlgorithm) Verify(key, message, sig []byte) error {
	if subtle.ConstantTimeCompare(key, sig) != 1 {
		return ErrVerification
	}
	return nil
}
