// Package jose signs and verifies JSON Web Signatures (JWS: RFC 7515, RFC
// 7518, RFC 8037) and reads JSON Web Keys (JWK: RFC 7517, RFC 7638), as
// OAuth 2 client assertions (RFC 7523), DPoP proofs (RFC 9449) and ID tokens
// need them.
//
// Sign a private_key_jwt client assertion with the client's key, which may
// be any [crypto.Signer] (a key from [signer.ParsePrivateKeyPEM], or one in
// a KMS):
//
//	s, err := jose.NewECDSASigner(jose.ES256, key)
//	header := []byte(`{"alg":"ES256","typ":"JWT","kid":"client-key-1"}`)
//	assertion, err := jose.SignCompact(s, header, claims) // claims: the JSON bytes, as they are
//
// An oauth2.Config with s in its Signer field signs its assertions itself.
//
// Verify a token against a provider's JWK Set, with the algorithm expected
// for the key, never the one the token names:
//
//	set, err := jose.ParseJWKSet(body) // body read with a MaxJWKSetSize limit
//	h, err := jose.ParseHeader(token)  // unverified: only to pick the key
//	for _, k := range set.Keys {
//		if k.KeyID == h.KeyID {
//			v, err := k.Verifier(jose.RS256)
//			header, claims, err := jose.VerifyCompact(v, token)
//			// then check the claims: iss, aud, exp...
//		}
//	}
//
// Publish a public key, or bind tokens to it (DPoP's "jkt", RFC 9449 §6.1),
// with its JWK and RFC 7638 thumbprint:
//
//	jwk, err := jose.PublicJWK(s) // json.Marshal(jwk) is the public JWK
//	jkt, err := jwk.Thumbprint()
//
// The Examples run these steps with the published keys of RFC 7515 and
// RFC 8037.
//
// # Signers and verifiers
//
// A [Signer] makes JWS signatures and a [Verifier] checks them, each with
// one algorithm and one key: HMAC ([HS256], [HS384], [HS512]),
// RSASSA-PKCS1-v1_5 ([RS256], [RS384], [RS512]), RSASSA-PSS ([PS256],
// [PS384], [PS512]), ECDSA ([ES256], [ES384], [ES512]) and Ed25519
// ([EdDSA]); never "none". [SignCompact] takes the exact bytes of the header
// and payload and returns the compact serialization; [VerifyCompact] checks
// the header's "alg" against the verifier's before it checks the signature,
// so a token cannot choose its own algorithm. Neither looks at claims.
//
// Each algorithm family is its own type with its own constructors
// ([NewHMAC], [NewRSASigner], [NewPSSSigner], [NewECDSASigner],
// [NewEd25519Signer] and the matching verifiers), so a program links only
// the families it calls: one that signs client_secret_jwt assertions with
// NewHMAC links no RSA, ECDSA or Ed25519 code. [NewSigner] and
// [NewVerifier] take any algorithm name and link them all. An [HMAC] both
// signs and verifies; the asymmetric signers take any crypto.Signer and have
// a Public method.
//
// # JSON Web Keys
//
// [ParseJWK] parses a public JWK of type RSA, EC (P-256, P-384, P-521) or
// OKP (Ed25519), and [ParseJWKSet] a provider's JWK Set, skipping the keys
// it cannot use (RFC 7517 §5). Both are strict: duplicate members, private
// members, members of another key type, an "alg" that does not fit the key,
// RSA keys under 2048 bits and EC points off their curve are refused.
// [ParsePrivateJWK] parses a private key, such as a client's DPoP key, and
// checks it against its public members; [JWK.MarshalPrivate] writes one,
// for the client that saves such a key.
//
// [JWK.Verifier] makes a verifier for a key and an algorithm, honouring the
// JWK's "alg", "use" and "key_ops"; a public key never becomes an HMAC
// secret. [PublicJWK] exports the public JWK of a key or signer with only
// its required members, in lexicographic order, as a DPoP proof's "jwk"
// header carries it, and [JWK.Thumbprint] is its RFC 7638 thumbprint.
//
// # Printing
//
// Signers, verifiers and JWKs print, with every fmt verb, as their type and
// algorithm (and a JWK's "kty", "kid", "alg" and "use"), never their keys.
// log/slog's text handler prints them the same way. Its JSON handler
// marshals them with encoding/json: a JWK as its public JWK, a signer as {}.
//
// # Errors
//
// Failures wrap a sentinel of this package ([ErrMalformedJWS],
// [ErrAlgorithmMismatch], [ErrMalformedJWK], [ErrUnsupportedJWK]) or of
// package signer ([signer.ErrVerification], [signer.ErrWrongKeyType],
// [signer.ErrUnsupportedAlgorithm]); test them with [errors.Is]. No error
// message contains key material.
//
// # Concurrency
//
// All values of this package are immutable once created and safe for
// concurrent use by multiple goroutines; a [JWK] or [JWKSet], a plain
// struct, is as long as no one modifies it. Keys passed to constructors must
// not be modified afterwards.
package jose
