package oauth2_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oauth2test"
	"github.com/oauthkit/oauth/signer/jose"
)

// queryKeys returns the parameter names of u's query, sorted.
func queryKeys(t testing.TB, u string) []string {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k, v := range p.Query() {
		for range v {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// parServer is an oauth2test server on clk, configured before use.
func parServer(t testing.TB, clk *testClock, configure func(*oauth2test.Server)) *oauth2test.Server {
	t.Helper()
	srv := oauth2test.NewServer(t)
	srv.Now = clk.now
	if configure != nil {
		configure(srv)
	}
	return srv
}

// keySigner is the ES256 signer of oauth2test.KeyClientID's key.
func keySigner(t testing.TB) jose.Signer {
	t.Helper()
	s, err := jose.NewECDSASigner(jose.ES256, oauth2test.ClientKey())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// parClients are oauth2test's clients, one per way of authenticating at
// the PAR endpoint.
func parClients(t testing.TB, srv *oauth2test.Server, clk *testClock) map[string]*oauth2.Config {
	t.Helper()
	mk := func(id, secret string, m oauth2.AuthMethod) *oauth2.Config {
		return &oauth2.Config{ClientID: id, ClientSecret: secret, AuthMethod: m, Endpoint: srv.Endpoint(),
			RedirectURL: "http://127.0.0.1/cb", Scopes: []string{"read"}, Now: clk.now}
	}
	cs := map[string]*oauth2.Config{
		"client_secret_basic": mk(oauth2test.ClientID, oauth2test.ClientSecret, oauth2.AuthClientSecretBasic),
		"client_secret_post":  mk(oauth2test.PostClientID, oauth2test.PostClientSecret, oauth2.AuthClientSecretPost),
		"none":                mk(oauth2test.PublicClientID, "", oauth2.AuthNone),
		"private_key_jwt":     mk(oauth2test.KeyClientID, "", oauth2.AuthPrivateKeyJWT),
	}
	cs["private_key_jwt"].Signer = keySigner(t)
	return cs
}

// TestPushedLogin: a login pushed to the PAR endpoint (RFC 9126) with
// each client authentication sends the user with client_id and
// request_uri alone, records the request_uri's expiry, and completes.
func TestPushedLogin(t *testing.T) {
	ctx := context.Background()
	for name, cfg := range parClients(t, parServer(t, newTestClock(), nil), newTestClock()) {
		t.Run(name, func(t *testing.T) {
			clk := newTestClock()
			srv := parServer(t, clk, nil)
			cfg.Endpoint, cfg.Now = srv.Endpoint(), clk.now
			login, err := cfg.NewLogin(ctx, oauth2.PushedAuthorization)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{"client_id", "request_uri"}, queryKeys(t, login.URL)); diff != "" {
				t.Errorf("URL parameters (-want +got):\n%s", diff)
			}
			u, _ := url.Parse(login.URL)
			if u.Query().Get("client_id") != cfg.ClientID || !strings.HasPrefix(u.Query().Get("request_uri"), "urn:ietf:params:oauth:request_uri:") {
				t.Errorf("URL %s", login.URL)
			}
			if want := clk.now().Add(60 * time.Second); !login.Expiry.Equal(want) {
				t.Errorf("Expiry = %v, want %v (the server's expires_in)", login.Expiry, want)
			}
			if srv.PARRequests() != 1 {
				t.Errorf("PARRequests() = %d, want 1", srv.PARRequests())
			}
			tok, err := cfg.CompleteLoginURL(ctx, login, srv.Authorize(t, login.URL))
			if err != nil {
				t.Fatal(err)
			}
			if tok.Scope != "read" {
				t.Errorf("token scope %q, want the pushed request's read", tok.Scope)
			}
		})
	}
}

// TestPushedLoginRequired: for a server whose metadata requires pushed
// requests (Endpoint.RequirePushedAuth), every login is pushed without
// being asked; a login sent by the front channel is refused by the
// server.
func TestPushedLoginRequired(t *testing.T) {
	ctx := context.Background()
	clk := newTestClock()
	srv := parServer(t, clk, func(s *oauth2test.Server) { s.RequirePAR = true })
	cfg := parClients(t, srv, clk)["none"]
	if !cfg.Endpoint.RequirePushedAuth {
		t.Fatal("the server's Endpoint does not say it requires PAR")
	}
	login, err := cfg.NewLogin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"client_id", "request_uri"}, queryKeys(t, login.URL)); diff != "" {
		t.Errorf("URL parameters (-want +got):\n%s", diff)
	}
	if _, err := cfg.CompleteLoginURL(ctx, login, srv.Authorize(t, login.URL)); err != nil {
		t.Fatal(err)
	}

	front := *cfg
	front.Endpoint.RequirePushedAuth = false
	login, err = front.NewLogin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = front.CompleteLoginURL(ctx, login, srv.Authorize(t, login.URL))
	if !errors.Is(err, oauth2.ErrInvalidRequest) {
		t.Errorf("a login not pushed: error %v, want the server's invalid_request", err)
	}
	if srv.PARRequests() != 1 {
		t.Errorf("PARRequests() = %d, want 1", srv.PARRequests())
	}
}

// TestPushedLoginExpiry: Login.Expiry is the server's expires_in; the
// server refuses the URL after it, and a callback obtained in time
// completes later (the server decides).
func TestPushedLoginExpiry(t *testing.T) {
	ctx := context.Background()
	clk := newTestClock()
	srv := parServer(t, clk, func(s *oauth2test.Server) { s.PARLifetime = 10 * time.Second })
	cfg := parClients(t, srv, clk)["none"]

	late, err := cfg.NewLogin(ctx, oauth2.PushedAuthorization)
	if err != nil {
		t.Fatal(err)
	}
	if want := clk.now().Add(10 * time.Second); !late.Expiry.Equal(want) {
		t.Errorf("Expiry = %v, want %v", late.Expiry, want)
	}
	inTime, err := cfg.NewLogin(ctx, oauth2.PushedAuthorization)
	if err != nil {
		t.Fatal(err)
	}
	callback := srv.Authorize(t, inTime.URL)

	clk.add(11 * time.Second)
	resp, err := srv.Client().Get(late.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "invalid_request_uri") {
		t.Errorf("an expired request_uri: %d %s, want 400 invalid_request_uri", resp.StatusCode, body)
	}
	if _, err := cfg.CompleteLoginURL(ctx, inTime, callback); err != nil {
		t.Errorf("completing after Expiry a login used in time: %v", err)
	}
}

// TestPushedLoginErrors: refusals of the PAR endpoint are *Errors with
// Endpoint "pushed authorization"; what prevents the push is a typed
// error before any request.
func TestPushedLoginErrors(t *testing.T) {
	ctx := context.Background()
	clk := newTestClock()
	srv := parServer(t, clk, nil)
	noURI := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(201)
		io.WriteString(w, `{"expires_in":60}`)
	}))
	defer noURI.Close()
	tests := []struct {
		name     string
		change   func(*oauth2.Config)
		ctx      func() context.Context
		want     error
		status   int // of an *Error; 0 for none
		requests int // reaching srv's PAR endpoint
	}{
		{"unregistered redirect URI", func(c *oauth2.Config) { c.RedirectURL = "https://elsewhere.example/cb" }, nil,
			oauth2.ErrInvalidRequest, 400, 1},
		{"wrong secret", func(c *oauth2.Config) { c.ClientSecret = "wrong" }, nil, oauth2.ErrInvalidClient, 401, 1},
		{"no PAR endpoint", func(c *oauth2.Config) { c.Endpoint.PushedAuthURL = "" }, nil, oauth2.ErrNoEndpoint, 0, 0},
		{"plain http elsewhere", func(c *oauth2.Config) { c.Endpoint.PushedAuthURL = "http://par.example/par" }, nil,
			oauth2.ErrInsecureTransport, 0, 0},
		{"cancelled", nil, func() context.Context { c, cancel := context.WithCancel(ctx); cancel(); return c }, context.Canceled, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := srv.PARRequests()
			cfg := parClients(t, srv, clk)["client_secret_basic"]
			if tt.change != nil {
				tt.change(cfg)
			}
			c := ctx
			if tt.ctx != nil {
				c = tt.ctx()
			}
			login, err := cfg.NewLogin(c, oauth2.PushedAuthorization)
			if !errors.Is(err, tt.want) || login != nil {
				t.Fatalf("NewLogin() = %v, %v; want an error wrapping %v", login, err, tt.want)
			}
			var e *oauth2.Error
			if got := errors.As(err, &e); got != (tt.status != 0) || got && (e.Endpoint != "pushed authorization" || e.StatusCode != tt.status) {
				t.Errorf("error %#v, want an *Error from the pushed authorization endpoint with status %d", err, tt.status)
			}
			if n := srv.PARRequests() - before; n != tt.requests {
				t.Errorf("%d requests reached the PAR endpoint, want %d", n, tt.requests)
			}
		})
	}
	t.Run("no request_uri", func(t *testing.T) {
		cfg := parClients(t, srv, clk)["none"]
		cfg.Endpoint.PushedAuthURL = noURI.URL
		if login, err := cfg.NewLogin(ctx, oauth2.PushedAuthorization); err == nil {
			t.Errorf("NewLogin() = %v, want an error for a response without request_uri", login)
		}
	})
}

// decodeJWT returns the decoded header and claims of a compact JWS.
func decodeJWT(t testing.TB, jwt string) (header, claims map[string]any) {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("JWT of %d parts", len(parts))
	}
	for i, dst := range []*map[string]any{&header, &claims} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, dst); err != nil {
			t.Fatal(err)
		}
	}
	return header, claims
}

// TestSignedRequestObject: a login sends its request as a request object
// (RFC 9101) signed with Config.Signer, by value in the URL or pushed,
// and the provider accepts it; the object's claims are the request's
// parameters and the JWT claims RFC 9101 §4 and §10.8 ask for.
func TestSignedRequestObject(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name      string
		opts      []oauth2.Option
		configure func(*oauth2test.Server)
		scopes    []string
		keys      []string // of the URL's query
		pushed    bool
	}{
		{"by value", []oauth2.Option{oauth2.SignedRequestObject}, nil, []string{"read"}, []string{"client_id", "request"}, false},
		{"by value, OpenID Connect", []oauth2.Option{oauth2.SignedRequestObject}, nil, []string{"openid"},
			[]string{"client_id", "request", "response_type", "scope"}, false},
		{"pushed", []oauth2.Option{oauth2.SignedRequestObject, oauth2.PushedAuthorization}, nil, []string{"read"},
			[]string{"client_id", "request_uri"}, true},
		{"required by the server", nil, func(s *oauth2test.Server) { s.RequireSignedRequestObject = true }, []string{"read"},
			[]string{"client_id", "request"}, false},
		{"both required by the server", nil, func(s *oauth2test.Server) { s.RequireSignedRequestObject, s.RequirePAR = true, true },
			[]string{"read"}, []string{"client_id", "request_uri"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newTestClock()
			srv := parServer(t, clk, tt.configure)
			cfg := parClients(t, srv, clk)["private_key_jwt"]
			cfg.Scopes, cfg.KeyID = tt.scopes, "client-key-1"
			var sent string // the request object, as the server got it
			if tt.pushed {
				cfg.Hooks.EndpointRequest = func(r *http.Request) error {
					b, _ := r.GetBody()
					form, _ := io.ReadAll(b)
					q, _ := url.ParseQuery(string(form))
					sent = q.Get("request")
					return nil
				}
			}
			login, err := cfg.NewLogin(ctx, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.keys, queryKeys(t, login.URL)); diff != "" {
				t.Errorf("URL parameters (-want +got):\n%s", diff)
			}
			if !tt.pushed {
				u, _ := url.Parse(login.URL)
				sent = u.Query().Get("request")
				if want := clk.now().Add(5 * time.Minute); !login.Expiry.Equal(want) {
					t.Errorf("Expiry = %v, want %v", login.Expiry, want)
				}
			}
			header, claims := decodeJWT(t, sent)
			if diff := cmp.Diff(map[string]any{"alg": "ES256", "typ": "oauth-authz-req+jwt", "kid": "client-key-1"}, header); diff != "" {
				t.Errorf("header (-want +got):\n%s", diff)
			}
			iat := float64(clk.now().Unix())
			for k, want := range map[string]any{"iss": cfg.ClientID, "aud": srv.IssuerURL(), "client_id": cfg.ClientID,
				"response_type": "code", "redirect_uri": cfg.RedirectURL, "state": login.State, "iat": iat, "nbf": iat,
				"exp": iat + 300, "code_challenge_method": "S256", "scope": strings.Join(tt.scopes, " ")} {
				if claims[k] != want {
					t.Errorf("claim %s = %v, want %v", k, claims[k], want)
				}
			}
			if jti, _ := claims["jti"].(string); len(jti) < 16 {
				t.Errorf("jti %q", jti)
			}
			if _, err := cfg.CompleteLoginURL(ctx, login, srv.Authorize(t, login.URL)); err != nil {
				t.Fatal(err)
			}
			if n := srv.RequestObjectsRefused(); n != 0 {
				t.Errorf("RequestObjectsRefused() = %d", n)
			}
		})
	}
}

// TestSignedRequestObjectRepeated: a parameter given more than once is a
// JSON array in the request object (as RFC 8707 §2 writes resource); the
// JWT claims are the login's, not a parameter's of the same name.
func TestSignedRequestObjectRepeated(t *testing.T) {
	clk := newTestClock()
	srv := parServer(t, clk, nil)
	cfg := parClients(t, srv, clk)["private_key_jwt"]
	login, err := cfg.NewLogin(context.Background(), oauth2.SignedRequestObject,
		oauth2.SetParam("resource", "https://a.example"), oauth2.SetParam("resource", "https://b.example"),
		oauth2.SetParam("aud", "https://evil.example"), oauth2.SetParam("request_uri", "urn:x"))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(login.URL)
	_, claims := decodeJWT(t, u.Query().Get("request"))
	if diff := cmp.Diff([]any{"https://a.example", "https://b.example"}, claims["resource"]); diff != "" {
		t.Errorf("resource claim (-want +got):\n%s", diff)
	}
	if claims["aud"] != srv.IssuerURL() || claims["request_uri"] != nil {
		t.Errorf("aud %v, request_uri %v; want the issuer and none", claims["aud"], claims["request_uri"])
	}
}

// TestSignedRequestObjectErrors: no signer, no issuer: typed errors
// before anything is sent; a request object the server cannot verify is
// refused by the server, at the PAR endpoint with an *Error.
func TestSignedRequestObjectErrors(t *testing.T) {
	ctx := context.Background()
	clk := newTestClock()
	srv := parServer(t, clk, func(s *oauth2test.Server) {
		// A client that authenticates with its secret and signs request
		// objects with its key.
		s.Clients["jar-client"] = &oauth2test.Client{ID: "jar-client", Secret: "jar-secret", AuthMethod: "client_secret_basic",
			RedirectURIs: []string{"http://127.0.0.1/cb"}, PublicKey: oauth2test.ClientKey().Public()}
	})
	t.Run("no signer", func(t *testing.T) {
		cfg := parClients(t, srv, clk)["none"]
		if _, err := cfg.NewLogin(ctx, oauth2.SignedRequestObject); !errors.Is(err, oauth2.ErrNoSigner) {
			t.Errorf("error %v, want ErrNoSigner", err)
		}
	})
	t.Run("no issuer", func(t *testing.T) {
		cfg := parClients(t, srv, clk)["private_key_jwt"]
		cfg.Endpoint.Issuer = ""
		if _, err := cfg.NewLogin(ctx, oauth2.SignedRequestObject); !errors.Is(err, oauth2.ErrNoEndpoint) {
			t.Errorf("error %v, want ErrNoEndpoint", err)
		}
	})
	other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	wrong, err := jose.NewECDSASigner(jose.ES256, other)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("another key, by value", func(t *testing.T) {
		cfg := parClients(t, srv, clk)["private_key_jwt"]
		cfg.AuthMethod, cfg.Signer = oauth2.AuthNone, wrong
		login, err := cfg.NewLogin(ctx, oauth2.SignedRequestObject)
		if err != nil {
			t.Fatal(err)
		}
		before := srv.RequestObjectsRefused()
		resp, err := srv.Client().Get(login.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 400 || srv.RequestObjectsRefused() != before+1 {
			t.Errorf("status %d, %d refused; want 400 and one more refused", resp.StatusCode, srv.RequestObjectsRefused()-before)
		}
	})
	t.Run("another key, pushed", func(t *testing.T) {
		cfg := parClients(t, srv, clk)["client_secret_basic"]
		cfg.ClientID, cfg.ClientSecret = "jar-client", "jar-secret"
		cfg.Signer = keySigner(t)
		if _, err := cfg.NewLogin(ctx, oauth2.SignedRequestObject, oauth2.PushedAuthorization); err != nil {
			t.Fatalf("signed with its key: %v", err)
		}
		before := srv.RequestObjectsRefused()
		cfg.Signer = wrong
		_, err := cfg.NewLogin(ctx, oauth2.SignedRequestObject, oauth2.PushedAuthorization)
		var e *oauth2.Error
		if !errors.As(err, &e) || e.Endpoint != "pushed authorization" || e.ErrorCode != "invalid_request_object" || e.StatusCode != 400 {
			t.Errorf("error %v, want the PAR endpoint's invalid_request_object", err)
		}
		if n := srv.RequestObjectsRefused() - before; n != 1 {
			t.Errorf("%d request objects refused, want 1", n)
		}
	})
}
