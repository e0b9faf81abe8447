package signer

import "errors"

// ErrVerification is returned, possibly wrapped, by every Verify method of
// this package and of [github.com/oauthkit/oauth/signer/jose], and by
// [github.com/oauthkit/oauth/signer/jose.VerifyCompact], when a signature
// does not match the message and key.
//
// It is deliberately vague, like [crypto/rsa.ErrVerification]: telling a
// caller why a signature is wrong (bad length, bad padding, wrong value)
// helps attackers more than it helps anyone debugging.
var ErrVerification = errors.New("signer: verification failed")

// ErrWrongKeyType is returned, wrapped, when a key is nil, of a type the
// algorithm cannot use, or unusable for it (wrong curve, wrong length, RSA
// size outside 2048 to 8192 bits for JWS, empty HMAC secret), by the PEM
// parsers when a block holds another kind of key than the one asked for,
// and by [github.com/oauthkit/oauth/signer/jose.JWK.Verifier] when the JWK's
// "use" or "key_ops" forbid verifying.
var ErrWrongKeyType = errors.New("signer: wrong key type")

// ErrUnsupportedAlgorithm is returned, wrapped, by the JWS constructors of
// [github.com/oauthkit/oauth/signer/jose] for an algorithm name they do not
// implement, including "none", or one of another family than the
// constructor's (RS256 for jose.NewHMAC).
var ErrUnsupportedAlgorithm = errors.New("signer: unsupported algorithm")
