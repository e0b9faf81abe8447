// Package fakeprovider is a strict OAuth 1.0a and OAuth 2.0 provider for
// tests and for the demo: an [http.Handler] ([Provider]) and helpers that
// serve it on loopback through net/http/httptest ([NewServer],
// [NewTLSServer]).
//
// It verifies what it receives as a strict provider would (signatures,
// nonces, timestamps, client authentication, PKCE, one-time codes, DPoP
// proofs, request objects) and can be told to misbehave like real providers
// do, or to attack its client as a malicious OpenID provider would.
// Configure a Provider's fields before the first request; counters may be
// read at any time.
//
// Its OAuth 2 half is also an OpenID provider whose issuer is the server's
// base URL followed by /oauth2: RFC 8414 and OpenID Connect discovery, a JWK
// Set that rotates on command, ID tokens, UserInfo, iss in authorization
// responses (RFC 9207), DPoP (RFC 9449), pushed authorization requests (RFC
// 9126) and request objects (RFC 9101). It signs ID tokens and checks DPoP
// proofs, request objects and client assertions with its own
// standard-library JOSE code, and parses its test keys with crypto/x509:
// it imports no package of the library but internal/urlenc, so a mistake
// in the library's signer cannot hide on both sides.
//
// It never calls testing.TB: the demo uses it as well as the tests. The
// public packages oauth1/oauth1test and oauth2/oauth2test serve it to
// users' tests, with aliases of its types.
package fakeprovider
