package signer

import "errors"

// ErrVerification is returned, possibly wrapped, by every Verify method when
// a signature does not match the message and key.
//
// It is deliberately vague, like [crypto/rsa.ErrVerification]: telling a
// caller why a signature is wrong (bad length, bad padding, wrong value)
// helps attackers more than it helps anyone debugging.
var ErrVerification = errors.New("signer: verification failed")

// ErrWrongKeyType is returned, wrapped, when a key is nil, of a type the
// algorithm cannot use, or unusable for it (wrong curve, wrong length, empty
// HMAC secret), and by the PEM parsers when a block holds another kind of key
// than the one asked for.
var ErrWrongKeyType = errors.New("signer: wrong key type")

// ErrUnsupportedAlgorithm is returned, wrapped, by [NewJWSSigner] and
// [NewJWSVerifier] for an algorithm name this package does not implement,
// including "none".
var ErrUnsupportedAlgorithm = errors.New("signer: unsupported algorithm")

// ErrMalformedJWS is returned, wrapped, by [JWSVerifier.VerifyCompact] when
// the token is not a compact JWS it can check: not three parts, bad
// base64url, a header that is not a JSON object, or a header that lists
// critical extensions ("crit", RFC 7515 §4.1.11), none of which this package
// understands.
var ErrMalformedJWS = errors.New("signer: malformed jws")

// ErrAlgorithmMismatch is returned, wrapped, by [JWSVerifier.VerifyCompact]
// when the header's "alg" is missing, "none", or not the verifier's
// algorithm, and by [JWSSigner.SignCompact] when the header it is given names
// another algorithm than the signer's.
var ErrAlgorithmMismatch = errors.New("signer: jws algorithm mismatch")
