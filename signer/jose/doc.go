// Package jose implements the JSON Web Signature algorithms (RFC 7515, RFC
// 7518, RFC 8037) that OAuth 2.0 client assertions, DPoP proofs and ID tokens
// need, and JSON Web Keys (RFC 7517, RFC 7638).
//
// # JWS for OAuth 2
//
// A [Signer] makes JWS signatures (RFC 7515) and a [Verifier] checks
// them, each with one algorithm and one key: HMAC ([HS256], [HS384],
// [HS512]), RSASSA-PKCS1-v1_5 ([RS256], [RS384], [RS512]), RSASSA-PSS
// ([PS256], [PS384], [PS512]), ECDSA ([ES256], [ES384], [ES512]) and Ed25519
// ([EdDSA]); never "none". [SignCompact] takes the exact JSON bytes of the
// header and payload and returns the compact serialization;
// [VerifyCompact] checks the header's "alg" against the verifier's before it
// checks the signature, so a token cannot choose its own algorithm.
//
//	s, err := jose.NewHMAC(jose.HS256, clientSecret)
//	token, err := jose.SignCompact(s, header, claims)
//	header, claims, err := jose.VerifyCompact(s, token) // an HMAC verifies too
//
// Each algorithm family is its own type with its own constructors
// ([NewHMAC], [NewRSASigner], [NewPSSSigner], [NewECDSASigner],
// [NewEd25519Signer] and the matching verifiers), so a program links only
// the families it calls: one that signs client_secret_jwt assertions with
// NewHMAC links no RSA, ECDSA or Ed25519 code. [NewSigner] and
// [NewVerifier] take any algorithm name and link them all. Asymmetric
// signers take any [crypto.Signer] (a KMS or HSM key as well as a
// *rsa.PrivateKey) and have a Public method.
//
// # JSON Web Keys
//
// [ParseJWK] parses a public JSON Web Key (RFC 7517) of type RSA, EC (P-256,
// P-384, P-521) or OKP (Ed25519), and [ParseJWKSet] a provider's JWK Set,
// skipping the keys it cannot use (RFC 7517 §5). Both are strict: duplicate
// members, private members, members of another key type, an "alg" that does
// not fit the key, RSA keys under 2048 bits and EC points off their curve
// are refused. [ParsePrivateJWK] parses a private key, such as a client's
// DPoP key, and checks it against its public members.
//
// [JWK.Verifier] makes a verifier for a key and an algorithm, honouring the
// JWK's "alg", "use" and "key_ops"; a public key never becomes an HMAC
// secret. [PublicJWK] exports the public JWK of a key or signer with only its
// required members in lexicographic order, as a DPoP proof's "jwk" header
// carries it, and [JWK.Thumbprint] is its RFC 7638 thumbprint.
//
//	set, err := jose.ParseJWKSet(body) // read with a MaxJWKSetSize limit
//	for _, k := range set.Keys {
//		if k.KeyID == kid {
//			v, err := k.Verifier(jose.RS256) // the alg expected, not the token's
//			header, claims, err := jose.VerifyCompact(v, idToken)
//		}
//	}
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
// concurrent use by multiple goroutines; a [JWK], a plain struct, is as long
// as no one modifies it. Keys passed to constructors must not be modified
// afterwards.
package jose
