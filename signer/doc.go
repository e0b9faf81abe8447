// Package signer implements the signature methods of OAuth 1.0a (RFC 5849
// §3.4) and loads keys from PEM. The JWS algorithms and JSON Web Keys that
// OAuth 2 uses are in the subpackage
// [github.com/oauthkit/oauth/signer/jose].
//
// The package knows nothing of OAuth parameters or HTTP: it signs and
// verifies byte strings. Building the signature base string (RFC 5849
// §3.4.1) is the job of the oauth1 package. It imports neither
// encoding/json nor log/slog, so that a program signing OAuth 1 requests
// stays small.
//
// # OAuth 1 signature methods
//
// [HMACSHA1], [HMACSHA256], [HMACSHA512], [RSASHA1], [RSASHA256],
// [RSASHA512] and [Plaintext] are the signature methods of RFC 5849 §3.4 and
// their common SHA-2 variants. They hold no secret: the key is an argument of
// every call, so one value serves every consumer and token.
//
//	key := []byte("kd94hf93k423kf44&pfkkdhi9sl3r4s00") // consumer secret & token secret, already encoded
//	sig := signer.HMACSHA1.Sign(key, baseString)
//	err := signer.HMACSHA1.Verify(key, baseString, sig) // nil or ErrVerification
//
// The example of [HMAC.Sign] signs the HMAC-SHA1 example of the oauth.net
// test cases.
//
// The HMAC and PLAINTEXT methods have append-style twins ([HMAC.AppendSign])
// so a hot path can sign into a reused buffer, and [HMAC.New] returns the
// [crypto/hmac] hash of one key, to sign many messages with Reset.
//
// # Keys
//
// [ParsePrivateKeyPEM] and [ParsePublicKeyPEM] read PKCS #1, PKCS #8, SEC 1
// and PKIX keys and X.509 certificates. Encrypted PEM is refused with
// [ErrEncryptedPEM]: decrypt the key first.
//
// # Errors
//
// Every Verify returns [ErrVerification], possibly wrapped, when a signature
// does not match. Other failures wrap a sentinel ([ErrWrongKeyType],
// [ErrNoPEM], [ErrEncryptedPEM]) or are a [*PEMError]; test them with
// [errors.Is] and [errors.As]. No error message contains key material.
//
// # Concurrency
//
// All values of this package are immutable once created and safe for
// concurrent use by multiple goroutines, except the [hash.Hash] that
// [HMAC.New] returns, which, like every hash.Hash, serves one goroutine at a
// time. Keys passed to them must not be modified afterwards.
package signer
