// Package oidc finds OAuth 2 authorization servers and OpenID providers
// (RFC 8414, OpenID Connect Discovery 1.0), verifies ID tokens (OpenID
// Connect Core 1.0 §3.1.3.7, §12.2) and fetches UserInfo (§5.3), with the
// standard library alone. Its names follow coreos/go-oidc where it has the
// same concept.
//
//	ctx := context.Background()
//	p, err := oidc.NewProvider(ctx, "https://accounts.example.com", nil) // checks the issuer byte for byte
//	cfg, err := p.Metadata().Config(oauth2.Config{                       // endpoints, issuer, client auth, PKCE S256
//		ClientID:     "id",
//		ClientSecret: "secret",
//		RedirectURL:  "https://app.example/callback",
//		Scopes:       []string{oidc.ScopeOpenID, "email"},
//	})
//	verifier := p.Verifier(&oidc.Config{ClientID: cfg.ClientID})
//
//	// /login: state, PKCE verifier, nonce and issuer, kept for this user.
//	login, err := cfg.NewLogin(r.Context())
//	http.Redirect(w, r, login.URL, http.StatusFound)
//
//	// /callback, with the login stored for this browser.
//	tok, err := cfg.CompleteLogin(ctx, login, r)          // state, iss (RFC 9207), then the code
//	idToken, err := verifier.VerifyLogin(ctx, tok, login) // signature, iss, aud, exp, nonce, at_hash
//	s := cfg.NewSession(tok)
//	s.VerifyToken = verifier.CheckRefreshes(idToken) // the ID tokens of refreshes (§12.2)
//	info, err := p.UserInfo(ctx, s, idToken.Subject) // refuses an answer about anyone else
//	fmt.Println(idToken.Subject, idToken.Email, info.Name)
//
// Check the ID token before the session is trusted with anything: it says
// who signed in, and the nonce ties it to this login. The package Example
// runs this sign-in against the provider of package oauth2/oauth2test.
//
// # Discovery
//
// [NewProvider] fetches the OpenID Connect document and, when the server
// has none, the RFC 8414 one, and refuses a document whose issuer is not
// the one asked for. The [Metadata] fills an oauth2.Config
// ([Metadata.Config]) and chooses what the server supports without ever
// falling back to something weaker: the client authentication method
// ([Metadata.AuthMethod]), PKCE with S256 ([Metadata.PKCE]), the response
// mode ([Metadata.ResponseMode]). Endpoints must be https (or http on a
// loopback host) unless Options.InsecureAllowHTTP.
//
// # ID tokens
//
// An [IDTokenVerifier] checks the signature with the provider's JWK Set
// ([RemoteKeySet]) for RS256/384/512, PS256/384/512, ES256/384/512 and
// EdDSA, never "none", and an HMAC algorithm only with Config.ClientSecret
// as key, never a public key. The key is the one the token's "kid" names
// and that fits its "alg"; an unknown kid fetches the JWK Set again, at
// most once per Options.RefetchInterval, so a key rotation is seen at once
// and forged tokens cannot make the client flood the provider. Then the
// claims: iss, aud and azp, exp, nbf and iat with a leeway, and what the
// call expects ([WithNonce], [WithAccessToken], [WithCode], [WithMaxAge],
// [WithPrevious] for a token from a refresh). [IDTokenVerifier.VerifyLogin]
// expects what a login of package oauth2 sent, and
// [IDTokenVerifier.CheckRefreshes] checks the ID tokens of a session's
// refreshes before the session uses them. A verifier made with
// [NewVerifier] checks tokens that reach an API by other means.
//
// # Logins and the mix-up attack
//
// [Metadata.Config] gives the oauth2.Config the issuer and whether the
// server names it in every authorization response (RFC 9207), so that
// oauth2's CompleteLogin refuses a callback from another server before
// the code goes anywhere (oauth2.ErrIssuerMismatch,
// oauth2.ErrMissingIssuer); its logins carry a nonce when the scopes hold
// [ScopeOpenID].
//
// # Caching
//
// Discovery documents and JWK Sets are kept as long as their
// Cache-Control allows, between [MinCacheAge] and [MaxCacheAge]
// (DefaultCacheAge without max-age). A document that fails to refresh is
// used as it was for MinCacheAge more.
//
// # Errors
//
// Failures wrap a sentinel of this package ([ErrIssuerMismatch],
// [ErrInvalidSignature], [ErrUnknownKey], [ErrExpired],
// [ErrAudienceMismatch], [ErrNonceMismatch], [ErrSubjectMismatch], ...)
// or of package oauth2 (oauth2.ErrInsecureTransport, oauth2.ErrNoEndpoint,
// an *oauth2.Error for an error status; oauth2.ErrIssuerMismatch and
// oauth2.ErrMissingIssuer for a callback from another server); test them
// with [errors.Is] and [errors.As]. A body over Options.MaxBodyBytes is a wrapped
// *http.MaxBytesError. No error contains a token, a nonce, a code or a
// secret; values from the server are quoted and bounded.
//
// # Concurrency
//
// [Provider], [RemoteKeySet] and [IDTokenVerifier] are safe for concurrent
// use by multiple goroutines. Concurrent needs for one document make one
// fetch, which runs detached from the callers' contexts (each waits on
// its own), and no lock is held while fetching.
package oidc
