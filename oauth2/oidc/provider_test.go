package oidc_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oidc"
)

// TestNewProvider discovers the fake provider and checks the endpoints
// against its documented paths.
func TestNewProvider(t *testing.T) {
	clk := newClock()
	s := newServer(t, clk, nil)
	p := newProvider(t, s, clk)
	want := oauth2.Endpoint{
		AuthURL:          s.URL + fakeprovider.OAuth2AuthorizePath,
		TokenURL:         s.URL + fakeprovider.OAuth2TokenPath,
		DeviceAuthURL:    s.URL + fakeprovider.OAuth2DevicePath,
		RevocationURL:    s.URL + fakeprovider.OAuth2RevokePath,
		IntrospectionURL: s.URL + fakeprovider.OAuth2IntrospectPath,
		Issuer:           issuer(s),
		IssuerParameter:  true,
		PushedAuthURL:    s.URL + fakeprovider.OAuth2PARPath,
		UserInfoURL:      s.URL + fakeprovider.OAuth2UserInfoPath,
		JWKSURL:          s.URL + fakeprovider.OAuth2JWKSPath,
	}
	if diff := cmp.Diff(want, p.Endpoint()); diff != "" {
		t.Errorf("Endpoint() mismatch (-want +got):\n%s", diff)
	}
	m := p.Metadata()
	for name, c := range map[string][2]string{
		"issuer":   {issuer(s), m.Issuer},
		"userinfo": {s.URL + fakeprovider.OAuth2UserInfoPath, p.UserInfoEndpoint()},
		"jwks":     {s.URL + fakeprovider.OAuth2JWKSPath, m.JWKSURI},
		"par":      {s.URL + fakeprovider.OAuth2PARPath, m.PushedAuthorizationRequestEndpoint},
	} {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", name, c[1], c[0])
		}
	}
	if !m.AuthorizationResponseIssParameterSupported || m.RequirePushedAuthorizationRequests {
		t.Errorf("iss supported = %t, PAR required = %t; want true, false", m.AuthorizationResponseIssParameterSupported, m.RequirePushedAuthorizationRequests)
	}
	var extra struct {
		RequestParameterSupported bool `json:"request_parameter_supported"`
	}
	if err := p.Claims(&extra); err != nil || !extra.RequestParameterSupported {
		t.Errorf("Claims() = %+v, %v; want request_parameter_supported true", extra, err)
	}
	if got := s.OAuth2.DiscoveryRequests(); got != 1 {
		t.Errorf("DiscoveryRequests() = %d, want 1", got)
	}
}

// TestNewProviderRequirements: a server that requires pushed requests
// (RFC 9126 §5) or signed request objects (RFC 9101 §10.5) says so in
// its metadata, and Endpoint carries it to package oauth2's logins.
func TestNewProviderRequirements(t *testing.T) {
	tests := []struct {
		name      string
		par, jar  bool
		configure func(*fakeprovider.OAuth2)
	}{
		{"neither", false, false, nil},
		{"pushed", true, false, func(o *fakeprovider.OAuth2) { o.RequirePAR = true }},
		{"signed", false, true, func(o *fakeprovider.OAuth2) { o.RequireSignedRequestObject = true }},
		{"both", true, true, func(o *fakeprovider.OAuth2) { o.RequirePAR, o.RequireSignedRequestObject = true, true }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			p := newProvider(t, newServer(t, clk, tt.configure), clk)
			m, e := p.Metadata(), p.Endpoint()
			got := [4]bool{m.RequirePushedAuthorizationRequests, m.RequireSignedRequestObject, e.RequirePushedAuth, e.RequireSignedRequestObject}
			if want := [4]bool{tt.par, tt.jar, tt.par, tt.jar}; got != want {
				t.Errorf("metadata PAR, JAR and Endpoint PAR, JAR = %v, want %v", got, want)
			}
		})
	}
}

// TestNewProviderWellKnown checks which document is fetched for issuers
// with and without a path: the OpenID one first, the RFC 8414 one, with
// the path inserted, after a 404.
func TestNewProviderWellKnown(t *testing.T) {
	tests := []struct {
		name   string
		path   string // the issuer's path after the server's URL
		served []string
	}{
		// The fake provider serves the OpenID document only for the
		// issuer paths "" and "/oauth2", and the RFC 8414 one for any.
		{"no path: OpenID", "", []string{"/.well-known/openid-configuration"}},
		{"path: OpenID appended", "/oauth2", []string{"/oauth2/.well-known/openid-configuration"}},
		{"path: RFC 8414 inserted after a 404", "/tenant/a", []string{"/tenant/a/.well-known/openid-configuration", "/.well-known/oauth-authorization-server/tenant/a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			fp := fakeprovider.NewProvider()
			var paths []string
			s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				paths = append(paths, r.URL.Path) // requests are sequential
				fp.ServeHTTP(w, r)
			}))
			defer s.Close()
			fp.OAuth2.Now = clk.Now
			fp.OAuth2.Issuer = s.URL + tt.path
			p, err := oidc.NewProvider(context.Background(), s.URL+tt.path, nil)
			if err != nil {
				t.Fatalf("NewProvider() error = %v", err)
			}
			if diff := cmp.Diff(tt.served, paths); diff != "" {
				t.Errorf("requested paths mismatch (-want +got):\n%s", diff)
			}
			if got := p.Metadata().Issuer; got != s.URL+tt.path {
				t.Errorf("Issuer = %q, want %q", got, s.URL+tt.path)
			}
		})
	}
}

// TestNewProviderRefusals checks every discovery failure: each gives its
// typed error, and none falls back to the other document.
func TestNewProviderRefusals(t *testing.T) {
	const iss = "https://idp.example/tenant"
	doc := `{"issuer":"` + iss + `","token_endpoint":"https://idp.example/token","jwks_uri":"https://idp.example/jwks"}`
	tests := []struct {
		name     string
		issuer   string
		opts     oidc.Options
		answer   func(r *http.Request) *http.Response // nil: no request may be made
		wantErr  error
		wantReqs int
	}{
		{"wrong issuer", iss, oidc.Options{}, func(r *http.Request) *http.Response {
			return jsonResponse(r, strings.Replace(doc, iss, "https://attacker.example/tenant", 1))
		}, oidc.ErrIssuerMismatch, 1},
		{"issuer differs by a trailing slash", iss + "/", oidc.Options{}, func(r *http.Request) *http.Response { return jsonResponse(r, doc) }, oidc.ErrIssuerMismatch, 1},
		{"issuer differs in case", "https://IDP.example/tenant", oidc.Options{}, func(r *http.Request) *http.Response { return jsonResponse(r, doc) }, oidc.ErrIssuerMismatch, 1},
		{"http issuer", "http://idp.example/tenant", oidc.Options{}, nil, oauth2.ErrInsecureTransport, 0},
		{"issuer with a query", iss + "?x=1", oidc.Options{}, nil, nil, 0},
		{"http endpoint in the document", iss, oidc.Options{}, func(r *http.Request) *http.Response {
			return jsonResponse(r, strings.Replace(doc, "https://idp.example/token", "http://idp.example/token", 1))
		}, oauth2.ErrInsecureTransport, 1},
		{"malformed document", iss, oidc.Options{}, func(r *http.Request) *http.Response {
			return jsonResponse(r, `{"issuer":"`+iss+`","issuer":"`+iss+`"}`)
		}, oidc.ErrMalformedMetadata, 1},
		{"too large", iss, oidc.Options{MaxBodyBytes: 64}, func(r *http.Request) *http.Response { return jsonResponse(r, doc) }, &http.MaxBytesError{}, 1},
		{"server error", iss, oidc.Options{}, func(r *http.Request) *http.Response {
			return &http.Response{StatusCode: 500, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("oops")), Request: r}
		}, &oauth2.Error{}, 1},
		{"redirect to another origin", iss, oidc.Options{}, func(r *http.Request) *http.Response {
			return &http.Response{StatusCode: 302, Header: http.Header{"Location": {"https://attacker.example/.well-known/openid-configuration"}},
				Body: http.NoBody, Request: r}
		}, &oauth2.Error{}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var reqs int
			opts := tt.opts
			opts.HTTPClient = &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
				reqs++
				if tt.answer == nil || !strings.EqualFold(r.URL.Host, "idp.example") {
					t.Errorf("unexpected request to %s", r.URL)
					return nil, errors.New("unexpected request")
				}
				return tt.answer(r), nil
			})}
			p, err := oidc.NewProvider(context.Background(), tt.issuer, &opts)
			if err == nil || p != nil {
				t.Fatalf("NewProvider() = %v, %v; want an error", p, err)
			}
			switch want := tt.wantErr.(type) {
			case *http.MaxBytesError:
				var mbe *http.MaxBytesError
				if !errors.As(err, &mbe) || mbe.Limit != 64 {
					t.Errorf("error = %v, want a *http.MaxBytesError with Limit 64", err)
				}
			case *oauth2.Error:
				var e *oauth2.Error
				if !errors.As(err, &e) || e.Endpoint != "discovery" || e.StatusCode < 300 {
					t.Errorf("error = %v, want an *oauth2.Error from discovery", err)
				}
			case nil:
			default:
				if !errors.Is(err, want) {
					t.Errorf("error = %v, want %v", err, want)
				}
			}
			if reqs != tt.wantReqs {
				t.Errorf("%d requests, want %d (no fallback after a failure other than 4xx)", reqs, tt.wantReqs)
			}
		})
	}
}

// TestNewProviderWrongMetadataIssuer runs the fake provider's attack: both
// its documents name another issuer.
func TestNewProviderWrongMetadataIssuer(t *testing.T) {
	clk := newClock()
	s := newServer(t, clk, func(o *fakeprovider.OAuth2) { o.WrongMetadataIssuer = true })
	_, err := oidc.NewProvider(context.Background(), issuer(s), &oidc.Options{Now: clk.Now})
	if !errors.Is(err, oidc.ErrIssuerMismatch) {
		t.Fatalf("NewProvider() error = %v, want ErrIssuerMismatch", err)
	}
	if strings.Contains(err.Error(), "\n") || len(err.Error()) > 600 {
		t.Errorf("error message is not bounded: %q", err)
	}
	if got := s.OAuth2.DiscoveryRequests(); got != 1 {
		t.Errorf("DiscoveryRequests() = %d, want 1: no fallback after a wrong issuer", got)
	}
}

// TestSameOriginRedirect checks that a redirect within the origin is
// followed.
func TestSameOriginRedirect(t *testing.T) {
	clk := newClock()
	fp := newServer(t, clk, nil)
	mux := http.NewServeMux()
	mux.HandleFunc("/oauth2/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/moved", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		r.URL.Path = fakeprovider.OAuth2OpenIDConfigurationPath
		fp.Provider.ServeHTTP(w, r)
	})
	s := httptest.NewServer(mux)
	defer s.Close()
	fp.OAuth2.Issuer = s.URL + "/oauth2"
	if _, err := oidc.NewProvider(context.Background(), s.URL+"/oauth2", nil); err != nil {
		t.Fatalf("NewProvider() error = %v", err)
	}
}

// TestNewProviderTimeout checks that a request without a deadline is
// bounded by Options.Timeout.
func TestNewProviderTimeout(t *testing.T) {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer s.Close()
	_, err := oidc.NewProvider(context.Background(), s.URL, &oidc.Options{Timeout: 20 * time.Millisecond})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("NewProvider() error = %v, want context.DeadlineExceeded", err)
	}
}

// TestMetadataCache checks that the metadata is fetched again only when
// its max-age has passed, clamped to the floor for no-cache, and that a
// refresh that fails keeps the old copy.
func TestMetadataCache(t *testing.T) {
	tests := []struct {
		name   string
		maxAge time.Duration // the fake provider's MetadataMaxAge
		fresh  time.Duration // still cached after this long
		stale  time.Duration // fetched again after this long
	}{
		{"max-age honoured", 5 * time.Minute, 5*time.Minute - time.Second, 5 * time.Minute},
		{"no-cache kept for the floor", -1, oidc.MinCacheAge - time.Second, oidc.MinCacheAge},
		{"max-age under the floor", 10 * time.Second, oidc.MinCacheAge - time.Second, oidc.MinCacheAge},
		{"max-age over the ceiling", 30 * 24 * time.Hour, oidc.MaxCacheAge - time.Second, oidc.MaxCacheAge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			s := newServer(t, clk, func(o *fakeprovider.OAuth2) { o.MetadataMaxAge = tt.maxAge })
			p := newProvider(t, s, clk)
			ctx := context.Background()
			clk.Advance(tt.fresh)
			if _, err := p.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			if got := s.OAuth2.DiscoveryRequests(); got != 1 {
				t.Errorf("after %s: DiscoveryRequests() = %d, want 1", tt.fresh, got)
			}
			clk.Advance(tt.stale - tt.fresh)
			if _, err := p.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			if got := s.OAuth2.DiscoveryRequests(); got != 2 {
				t.Errorf("after %s: DiscoveryRequests() = %d, want 2", tt.stale, got)
			}
		})
	}
}

// TestMetadataRefreshFails checks that a refresh whose document is
// refused leaves the old metadata in use and reports the error.
func TestMetadataRefreshFails(t *testing.T) {
	clk := newClock()
	var lie atomic.Bool
	fp := fakeprovider.NewProvider()
	fp.OAuth2.Now = clk.Now
	var reqs atomic.Int32
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reqs.Add(1)
		if lie.Load() {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"issuer":"`+fakeprovider.WrongIssuer+`"}`)
			return
		}
		fp.ServeHTTP(w, r)
	}))
	defer s.Close()
	ctx := context.Background()
	p, err := oidc.NewProvider(ctx, s.URL+"/oauth2", &oidc.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	before := p.Metadata()
	lie.Store(true)
	clk.Advance(time.Hour)
	if _, err := p.Refresh(ctx); !errors.Is(err, oidc.ErrIssuerMismatch) {
		t.Errorf("Refresh() error = %v, want ErrIssuerMismatch", err)
	}
	if p.Metadata() != before {
		t.Errorf("Metadata() changed after a refused refresh")
	}
	if _, err := p.Refresh(ctx); err != nil {
		t.Errorf("Refresh() within MinCacheAge of the failure = %v, want the old copy", err)
	}
	if got := reqs.Load(); got != 2 {
		t.Errorf("%d requests, want 2: none within MinCacheAge of a failed refresh", got)
	}
}
