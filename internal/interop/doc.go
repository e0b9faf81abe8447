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
// OAuth 2, OpenID Connect, DPoP, PAR and RFC 9207: the NodeOP tests drive
// the same packages and oauth2/dpop against panva's oidc-provider, the
// certified OpenID provider on npm, at the release
// testdata/oidcprovider/package-lock.json pins, run by
// testdata/oidcprovider/server.js as a Node.js subprocess on a loopback
// port, with interactions that sign the user in and consent at once (or
// refuse, for login_hint=deny) and PKCE required of every client:
//
//   - discovery, with and without require_pushed_authorization_requests;
//   - the authorization code flow with PKCE S256 and each client
//     authentication method (client_secret_basic, client_secret_post,
//     client_secret_jwt, private_key_jwt with ES256, RS256 and PS256, and
//     none), ID token verification and UserInfo; a login without PKCE and
//     a code exchanged with another verifier, refused;
//   - pushed authorization requests (RFC 9126), asked for, required by
//     the server's metadata, and required by a client's own;
//   - DPoP (RFC 9449): DPoP-bound tokens from logins with dpop_jkt and
//     with a DPoP-proved push, and from client credentials, used at
//     UserInfo and refreshed, with and without server nonces required
//     (use_dpop_nonce answered at the token, PAR and UserInfo
//     endpoints); a code, or a public client's refresh token, bound to
//     one key and presented with another, refused;
//   - refresh with rotation (the old refresh token refused, and the grant
//     ended for its replay), introspection, revocation, client
//     credentials and the device flow through the OP's device pages;
//   - the mix-up defence (RFC 9207): another OP's genuine callback with
//     the same state, and callbacks whose "iss" was removed, repeated or
//     changed, error responses included, refused before any token
//     request.
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
// but go-cmp: zitadel/oidc and what it pulls in are needed here only
// (oidc-provider is an npm package, installed beside server.js). The
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
// The NodeOP tests need node ($OAUTHKIT_NODE, or node on $PATH) and
// oidc-provider installed by `npm ci` in testdata/oidcprovider; without
// them they are skipped, or fail when OAUTHKIT_REQUIRE_NODE_OP=1, as in
// CI.
package interop
