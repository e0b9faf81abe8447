package fakeprovider

import (
	"net/http"
	"net/http/httptest"
)

// Provider is an http.Handler that plays an OAuth 1 provider under /oauth1/
// and an OAuth 2 provider and OpenID provider under /oauth2/ (with its RFC
// 8414 metadata under /.well-known/). Create one with [NewProvider];
// configure OAuth1 and OAuth2 before the first request.
type Provider struct {
	// OAuth1 is the OAuth 1.0a half: clients, endpoints, counters, quirks.
	OAuth1 *OAuth1
	// OAuth2 is the OAuth 2.0 half: clients, endpoints, counters, quirks.
	OAuth2 *OAuth2

	mux *http.ServeMux
}

// NewProvider returns a Provider with default clients registered (see
// [OAuth1] and [OAuth2]).
func NewProvider() *Provider {
	p := &Provider{mux: http.NewServeMux()}
	p.OAuth1 = newOAuth1()
	p.OAuth2 = newOAuth2()
	p.OAuth1.register(p.mux)
	p.OAuth2.register(p.mux)
	p.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "fakeprovider: no such endpoint: "+r.URL.Path, http.StatusNotFound)
	})
	return p
}

// ServeHTTP implements http.Handler.
func (p *Provider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mux.ServeHTTP(w, r)
}

// Server is a Provider served by an httptest.Server on a loopback address.
type Server struct {
	*httptest.Server
	*Provider
}

// NewServer starts a Provider on plain HTTP on loopback. The caller must
// call Close, which waits for outstanding requests.
func NewServer() *Server {
	p := NewProvider()
	return &Server{Server: httptest.NewServer(p), Provider: p}
}

// NewTLSServer starts a Provider on HTTPS on loopback. Use the embedded
// httptest.Server's Client (or its Certificate) to trust it.
func NewTLSServer() *Server {
	p := NewProvider()
	return &Server{Server: httptest.NewTLSServer(p), Provider: p}
}
