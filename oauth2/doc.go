// Package oauth2 implements the client side of OAuth 2.0 (RFC 6749) with
// bearer tokens (RFC 6750), PKCE (RFC 7636), the device authorization grant
// (RFC 8628), JWT client assertions and grants (RFC 7523), token exchange
// (RFC 8693), revocation (RFC 7009) and introspection (RFC 7662).
//
// A [Config] describes the client and the server's [Endpoint]; a [Session],
// made by [Config.NewSession], runs the grants, holds the current [Token],
// refreshes it and authorizes requests through [Session.Client].
//
// # Authorization code flow
//
//	cfg := &oauth2.Config{
//		ClientID:     "id",
//		ClientSecret: "secret",
//		Endpoint:     oauth2.GitHub,
//		RedirectURL:  "http://127.0.0.1:8080/callback",
//		Scopes:       []string{"read:user"},
//	}
//	s := cfg.NewSession(nil)
//	authURL, state, err := s.AuthorizationURL() // PKCE S256 and 128-bit state, kept by s
//	// send the user to authURL; on the callback:
//	tok, err := s.Exchange(ctx, r.URL.String()) // checks state, sends the verifier
//	resp, err := s.Client().Get("https://api.github.com/user")
//
// Exchange refuses a callback whose state differs ([ErrStateMismatch]) or
// that arrives when no authorization request is pending ([ErrNoState]); an
// error redirect becomes an [*Error] (errors.Is(err, [ErrAccessDenied])).
// When the callback is handled by another process, carry [Session.AuthState]
// over and restore it with [Session.RestoreAuthState].
//
// [CheckResponse] turns an API's refusal into an [*Error] carrying its
// Bearer challenge (RFC 6750 §3), so that errors.Is(err, [ErrInvalidToken])
// tells a revoked token from other failures.
//
// # Other grants
//
// [Session.ClientCredentials], [Session.Password], [Session.DeviceAuth] with
// [Session.DeviceToken] (RFC 8628 polling, slow_down honoured), and
// [Session.Grant] for any other grant type, such as the JWT bearer grant or
// token exchange. Every token a grant obtains becomes the session's token.
// Clients authenticate as [Config.AuthMethod] says: client_secret_basic
// (credentials form-encoded before Base64, RFC 6749 §2.3.1),
// client_secret_post, none, client_secret_jwt and private_key_jwt
// ([Config.Signer]); [AuthAutoDetect] only when asked.
//
// # Refreshing
//
// A Session refreshes its token before it expires ([Config.Leeway]) and
// calls [Session.OnTokenUpdate] with every new token before using it, which
// is where a rotated refresh token is persisted. If that early refresh
// fails, the still-valid token is used until it expires and the next attempt
// is put off; only an expired token surfaces the error. A refreshed token
// that OnTokenUpdate refuses is kept aside, unused, and offered to it again
// at the next attempt (or renewed with its own refresh token once it is
// due), so that a store that fails for a while does not lose a rotated
// refresh token. A Token marshals to
// JSON (field names of golang.org/x/oauth2) with its absolute expiry and
// extra fields, so a saved token reloads intact. A token without a refresh token
// that expires gives [ErrTokenExpired], except one from ClientCredentials,
// for which the grant runs again.
//
// # Provider quirks
//
// Token responses are parsed as JSON or form-encoded by Content-Type (and by
// content when the type says neither), token_type is case-insensitive and
// defaults to Bearer, expires_in may be a number, a float or a string, a
// refresh response without refresh_token keeps the old one, a 2xx with an
// "error" member is an error, and bodies over 1 MiB fail with
// [*ResponseTooLargeError] rather than being truncated. For anything else,
// [Hooks] rewrite the token response before parsing, the protected request
// before sending, and revocation and introspection requests: see
// ExampleHooks_facebook and ExampleHooks_slack.
//
// # Concurrency
//
// Config, Session and Transport are safe for concurrent use. With a valid
// token, a request takes no lock. When many requests find the token expired,
// exactly one refresh runs; the others wait for its result, success or
// failure, each on its own context, and none retries on its own. The refresh
// runs on a context detached from any single caller, bounded by
// [Config.RefreshTimeout], so one caller giving up does not cancel it for the
// rest. No lock is held across network I/O.
//
// # Timeouts
//
// Every request to the token, device authorization, revocation and
// introspection endpoints, and the reading of its response, is bounded:
// by the caller's context when it has a deadline, and otherwise by
// [Config.Timeout] ([DefaultTimeout], 30 seconds, when zero). A refresh
// is bounded by [Config.RefreshTimeout]. [Session.DeviceToken] never waits
// past the device code's expiry, whatever the server's interval or
// Retry-After say; a Retry-After counts for at most 24 hours.
//
// # Hooks that panic
//
// A panic in [Session.OnTokenUpdate] or a [Hooks] function fails the call
// that ran it with a [*PanicError] (the hook's name, the value and the
// stack), on the caller's goroutine and on a refresh's alike; every caller
// waiting for that refresh gets the error, and the session stays usable.
// A refresh also turns a panic in anything else it calls (the HTTP
// client's Transport, a Signer) into a *PanicError, since it runs on a
// goroutine of the package's, where a panic would end the program.
//
// # Security
//
// Tokens and client credentials are never sent over plain http to a host
// that is not a loopback address ([ErrInsecureTransport]) unless
// [Config.InsecureAllowHTTP] is set. A token without an access token is
// never sent. String, Format and LogValue of Token, Config, Session,
// AuthState and DeviceAuth redact every credential.
//
// Requests to the token, device, revocation and introspection endpoints
// never follow redirects (a 3xx answer is an [*Error]), so credentials are
// never re-sent to another URL. [Transport] sends the token on a redirect
// only to the original host or a subdomain of it, compared as net/http
// compares hosts for the Authorization header (an IP address or IPv6 zone
// only to itself), and never again on that redirect chain once a hop went
// without it; with [InQuery] it removes access_token from a redirected
// request's query first, so a server that copies the query into Location
// cannot carry the token along.
//
// Errors hold no credential the library sent or received: an [*Error]
// (from an endpoint, a callback or [CheckResponse]) has every credential
// its request carried (client secret, password, code, verifier, refresh or
// access token, assertion) and its response carried replaced by
// "[redacted]" in every field, wherever it stands as a whole token, and
// every field bounded in length (see Error); a callback URL that does not
// parse gives [ErrMalformedCallback] without the URL; a *PanicError does
// not print the panic's value.
package oauth2
