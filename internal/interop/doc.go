// Package interop tests oauthkit's OAuth 2 and OpenID Connect client
// against an OpenID provider written independently of it: zitadel/oidc's
// example OP (github.com/zitadel/oidc/v3/example/server/exampleop with its
// in-memory storage), run in the test process on an httptest.Server.
//
// It is a module of its own so that the oauthkit module requires nothing
// but go-cmp: zitadel/oidc and what it pulls in are needed here only. The
// package has no code besides this comment; its tests drive the public API
// of packages oauth2, oauth2/oidc and signer/jose through every flow the
// example OP serves: discovery, the authorization code flow with PKCE and
// each client authentication method, ID token verification, UserInfo,
// refresh, introspection, revocation, client credentials, the JWT bearer
// grant, token exchange and the device flow. The users sign in through the
// OP's own login and device pages, which the tests fill in.
//
// Run it from this directory, with a Go release as new as zitadel/oidc's
// go.mod asks for:
//
//	cd internal/interop && go test ./...
//
// It needs no network beyond the Go module proxy, and no server or
// program besides the test binary.
package interop
