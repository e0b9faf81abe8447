package dpop_test

// End to end against the fake provider (through oauth2test), which checks
// proofs as a strict server does and binds tokens to the proof's key.

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/dpop"
	"github.com/oauthkit/oauth/oauth2/oauth2test"
	"github.com/oauthkit/oauth/signer/jose"
)

var ctx = context.Background()

func newKey(t testing.TB) *dpop.Key {
	t.Helper()
	k, err := dpop.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// recorder is a RoundTripper that records the DPoP header of every
// request it sends with base.
type recorder struct {
	base http.RoundTripper

	mu     sync.Mutex
	proofs []string
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if p := req.Header.Get("DPoP"); p != "" {
		r.mu.Lock()
		r.proofs = append(r.proofs, p)
		r.mu.Unlock()
	}
	return r.base.RoundTrip(req)
}

func (r *recorder) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.proofs...)
}

// config returns a Config of the client id at srv with key, whose HTTP
// client records proofs.
func config(t testing.TB, srv *oauth2test.Server, id string, key oauth2.DPoP) (*oauth2.Config, *recorder) {
	t.Helper()
	rec := &recorder{base: http.DefaultTransport}
	cfg := &oauth2.Config{ClientID: id, Endpoint: srv.Endpoint(), RedirectURL: "http://127.0.0.1/cb",
		Scopes: []string{"read"}, DPoP: key, HTTPClient: &http.Client{Transport: rec}}
	switch id {
	case oauth2test.ClientID:
		cfg.ClientSecret = oauth2test.ClientSecret
	case oauth2test.KeyClientID:
		cfg.AuthMethod = oauth2.AuthPrivateKeyJWT
		s, err := jose.NewECDSASigner(jose.ES256, oauth2test.ClientKey())
		if err != nil {
			t.Fatal(err)
		}
		cfg.Signer = s
	}
	return cfg, rec
}

// signIn runs a login of cfg at srv and returns the token.
func signIn(t testing.TB, srv *oauth2test.Server, cfg *oauth2.Config, opts ...oauth2.Option) *oauth2.Token {
	t.Helper()
	login, err := cfg.NewLogin(ctx, opts...)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cfg.CompleteLoginURL(ctx, login, srv.Authorize(t, login.URL))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// echo GETs srv's resource with c and returns what it says.
func echo(t testing.TB, srv *oauth2test.Server, c *http.Client) oauth2test.Echo {
	t.Helper()
	resp, err := c.Get(srv.ResourceURL())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := oauth2.CheckResponse(resp); err != nil {
		t.Fatal(err)
	}
	var e oauth2test.Echo
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
		t.Fatal(err)
	}
	return e
}

// checkBound fails t unless tok is bound to key.
func checkBound(t testing.TB, tok *oauth2.Token, key *dpop.Key) {
	t.Helper()
	if tok.TokenType != "DPoP" || tok.DPoPJKT != key.Thumbprint() {
		t.Errorf("token type %q bound to %q, want DPoP bound to %q", tok.TokenType, tok.DPoPJKT, key.Thumbprint())
	}
}

// TestCodeFlow: a public client's login with PKCE and DPoP gets a
// DPoP-bound token, which the resource and introspection see bound to
// the key; the refresh needs a proof of the same key and gives another
// bound token; with another key the refresh is not even sent.
func TestCodeFlow(t *testing.T) {
	srv := oauth2test.NewServer(t)
	key := newKey(t)
	cfg, _ := config(t, srv, oauth2test.PublicClientID, key)
	tok := signIn(t, srv, cfg)
	checkBound(t, tok, key)

	s := cfg.NewSession(tok)
	if e := echo(t, srv, s.Client()); e.TokenType != "DPoP" || e.JKT != key.Thumbprint() || e.Username != oauth2test.Username {
		t.Errorf("resource saw %+v, want a DPoP token of alice bound to %s", e, key.Thumbprint())
	}
	admin, _ := config(t, srv, oauth2test.ClientID, nil)
	in, err := admin.IntrospectToken(ctx, tok.AccessToken, oauth2.HintAccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if cnf, _ := in.Extra["cnf"].(map[string]any); in.TokenType != "DPoP" || cnf["jkt"] != key.Thumbprint() {
		t.Errorf("introspection: token_type %q cnf %v, want DPoP and jkt %s (RFC 9449 §6.2)", in.TokenType, in.Extra["cnf"], key.Thumbprint())
	}

	next, err := s.Refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	checkBound(t, next, key)
	if e := echo(t, srv, s.Client()); e.JKT != key.Thumbprint() {
		t.Errorf("after the refresh the resource saw %+v", e)
	}

	other, _ := config(t, srv, oauth2test.PublicClientID, newKey(t))
	before := srv.TokenRequests()
	if _, err := other.NewSession(next).Refresh(ctx); !errors.Is(err, oauth2.ErrDPoPKeyMismatch) {
		t.Errorf("refresh with another key: %v, want ErrDPoPKeyMismatch", err)
	}
	if srv.TokenRequests() != before {
		t.Error("the refresh with another key was sent")
	}
	if n := srv.DPoPProofsRefused(); n != 0 {
		t.Errorf("DPoPProofsRefused() = %d", n)
	}
	if n := srv.Refreshes(); n != 1 {
		t.Errorf("Refreshes() = %d, want 1", n)
	}
}

// TestGrants: client credentials (a confidential client) and the device
// grant get DPoP-bound tokens with a proof on every token request.
func TestGrants(t *testing.T) {
	t.Run("client credentials", func(t *testing.T) {
		srv := oauth2test.NewServer(t)
		key := newKey(t)
		cfg, rec := config(t, srv, oauth2test.ClientID, key)
		s := cfg.ClientCredentials()
		if e := echo(t, srv, s.Client()); e.TokenType != "DPoP" || e.JKT != key.Thumbprint() || e.ClientID != oauth2test.ClientID {
			t.Errorf("resource saw %+v", e)
		}
		checkBound(t, s.CachedToken(), key)
		if _, err := s.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		checkBound(t, s.CachedToken(), key)
		if n := len(rec.all()); n != 3 { // the grant, the resource, the refresh
			t.Errorf("%d proofs sent, want 3", n)
		}
	})
	t.Run("device", func(t *testing.T) {
		srv := oauth2test.NewServer(t)
		srv.DeviceScript = []string{"authorization_pending", "approve"}
		key := newKey(t)
		cfg, rec := config(t, srv, oauth2test.PublicClientID, key)
		cfg.Sleep = func(context.Context, time.Duration) error { return nil }
		da, err := cfg.DeviceAuth(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := cfg.DeviceAccessToken(ctx, da)
		if err != nil {
			t.Fatal(err)
		}
		checkBound(t, tok, key)
		if n := len(rec.all()); n != 2 { // two polls; none to the device endpoint
			t.Errorf("%d proofs sent, want 2", n)
		}
		if e := echo(t, srv, oauth2.NewClient(cfg.NewSession(tok), nil)); e.JKT != key.Thumbprint() {
			t.Errorf("resource saw %+v", e)
		}
	})
}

// TestNonces: a server that demands nonces (RFC 9449 §8, §9) costs one
// use_dpop_nonce answer per nonce the client does not know, each answered
// by exactly one resend; a nonce learned from any answer of the server
// serves the next proofs, token and resource requests alike; a rotated
// nonce costs one more; a nonce the server changes in its answers costs
// nothing.
func TestNonces(t *testing.T) {
	t.Run("token endpoint, then the resource of the same server", func(t *testing.T) {
		srv := oauth2test.NewServer(t)
		srv.RequireDPoPNonce, srv.RequireResourceDPoPNonce = true, true
		cfg, _ := config(t, srv, oauth2test.ClientID, newKey(t))
		s := cfg.ClientCredentials()
		for i := 0; i < 3; i++ {
			echo(t, srv, s.Client())
		}
		if _, err := s.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if got := [3]int{srv.DPoPNonceChallenges(), srv.TokenRequests(), srv.ResourceRequests()}; got != [3]int{1, 3, 3} {
			t.Errorf("challenges, token requests, resource requests = %v, want [1 3 3]", got)
		}
	})
	t.Run("resource", func(t *testing.T) {
		srv := oauth2test.NewServer(t)
		key := newKey(t)
		cfg, _ := config(t, srv, oauth2test.ClientID, key)
		tok, err := cfg.ClientCredentials().Token(ctx)
		if err != nil {
			t.Fatal(err)
		}
		srv.RequireResourceDPoPNonce = true // after the first request: a field the handler reads each time
		s := cfg.NewSession(tok)            // a session of its own: no nonce known
		for i := 0; i < 3; i++ {
			echo(t, srv, s.Client())
		}
		if got := [3]int{srv.DPoPNonceChallenges(), srv.DPoPProofsRefused(), srv.ResourceRequests()}; got != [3]int{1, 1, 3} {
			t.Errorf("challenges, refused, served = %v, want [1 1 3]", got)
		}
		srv.RotateDPoPNonce()
		echo(t, srv, s.Client())
		echo(t, srv, s.Client())
		if got := [2]int{srv.DPoPNonceChallenges(), srv.ResourceRequests()}; got != [2]int{2, 5} {
			t.Errorf("after a rotation: challenges, served = %v, want [2 5]", got)
		}
	})
	t.Run("a nonce that changes with every answer", func(t *testing.T) {
		srv := oauth2test.NewServer(t)
		srv.RequireDPoPNonce, srv.RequireResourceDPoPNonce, srv.DPoPNonceEvery = true, true, 1
		cfg, _ := config(t, srv, oauth2test.ClientID, newKey(t))
		s := cfg.ClientCredentials()
		for i := 0; i < 5; i++ {
			echo(t, srv, s.Client())
		}
		if got := srv.DPoPNonceChallenges(); got != 1 {
			t.Errorf("DPoPNonceChallenges() = %d, want 1: the first only", got)
		}
	})
	t.Run("a body that cannot be sent again", func(t *testing.T) {
		srv := oauth2test.NewServer(t)
		cfg, _ := config(t, srv, oauth2test.ClientID, newKey(t))
		s := cfg.ClientCredentials()
		if _, err := s.Token(ctx); err != nil {
			t.Fatal(err)
		}
		srv.RequireResourceDPoPNonce = true
		c := oauth2.NewClient(cfg.NewSession(s.CachedToken()), nil)
		req, _ := http.NewRequest("POST", srv.ResourceURL(), io.MultiReader(strings.NewReader("a=b")))
		req.Header.Set("Content-Type", "text/plain")
		resp, err := c.Do(req)
		if !errors.Is(err, oauth2.ErrNotReplayable) {
			t.Fatalf("Do() = %v, %v; want ErrNotReplayable", resp, err)
		}
		if got := [2]int{srv.DPoPNonceChallenges(), srv.ResourceRequests()}; got != [2]int{1, 0} {
			t.Errorf("challenges, served = %v, want [1 0]", got)
		}
	})
}

// TestKeyMismatch: a token bound to one key, restored in a session with
// another, is never sent: the client tells with ErrDPoPKeyMismatch, and
// the server sees nothing.
func TestKeyMismatch(t *testing.T) {
	srv := oauth2test.NewServer(t)
	cfg, _ := config(t, srv, oauth2test.PublicClientID, newKey(t))
	saved, err := json.Marshal(signIn(t, srv, cfg))
	if err != nil {
		t.Fatal(err)
	}
	var tok oauth2.Token
	if err := json.Unmarshal(saved, &tok); err != nil {
		t.Fatal(err)
	}
	other, rec := config(t, srv, oauth2test.PublicClientID, newKey(t))
	before := srv.TokenRequests()
	_, err = other.NewSession(&tok).Client().Get(srv.ResourceURL())
	if !errors.Is(err, oauth2.ErrDPoPKeyMismatch) {
		t.Errorf("Get() error = %v, want ErrDPoPKeyMismatch", err)
	}
	if n := len(rec.all()); n != 0 || srv.ResourceRequests() != 0 || srv.TokenRequests() != before {
		t.Errorf("%d proofs sent, %d resource and %d token requests; want none", n, srv.ResourceRequests(), srv.TokenRequests()-before)
	}
}

// TestProviderRefuses builds requests by hand that a strict server must
// refuse, and checks that the provider does and that CheckResponse
// reports each with its code: a proof replayed, for another URL or
// method, without the nonce the server demands, signed by a key other
// than the token's, and the DPoP token sent as a Bearer token.
func TestProviderRefuses(t *testing.T) {
	srv := oauth2test.NewServer(t)
	key := newKey(t)
	cfg, rec := config(t, srv, oauth2test.ClientID, key)
	s := cfg.ClientCredentials()
	echo(t, srv, s.Client())
	tok := s.CachedToken()
	used := rec.all()[len(rec.all())-1] // the resource request's proof
	proof := func(k *dpop.Key, method, uri, nonce string) string {
		p, err := k.Proof(method, uri, tok.AccessToken, nonce, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name   string
		auth   string
		proof  func() string
		nonce  bool // the server demands one
		method string
		want   error
	}{
		{"valid, as a control", "DPoP ", func() string { return proof(key, "GET", srv.ResourceURL(), "") }, false, "GET", nil},
		{"replayed", "DPoP ", func() string { return used }, false, "GET", oauth2.ErrInvalidDPoPProof},
		{"another URL", "DPoP ", func() string { return proof(key, "GET", srv.URL+"/elsewhere", "") }, false, "GET", oauth2.ErrInvalidDPoPProof},
		{"another method", "DPoP ", func() string { return proof(key, "POST", srv.ResourceURL(), "") }, false, "GET", oauth2.ErrInvalidDPoPProof},
		{"no nonce", "DPoP ", func() string { return proof(key, "GET", srv.ResourceURL(), "") }, true, "GET", oauth2.ErrUseDPoPNonce},
		{"another key", "DPoP ", func() string { return proof(newKey(t), "GET", srv.ResourceURL(), "") }, false, "GET", oauth2.ErrInvalidToken},
		{"as Bearer", "Bearer ", func() string { return "" }, false, "GET", oauth2.ErrInvalidToken},
		{"as Bearer with a proof", "Bearer ", func() string { return proof(key, "GET", srv.ResourceURL(), "") }, false, "GET", oauth2.ErrInvalidToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.RequireResourceDPoPNonce = tt.nonce
			refused := srv.DPoPProofsRefused()
			req, _ := http.NewRequest(tt.method, srv.ResourceURL(), nil)
			req.Header.Set("Authorization", tt.auth+tok.AccessToken)
			if p := tt.proof(); p != "" {
				req.Header.Set("DPoP", p)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			err = oauth2.CheckResponse(resp)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("control request refused: %v", err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("CheckResponse() = %v, want %v", err, tt.want)
			}
			if strings.Contains(err.Error(), tok.AccessToken) {
				t.Error("the error shows the access token")
			}
			if tt.auth == "DPoP " && tt.want != oauth2.ErrInvalidToken && srv.DPoPProofsRefused() != refused+1 {
				t.Errorf("DPoPProofsRefused() went from %d to %d", refused, srv.DPoPProofsRefused())
			}
		})
	}
	srv.RequireResourceDPoPNonce = false
}

// TestConcurrentProofs: many goroutines through one DPoP session's
// client: every request is served, and the provider, which refuses a jti
// it has seen, refuses none; the proofs sent are all different.
func TestConcurrentProofs(t *testing.T) {
	srv := oauth2test.NewServer(t)
	cfg, _ := config(t, srv, oauth2test.ClientID, newKey(t))
	rec := &recorder{base: http.DefaultTransport}
	s := cfg.ClientCredentials()
	c := oauth2.NewClient(s, &http.Client{Transport: rec})
	const n = 200
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := c.Get(srv.ResourceURL())
			if err == nil {
				err = oauth2.CheckResponse(resp)
				resp.Body.Close()
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	jtis := map[string]bool{}
	for _, p := range rec.all() {
		c := decodeSegment(t, strings.Split(p, ".")[1])
		jtis[c["jti"].(string)] = true
	}
	if got := [4]int{srv.ResourceRequests(), srv.TokensIssued(), srv.DPoPProofsRefused(), len(jtis)}; got != [4]int{n, 1, 0, n} {
		t.Errorf("served, tokens issued, refused, distinct jti = %v, want [%d 1 0 %d]", got, n, n)
	}
}

// TestBoundCode: the authorization code is bound to the key by dpop_jkt
// (BindCodeToDPoPKey) or by the proof of a pushed login (RFC 9449 §10):
// redeemed with another key, the server refuses it.
func TestBoundCode(t *testing.T) {
	tests := []struct {
		name string
		opts []oauth2.Option
		keys []string
	}{
		{"dpop_jkt", []oauth2.Option{oauth2.BindCodeToDPoPKey}, nil},
		{"pushed", []oauth2.Option{oauth2.PushedAuthorization}, []string{"client_id", "request_uri"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := oauth2test.NewServer(t)
			key := newKey(t)
			cfg, _ := config(t, srv, oauth2test.PublicClientID, key)
			other, _ := config(t, srv, oauth2test.PublicClientID, newKey(t))
			for _, c := range []struct {
				cfg  *oauth2.Config
				want error
			}{{other, oauth2.ErrInvalidGrant}, {cfg, nil}} {
				login, err := cfg.NewLogin(ctx, tt.opts...)
				if err != nil {
					t.Fatal(err)
				}
				if tt.name == "dpop_jkt" && !strings.Contains(login.URL, "dpop_jkt="+key.Thumbprint()) {
					t.Errorf("URL %s lacks dpop_jkt", login.URL)
				}
				tok, err := c.cfg.CompleteLoginURL(ctx, login, srv.Authorize(t, login.URL))
				if !errors.Is(err, c.want) {
					t.Fatalf("CompleteLoginURL() = %v, %v; want %v", tok, err, c.want)
				}
				if err == nil {
					checkBound(t, tok, key)
				}
			}
		})
	}
	t.Run("no key", func(t *testing.T) {
		srv := oauth2test.NewServer(t)
		cfg, _ := config(t, srv, oauth2test.PublicClientID, nil)
		if _, err := cfg.NewLogin(ctx, oauth2.BindCodeToDPoPKey); !errors.Is(err, oauth2.ErrNoDPoPKey) {
			t.Errorf("NewLogin() error = %v, want ErrNoDPoPKey", err)
		}
	})
}

// TestATProtocolProfile runs the login the AT Protocol's OAuth profile
// asks for against a server that requires all of it: a pushed request
// (RFC 9126) with PKCE, DPoP with server nonces (RFC 9449), and
// private_key_jwt with the issuer as the assertions' audience; then
// DPoP-bound API calls and a refresh.
func TestATProtocolProfile(t *testing.T) {
	srv := oauth2test.NewServer(t)
	srv.RequirePAR, srv.RequireDPoP, srv.RequireDPoPNonce, srv.RequireResourceDPoPNonce = true, true, true, true
	srv.RequireIssuerAudience = true
	key := newKey(t)
	cfg, _ := config(t, srv, oauth2test.KeyClientID, key)
	cfg.Scopes = []string{"atproto", "transition:generic"}
	cfg.Endpoint.AssertionAudience = cfg.Endpoint.Issuer
	login, err := cfg.NewLogin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(login.URL, "request_uri=") || strings.Contains(login.URL, "code_challenge") {
		t.Errorf("URL %s: want a pushed request", login.URL)
	}
	tok, err := cfg.CompleteLoginURL(ctx, login, srv.Authorize(t, login.URL))
	if err != nil {
		t.Fatal(err)
	}
	checkBound(t, tok, key)
	s := cfg.NewSession(tok)
	for i := 0; i < 2; i++ {
		echo(t, srv, s.Client())
	}
	if _, err := s.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	echo(t, srv, s.Client())
	// The PAR endpoint's nonce challenge, whose nonce the login carries
	// to the token request (Login.DPoPNonce), and the session's first
	// resource request's (a session's memory is its own); the refresh and
	// the rest knew the nonce.
	if got := [3]int{srv.DPoPNonceChallenges(), srv.PARRequests(), srv.ResourceRequests()}; got != [3]int{2, 2, 3} {
		t.Errorf("challenges, PAR requests, served = %v, want [2 2 3]", got)
	}
}
