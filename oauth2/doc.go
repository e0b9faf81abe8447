// Package oauth2 implements the client side of OAuth 2.0 (RFC 6749) with
// bearer tokens (RFC 6750), PKCE (RFC 7636), the device authorization grant
// (RFC 8628), JWT client assertions and grants (RFC 7523), token exchange
// (RFC 8693), resource indicators (RFC 8707), revocation (RFC 7009),
// introspection (RFC 7662), DPoP-bound tokens (RFC 9449), pushed
// authorization requests (RFC 9126) and request objects (RFC 9101). Its
// names follow golang.org/x/oauth2 where that package has the same
// concept.
//
// A [Config] describes the client and the server's [Endpoint]. A web server
// signs users in with a [Login] per sign-in; a [Session] holds a token,
// renews it and authorizes requests; a service's session obtains its own
// tokens:
//
//	cfg := &oauth2.Config{
//		ClientID:     "id",
//		ClientSecret: "secret",
//		Endpoint:     oauth2.GitHub,
//		RedirectURL:  "https://app.example.com/callback",
//		Scopes:       []string{"read:user"},
//	}
//
//	// /login: a new login per sign-in, kept with the user's data.
//	login, err := cfg.NewLogin(r.Context()) // URL, state, PKCE verifier
//	http.Redirect(w, r, login.URL, http.StatusFound)
//
//	// /callback: with the login stored for this browser.
//	tok, err := cfg.CompleteLogin(r.Context(), login, r) // checks state, sends the verifier
//	s := cfg.NewSession(tok)                             // refreshes when needed
//	resp, err := s.Client().Get("https://api.github.com/user")
//
//	// A service: the first token on first use, a new one when it is due.
//	svc := cfg.ClientCredentials(oauth2.SetParam("resource", "https://api.example.com"))
//	resp, err = svc.Client().Get("https://api.example.com/reports")
//
// # Logins
//
// [Config.NewLogin] returns a [Login]: the authorization URL with a state
// of 128 random bits, an S256 PKCE challenge ([Config.PKCE] changes it),
// and a nonce when the scopes hold "openid". Many logins may be pending at
// once: each is a value the app stores per user and deletes once
// completed: server-side, or in an HttpOnly, Secure, SameSite=Lax cookie
// encrypted and authenticated with a server key (AES-GCM), since State,
// CodeVerifier and Nonce are secrets and an edited Login changes what
// CompleteLogin accepts (see [Login]). [Config.CompleteLogin] takes the
// callback request (its query, or a response_mode=form_post body),
// [Config.CompleteLoginURL] the callback URL (its fragment for
// [ImplicitFlow]), [Config.CompleteLoginCode] a code and state a front end
// passed on (and its iss, [WithIssuer]). Each checks the state in
// constant time ([ErrStateMismatch]; [ErrNoState] without a login), the
// issuer (below), turns an error redirect into an [*Error]
// (errors.Is(err, [ErrAccessDenied])) and requires a code
// ([ErrMissingCode]) before any token request.
//
// # Pushed and signed requests
//
// A login can keep its request off the browser's URL: with
// [PushedAuthorization] NewLogin pushes it to [Endpoint.PushedAuthURL]
// with client authentication (RFC 9126) and the URL carries only
// client_id and the request_uri the server returned; with
// [SignedRequestObject] the request goes as a request object signed with
// [Config.Signer] (RFC 9101), in the URL or in the push. NewLogin does
// either by itself for a server whose metadata requires it
// ([Endpoint.RequirePushedAuth], [Endpoint.RequireSignedRequestObject];
// package oauth2/oidc fills them). The push is NewLogin's only request,
// bounded by its ctx; [Login.Expiry] says until when the URL works.
//
// # DPoP
//
// [Config.DPoP], a key such as package oauth2/dpop makes, binds the
// client's tokens to it (RFC 9449): every token request carries a proof,
// a token issued as token_type DPoP records the key ([Token.DPoPJKT]) and
// goes to APIs only as "Authorization: DPoP" with a proof per request,
// never as a Bearer token, and the servers' nonces are remembered and
// answered (see [Transport]). A bound token is never sent with another
// key ([ErrDPoPKeyMismatch]): save the key with the token. The Bluesky /
// AT Protocol profile, for one, asks for all three: a pushed login with
// PKCE and DPoP, and private_key_jwt for confidential clients.
//
// # Mix-up defence
//
// A client that talks to several servers must know which one answered
// (RFC 9207). [Endpoint.Issuer] is the server's issuer identifier, which
// NewLogin records in [Login.Issuer]: a callback whose "iss" is not that
// issuer, byte for byte, or repeats it, is refused ([ErrIssuerMismatch]),
// and so is a callback without "iss" when [Endpoint.IssuerParameter] says
// the server always sends it ([ErrMissingIssuer]), error redirects
// included. Discovery (package oauth2/oidc) fills both; without an
// issuer, an "iss" is not checked.
//
// # Grants and tokens
//
// Config's own methods run a grant once and return the [Token]:
// [Config.Exchange] (a bare code, with [VerifierOption]),
// [Config.PasswordCredentialsToken], [Config.DeviceAuth] with
// [Config.DeviceAccessToken] (RFC 8628 polling, slow_down honoured), and
// [Config.RevokeToken] and [Config.IntrospectToken] for any token. Clients
// authenticate as [Config.AuthMethod] says: by default client_secret_basic
// (credentials form-encoded before Base64, RFC 6749 §2.3.1) with a
// secret, private_key_jwt with a private key ([Config.Signer]) and no
// secret, none with neither; or client_secret_post, client_secret_jwt;
// [AuthAutoDetect] only when asked.
//
// Every call takes [Option] values: [SetParam] adds a parameter (keys may
// repeat, as RFC 8707's resource does), [SetAuthURLParam] replaces one,
// and [AccessTypeOffline], [ApprovalForce], [WithState], [WithPKCE] and
// [ImplicitFlow] shape a login.
//
// # Sessions
//
// A [Session] holds a token and keeps it usable. [Config.NewSession]
// renews it with its refresh token; [Config.ClientCredentials],
// [Config.JWTBearer], [Config.TokenExchange] and [Config.GrantSession]
// make sessions that obtain their first token on first use and renew any
// token they hold by running their grant again (after the refresh token,
// when the server issued one): a restarted service does
// s := cfg.ClientCredentials(); s.SetToken(saved). A session refreshes
// ahead of the expiry ([Config.Leeway]) and sends [Config.Params] and its
// options with every token request.
//
// A Session is a [TokenSource], as a [StaticTokenSource] is; [NewClient]
// and [Session.Client] return an *http.Client whose [Transport] places the
// token ([Config.Placement]).
//
// # Saving tokens
//
// [Session.OnTokenUpdate] is called with every new token the session
// obtains, before the call that obtained it returns: save the token there,
// a rotated refresh token included. The token is used whatever it returns.
// If it fails, an explicit [Session.Refresh] returns its error, an
// automatic refresh does not fail its request, and the session offers the
// token again at its next use, after 1 s, then 2, 4, ... up to a minute,
// until it succeeds. [Session.CachedToken] is always the token to save
// (with a [Session.Store], the store saves it first: see below). A
// Token marshals to JSON with the field names of golang.org/x/oauth2, its
// absolute expiry and its extra fields, so a saved token reloads intact.
//
// [Session.VerifyToken] checks every new token before it is installed and
// offered to OnTokenUpdate; a token it refuses fails the refresh, and the
// session keeps the one it had. Package oauth2/oidc uses it to check the
// ID tokens of refreshes.
//
// # Many processes, one grant
//
// Sessions in several processes that share one grant (replicas of a
// service, a CLI run twice at once) share its token through a
// [TokenStore], set as [Session.Store]: package tokenstore has one on a
// file, for the processes of one host, and any database with a
// compare-and-swap serves a fleet. The rule: the store holds the token
// every session uses, and a session obtains a token only when the store's
// is due, under the store's lock ([TokenLocker]), from the stored refresh
// token, and saves it before using it. So a grant whose refresh tokens
// rotate is refreshed once for all, never twice with one refresh token
// (which a server with reuse detection punishes by revoking the grant,
// RFC 9700 §4.14.2).
//
// In detail, when a session's token is due it reads the store and takes
// the token there if another session saved a fresh one; otherwise it
// takes the lock, reads again (the holder before it may have just saved),
// renews, and saves with compare-and-swap on the version it read. If
// that save loses ([ErrStoreConflict]: a session that saved without the
// lock, or whose lease had expired), it takes the winner's token and
// drops its own; if the save fails, it uses its token and offers it again
// later, and meanwhile renews from it, not from the older stored one.
// OnTokenUpdate sees the tokens a session obtained, after the store. A
// session holds the lock only while it reads, renews and saves, never
// while it sends requests; with a valid token it does not touch the
// store. A holder that crashes releases an operating-system lock with its
// process, and a lease when it expires: a lease must outlast the refresh,
// whose context's deadline ([Config.Timeout]) the Lock call gets. A
// refresh whose answer is lost (the process dies after the server
// rotated) spends the stored refresh token for everyone: no store can
// prevent that, and the grant must then be authorized again. A new
// grant's token (after a login) goes into the store with
// [ReplaceStoredToken].
//
// A resource server may refuse a token before its expiry (revoked, or
// ended by the rotation another process did): on a 401 invalid_token,
// the [Transport] sends a replayable request once more with the stored
// token, or that of a forced refresh (see Transport).
//
// # Provider quirks
//
// Token responses are parsed as JSON or form-encoded by Content-Type (and
// by content when the type says neither), token_type is case-insensitive
// and defaults to Bearer, expires_in may be a number, a float or a string
// (anything else leaves the lifetime unknown, as an absent one does,
// rather than lose the token), a refresh response without refresh_token
// keeps the old one, a 2xx with an "error" member is an error, and a body
// over [Config.MaxBodyBytes] (1 MiB by default) fails with a wrapped
// *http.MaxBytesError rather than being truncated. For anything else, [Hooks] change the token request
// before it is sent, the token response before it is parsed, the
// protected request, and the device, revocation, introspection and
// pushed authorization requests: see ExampleHooks_facebook,
// ExampleHooks_fitbit and ExampleHooks_slack.
//
// [CheckResponse] turns an API's refusal into an [*Error] carrying its
// Bearer challenge (RFC 6750 §3), so that errors.Is(err,
// [ErrInvalidToken]) tells a revoked token from other failures.
//
// # Testing
//
// Package oauth2test runs a strict authorization server on a loopback
// address for tests of code that uses this package, in the style of
// net/http/httptest: registered clients and users, a browser that approves,
// the quirks of real providers and counters. The Examples of this package
// run against it.
//
// # Concurrency
//
// Config, Session, Transport and the sources of this package are safe for
// concurrent use. With a valid token, a request takes no lock. When many
// requests find the token due, exactly one refresh runs; the others wait
// for its result, success or failure, each on its own context, and none
// retries on its own. The refresh runs on a context detached from any
// single caller, bounded by [Config.Timeout], so one caller giving up does
// not cancel it for the rest. No request waits on a lock held across
// network I/O: the refresh holds the session's save lock, and a Store's
// lock, across the refresh they guard, and only other saves wait for them
// (an offer of an unsaved token skips instead). OnTokenUpdate calls never
// overlap.
//
// # Timeouts
//
// Every request to the token, device authorization, revocation and
// introspection endpoints, and the reading of its response, is bounded:
// by the caller's context when it has a deadline, and otherwise by
// [Config.Timeout] ([DefaultTimeout], 30 seconds, when zero).
// [Config.DeviceAccessToken] never waits past the device code's expiry,
// whatever the server's interval or Retry-After say; a Retry-After counts
// for at most 24 hours.
//
// # Hooks that panic
//
// A panic in [Session.OnTokenUpdate] or a [Hooks] function fails the call
// that ran it with a [*PanicError] (the hook's name, the value and the
// stack), on the caller's goroutine and on a refresh's alike (a panic in
// OnTokenUpdate is a failed save, as above); every caller waiting for a
// refresh that failed gets the error, and the session stays usable. A
// refresh also turns a panic in anything else it calls (the HTTP client's
// Transport, a Signer, [Session.VerifyToken]) into a *PanicError, since
// it runs on a goroutine of the package's, where a panic would end the
// program.
//
// # Security
//
// Tokens and client credentials are never sent over plain http to a host
// that is not a loopback address ([ErrInsecureTransport]) unless
// InsecureAllowHTTP is set. A token without an access token is never sent.
// String and Format, with every fmt verb (%#v included, and log/slog's
// text handler, which prints through them), of Token, Config, Session,
// Login and DeviceAuthResponse redact every credential (but a Login's state
// and nonce, which its URL carries anyway), inside structs and slices too.
// The JSON forms of Token, Login and DeviceAuthResponse are their storage
// formats and carry them (the device code included), and log/slog's JSON
// handler uses them: never log one, or a value holding one, with a JSON
// handler.
//
// Requests to the token, device, revocation, introspection and PAR
// endpoints never follow redirects (a 3xx answer is an [*Error]), so credentials are
// never re-sent to another URL. [Transport] sends the token on a redirect
// only to the original host or a subdomain of it, compared as net/http
// compares hosts for the Authorization header (an IP address or IPv6 zone
// only to itself), and never again on that redirect chain once a hop went
// without it; with [InQuery] it removes access_token from a redirect's
// Location and a redirected request's query first, so a server that
// copies the query into Location cannot carry the token along.
//
// Errors hold no credential the library sent or received: an [*Error]
// (from an endpoint, a callback or [CheckResponse]) has every credential
// its request carried (client secret, password, code, verifier, refresh or
// access token, assertion, DPoP proof, and the well-known credential
// parameters of other grants sent through GrantSession or SetParam: UMA's
// ticket, claim_token, rpt and pct, CIBA's auth_req_id, Auth0's mfa_token
// and otp, and others; not every parameter an app sends) and its response
// carried replaced by "[redacted]" in every field, wherever it stands as
// a whole token, and every field bounded in length (see Error); so has
// the error of a request that failed on the way (net/http's, which may
// quote what the server sent), to an endpoint or through the Transport,
// whose text is bounded too; a callback that does not parse gives
// [ErrMalformedCallback] without the URL or body; a *PanicError does not
// print the panic's value.
package oauth2
