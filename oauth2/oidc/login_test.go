package oidc_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oidc"
)

// browse plays the user's browser at the authorization endpoint: it
// follows the login's URL and returns where the provider sent it back.
func browse(t testing.TB, s *fakeprovider.Server, authURL string) string {
	t.Helper()
	c := *s.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize: status %d", resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

// signInResult is how far a sign-in got, and what it made.
type signInResult struct {
	step     string // the step that failed, or "done"
	err      error
	provider *oidc.Provider
	session  *oauth2.Session
	token    *oauth2.Token // the sign-in's
	idToken  *oidc.IDToken
	info     *oidc.UserInfo
	// tokenRequests is how many requests the token endpoint received
	// before the step that failed.
	tokenRequests int
}

// signInWithOIDC runs the whole sign-in through the calls a program
// makes, against s: discovery, a login, the callback, the ID token, the
// UserInfo, a key rotation and a refresh whose ID token is checked. It
// stops at the first error and says at which step.
func signInWithOIDC(t testing.TB, s *fakeprovider.Server, clk *clock) signInResult {
	t.Helper()
	ctx := context.Background()
	var r signInResult
	fail := func(step string, err error) signInResult {
		r.step, r.err = step, err
		return r
	}

	// Discovery, and a Config for the provider.
	p, err := oidc.NewProvider(ctx, issuer(s), &oidc.Options{HTTPClient: s.Client(), Now: clk.Now})
	if err != nil {
		return fail("discovery", err)
	}
	r.provider = p
	cfg, err := p.Metadata().Config(oauth2.Config{
		ClientID:    testClientID,
		RedirectURL: testRedirect,
		Scopes:      []string{oidc.ScopeOpenID, "email", "profile"},
		HTTPClient:  s.Client(),
		Now:         clk.Now,
	})
	if err != nil {
		return fail("config", err)
	}
	verifier := p.Verifier(&oidc.Config{ClientID: cfg.ClientID, Now: clk.Now})

	// The login: state, PKCE, nonce; the callback with iss.
	login, err := cfg.NewLogin(context.Background())
	if err != nil {
		return fail("login", err)
	}
	callback := browse(t, s, login.URL)
	r.tokenRequests = s.OAuth2.TokenRequests()
	tok, err := cfg.CompleteLoginURL(ctx, login, callback)
	if err != nil {
		return fail("callback", err)
	}
	r.token = tok
	idToken, err := verifier.VerifyLogin(ctx, tok, login)
	if err != nil {
		return fail("id token", err)
	}
	r.idToken = idToken

	// The session, whose refreshes are checked, and UserInfo through it.
	sess := cfg.NewSession(tok)
	sess.VerifyToken = verifier.CheckRefreshes(idToken)
	r.session = sess
	info, err := p.UserInfo(ctx, sess, idToken.Subject)
	if err != nil {
		return fail("userinfo", err)
	}
	r.info = info

	// The provider rotates its keys; the next ID token names a new kid,
	// which the client fetches the JWK Set again for.
	s.OAuth2.RotateKeys()
	clk.Advance(oidc.DefaultRefetchInterval)
	r.tokenRequests = s.OAuth2.TokenRequests()
	if _, err := sess.Refresh(ctx); err != nil {
		return fail("refresh", err)
	}
	r.step = "done"
	return r
}

// TestSignInWithOIDC is the happy path of the sign-in, across a key
// rotation.
func TestSignInWithOIDC(t *testing.T) {
	clk := newClock()
	s := newServer(t, clk, nil)
	r := signInWithOIDC(t, s, clk)
	if r.err != nil {
		t.Fatalf("sign-in failed at %s: %v", r.step, r.err)
	}
	want := []string{issuer(s), "alice", "alice@example.com", "Alice", "alice"}
	got := []string{r.idToken.Issuer, r.idToken.Subject, r.idToken.Email, r.idToken.Name, r.info.Subject}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("claims mismatch (-want +got):\n%s", diff)
	}
	if n := s.OAuth2.Refreshes(); n != 1 {
		t.Errorf("Refreshes() = %d, want 1", n)
	}
	// One fetch at sign-in, one for the rotated key.
	if n := s.OAuth2.JWKSRequests(); n != 2 {
		t.Errorf("JWKSRequests() = %d, want 2", n)
	}
	if n := s.OAuth2.IDTokensIssued(); n != 2 {
		t.Errorf("IDTokensIssued() = %d, want 2", n)
	}
}

// TestSignInWithOIDCAttacks turns on each of the fake provider's attacks
// and checks that the sign-in, through the same calls, stops at the step
// that must see it, with a typed error; the attacks on the callback stop
// before any token request.
func TestSignInWithOIDCAttacks(t *testing.T) {
	tests := []struct {
		name     string
		attack   func(*fakeprovider.OAuth2)
		wantStep string
		wantErr  error
	}{
		{"wrong issuer in the metadata", func(o *fakeprovider.OAuth2) { o.WrongMetadataIssuer = true }, "discovery", oidc.ErrIssuerMismatch},
		{"wrong iss in the callback", func(o *fakeprovider.OAuth2) { o.WrongCallbackIssuer = true }, "callback", oauth2.ErrIssuerMismatch},
		{"no iss in the callback", func(o *fakeprovider.OAuth2) { o.OmitCallbackIssuer = true }, "callback", oauth2.ErrMissingIssuer},
		{"ID token from another issuer", func(o *fakeprovider.OAuth2) { o.IDTokenWrongIssuer = true }, "id token", oidc.ErrIssuerMismatch},
		{"alg none", func(o *fakeprovider.OAuth2) { o.IDTokenAlgNone = true }, "id token", oidc.ErrInvalidSignature},
		{"HS256 with the public key", func(o *fakeprovider.OAuth2) { o.IDTokenHS256PublicKey = true }, "id token", oidc.ErrInvalidSignature},
		{"wrong audience", func(o *fakeprovider.OAuth2) { o.IDTokenWrongAudience = true }, "id token", oidc.ErrAudienceMismatch},
		{"expired", func(o *fakeprovider.OAuth2) { o.IDTokenExpired = true }, "id token", oidc.ErrExpired},
		{"missing nonce", func(o *fakeprovider.OAuth2) { o.IDTokenOmitNonce = true }, "id token", oidc.ErrNonceMismatch},
		{"wrong nonce", func(o *fakeprovider.OAuth2) { o.IDTokenWrongNonce = true }, "id token", oidc.ErrNonceMismatch},
		{"bad at_hash", func(o *fakeprovider.OAuth2) { o.IDTokenBadAtHash = true }, "id token", oidc.ErrAccessTokenHashMismatch},
		{"unknown kid, every time", func(o *fakeprovider.OAuth2) { o.IDTokenUnknownKid = true }, "id token", oidc.ErrUnknownKey},
		{"unknown kid once: a rotation", func(o *fakeprovider.OAuth2) { o.IDTokenUnknownKidOnce = true }, "done", nil},
		{"UserInfo about another user", func(o *fakeprovider.OAuth2) { o.WrongUserInfoSub = true }, "userinfo", oidc.ErrSubjectMismatch},
		{"refresh changes sub", func(o *fakeprovider.OAuth2) { o.RefreshChangesSub = true }, "refresh", oidc.ErrSubjectMismatch},
		{"rotated keys dropped at once", func(o *fakeprovider.OAuth2) { o.DropRotatedKeys = true }, "done", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			s := newServer(t, clk, tt.attack)
			r := signInWithOIDC(t, s, clk)
			if r.step != tt.wantStep || !errors.Is(r.err, tt.wantErr) || (tt.wantErr == nil) != (r.err == nil) {
				t.Fatalf("sign-in stopped at %s with %v; want %s with %v", r.step, r.err, tt.wantStep, tt.wantErr)
			}
			switch r.step {
			case "callback":
				if n := s.OAuth2.TokenRequests(); n != r.tokenRequests {
					t.Errorf("the token endpoint got %d requests after the forged callback, want none", n-r.tokenRequests)
				}
			case "refresh":
				// The refused token is not installed: the session keeps
				// the one of the sign-in, and its ID token.
				if got := r.session.CachedToken(); got != r.token || s.OAuth2.Refreshes() != 1 {
					t.Errorf("after the refused refresh: CachedToken %v, %d refreshes; want the sign-in's token, 1", got, s.OAuth2.Refreshes())
				}
			}
		})
	}
}

// TestVerifyLogin checks what VerifyLogin refuses before it verifies
// anything.
func TestVerifyLogin(t *testing.T) {
	clk := newClock()
	s := newServer(t, clk, nil)
	p := newProvider(t, s, clk)
	v := p.Verifier(&oidc.Config{ClientID: testClientID, Now: clk.Now})
	tok := signIn(t, s, testNonce)
	good := &oauth2.Token{AccessToken: tok.AccessToken, IDToken: tok.IDToken}
	tests := []struct {
		name    string
		tok     *oauth2.Token
		login   *oauth2.Login
		wantErr error
	}{
		{"verified", good, &oauth2.Login{Nonce: testNonce, Issuer: issuer(s)}, nil},
		{"login without issuer", good, &oauth2.Login{Nonce: testNonce}, nil},
		{"login for another issuer", good, &oauth2.Login{Nonce: testNonce, Issuer: fakeprovider.WrongIssuer}, oidc.ErrIssuerMismatch},
		{"login without nonce", good, &oauth2.Login{Issuer: issuer(s)}, oidc.ErrNonceMismatch},
		{"another login's nonce", good, &oauth2.Login{Nonce: "n-other", Issuer: issuer(s)}, oidc.ErrNonceMismatch},
		{"another access token", &oauth2.Token{AccessToken: "at-other", IDToken: tok.IDToken}, &oauth2.Login{Nonce: testNonce}, oidc.ErrAccessTokenHashMismatch},
		{"no id token", &oauth2.Token{AccessToken: tok.AccessToken}, &oauth2.Login{Nonce: testNonce}, oidc.ErrNoIDToken},
		{"nil token", nil, &oauth2.Login{Nonce: testNonce}, oidc.ErrNoIDToken},
		{"nil login", good, nil, oauth2.ErrNoState},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := v.VerifyLogin(context.Background(), tt.tok, tt.login)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("VerifyLogin() error = %v, want %v", err, tt.wantErr)
			}
			if err == nil && (got.Subject != "alice" || got.Nonce != testNonce) {
				t.Errorf("VerifyLogin() = %v, want alice's token with the nonce", got)
			}
		})
	}
}

// TestCheckRefreshes checks the refresh check on its own: tokens without
// an ID token pass, an ID token is verified against the original, and
// without an original the first one verified becomes the reference.
func TestCheckRefreshes(t *testing.T) {
	clk := newClock()
	s := newServer(t, clk, nil)
	p := newProvider(t, s, clk)
	v := p.Verifier(&oidc.Config{ClientID: testClientID, Now: clk.Now})
	ctx := context.Background()
	alice := signIn(t, s, testNonce)
	original, err := v.Verify(ctx, alice.IDToken)
	if err != nil {
		t.Fatal(err)
	}
	// Another end-user's ID token, from another provider run.
	s2 := newServer(t, clk, func(o *fakeprovider.OAuth2) { o.RefreshChangesSub = true })
	p2 := newProvider(t, s2, clk)
	v2 := p2.Verifier(&oidc.Config{ClientID: testClientID, Now: clk.Now})
	mallory := refresh(t, s2, signIn(t, s2, "").RefreshToken)

	check := v.CheckRefreshes(original)
	if err := check(ctx, nil, &oauth2.Token{AccessToken: "at"}); err != nil {
		t.Errorf("check(no id token) = %v, want nil", err)
	}
	if err := check(ctx, nil, nil); err != nil {
		t.Errorf("check(nil) = %v, want nil", err)
	}
	next := refresh(t, s, alice.RefreshToken)
	if err := check(ctx, nil, &oauth2.Token{AccessToken: next.AccessToken, IDToken: next.IDToken}); err != nil {
		t.Errorf("check(alice's refresh) = %v, want nil", err)
	}
	if err := check(ctx, nil, &oauth2.Token{AccessToken: "at-other", IDToken: next.IDToken}); !errors.Is(err, oidc.ErrAccessTokenHashMismatch) {
		t.Errorf("check(another access token) = %v, want ErrAccessTokenHashMismatch", err)
	}

	// A verifier of the second provider, without an original: the first
	// token sets the reference, a token for another end-user fails.
	first := signIn(t, s2, "")
	check2 := v2.CheckRefreshes(nil)
	if err := check2(ctx, nil, &oauth2.Token{AccessToken: first.AccessToken, IDToken: first.IDToken}); err != nil {
		t.Fatalf("check2(first) = %v, want nil", err)
	}
	if err := check2(ctx, nil, &oauth2.Token{AccessToken: mallory.AccessToken, IDToken: mallory.IDToken}); !errors.Is(err, oidc.ErrSubjectMismatch) {
		t.Errorf("check2(mallory) = %v, want ErrSubjectMismatch", err)
	}
}
