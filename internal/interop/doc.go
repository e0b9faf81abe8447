// Package interop tests oauthkit against implementations written
// independently of it.
//
// OAuth 2 and OpenID Connect: the tests drive the public API of packages
// oauth2, oauth2/oidc and signer/jose against zitadel/oidc's example OP
// (github.com/zitadel/oidc/v3/example/server/exampleop with its in-memory
// storage), run in the test process on an httptest.Server, through every
// flow it serves: discovery, the authorization code flow with PKCE and each
// client authentication method, ID token verification, UserInfo, refresh,
// introspection, revocation, client credentials, the JWT bearer grant,
// token exchange and the device flow. The users sign in through the OP's
// own login and device pages, which the tests fill in.
//
// OAuth 1.0a: the tests run package oauth1 against Python's oauthlib 3.2.2
// (Debian's python3-oauthlib), with the scripts in testdata/oauthlib, in
// both directions, in every signature method (HMAC-SHA1, HMAC-SHA256,
// HMAC-SHA512, RSA-SHA1, RSA-SHA256, RSA-SHA512, PLAINTEXT) and placement
// (header, query, form body):
//
//   - oauthkit's client against a provider built from oauthlib's endpoints:
//     the three-legged flow (Config.RequestToken, AuthorizationURL,
//     AccessToken) with oob, absent and URL callbacks and several realms,
//     then protected requests through Config.Client and Config.Sign with
//     repeated, empty, reserved and non-ASCII parameters, path escapes,
//     form and non-form bodies, oauth_body_hash and realms; oauthlib must
//     accept them and see the parameters that were sent. Also the errors
//     the provider answers (unknown consumer, wrong secrets, stale
//     timestamp, replayed nonce, refused verifier), a provider that does
//     not confirm the callback, token requests by GET, and oauthkit's
//     default nonce under oauthlib's default validator limits.
//   - oauthlib's Client signing requests, sent with Python's http.client,
//     that oauth1.Verifier checks: it must accept them and read the
//     parameters, realm, callback and verifier oauthlib sent, and refuse a
//     replayed nonce, stale and future timestamps, a tampered request and
//     PLAINTEXT over plain http with the right sentinel.
//
// As root, the OAuth 1.0a tests also run on ports 80 and 443, where the
// base string URI leaves out the default port; elsewhere those cases are
// skipped. Known oauthlib defects (quirks Q1, Q2, Q6, Q7, described in
// oauthlib_test.go) make some cases fail; those cases must fail in the
// documented way, and one that passes fails the test as a stale mark.
//
// It is a module of its own so that the oauthkit module requires nothing
// but go-cmp: zitadel/oidc and what it pulls in are needed here only. The
// package has no code besides this comment.
//
// Run it from this directory, with a Go release as new as zitadel/oidc's
// go.mod asks for:
//
//	cd internal/interop && go test ./...
//
// It needs no network beyond the Go module proxy. The OAuth 1.0a tests
// need a python3 that imports oauthlib 3.2.2 (they look for
// $OAUTHKIT_PYTHON, then python3 on $PATH, then /usr/bin/python3); without
// one they are skipped, or fail when OAUTHKIT_REQUIRE_OAUTHLIB=1, as in CI.
package interop
