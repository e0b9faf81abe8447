package oauth1

import (
	"crypto/hmac"
	"errors"
	"net/http"
	"strings"
	"sync"
)

// Transport is an http.RoundTripper that signs every request with Config
// and Token before passing it to Base. It signs a copy: the caller's
// request is never modified (its body, when it must be read to be
// signed, is read once and closed; the copy gets an equivalent body, and
// GetBody when the request had none).
//
// When an http.Client follows a redirect, each hop reaches RoundTrip as a
// new request and is signed afresh, with a new nonce and timestamp; OAuth
// parameters left in the URL by the previous hop are removed first. A
// redirect that leaves the host of the original request's URL (the same
// host and port, compared case-insensitively: no subdomain) or goes from
// https to http is sent without any OAuth signature, so that no signature,
// token or PLAINTEXT secret reaches another host. Like [Config.Sign],
// RoundTrip refuses to send a PLAINTEXT signature over plain http to a
// remote host ([ErrInsecureTransport]); the request is then not sent and
// its body is closed. An error of Base whose text holds the token or a secret (a
// server can echo them in a malformed response, which net/http quotes),
// or is longer than 512 bytes, is replaced by one that does not.
//
// With an HMAC method, a Transport prepares the HMAC of its secrets once
// ([crypto/hmac.New]) and reuses it for every request (with Reset; one per
// request in flight), so that a request hashes only its base string:
// HMAC-SHA1 over the Twitter example's base string then costs less than
// half as much as with a new HMAC. The prepared state stays inside the
// Transport.
//
// Transport is safe for concurrent use by multiple goroutines once its
// fields are set. Neither Config nor Token may change once it is in use,
// and it must not be copied then; neither it nor RoundTrip writes to
// Config.
type Transport struct {
	// Config signs the requests. Required.
	Config *Config
	// Token is the token credentials; nil signs with consumer credentials
	// only (two-legged, RFC 5849 §3 with an empty token).
	Token *Token
	// Base makes the requests. If nil, http.DefaultTransport is used.
	Base http.RoundTripper

	states sync.Pool // of *signState, each with this Transport's HMAC
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	// The request sent is a shallow copy with a Header of its own, and a
	// URL of its own where signing changes it: what signing touches,
	// besides the body, which it replaces.
	r2 := new(http.Request)
	*r2 = *req
	r2.Header = copyHeader(req.Header, t.Config.Endpoint.Header)
	first := origin(req)
	redirected := first != req
	if req.URL != nil && (redirected || t.Config.Placement == InQuery) {
		u := *req.URL
		r2.URL = &u
	}
	if redirected {
		stripOAuth(r2)
	}
	var cr credentials
	if t.Token != nil {
		cr.token, cr.tokenSecret = t.Token.Token, t.Token.Secret
	}
	if !redirected || sameHost(first, r2) {
		st, _ := t.states.Get().(*signState)
		if st == nil {
			st = t.newState(&cr)
		}
		err := t.Config.sign(r2, &cr, st)
		st.put(&t.states)
		if err != nil {
			return nil, err // sign closed the body (the caller's)
		}
	}
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(r2)
	if err != nil {
		msg := err.Error()
		for _, s := range [...]string{t.Config.ConsumerSecret, cr.token, cr.tokenSecret} {
			if len(msg) > maxSendErrorLen || s != "" && strings.Contains(msg, s) {
				err = errWithheld
				break
			}
		}
	}
	if resp != nil && resp.Request == nil {
		resp.Request = r2
	}
	return resp, err
}

// maxSendErrorLen bounds the text of an error of the base transport that
// RoundTrip returns: net/http quotes a malformed response line whole.
const maxSendErrorLen = 512

// errWithheld is what RoundTrip returns in place of an error of the base
// transport whose text is longer than maxSendErrorLen or holds the token
// or a secret: a server can echo the Authorization header or the query
// (a PLAINTEXT signature is the secrets) in a malformed response line,
// which net/http quotes. Its text is short: oauth1's Client program is
// at its binary-size budget (.ci/binsize).
var errWithheld = errors.New("oauth1: redacted")

// copyHeader returns a new map with the headers of h and those of extra
// that h has not, and room for the Authorization header that signing
// sets. The values are h's and extra's own slices, their capacity cut to
// their length: an append to one, such as http.Header.Add makes, copies
// it, and Set and Del change only the new map.
func copyHeader(h, extra http.Header) http.Header {
	h2 := make(http.Header, len(h)+len(extra)+1)
	for k, v := range h {
		h2[k] = v[:len(v):len(v)]
	}
	for k, v := range extra {
		if _, ok := h2[k]; !ok && len(v) > 0 {
			h2[k] = v[:len(v):len(v)]
		}
	}
	return h2
}

// newState returns a signState for t's requests, with the HMAC of t's
// secrets prepared when t signs with an HMAC method.
func (t *Transport) newState(cr *credentials) *signState {
	st := new(signState)
	if m, ok := t.Config.method().(*hmacMethod); ok {
		st.key = appendKey(st.key, t.Config.ConsumerSecret, cr.tokenSecret)
		st.mac = hmac.New(m.hash, st.key)
		clear(st.key)
	}
	return st
}

// Client returns an *http.Client whose Transport signs every request with
// c and tok: the RoundTrip method of a [Transport] made for them, which
// prepares its HMAC once. Its base transport is c.HTTPClient's, and its
// Timeout, Jar and CheckRedirect are copied from c.HTTPClient. The
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
	t := &Transport{Config: c, Token: tok, Base: base}
	// The method value, not t: a *Transport in an interface would make the
	// linker keep, for reflection, methods of every type that Config
	// reaches (HTTPClient reaches net/http's cookie code: 8 KB).
	hc.Transport = roundTripFunc(t.RoundTrip)
	return hc
}

// roundTripFunc is a function as an http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

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
	if isHTTPS(a.URL) && !isHTTPS(b.URL) {
		return false
	}
	// Not strings.EqualFold, whose Unicode case tables every program
	// that signs would link: hosts compare in ASCII.
	//lint:ignore SA6005 see above
	return strings.ToLower(a.URL.Host) == strings.ToLower(b.URL.Host)
}

// stripOAuth removes the OAuth protocol parameters a previous hop may have
// left in the query (a redirect that echoes the URL) and an Authorization
// header of the OAuth scheme.
func stripOAuth(r *http.Request) {
	if strings.Contains(r.URL.RawQuery, "oauth_") {
		kept := ""
		for q := r.URL.RawQuery; q != ""; {
			var p string
			p, q, _ = strings.Cut(q, "&")
			if !strings.HasPrefix(p, "oauth_") {
				kept += "&" + p
			}
		}
		r.URL.RawQuery = strings.TrimPrefix(kept, "&")
	}
	if scheme, _, _ := strings.Cut(strings.TrimLeft(r.Header.Get("Authorization"), " \t"), " "); strings.ToLower(scheme) == "oauth" {
		r.Header.Del("Authorization")
	}
}
