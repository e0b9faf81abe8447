package oauth2

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// Transport is an http.RoundTripper that authorizes every request with the
// token of Session, refreshing it first when needed (see Session.Token), and
// places it as Config.Placement says (RFC 6750 §2). It never modifies the
// caller's request: it sends a copy. It refuses, with ErrInsecureTransport,
// to send a token over plain http to a host that is not a loopback address
// unless Config.InsecureAllowHTTP is set, and, like net/http with the
// Authorization header, does not send it when a redirect leads to another
// host that is not a subdomain of the original one (an IP address has
// none), nor on any later hop of that redirect chain. With InQuery, a
// redirected request's access_token query parameters are removed before
// the token is placed (or not), so a server that copies the query into
// Location does not send the token on to another host, nor twice. The request body is
// closed on every path, errors included.
//
// A Transport is safe for concurrent use by multiple goroutines. With a valid
// token it takes no lock: one atomic load, one time comparison and a copy of
// the request with the precomputed Authorization header.
type Transport struct {
	// Session supplies the token. It must not be nil.
	Session *Session
	// Base sends the authorized requests; if nil, http.DefaultTransport.
	Base http.RoundTripper
}

func (t *Transport) base() http.RoundTripper {
	if t.Base != nil {
		return t.Base
	}
	return http.DefaultTransport
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	s := t.Session
	if !s.cfg.InsecureAllowHTTP && req.URL.Scheme != "https" && !isLoopback(req.URL.Hostname()) {
		closeBody(req)
		return nil, fmt.Errorf("%w: %q", ErrInsecureTransport, clip(req.URL.Host, maxHost))
	}
	if req.Response != nil && s.cfg.Placement == InQuery {
		// A server may copy the query, token included, into Location:
		// remove it before the token is placed again, or not at all.
		if q, ok := withoutParam(req.URL.RawQuery, "access_token"); ok {
			r2 := cloneRequest(req)
			r2.URL.RawQuery = q
			req = r2
		}
	}
	if req.Response != nil && !redirectKeepsToken(req) {
		// A redirect to another site: send it without the token, as
		// net/http drops Authorization on such redirects.
		return t.base().RoundTrip(req)
	}
	st, err := s.valid(req.Context())
	if err != nil {
		closeBody(req)
		return nil, err
	}
	var r2 *http.Request
	// readBody is set once withFormToken has read and closed the caller's
	// body: from then on it must not be closed again.
	readBody := false
	switch {
	case s.cfg.Placement == InQuery:
		r2 = cloneRequest(req)
		q := []byte(r2.URL.RawQuery)
		if len(q) > 0 {
			q = append(q, '&')
		}
		q = append(q, "access_token="...)
		q = urlenc.AppendFormEscape(q, st.tok.AccessToken)
		r2.URL.RawQuery = string(q)
		r2.Header.Set("Cache-Control", "no-store")
	case s.cfg.Placement == InFormBody && hasFormBody(req):
		readBody = true
		r2, err = withFormToken(req, st.tok.AccessToken)
		if err != nil {
			return nil, err
		}
	case s.cfg.Hooks.ProtectedRequest != nil:
		// The hook may rewrite the header in place: give it its own copy
		// of the value shared by every request with this token.
		r2 = cloneRequest(req)
		r2.Header["Authorization"] = []string{st.auth[0]}
	default:
		r2 = headerCopy(req, st.auth)
	}
	if h := s.cfg.Hooks.ProtectedRequest; h != nil {
		if err := callHook("Hooks.ProtectedRequest", func() error { return h(r2) }); err != nil {
			if !readBody {
				closeBody(req)
			}
			return nil, err
		}
	}
	return t.base().RoundTrip(r2)
}

// cloneRequest returns a deep copy of req with a non-nil Header: a request
// built by hand may have none, and Clone keeps it nil.
func cloneRequest(req *http.Request) *http.Request {
	r2 := req.Clone(req.Context())
	if r2.Header == nil {
		r2.Header = make(http.Header, 2)
	}
	return r2
}

// headerCopy returns a shallow copy of req with its own header map carrying
// auth. The header values are shared with req but capped, so an append on
// the copy cannot write into the caller's slices; nothing else is modified,
// so the URL and body are shared as RoundTrippers allow.
func headerCopy(req *http.Request, auth []string) *http.Request {
	r2 := new(http.Request)
	*r2 = *req
	h := make(http.Header, len(req.Header)+1)
	for k, v := range req.Header {
		h[k] = v[:len(v):len(v)]
	}
	h["Authorization"] = auth
	r2.Header = h
	return r2
}

// redirectKeepsToken reports whether a redirected request may carry the
// token: its host and that of every earlier hop must be the host of the
// original request or a subdomain of it (see isDomainOrSubdomain), the
// rule net/http applies to the Authorization header. Comparing with the original request, not the
// previous hop, keeps a site the chain wandered to from sending the token
// on to its own subdomains; and once a hop went without the token, the
// rest of the chain goes without it, even back on the original site.
func redirectKeepsToken(req *http.Request) bool {
	orig := req
	for orig.Response != nil && orig.Response.Request != nil {
		orig = orig.Response.Request
	}
	if orig.URL == nil {
		return true
	}
	site := asciiLower(orig.URL.Hostname())
	for r := req; r != orig; r = r.Response.Request {
		if r.URL == nil || !isDomainOrSubdomain(asciiLower(r.URL.Hostname()), site) {
			return false
		}
	}
	return true
}

// isDomainOrSubdomain reports whether host is parent or a subdomain of it,
// as net/http decides whether a redirect keeps the Authorization header
// (shouldCopyHeaderOnRedirect), and stricter: only a DNS name has
// subdomains. An IPv6 literal or anything else with ':' or '%' (such as
// "fe80::1%.api.example.com", a zone that ends like the parent) and a host
// whose last label starts with a digit (an IPv4 address, or a form a
// resolver may read as one, such as "10.0.1") match only exactly.
func isDomainOrSubdomain(host, parent string) bool {
	if host == parent {
		return true
	}
	if !isDNSName(host) || !isDNSName(parent) {
		return false
	}
	return strings.HasSuffix(host, parent) && len(host) > len(parent) && host[len(host)-len(parent)-1] == '.'
}

// isDNSName reports whether host can have subdomains: not empty, no ':'
// or '%', and a last label that does not start with a digit (no top-level
// domain does).
func isDNSName(host string) bool {
	if host == "" || strings.ContainsAny(host, ":%") {
		return false
	}
	last := host[strings.LastIndexByte(host, '.')+1:]
	return last == "" || last[0] < '0' || last[0] > '9'
}

// asciiLower lower-cases the ASCII letters of a host name and nothing
// else: DNS names compare case-insensitively in ASCII (RFC 4343), and
// mapping other characters is IDNA's business, which the standard library
// does not offer; a name that differs in more than ASCII case counts as
// another host.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// withoutParam returns the query rawQuery without the parameters whose
// decoded name is name, the others kept byte for byte, and whether there
// were any.
func withoutParam(rawQuery, name string) (string, bool) {
	var kept []string
	dropped := false
	for _, pair := range strings.Split(rawQuery, "&") {
		k, _, _ := strings.Cut(pair, "=")
		if dk, err := urlenc.FormUnescape(k); k == name || err == nil && dk == name {
			dropped = true
			continue
		}
		kept = append(kept, pair)
	}
	if !dropped {
		return rawQuery, false
	}
	return strings.Join(kept, "&"), true
}

func hasFormBody(req *http.Request) bool {
	if req.Method == "" || req.Method == http.MethodGet || req.Method == http.MethodHead {
		return false
	}
	mt, _, _ := mime.ParseMediaType(req.Header.Get("Content-Type"))
	return mt == "application/x-www-form-urlencoded"
}

// withFormToken returns a clone of req whose form body also carries
// access_token (RFC 6750 §2.2). The original body is read and closed.
func withFormToken(req *http.Request, token string) (*http.Request, error) {
	var b []byte
	var err error
	if req.Body != nil {
		b, err = io.ReadAll(io.LimitReader(req.Body, maxBody+1))
		req.Body.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("oauth2: reading request body: %w", err)
	}
	if len(b) > maxBody {
		return nil, &ResponseTooLargeError{Endpoint: "request body", Limit: maxBody}
	}
	if len(bytes.TrimSpace(b)) > 0 {
		b = append(b, '&')
	}
	b = append(b, "access_token="...)
	b = urlenc.AppendFormEscape(b, token)
	r2 := cloneRequest(req)
	r2.Body = io.NopCloser(bytes.NewReader(b))
	r2.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	r2.ContentLength = int64(len(b))
	return r2, nil
}

// Client returns an *http.Client whose Transport is a Transport for s over
// the Transport of Config.HTTPClient (its CheckRedirect, Jar and Timeout are
// kept). Requests made with it carry the session's token and refresh it when
// needed. The client is safe for concurrent use.
func (s *Session) Client() *http.Client {
	base := s.cfg.client()
	return &http.Client{
		Transport:     &Transport{Session: s, Base: base.Transport},
		CheckRedirect: base.CheckRedirect,
		Jar:           base.Jar,
		Timeout:       base.Timeout,
	}
}
