// Package dpop makes the keys and proofs of DPoP, Demonstrating Proof of
// Possession (RFC 9449), for package oauth2: a [Key] set as
// oauth2.Config.DPoP binds the client's tokens to the key, so that a
// stolen token is useless to whoever does not hold the key.
//
//	key, err := dpop.GenerateKey() // ES256; or dpop.NewKey(signer), dpop.ParseKey(saved)
//	cfg := &oauth2.Config{ClientID: "id", Endpoint: ep, DPoP: key}
//
// From then on every token request (every grant, refreshes included, and
// a pushed authorization request) carries a proof; a token the server
// binds to the key (token_type DPoP) records the key's thumbprint
// (oauth2.Token.DPoPJKT) and goes to APIs as "Authorization: DPoP
// <token>" with a fresh proof per request, never as a Bearer token; and
// the nonces servers demand (RFC 9449 §8, §9) are remembered per server
// and answered with one resend. oauth2.BindCodeToDPoPKey binds the
// authorization code to the key too (§10). Package oauth2 documents the
// rules: see oauth2.Config.DPoP and oauth2.Transport. The package Example
// runs a login as the AT Protocol's profile asks for it (a pushed request,
// DPoP and private_key_jwt) against the server of package
// oauth2/oauth2test.
//
// This package holds what a program that does not use DPoP should not
// link: the proofs' JSON, JWS signing and key generation.
//
// # Saving the key with the token
//
// A DPoP-bound token is useless without its key: whoever saves the token
// saves the key too, and restores both. The key is configuration, the
// token is state. Write the key once, as a private JWK
// ([Key.MarshalPrivateJWK]), where only the client can read it (a file
// of mode 0600 beside the token file, a secret store), and load it with
// [ParseKey] at every start, before any token is used; the token goes
// through OnTokenUpdate or a TokenStore as any token does, and carries
// the key's thumbprint in its JSON ("dpop_jkt"). A token restored with
// another key is refused before it is sent (oauth2.ErrDPoPKeyMismatch),
// rather than sent with a proof the server must refuse.
//
// Processes that share a TokenStore (package oauth2/tokenstore, a
// database) share the key the same way: every one loads the same key
// file, and the store holds the token they all use. A process with
// another key fails with ErrDPoPKeyMismatch instead of refreshing the
// shared grant under its key. To move to a new key, authorize again with
// it (or, for a session that runs its own grant, such as client
// credentials, let it run the grant: a token bound to another key is
// renewed that way).
//
// # Keys
//
// [GenerateKey] makes an ES256 key, the algorithm every DPoP server
// accepts (the AT Protocol requires it). [NewKey] takes a signer of
// package jose for any asymmetric algorithm, such as EdDSA, RS256 or
// PS256, or a key in a KMS behind a crypto.Signer. Each proof costs one
// signature; the rest of a proof is a few hundred bytes of JSON and
// base64.
//
// # Concurrency
//
// A Key is immutable and safe for concurrent use by multiple goroutines;
// every proof has its own random jti.
package dpop
