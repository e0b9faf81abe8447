package oauth1

import (
	"net/http"
	"slices"
	"strings"
)

// Transport is an http.RoundTripper that signs every request with Config
// and Token before passing it to Base. It signs a clone: the caller's
// request is never modified (its body, when it must be read to be
// signed, is read once and closed; the clone gets an equivalent body and
// GetBody).
//
// When an http.Client follows a redirect, each hop reaches RoundTrip as a
// new request and is signed afresh, with a new nonce and timestamp; OAuth
// parameters left in the URL by the previous hop are removed first. A
// redirect that leaves the host of the original request's URL (the same
// host and port, compared case-insensitively: no subdomain) or goes from
// https to http is sent without any OAuth signature, so that no signature,
// token or PLAINTEXT secret reaches another host. Like [Config.Sign], RoundTrip refuses to send a
// PLAINTEXT signature over plain http to a remote host
// ([ErrInsecureTransport]); the request is then not sent and its body is
// closed.
//
// Transport is safe for concurrent use by multiple goroutines once its
// fields are set; neither it nor RoundTrip writes to Config.
type Transport struct {
	// Config signs the requests. Required.
	Config *Config
	// Token is the token credentials; nil signs with consumer credentials
	// only (two-legged, RFC 5849 §3 with an empty token).
	Token *Token
	// Base makes the requests. If nil, http.DefaultTransport is used.
	Base http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	r2 := req.Clone(req.Context())
	first := origin(req)
	redirected := first != req
	if redirected {
		stripOAuth(r2)
	}
	if r2.Header == nil {
		// A request built as a struct literal has no Header, and
		// Clone keeps it nil.
		r2.Header = make(http.Header)
	}
	for k, vs := range t.Config.Endpoint.Header {
		if _, ok := r2.Header[k]; !ok && len(vs) > 0 {
			// A copy: Base may append to the clone's values.
			r2.Header[k] = slices.Clone(vs)
		}
	}
	if !redirected || sameHost(first, r2) {
		// On error Sign has closed the body (the caller's).
		if err := t.Config.Sign(r2, t.Token); err != nil {
			return nil, err
		}
	}
	resp, err := t.base().RoundTrip(r2)
	if resp != nil && resp.Request == nil {
		resp.Request = r2
	}
	return resp, err
}

func (t *Transport) base() http.RoundTripper {
	if t.Base != nil {
		return t.Base
	}
	return http.DefaultTransport
}

// Client returns an *http.Client whose Transport signs every request with
// c and tok (see [Transport]). Its base transport is c.HTTPClient's, and
// its Timeout, Jar and CheckRedirect are copied from c.HTTPClient. The
// returned client is safe for concurrent use.
func (c *Config) Client(tok *Token) *http.Client {
	hc := &http.Client{}
	var base http.RoundTripper
	if c.HTTPClient != nil {
		base = c.HTTPClient.Transport
		hc.Timeout = c.HTTPClient.Timeout
		hc.Jar = c.HTTPClient.Jar
		hc.CheckRedirect = c.HTTPClient.CheckRedirect
	}
	hc.Transport = &Transport{Config: c, Token: tok, Base: base}
	return hc
}

// origin returns the first request of a redirect chain: an http.Client
// sets Response on each redirected request, and the response's Request
// is the previous hop.
func origin(req *http.Request) *http.Request {
	r := req
	for i := 0; i < 64 && r.Response != nil && r.Response.Request != nil; i++ {
		r = r.Response.Request
	}
	return r
}

// sameHost reports whether redirected request b goes to the host of the
// original request a, without a downgrade from https to http. Like
// net/http, which drops a caller's Authorization header on a redirect to
// another host, it compares the hosts of the URLs (where the requests
// go), not Host overrides; unlike net/http, which keeps the header for a
// subdomain, it wants the same host and port, compared case-insensitively
// and nothing else, so that no suffix or IPv6 zone
// ("[fe80::1%25.api.example.com]") passes for the host.
func sameHost(a, b *http.Request) bool {
	if strings.EqualFold(a.URL.Scheme, "https") && !strings.EqualFold(b.URL.Scheme, "https") {
		return false
	}
	return strings.EqualFold(a.URL.Host, b.URL.Host)
}

// stripOAuth removes the OAuth protocol parameters a previous hop may have
// left in the query (a redirect that echoes the URL) and any Authorization
// header of the OAuth scheme.
func stripOAuth(r *http.Request) {
	if strings.Contains(r.URL.RawQuery, "oauth_") {
		parts := strings.Split(r.URL.RawQuery, "&")
		kept := parts[:0]
		for _, p := range parts {
			if !strings.HasPrefix(p, "oauth_") {
				kept = append(kept, p)
			}
		}
		r.URL.RawQuery = strings.Join(kept, "&")
	}
	if _, _, _, ok, _ := parseAuthHeader(r.Header.Get("Authorization")); ok {
		r.Header.Del("Authorization")
	}
}
