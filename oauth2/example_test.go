package oauth2_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oauth2test"
	"github.com/oauthkit/oauth/signer/jose"
)

// A web server signs users in with the authorization code flow: one Login
// per sign-in, kept with the user's data between the redirect and the
// callback. Here the handler's request is built by hand.
func ExampleConfig_NewLogin() {
	srv := oauth2test.NewServer(nil) // setup: a local provider (in a test: NewServer(t))
	defer srv.Close()

	cfg := &oauth2.Config{
		ClientID:     oauth2test.ClientID,
		ClientSecret: oauth2test.ClientSecret,
		Endpoint:     srv.Endpoint(), // e.g. oauth2.GitHub
		RedirectURL:  "http://127.0.0.1:8080/callback",
		Scopes:       []string{"read"},
	}
	// In the /login handler: state and a PKCE verifier, to keep server-side.
	login, err := cfg.NewLogin(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	callback := srv.Authorize(nil, login.URL) // setup: the user approves

	// In the /callback handler, with the login stored for this browser.
	r := httptest.NewRequest("GET", callback, nil)
	tok, err := cfg.CompleteLogin(r.Context(), login, r)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("token type:", tok.Type(), "refreshable:", tok.RefreshToken != "")

	s := cfg.NewSession(tok)                       // refreshes when needed
	resp, err := s.Client().Get(srv.ResourceURL()) // e.g. https://api.github.com/user
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var me struct {
		Username string `json:"username"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&me); err != nil {
		log.Fatal(err)
	}
	fmt.Println("api:", resp.Status, "for", me.Username)
	// Output:
	// token type: Bearer refreshable: true
	// api: 200 OK for alice
}

// A provider asked for response_mode=form_post (OAuth 2.0 Form Post
// Response Mode) has the browser post the response to the redirect URL;
// CompleteLogin reads the form.
func ExampleConfig_CompleteLogin_formPost() {
	srv := oauth2test.NewServer(nil) // setup
	defer srv.Close()

	cfg := &oauth2.Config{ClientID: oauth2test.ClientID, ClientSecret: oauth2test.ClientSecret,
		Endpoint: srv.Endpoint(), RedirectURL: "http://127.0.0.1:8080/callback"}
	login, err := cfg.NewLogin(context.Background(), oauth2.SetAuthURLParam("response_mode", "form_post"))
	if err != nil {
		log.Fatal(err)
	}
	r := srv.CallbackRequest(nil, login.URL) // setup: the request the /callback handler gets

	tok, err := cfg.CompleteLogin(r.Context(), login, r)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Method, tok.Valid())
	// Output:
	// POST true
}

// A command-line program receives the callback on a loopback redirect
// URL (RFC 8252 §7.3) and completes the login with the URL it was sent to.
func ExampleConfig_CompleteLoginURL() {
	srv := oauth2test.NewServer(nil) // setup
	defer srv.Close()

	cfg := &oauth2.Config{ClientID: oauth2test.PublicClientID, Endpoint: srv.Endpoint(),
		RedirectURL: "http://127.0.0.1:8080/callback", Scopes: []string{"read"}}
	login, err := cfg.NewLogin(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	callbackURL := srv.Authorize(nil, login.URL) // setup: in a program, r.URL.String() of the callback request

	tok, err := cfg.CompleteLoginURL(context.Background(), login, callbackURL)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("refreshable:", tok.RefreshToken != "")

	// A callback that does not answer this login is refused.
	_, err = cfg.CompleteLoginURL(context.Background(), login, "http://127.0.0.1:8080/callback?code=x&state=forged")
	fmt.Println(errors.Is(err, oauth2.ErrStateMismatch))
	// Output:
	// refreshable: true
	// true
}

// The implicit flow returns the token in the redirect's fragment. Prefer
// the code flow; some servers offer nothing else.
func ExampleConfig_CompleteLoginURL_implicit() {
	srv := oauth2test.NewServer(nil) // setup
	defer srv.Close()

	cfg := &oauth2.Config{ClientID: oauth2test.PublicClientID, Endpoint: srv.Endpoint(), RedirectURL: "http://127.0.0.1:8080/callback"}
	login, err := cfg.NewLogin(context.Background(), oauth2.ImplicitFlow)
	if err != nil {
		log.Fatal(err)
	}
	callbackURL := srv.Authorize(nil, login.URL) // setup: the page at the redirect URL reads location.href

	tok, err := cfg.CompleteLoginURL(context.Background(), login, callbackURL)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tok.Type(), tok.Valid())
	// Output:
	// Bearer true
}

// Exchange takes a bare code, as golang.org/x/oauth2's does: the program
// that built the authorization URL checked the state, and sends the PKCE
// verifier with VerifierOption.
func ExampleConfig_Exchange() {
	srv := oauth2test.NewServer(nil) // setup
	defer srv.Close()

	cfg := &oauth2.Config{ClientID: oauth2test.ClientID, ClientSecret: oauth2test.ClientSecret,
		Endpoint: srv.Endpoint(), RedirectURL: "http://127.0.0.1:8080/callback"}
	verifier := oauth2.GenerateVerifier()
	login, err := cfg.NewLogin(context.Background(), oauth2.S256ChallengeOption(verifier))
	if err != nil {
		log.Fatal(err)
	}
	u, _ := url.Parse(srv.Authorize(nil, login.URL)) // setup: the callback
	if u.Query().Get("state") != login.State {
		log.Fatal("state mismatch")
	}

	tok, err := cfg.Exchange(context.Background(), u.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tok.Type(), tok.Valid())
	// Output:
	// Bearer true
}

// The password grant, for a first-party server that offers nothing else.
func ExampleConfig_PasswordCredentialsToken() {
	srv := oauth2test.NewServer(nil) // setup
	defer srv.Close()

	cfg := &oauth2.Config{ClientID: oauth2test.ClientID, ClientSecret: oauth2test.ClientSecret, Endpoint: srv.Endpoint()}
	tok, err := cfg.PasswordCredentialsToken(context.Background(), oauth2test.Username, oauth2test.Password)
	if err != nil {
		log.Fatal(err)
	}
	resp, err := cfg.NewSession(tok).Client().Get(srv.ResourceURL())
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var me struct {
		Username string `json:"username"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&me); err != nil {
		log.Fatal(err)
	}
	fmt.Println("api:", resp.Status, "for", me.Username)
	// Output:
	// api: 200 OK for alice
}

// A service calls an API as itself: the session gets its first token on
// first use and a new one whenever it is due, with the resource indicator
// (RFC 8707) on every token request.
func ExampleConfig_ClientCredentials() {
	srv := oauth2test.NewServer(nil) // setup
	defer srv.Close()

	cfg := &oauth2.Config{
		ClientID:     oauth2test.PostClientID,
		ClientSecret: oauth2test.PostClientSecret,
		AuthMethod:   oauth2.AuthClientSecretPost,
		Endpoint:     srv.Endpoint(),
		Scopes:       []string{"read"},
	}
	s := cfg.ClientCredentials(oauth2.SetParam("resource", srv.ResourceURL()))
	resp, err := s.Client().Get(srv.ResourceURL()) // through cfg.HTTPClient's transport, if set
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var me struct {
		ClientID string `json:"client_id"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&me); err != nil {
		log.Fatal(err)
	}
	fmt.Println("api:", resp.Status, "for client", me.ClientID)
	// Output:
	// api: 200 OK for client post-client
}

// The device flow (RFC 8628) for a CLI or a TV: show the code, poll.
func ExampleConfig_DeviceAuth() {
	srv := oauth2test.NewServer(nil) // setup
	defer srv.Close()
	srv.DeviceInterval = 1 // setup: poll every second

	cfg := &oauth2.Config{ClientID: oauth2test.PublicClientID, Endpoint: srv.Endpoint(), Scopes: []string{"read"}}
	ctx := context.Background()
	da, err := cfg.DeviceAuth(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("visit the verification URI and enter the code:", da.UserCode != "" && da.VerificationURI != "")
	srv.ApproveDevice(da.UserCode) // setup: the user approves

	tok, err := cfg.DeviceAccessToken(ctx, da)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("authorized:", tok.Valid(), tok.Type())
	// Output:
	// visit the verification URI and enter the code: true
	// authorized: true Bearer
}

// Refresh renews a token now; a Session also does it on its own ahead of
// the expiry. Here the provider rotates refresh tokens.
func ExampleSession_Refresh() {
	srv := oauth2test.NewServer(nil) // setup
	defer srv.Close()
	access, refresh := srv.IssueToken(oauth2test.ClientID, time.Hour) // setup: a saved token

	cfg := &oauth2.Config{ClientID: oauth2test.ClientID, ClientSecret: oauth2test.ClientSecret, Endpoint: srv.Endpoint()}
	s := cfg.NewSession(&oauth2.Token{AccessToken: access, RefreshToken: refresh, Expiry: time.Now().Add(time.Hour)})
	tok, err := s.Refresh(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("new access token:", tok.AccessToken != access)
	fmt.Println("rotated refresh token:", tok.RefreshToken != refresh)
	fmt.Println("the session holds it:", s.CachedToken() == tok)
	// Output:
	// new access token: true
	// rotated refresh token: true
	// the session holds it: true
}

// Revoke signs out: revoking the refresh token ends the grant, access
// token included (RFC 7009 §2.1).
func ExampleSession_Revoke() {
	srv := oauth2test.NewServer(nil) // setup
	defer srv.Close()

	cfg := &oauth2.Config{ClientID: oauth2test.ClientID, ClientSecret: oauth2test.ClientSecret, Endpoint: srv.Endpoint()}
	ctx := context.Background()
	tok, err := cfg.PasswordCredentialsToken(ctx, oauth2test.Username, oauth2test.Password)
	if err != nil {
		log.Fatal(err)
	}
	s := cfg.NewSession(tok)
	if err := s.Revoke(ctx, oauth2.HintRefreshToken); err != nil {
		log.Fatal(err)
	}
	resp, err := s.Client().Get(srv.ResourceURL())
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	err = oauth2.CheckResponse(resp)
	fmt.Println(errors.Is(err, oauth2.ErrInvalidToken))
	// Output:
	// true
}

// Introspect asks the server what it knows of a token (RFC 7662).
func ExampleSession_Introspect() {
	srv := oauth2test.NewServer(nil) // setup
	defer srv.Close()

	cfg := &oauth2.Config{ClientID: oauth2test.ClientID, ClientSecret: oauth2test.ClientSecret, Endpoint: srv.Endpoint()}
	ctx := context.Background()
	tok, err := cfg.PasswordCredentialsToken(ctx, oauth2test.Username, oauth2test.Password)
	if err != nil {
		log.Fatal(err)
	}
	info, err := cfg.NewSession(tok).Introspect(ctx, oauth2.HintAccessToken)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.Active, info.Username, info.ClientID)
	// Output:
	// true alice basic-client
}

// The JWT bearer grant (RFC 7523 §2.1): the session mints a fresh
// assertion for each token it obtains.
func ExampleConfig_JWTBearer() {
	srv := oauth2test.NewServer(nil) // setup
	defer srv.Close()
	key, err := jose.NewECDSASigner(jose.ES256, oauth2test.ClientKey()) // setup: the client's registered key
	if err != nil {
		log.Fatal(err)
	}

	cfg := &oauth2.Config{ClientID: oauth2test.KeyClientID, AuthMethod: oauth2.AuthPrivateKeyJWT, Signer: key,
		Endpoint: srv.Endpoint()}
	s := cfg.JWTBearer(func(ctx context.Context) (string, error) {
		jti := make([]byte, 16) // unique across restarts and replicas: servers refuse a jti they saw
		if _, err := rand.Read(jti); err != nil {
			return "", err
		}
		now := time.Now().Unix()
		claims, err := json.Marshal(map[string]any{"iss": cfg.ClientID, "sub": "alice", "aud": cfg.Endpoint.TokenURL,
			"jti": base64.RawURLEncoding.EncodeToString(jti), "iat": now, "exp": now + 60})
		if err != nil {
			return "", err
		}
		return jose.SignCompact(key, []byte(`{"alg":"ES256","typ":"JWT"}`), claims)
	})
	resp, err := s.Client().Get(srv.ResourceURL())
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var me struct {
		Username string `json:"username"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&me); err != nil {
		log.Fatal(err)
	}
	fmt.Println("api:", resp.Status, "for", me.Username)
	// Output:
	// api: 200 OK for alice
}

// Token exchange (RFC 8693): a service trades the token a caller sent it
// for one of its own, for a call further down.
func ExampleConfig_TokenExchange() {
	srv := oauth2test.NewServer(nil) // setup
	defer srv.Close()
	incoming, _ := srv.IssueToken(oauth2test.ClientID, time.Hour) // setup: the caller's token

	cfg := &oauth2.Config{ClientID: oauth2test.PostClientID, ClientSecret: oauth2test.PostClientSecret,
		AuthMethod: oauth2.AuthClientSecretPost, Endpoint: srv.Endpoint()}
	s := cfg.TokenExchange(func(ctx context.Context) (string, string, error) {
		return incoming, "urn:ietf:params:oauth:token-type:access_token", nil
	})
	tok, err := s.Token(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tok.Extra("issued_token_type"))
	// Output:
	// urn:ietf:params:oauth:token-type:access_token
}

// NewClient authorizes requests with any TokenSource; StaticTokenSource
// holds a token that never changes.
func ExampleNewClient() {
	srv := oauth2test.NewServer(nil) // setup
	defer srv.Close()
	access, _ := srv.IssueToken(oauth2test.ClientID, 0) // setup: a token that does not expire

	client := oauth2.NewClient(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: access}), nil)
	resp, err := client.Get(srv.ResourceURL())
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var me struct {
		ClientID string `json:"client_id"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&me); err != nil {
		log.Fatal(err)
	}
	fmt.Println("api:", resp.Status, "for client", me.ClientID)
	// Output:
	// api: 200 OK for client basic-client
}

// Persist every new token, rotated refresh tokens included. Here the
// stored token has expired, so the first request refreshes it.
func ExampleSession_OnTokenUpdate() {
	srv := oauth2test.NewServer(nil) // setup
	defer srv.Close()
	access, refresh := srv.IssueToken(oauth2test.ClientID, -time.Minute) // setup: an expired token
	saved, _ := json.Marshal(&oauth2.Token{AccessToken: access, RefreshToken: refresh, Expiry: time.Now().Add(-time.Minute)})

	cfg := &oauth2.Config{ClientID: oauth2test.ClientID, ClientSecret: oauth2test.ClientSecret, Endpoint: srv.Endpoint()}
	var tok oauth2.Token
	if err := json.Unmarshal(saved, &tok); err != nil {
		log.Fatal(err)
	}
	s := cfg.NewSession(&tok)
	var store bytes.Buffer // e.g. a file or a database row
	s.OnTokenUpdate = func(ctx context.Context, t *oauth2.Token) error {
		store.Reset()
		return json.NewEncoder(&store).Encode(t)
	}

	resp, err := s.Client().Get(srv.ResourceURL())
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	var reloaded oauth2.Token
	if err := json.Unmarshal(store.Bytes(), &reloaded); err != nil {
		log.Fatal(err)
	}
	fmt.Println("api:", resp.Status)
	fmt.Println("saved a new refresh token:", reloaded.RefreshToken != "" && reloaded.RefreshToken != refresh)
	fmt.Println("saved expiry in the future:", reloaded.Expiry.After(time.Now()))
	// Output:
	// api: 200 OK
	// saved a new refresh token: true
	// saved expiry in the future: true
}

// A Slack-style server answers errors with HTTP 200 and {"ok":false,...}.
// The package already reports a 2xx carrying "error" as an *Error; this hook
// also turns ok:false into a 400 so that status-based logging sees a failure.
func ExampleHooks_slack() {
	srv := oauth2test.NewServer(nil) // setup
	defer srv.Close()
	srv.ErrorWith200 = true // setup: behave like Slack

	cfg := &oauth2.Config{
		ClientID: oauth2test.ClientID, ClientSecret: oauth2test.ClientSecret, Endpoint: srv.Endpoint(),
		Hooks: oauth2.Hooks{TokenResponse: func(resp *http.Response) error {
			body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
			if err != nil {
				return err
			}
			var slack struct {
				OK *bool `json:"ok"`
			}
			if json.Unmarshal(body, &slack) == nil && slack.OK != nil && !*slack.OK {
				resp.StatusCode = http.StatusBadRequest
			}
			resp.Body = io.NopCloser(bytes.NewReader(body))
			return nil
		}},
	}
	_, err := cfg.ClientCredentials().Token(context.Background())
	var e *oauth2.Error
	if errors.As(err, &e) {
		fmt.Println(e.ErrorCode, e.StatusCode)
	}
	// Output:
	// invalid_auth 400
}

// A Facebook-style server answers text/plain "access_token=...&expires=..."
// with the lifetime under "expires". The hook renames it to expires_in and
// fixes the Content-Type.
func ExampleHooks_facebook() {
	fb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { // setup
		w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
		io.WriteString(w, "access_token=EAAB&expires=5183999")
	}))
	defer fb.Close()

	cfg := &oauth2.Config{
		ClientID: "app", ClientSecret: "secret", Endpoint: oauth2.Endpoint{TokenURL: fb.URL},
		Hooks: oauth2.Hooks{TokenResponse: func(resp *http.Response) error {
			body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
			if err != nil {
				return err
			}
			if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
				body = bytes.Replace(body, []byte("expires="), []byte("expires_in="), 1)
				resp.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			resp.Body = io.NopCloser(bytes.NewReader(body))
			return nil
		}},
	}
	tok, err := cfg.ClientCredentials().Token(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tok.Type(), tok.ExpiresIn)
	// Output:
	// Bearer 5183999
}

// Fitbit reports errors as an "errors" array; the hook maps the first
// errorType to the RFC 6749 "error" member, so errors.Is works.
func ExampleHooks_fitbit() {
	fitbit := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { // setup
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(400)
		io.WriteString(w, `{"errors":[{"errorType":"invalid_grant","message":"Authorization code invalid"}],"success":false}`)
	}))
	defer fitbit.Close()

	cfg := &oauth2.Config{
		ClientID: "app", ClientSecret: "secret", Endpoint: oauth2.Endpoint{TokenURL: fitbit.URL},
		Hooks: oauth2.Hooks{TokenResponse: func(resp *http.Response) error {
			body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
			if err != nil {
				return err
			}
			var fb struct {
				Errors []struct {
					ErrorType string `json:"errorType"`
					Message   string `json:"message"`
				} `json:"errors"`
			}
			if json.Unmarshal(body, &fb) == nil && len(fb.Errors) > 0 {
				body, _ = json.Marshal(map[string]string{"error": fb.Errors[0].ErrorType, "error_description": fb.Errors[0].Message})
			}
			resp.Body = io.NopCloser(bytes.NewReader(body))
			return nil
		}},
	}
	_, err := cfg.PasswordCredentialsToken(context.Background(), "user", "pass")
	fmt.Println(errors.Is(err, oauth2.ErrInvalidGrant))
	// Output:
	// true
}

// A login pushed to the server (RFC 9126): the request, with client
// authentication, goes by the back channel, and the browser's URL carries
// only client_id and the request_uri the server returned. NewLogin pushes
// by itself for a server whose metadata requires it
// (Endpoint.RequirePushedAuth, which discovery fills).
func ExampleConfig_NewLogin_pushed() {
	srv := oauth2test.NewServer(nil) // setup: a local provider (in a test: NewServer(t))
	defer srv.Close()

	cfg := &oauth2.Config{
		ClientID:     oauth2test.ClientID,
		ClientSecret: oauth2test.ClientSecret,
		Endpoint:     srv.Endpoint(), // with PushedAuthURL
		RedirectURL:  "http://127.0.0.1:8080/callback",
		Scopes:       []string{"read"},
	}
	ctx := context.Background()
	login, err := cfg.NewLogin(ctx, oauth2.PushedAuthorization)
	if err != nil {
		log.Fatal(err)
	}
	u, _ := url.Parse(login.URL)
	q := u.Query()
	fmt.Println("URL parameters:", len(q), "client_id:", q.Get("client_id"),
		"request_uri:", strings.HasPrefix(q.Get("request_uri"), "urn:ietf:params:oauth:request_uri:"))
	fmt.Println("use the URL within:", time.Until(login.Expiry).Round(time.Minute))

	tok, err := cfg.CompleteLoginURL(ctx, login, srv.Authorize(nil, login.URL))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("token type:", tok.Type())
	// Output:
	// URL parameters: 2 client_id: basic-client request_uri: true
	// use the URL within: 1m0s
	// token type: Bearer
}

// A login sent as a request object (RFC 9101) signed with the client's
// key: the parameters travel in a JWT the server verifies with the key
// the client registered.
func ExampleConfig_NewLogin_signed() {
	srv := oauth2test.NewServer(nil) // setup: a local provider (in a test: NewServer(t))
	defer srv.Close()

	key, err := jose.NewECDSASigner(jose.ES256, oauth2test.ClientKey()) // the client's registered key
	if err != nil {
		log.Fatal(err)
	}
	cfg := &oauth2.Config{
		ClientID:    oauth2test.KeyClientID,
		AuthMethod:  oauth2.AuthPrivateKeyJWT,
		Signer:      key,            // signs client assertions and request objects
		Endpoint:    srv.Endpoint(), // with Issuer, the request object's audience
		RedirectURL: "http://127.0.0.1:8080/callback",
	}
	ctx := context.Background()
	login, err := cfg.NewLogin(ctx, oauth2.SignedRequestObject)
	if err != nil {
		log.Fatal(err)
	}
	u, _ := url.Parse(login.URL)
	fmt.Println("request object:", u.Query().Has("request"), "redirect_uri in the URL:", u.Query().Has("redirect_uri"))
	if _, err := cfg.CompleteLoginURL(ctx, login, srv.Authorize(nil, login.URL)); err != nil {
		log.Fatal(err)
	}
	fmt.Println("signed in; request objects refused:", srv.RequestObjectsRefused())
	// Output:
	// request object: true redirect_uri in the URL: false
	// signed in; request objects refused: 0
}
