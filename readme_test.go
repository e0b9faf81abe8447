package oauth_test

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
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth1"
	"github.com/oauthkit/oauth/oauth1/oauth1test"
	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/dpop"
	"github.com/oauthkit/oauth/oauth2/oauth2test"
	"github.com/oauthkit/oauth/oauth2/oidc"
	"github.com/oauthkit/oauth/oauth2/tokenstore"
)

// The README's snippets, kept compiling here; the file imports only the
// module's public packages, as a user's code does. Those that talk to real
// providers have no Output and are compiled, not run; the tests below run
// the rest. TestREADMESnippets fails if the README and this file drift
// apart.

func Example_oauth1Twitter() {
	cfg := &oauth1.Config{
		ConsumerKey:    os.Getenv("TWITTER_CONSUMER_KEY"),
		ConsumerSecret: os.Getenv("TWITTER_CONSUMER_SECRET"),
		CallbackURL:    "oob", // the PIN flow; or your https:// callback URL
		Endpoint:       oauth1.Twitter,
	}
	ctx := context.Background()
	requestToken, err := cfg.RequestToken(ctx)
	if err != nil {
		log.Fatal(err)
	}
	authURL, err := cfg.AuthorizationURL(requestToken, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print("Open ", authURL, " and enter the PIN: ")
	var pin string
	fmt.Scanln(&pin)
	accessToken, err := cfg.AccessToken(ctx, requestToken, pin)
	if err != nil {
		log.Fatal(err)
	}
	// Every request through this client is signed (HMAC-SHA1, in the Authorization header).
	client := cfg.Client(accessToken)
	resp, err := client.Get("https://api.twitter.com/1.1/account/verify_credentials.json")
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
}

// keepLogin and takeLogin stand for the web app's storage of pending
// logins, and keepSession for that of sessions (see newApp, which keeps
// both in maps under a cookie).
func keepLogin(w http.ResponseWriter, login *oauth2.Login) {}
func takeLogin(r *http.Request) *oauth2.Login              { return nil }
func keepSession(r *http.Request, s *oauth2.Session)       {}

func Example_oauth2SignIn() {
	cfg := &oauth2.Config{
		ClientID:     os.Getenv("GITHUB_CLIENT_ID"),
		ClientSecret: os.Getenv("GITHUB_CLIENT_SECRET"),
		Endpoint:     oauth2.GitHub,
		RedirectURL:  "http://localhost:8080/callback",
		Scopes:       []string{"read:user"},
	}
	http.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		login, err := cfg.NewLogin(r.Context()) // the URL, with a state and a PKCE verifier
		if err != nil {
			http.Error(w, "sign-in failed", http.StatusInternalServerError)
			return
		}
		keepLogin(w, login) // server-side, for this browser
		http.Redirect(w, r, login.URL, http.StatusFound)
	})
	http.HandleFunc("/callback", func(w http.ResponseWriter, r *http.Request) {
		tok, err := cfg.CompleteLogin(r.Context(), takeLogin(r), r) // checks the state, sends the verifier
		if err != nil {
			http.Error(w, "sign-in failed", http.StatusBadRequest)
			return
		}
		s := cfg.NewSession(tok) // refreshes the token when it is due
		resp, err := s.Client().Get("https://api.github.com/user")
		if err != nil {
			http.Error(w, "api call failed", http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		io.Copy(w, io.LimitReader(resp.Body, 1<<20))
	})
	log.Fatal(http.ListenAndServe("localhost:8080", nil))
}

// saveUserToken stands for the application's storage of a user's token.
func saveUserToken(user string, tok *oauth2.Token) error { return nil }

// newApp is the README's web quick start: one Config serves every user; a
// Login per sign-in and a Session per signed-in user are kept server-side,
// under a random cookie. TestWebAppManyUsers runs it.
func newApp(cfg *oauth2.Config, apiURL string) http.Handler {
	type pending struct {
		login *oauth2.Login
		at    time.Time
	}
	var (
		mu       sync.Mutex
		logins   = map[string]pending{}         // pending sign-ins, by browser
		sessions = map[string]*oauth2.Session{} // signed-in users, by session cookie
	)
	setCookie := func(w http.ResponseWriter, id string) {
		http.SetCookie(w, &http.Cookie{Name: "sid", Value: id, Path: "/", HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode})
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		login, err := cfg.NewLogin(r.Context()) // URL, state and PKCE verifier: secrets, kept server-side
		if err != nil {
			http.Error(w, "sign-in failed", http.StatusInternalServerError)
			return
		}
		id := newID()
		mu.Lock()
		for k, p := range logins {
			if time.Since(p.at) > 10*time.Minute { // abandoned: forget it
				delete(logins, k)
			}
		}
		logins[id] = pending{login, time.Now()}
		mu.Unlock()
		setCookie(w, id)
		http.Redirect(w, r, login.URL, http.StatusFound)
	})
	mux.HandleFunc("/callback", func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie("sid")
		if err != nil {
			http.Error(w, "no sign-in under way", http.StatusBadRequest)
			return
		}
		mu.Lock()
		p := logins[c.Value]
		delete(logins, c.Value) // a login completes once
		mu.Unlock()
		tok, err := cfg.CompleteLogin(r.Context(), p.login, r) // checks state, sends the verifier
		if err != nil {
			http.Error(w, "sign-in failed", http.StatusBadRequest)
			return
		}
		sid := newID()           // a new cookie for the signed-in user: the one before may have been planted
		s := cfg.NewSession(tok) // refreshes the token when needed
		s.OnTokenUpdate = func(ctx context.Context, tok *oauth2.Token) error {
			return saveUserToken(sid, tok) // every new token, rotated refresh tokens included
		}
		mu.Lock()
		sessions[sid] = s
		mu.Unlock()
		setCookie(w, sid)
		http.Redirect(w, r, "/me", http.StatusFound)
	})
	mux.HandleFunc("/me", func(w http.ResponseWriter, r *http.Request) {
		var s *oauth2.Session
		if c, err := r.Cookie("sid"); err == nil {
			mu.Lock()
			s = sessions[c.Value]
			mu.Unlock()
		}
		if s == nil {
			http.Redirect(w, r, "/login", http.StatusFound)
			return
		}
		resp, err := s.Client().Get(apiURL) // this user's token
		if err != nil {
			http.Error(w, "api call failed", http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		io.Copy(w, io.LimitReader(resp.Body, 1<<20))
	})
	return mux
}

// newID returns a random session id for a cookie.
func newID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func Example_oauth2GitHub() {
	cfg := &oauth2.Config{
		ClientID:     os.Getenv("GITHUB_CLIENT_ID"),
		ClientSecret: os.Getenv("GITHUB_CLIENT_SECRET"),
		Endpoint:     oauth2.GitHub,
		RedirectURL:  "https://app.example.com/callback",
		Scopes:       []string{"read:user"},
		HTTPClient:   &http.Client{Timeout: 30 * time.Second}, // the API calls too
	}
	srv := &http.Server{Addr: ":443", Handler: newApp(cfg, "https://api.github.com/user"), ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.ListenAndServeTLS("cert.pem", "key.pem"))
}

func Example_oidcSignIn() {
	ctx := context.Background()
	provider, err := oidc.NewProvider(ctx, "https://accounts.google.com", nil) // discovery; the issuer is checked
	if err != nil {
		log.Fatal(err)
	}
	cfg, err := provider.Metadata().Config(oauth2.Config{ // endpoints, issuer, client auth, PKCE S256
		ClientID:     os.Getenv("OIDC_CLIENT_ID"),
		ClientSecret: os.Getenv("OIDC_CLIENT_SECRET"),
		RedirectURL:  "https://app.example.com/callback",
		Scopes:       []string{oidc.ScopeOpenID, "email"},
	})
	if err != nil {
		log.Fatal(err)
	}
	verifier := provider.Verifier(&oidc.Config{ClientID: cfg.ClientID})
	http.HandleFunc("/callback", func(w http.ResponseWriter, r *http.Request) {
		login := takeLogin(r)                                // the Login /login kept for this browser
		tok, err := cfg.CompleteLogin(r.Context(), login, r) // state, then iss: another server's callback is refused
		if err != nil {
			http.Error(w, "sign-in failed", http.StatusBadRequest)
			return
		}
		idToken, err := verifier.VerifyLogin(r.Context(), tok, login) // signature, iss, aud, exp, nonce, at_hash
		if err != nil {
			http.Error(w, "sign-in failed", http.StatusBadRequest)
			return
		}
		s := cfg.NewSession(tok)
		s.VerifyToken = verifier.CheckRefreshes(idToken) // a refresh's ID token must name the same user
		keepSession(r, s)
		fmt.Fprintf(w, "Hello %s", idToken.Email)
	})
}

func Example_oauth2ClientCredentials() {
	cfg := &oauth2.Config{
		ClientID:     os.Getenv("OAUTH_CLIENT_ID"),
		ClientSecret: os.Getenv("OAUTH_CLIENT_SECRET"),
		Endpoint:     oauth2.Endpoint{TokenURL: "https://auth.example.com/oauth2/token"},
		Scopes:       []string{"reports:read"},
	}
	// The first token on first use, a new one whenever it is due, with
	// this resource indicator (RFC 8707) on every token request.
	s := cfg.ClientCredentials(oauth2.SetParam("resource", "https://api.example.com"))
	resp, err := s.Client().Get("https://api.example.com/reports") // on cfg.HTTPClient, if set
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
}

// Example_restartFile and Example_restart are the README's recipe for a
// service that restarts: with a token file, and with storage of its own.
func Example_restartFile() {
	cfg := &oauth2.Config{
		ClientID:     os.Getenv("OAUTH_CLIENT_ID"),
		ClientSecret: os.Getenv("OAUTH_CLIENT_SECRET"),
		Endpoint:     oauth2.Endpoint{TokenURL: "https://auth.example.com/oauth2/token"},
	}
	s := cfg.ClientCredentials()
	s.Store = &tokenstore.File{Path: "/var/lib/app/token.json"} // read at first use; each new token saved (0600) as it arrives
	resp, err := s.Client().Get("https://api.example.com/reports")
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
}

func Example_restart() {
	cfg := &oauth2.Config{
		ClientID:     os.Getenv("OAUTH_CLIENT_ID"),
		ClientSecret: os.Getenv("OAUTH_CLIENT_SECRET"),
		Endpoint:     oauth2.Endpoint{TokenURL: "https://auth.example.com/oauth2/token"},
	}
	const path = "/var/lib/app/token.json"
	s := cfg.ClientCredentials()
	var saved oauth2.Token
	if b, err := os.ReadFile(path); err == nil && json.Unmarshal(b, &saved) == nil {
		s.SetToken(&saved) // the last run's token, used until it is due; without one, a new token at first use
	}
	s.OnTokenUpdate = func(ctx context.Context, tok *oauth2.Token) error {
		b, err := json.Marshal(tok) // the storage format: it holds the secrets
		if err != nil {
			return err
		}
		return os.WriteFile(path, b, 0o600)
	}
	resp, err := s.Client().Get("https://api.example.com/reports")
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
}

// greeting stands for the code under test of the README's OAuth 2 test: it
// calls an API with the client of a signed-in user.
func greeting(client *http.Client, apiURL string) (string, error) {
	resp, err := client.Get(apiURL)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if err := oauth2.CheckResponse(resp); err != nil {
		return "", err
	}
	var me struct {
		Username string `json:"username"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&me); err != nil {
		return "", err
	}
	return "Hello " + me.Username, nil
}

// TestGreeting is the README's test of a program's own OAuth 2 code: it
// uses only the public packages, as a test in another module does.
func TestGreeting(t *testing.T) {
	srv := oauth2test.NewServer(t) // a strict provider on loopback, closed when the test ends
	cfg := &oauth2.Config{
		ClientID:     oauth2test.ClientID,
		ClientSecret: oauth2test.ClientSecret,
		Endpoint:     srv.Endpoint(), // in production: oauth2.GitHub
		RedirectURL:  "http://127.0.0.1/callback",
	}
	login, err := cfg.NewLogin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r := srv.CallbackRequest(t, login.URL) // the user approves: the request the browser then makes
	tok, err := cfg.CompleteLogin(r.Context(), login, r)
	if err != nil {
		t.Fatal(err)
	}
	got, err := greeting(cfg.NewSession(tok).Client(), srv.ResourceURL()) // your code
	if err != nil {
		t.Fatal(err)
	}
	if want := "Hello " + oauth2test.Username; got != want {
		t.Errorf("greeting() = %q, want %q", got, want)
	}
}

// linkAccount stands for the code under test of the README's OAuth 1
// test: it links a user's account with the PIN flow, askPIN showing the
// URL and returning the PIN the user typed.
func linkAccount(ctx context.Context, cfg *oauth1.Config, askPIN func(authURL string) string) (*oauth1.Token, error) {
	rt, err := cfg.RequestToken(ctx)
	if err != nil {
		return nil, err
	}
	authURL, err := cfg.AuthorizationURL(rt, nil)
	if err != nil {
		return nil, err
	}
	return cfg.AccessToken(ctx, rt, askPIN(authURL))
}

// TestLinkAccount is the README's test of a program's own OAuth 1 code.
func TestLinkAccount(t *testing.T) {
	srv := oauth1test.NewServer(t) // a strict provider on loopback, closed when the test ends
	cfg := &oauth1.Config{
		ConsumerKey:    oauth1test.ConsumerKey,
		ConsumerSecret: oauth1test.ConsumerSecret,
		CallbackURL:    "oob",
		Endpoint:       srv.Endpoint(), // in production: oauth1.Twitter
	}
	tok, err := linkAccount(context.Background(), cfg, func(authURL string) string {
		return srv.AuthorizePIN(t, authURL) // the user approves and types the PIN
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := tok.Extra("screen_name"); got != oauth1test.ScreenName {
		t.Errorf("linked %q, want %q", got, oauth1test.ScreenName)
	}
	if n := srv.Counters.AccessTokens.Load(); n != 1 {
		t.Errorf("%d access tokens issued, want 1", n)
	}
}

// Example_sign is the README's recipe for signing one request.
func Example_sign() {
	cfg := &oauth1.Config{
		ConsumerKey:    os.Getenv("OAUTH1_CONSUMER_KEY"),
		ConsumerSecret: os.Getenv("OAUTH1_CONSUMER_SECRET"),
		Method:         oauth1.HMACSHA256,
	}
	tok := &oauth1.Token{Token: os.Getenv("OAUTH1_TOKEN"), Secret: os.Getenv("OAUTH1_TOKEN_SECRET")}
	req, err := http.NewRequest("POST", "https://api.example.com/1/notes?draft=1", strings.NewReader("tag=a&tag=b"))
	if err != nil {
		log.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if err := cfg.Sign(req, tok); err != nil { // signs the query and the form, sets the Authorization header
		log.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
}

// TestWebAppManyUsers signs 100 users in at once through one newApp
// handler, their logins interleaved (all pending at the same time,
// completed in another order), and checks that each browser ends up
// calling the API with the token issued for its own user. Each browser is
// signed in at the provider as its own user (the provider's login cookie),
// and the provider's protected resource names the user of the token.
func TestWebAppManyUsers(t *testing.T) {
	const users = 100
	idp := oauth2test.NewServer(t)
	for i := 0; i < users; i++ {
		idp.Users[fmt.Sprintf("user%03d", i)] = "pw"
	}
	cfg := &oauth2.Config{
		ClientID: oauth2test.ClientID, ClientSecret: oauth2test.ClientSecret,
		Endpoint: idp.Endpoint(),
		Scopes:   []string{"read"},
	}
	app := httptest.NewUnstartedServer(nil)
	app.Config.ErrorLog = log.New(io.Discard, "", 0) // connections closed at the end
	app.StartTLS()
	defer app.Close()
	cfg.RedirectURL = app.URL + "/callback"
	app.Config.Handler = newApp(cfg, idp.ResourceURL())

	// One browser per user, with its own cookies, stopping at every
	// redirect so that the test interleaves the steps.
	browsers := make([]*http.Client, users)
	idpURL, _ := url.Parse(idp.URL)
	for i := range browsers {
		jar, _ := cookiejar.New(nil)
		jar.SetCookies(idpURL, []*http.Cookie{{Name: oauth2test.UserCookie, Value: fmt.Sprintf("user%03d", i)}})
		browsers[i] = &http.Client{Jar: jar, Transport: app.Client().Transport,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	step := func(i int, u string) string {
		resp, err := browsers[i].Get(u)
		if err != nil {
			t.Errorf("user %d: GET %s: %v", i, u, err)
			return ""
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode == http.StatusFound {
			return resp.Header.Get("Location")
		}
		if resp.StatusCode != http.StatusOK {
			t.Errorf("user %d: GET %s: %s %s", i, u, resp.Status, body)
		}
		return string(body)
	}
	// each runs f for every user at once, in an order of its own.
	each := func(order []int, f func(i int)) {
		var wg sync.WaitGroup
		for _, i := range order {
			wg.Add(1)
			go func() { defer wg.Done(); f(i) }()
		}
		wg.Wait()
	}
	forward, backward := make([]int, users), make([]int, users)
	for i := range forward {
		forward[i], backward[i] = i, users-1-i
	}
	appURL, _ := url.Parse(app.URL)
	sid := func(i int) string {
		for _, c := range browsers[i].Jar.Cookies(appURL) {
			if c.Name == "sid" {
				return c.Value
			}
		}
		return ""
	}
	next, pendingSID := make([]string, users), make([]string, users)
	each(forward, func(i int) { next[i] = step(i, app.URL+"/login"); pendingSID[i] = sid(i) }) // every login pending
	each(backward, func(i int) { next[i] = step(i, next[i]) })                                 // the provider approves
	each(forward, func(i int) { next[i] = step(i, next[i]) })                                  // the callbacks
	each(backward, func(i int) { next[i] = step(i, app.URL+next[i]) })                         // /me
	// A signed-in user has a new cookie: the one of the pending sign-in
	// (which another site could have planted) opens no session.
	for i := range browsers {
		if s := sid(i); s == "" || s == pendingSID[i] {
			t.Errorf("user %d: session cookie %q after sign-in, want a new one (was %q)", i, s, pendingSID[i])
		}
	}
	req, _ := http.NewRequest(http.MethodGet, app.URL+"/me", nil)
	req.AddCookie(&http.Cookie{Name: "sid", Value: pendingSID[0]})
	if resp, err := app.Client().Transport.RoundTrip(req); err != nil || resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/login" {
		t.Errorf("/me with the cookie of a sign-in that completed: %v, %v; want a redirect to /login", resp, err)
	} else {
		resp.Body.Close()
	}
	for i, body := range next {
		var echo struct {
			OK       bool   `json:"ok"`
			Username string `json:"username"`
		}
		if err := json.Unmarshal([]byte(body), &echo); err != nil || !echo.OK || echo.Username != fmt.Sprintf("user%03d", i) {
			t.Errorf("user %d: /me = %.200s, want the API's answer for user%03d", i, body, i)
		}
	}
	if n := idp.TokensIssued(); n != users {
		t.Errorf("provider issued %d tokens, want %d", n, users)
	}
}

// Example_manyProcesses is the README's "Many processes, one grant": each
// process of a service that shares one grant runs this.
func Example_manyProcesses() {
	cfg := &oauth2.Config{
		ClientID:     os.Getenv("OAUTH_CLIENT_ID"),
		ClientSecret: os.Getenv("OAUTH_CLIENT_SECRET"),
		Endpoint:     oauth2.Endpoint{TokenURL: "https://auth.example.com/oauth2/token"},
	}
	s := cfg.NewSession(nil) // takes the stored token at its first use
	s.Store = &tokenstore.File{Path: "/var/lib/app/token.json"}
	resp, err := s.Client().Get("https://api.example.com/reports")
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
}

// Example_dpop is the README's section on DPoP, PAR and JAR: a login
// pushed with PKCE and DPoP, as the AT Protocol asks.
func Example_dpop() {
	ctx := context.Background()
	cfg := &oauth2.Config{
		ClientID:    os.Getenv("OAUTH_CLIENT_ID"),
		Endpoint:    oauth2.Endpoint{AuthURL: "https://auth.example.com/authorize", PushedAuthURL: "https://auth.example.com/par"},
		RedirectURL: "http://127.0.0.1:8080/callback",
	}
	key, err := dpop.GenerateKey() // ES256 (package oauth2/dpop); or dpop.NewKey(signer), dpop.ParseKey(saved)
	if err != nil {
		log.Fatal(err)
	}
	cfg.DPoP = key // a proof on every token request; tokens come back bound to the key
	login, err := cfg.NewLogin(ctx, oauth2.PushedAuthorization)
	// ... the browser goes to login.URL, which carries client_id and request_uri only;
	// then CompleteLogin as above, and every request of the session's Client carries
	// "Authorization: DPoP <token>" and a fresh proof, never the token as Bearer.
	if err != nil {
		log.Fatal(err)
	}
	_ = login
}

// TestREADMESnippets checks that every Go block of README.md appears, line
// for line (indentation aside), in this file, where the compiler checks it.
func TestREADMESnippets(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	self, err := os.ReadFile("readme_test.go")
	if err != nil {
		t.Fatal(err)
	}
	trimLines := func(s string) []string {
		var out []string
		for _, l := range strings.Split(s, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, l)
			}
		}
		return out
	}
	code := "\n" + strings.Join(trimLines(string(self)), "\n") + "\n"
	blocks := strings.Split(string(readme), "```go\n")[1:]
	if len(blocks) < 3 {
		t.Fatalf("README has %d Go blocks, want the 3 quick starts", len(blocks))
	}
	for i, b := range blocks {
		body, _, ok := strings.Cut(b, "```")
		if !ok {
			t.Fatalf("README Go block %d is not closed", i+1)
		}
		snippet := "\n" + strings.Join(trimLines(body), "\n") + "\n"
		if !strings.Contains(code, snippet) {
			t.Errorf("README Go block %d is not mirrored in readme_test.go:\n%s", i+1, body)
		}
	}
}

// TestREADMERedaction checks the README's redaction claim as it is worded:
// String and every fmt verb of tokens, configs, logins and sessions hide
// their secrets (a login's PKCE verifier), and so does log/slog's text handler, which prints through
// them, even for a token nested in a struct or a slice; the JSON forms, a
// token's storage format, carry them (slog's JSON handler included); and
// the errors of both packages hold a bounded excerpt of a provider's
// answer, with the credentials it echoed replaced by [redacted].
func TestREADMERedaction(t *testing.T) {
	const (
		at, rt, idt  = "SECRET-AT-1", "SECRET-RT-2", "SECRET-IDT-3"
		clientSecret = "SECRET-CLIENT-4"
		verifier     = "SECRET-VERIFIER-5"
		tokSecret    = "SECRET-TOKSEC-8"
		consSecret   = "SECRET-CONSUMER-9"
	)
	tok := &oauth2.Token{AccessToken: at, RefreshToken: rt, IDToken: idt, TokenType: "Bearer"}
	cfg := &oauth2.Config{ClientID: "id", ClientSecret: clientSecret}
	// A Login's State and Nonce are in its URL, which it prints; its PKCE
	// verifier never leaves the server, and never prints.
	login := &oauth2.Login{URL: "https://as.example/authorize?state=st&nonce=n", State: "st", CodeVerifier: verifier, Nonce: "n"}
	session := cfg.NewSession(tok)
	tok1 := &oauth1.Token{Token: "public", Secret: tokSecret}
	cfg1 := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: consSecret}
	type nested struct {
		Tok  *oauth2.Token
		Toks []oauth2.Token
		Tok1 oauth1.Token
	}
	values := []struct {
		name string
		v    any
	}{
		{"oauth2.Token", *tok}, {"*oauth2.Token", tok},
		{"oauth2.Config", *cfg}, {"*oauth2.Config", cfg},
		{"oauth2.Login", *login}, {"*oauth2.Login", login},
		{"*oauth2.Session", session},
		{"oauth1.Token", *tok1}, {"*oauth1.Token", tok1},
		{"oauth1.Config", *cfg1}, {"*oauth1.Config", cfg1},
		{"nested", nested{tok, []oauth2.Token{*tok}, *tok1}},
		{"[]*oauth2.Token", []*oauth2.Token{tok}},
	}
	secrets := []string{at, rt, idt, clientSecret, verifier, tokSecret, consSecret}
	leak := func(s string) string {
		for _, secret := range secrets {
			if strings.Contains(s, secret) {
				return secret
			}
		}
		return ""
	}
	for _, tt := range values {
		t.Run(tt.name, func(t *testing.T) {
			for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
				if s := fmt.Sprintf(verb, tt.v); leak(s) != "" {
					t.Errorf("%s shows %s: %s", verb, leak(s), s)
				}
			}
			if st, ok := tt.v.(fmt.Stringer); ok {
				if s := st.String(); leak(s) != "" {
					t.Errorf("String() shows %s: %s", leak(s), s)
				}
			}
			var text bytes.Buffer
			slog.New(slog.NewTextHandler(&text, nil)).Info("m", "v", tt.v)
			if s := text.String(); leak(s) != "" {
				t.Errorf("slog text handler shows %s: %s", leak(s), s)
			}
		})
	}

	// The JSON forms carry the tokens: they are how a token is saved.
	var js bytes.Buffer
	slog.New(slog.NewJSONHandler(&js, nil)).Info("m", "v", nested{tok, nil, *tok1})
	for _, secret := range []string{at, rt, idt, tokSecret} {
		if !strings.Contains(js.String(), secret) {
			t.Errorf("slog JSON handler of a nested token lacks %s, which the README says it carries: %s", secret, js.String())
		}
	}

	// Errors carry at most a bounded excerpt of a provider's body, with
	// every credential the request carried replaced by [redacted]: the
	// provider below refuses every request and echoes, in its error
	// description and its body, each credential it received, with 8 KB
	// of padding.
	const password = "SECRET-PASSWORD-6"
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		var got []string
		for _, vs := range r.PostForm {
			got = append(got, vs...)
		}
		if _, pw, ok := r.BasicAuth(); ok {
			got = append(got, pw)
		}
		if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "OAuth ") {
			for _, kv := range strings.Split(strings.TrimPrefix(h, "OAuth "), ", ") {
				_, v, _ := strings.Cut(kv, "=")
				v, _ = url.PathUnescape(strings.Trim(v, `"`))
				got = append(got, v)
			}
		}
		var secret []string // the credentials only: a body naming a field such as "password" is withheld whole
		for _, v := range got {
			if strings.Contains(v, "SECRET-") {
				secret = append(secret, v)
			}
		}
		echoed := strings.Join(secret, " ")
		pad := strings.Repeat("x", 8<<10)
		if strings.HasPrefix(r.URL.Path, "/oauth1") {
			w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, url.Values{"oauth_problem": {"signature_invalid"}, "oauth_problem_advice": {"got " + echoed}, "pad": {echoed + " " + pad}}.Encode())
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant", "error_description": "got " + echoed, "pad": echoed + " " + pad})
	}))
	defer echo.Close()
	ecfg := &oauth2.Config{ClientID: "id", ClientSecret: clientSecret, Endpoint: oauth2.Endpoint{TokenURL: echo.URL + "/token"}}
	ecfg1 := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: consSecret, Method: oauth1.Plaintext, // the secrets on the wire
		Endpoint: oauth1.Endpoint{AccessTokenURL: echo.URL + "/oauth1/access_token"}}
	errSecrets := append([]string{password}, secrets...)
	checkError := func(t *testing.T, err error, fields ...string) {
		t.Helper()
		if err == nil {
			t.Fatal("no error")
		}
		texts := append([]string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)}, fields...)
		redacted := false
		for _, s := range texts {
			for _, secret := range errSecrets {
				if strings.Contains(s, secret) {
					t.Errorf("error shows %s: %.300s", secret, s)
				}
			}
			redacted = redacted || strings.Contains(s, "[redacted]")
		}
		if !redacted {
			t.Errorf("no [redacted] in the error of a provider that echoed the credentials: %q", texts)
		}
	}
	t.Run("oauth2 error", func(t *testing.T) {
		_, err := ecfg.PasswordCredentialsToken(context.Background(), "alice", password)
		var e *oauth2.Error
		if !errors.As(err, &e) {
			t.Fatalf("err = %v, want an *oauth2.Error", err)
		}
		checkError(t, err, e.ErrorDescription, string(e.Body))
		_, err = ecfg.NewSession(tok).Refresh(context.Background())
		if !errors.As(err, &e) || len(e.Body) > 1<<10 || len(e.Error()) > 1<<10 {
			t.Fatalf("err = %.300v (Body %d bytes), want an *oauth2.Error bounded well below the 8 KB body", err, len(e.Body))
		}
		checkError(t, err, e.ErrorDescription, string(e.Body))
	})
	t.Run("oauth1 error", func(t *testing.T) {
		_, err := ecfg1.AccessToken(context.Background(), tok1, "SECRET-VERIFIER-7")
		var e *oauth1.Error
		if !errors.As(err, &e) || len(e.Body) > 1<<10 || len(e.Error()) > 1<<10 {
			t.Fatalf("err = %.300v, want an *oauth1.Error bounded well below the 8 KB body", err)
		}
		errSecrets = append(errSecrets, "SECRET-VERIFIER-7")
		checkError(t, err, e.Problem, e.Advice, string(e.Body))
	})
}
