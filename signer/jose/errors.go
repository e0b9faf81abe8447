package jose

import "errors"

// ErrMalformedJWS is returned, wrapped, by [VerifyCompact] when the token is
// not a compact JWS it can check: not three parts, bad base64url, a header
// that is not a JSON object or has duplicate members, or a header that lists
// critical extensions ("crit", RFC 7515 §4.1.11), none of which this package
// understands. [SignCompact] returns it for such a header too.
var ErrMalformedJWS = errors.New("jose: malformed jws")

// ErrAlgorithmMismatch is returned, wrapped, by [VerifyCompact] when the
// header's "alg" is missing, "none", or not the verifier's algorithm, by
// [SignCompact] when the header names another algorithm than the signer's,
// and by [JWK.Verifier] when the JWK's "alg" is not the one asked for.
var ErrAlgorithmMismatch = errors.New("jose: algorithm mismatch")

// ErrMalformedJWK is returned, wrapped, by [ParseJWK], [ParsePrivateJWK] and
// [ParseJWKSet] for input that is not a valid JWK or JWK Set (RFC 7517): not
// a JSON object, duplicate or mistyped members, bad base64url, a point not
// on its curve, private members in a public JWK, members of another key
// type, an "alg" that does not fit the key, too large a set. Its messages
// name members, never their values.
var ErrMalformedJWK = errors.New("jose: malformed jwk")

// ErrUnsupportedJWK is returned, wrapped, by [ParseJWK] and
// [ParsePrivateJWK] for a well-formed JWK that this package does not use: an
// unknown "kty" or "crv", an RSA key outside 2048 to 8192 bits or with more
// than two primes, or a symmetric key where a public one is expected.
// [ParseJWKSet] skips such keys, as RFC 7517 §5 asks.
var ErrUnsupportedJWK = errors.New("jose: unsupported jwk")
