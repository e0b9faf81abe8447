package oauth2

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// Transport is an http.RoundTripper that authorizes every request with a
// token from Source and sends it with Base, as golang.org/x/oauth2's
// Transport does: it copies the request, sets the token on the copy, and
// never modifies the caller's request; the copy's header is its own, so a
// Base that edits it changes no other request. The token goes where
// Placement says (RFC 6750 §2).
//
// It refuses, with ErrInsecureTransport, to send a token over plain http
// to a host that is not a loopback address unless InsecureAllowHTTP is
// set, whether the request came so or Hooks.ProtectedRequest (below)
// made it so. Like net/http with the Authorization header, it does not send the
// token when a redirect leads to a host that is neither the original one
// nor a subdomain of it (an IP address has none), nor on any later hop of
// that redirect chain; with InQuery, the access_token query parameters
// of a redirect's Location, and of a redirected request, are removed
// first, so that a server that copies the query into Location carries the
// token neither on nor into the Client's errors. A Source that returns
// a token without an access token gets ErrNoToken: such a token is never
// sent. The request body is closed on every path, errors included.
//
// When Source is a *Session, its Config's Hooks.ProtectedRequest sees each
// request after the token was placed, and its MaxBodyBytes bounds a body
// InFormBody reads; Session.Client and NewClient also set Placement and
// InsecureAllowHTTP from that Config.
//
// When Source is a *Session and the answer is 401 with a Bearer challenge
// whose error is invalid_token (RFC 6750 §3.1: the token was revoked, or
// replaced by a server that ends the old token on rotation), the
// Transport sends the request once more with another token: the
// session's, if another request replaced the refused one meanwhile; with
// a Session.Store, the stored one, if another session saved it; otherwise
// the token of a refresh it forces, at most once a minute per session, so
// that a server refusing every token costs one refresh, not one per
// request. Only a request net/http itself would replay is sent again: its
// body can be had again (none, or GetBody) and its method is GET, HEAD,
// OPTIONS or TRACE, or it carries an Idempotency-Key or X-Idempotency-Key
// header. The second answer is returned whatever it is (never a third
// try), and the first is drained and closed. The retry is on by default:
// a server refusing the token has not acted on the request, and a request
// that would not be safe to send twice is never sent twice. Set
// DisableRetry to get every 401 as it came.
//
// A token of type DPoP (RFC 9449 §5) is sent as "Authorization: DPoP
// <token>", never as a Bearer token and never in the query or the body
// (Placement does not apply), with a DPoP header holding a fresh proof
// made by DPoP for the request's method and URL and the token's hash,
// after Hooks.ProtectedRequest saw the request (RFC 9449 §7.1); without a
// key, or with another key than the one the token records, the request
// is not sent (ErrNoDPoPKey, ErrDPoPKeyMismatch). A Bearer token is sent
// as one, with no proof, whatever DPoP is. The nonce of each server
// (origin), taken from the DPoP-Nonce header of every answer to a proof,
// goes in the next proof to that server (§9); when the answer is 401 with
// a DPoP challenge whose error is use_dpop_nonce, the request is sent
// again, once, with a proof carrying the new nonce, whatever its method:
// the server refused it before acting on it. A body that cannot be had
// again (no GetBody) is not resent, and the Transport returns an error
// wrapping ErrNotReplayable instead of the refusal.
//
// A request is sent at most twice. When the first answer is a nonce
// challenge, the resend answers it, and a refusal of the token in the
// second answer is returned as it is; the token is replaced (above) only
// when the first answer refuses it, and its resend carries the latest
// nonce.
//
// A Transport is safe for concurrent use by multiple goroutines. With a
// valid token from a Session it takes no lock.
type Transport struct {
	// Source supplies the token of each request. It must not be nil.
	Source TokenSource
	// Base sends the authorized requests; if nil, http.DefaultTransport.
	Base http.RoundTripper
	// Placement is where the token goes; the Authorization header by
	// default.
	Placement Placement
	// InsecureAllowHTTP allows the token to travel over plain http to a
	// host that is not a loopback address. Never set it in production.
	InsecureAllowHTTP bool
	// DisableRetry turns off the resend of a request whose token a
	// resource server refused (see Transport). The resend that answers a
	// DPoP nonce challenge is part of DPoP and stays on.
	DisableRetry bool
	// DPoP proves possession of the key DPoP-bound tokens are bound to
	// (see Transport); if nil, the Config.DPoP of a *Session Source.
	DPoP DPoP
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

// errNoSource is the error of a Transport without a Source.
var errNoSource = errors.New("oauth2: Transport's Source is nil")

// token returns the token for a request and its Authorization value.
func (t *Transport) token(ctx context.Context) (*Token, string, error) {
	if hs, ok := t.Source.(headerSource); ok {
		return hs.tokenHeader(ctx)
	}
	tok, err := t.Source.Token(ctx)
	if err != nil {
		return nil, "", err
	}
	if tok == nil || tok.AccessToken == "" {
		return nil, "", ErrNoToken
	}
	return tok, tok.Type() + " " + tok.AccessToken, nil
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.Source == nil {
		closeBody(req)
		return nil, errNoSource
	}
	if !t.InsecureAllowHTTP && !secureURL(req.URL) {
		closeBody(req)
		return nil, insecure(req.URL)
	}
	if req.Response != nil && t.Placement == InQuery {
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
	tok, auth, err := t.token(req.Context())
	if err != nil {
		closeBody(req)
		return nil, err
	}
	resp, err := t.send(req, tok, auth, "")
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		return resp, err
	}
	if isDPoP(tok) && dpopChallengeError(resp.Header) == "use_dpop_nonce" {
		return t.resendWithNonce(req, resp, tok, auth)
	}
	if t.DisableRetry {
		return resp, nil
	}
	return t.retry(req, resp, tok)
}

// dpop returns the key that proves possession of DPoP-bound tokens.
func (t *Transport) dpop() DPoP {
	if t.DPoP != nil {
		return t.DPoP
	}
	if s, ok := t.Source.(*Session); ok {
		return s.cfg.DPoP
	}
	return nil
}

// nonceMemory returns where the DPoP nonces of t's requests are kept: the
// Source's, a Session's shared with its token requests; or nil for a
// Source of another package, whose requests learn them each time.
func (t *Transport) nonceMemory() *dpopNonces {
	if ns, ok := t.Source.(interface{ dpopNonces() *dpopNonces }); ok {
		return ns.dpopNonces()
	}
	return nil
}

// send places tok (whose Authorization value is auth) on a copy of req and
// sends it; a DPoP-bound token with a proof of its own, whose nonce is
// nonce, or if empty the one remembered for the request's server.
func (t *Transport) send(req *http.Request, tok *Token, auth, nonce string) (*http.Response, error) {
	var dp DPoP
	if isDPoP(tok) {
		dp = t.dpop()
		if err := checkDPoPKey(tok, dp); err != nil {
			closeBody(req)
			return nil, err
		}
	}
	var hook func(*http.Request) error
	maxBody := DefaultMaxBodyBytes
	now := time.Now
	if s, ok := t.Source.(*Session); ok {
		hook, maxBody, now = s.cfg.Hooks.ProtectedRequest, s.cfg.maxBody(), s.cfg.now
	}
	var r2 *http.Request
	var err error
	// readBody is set once withFormToken has read and closed the caller's
	// body: from then on it must not be closed again.
	readBody := false
	switch {
	case dp != nil && hook == nil:
		r2 = withAuthHeader(req, auth, 1)
	case dp != nil:
		r2 = cloneRequest(req)
		r2.Header["Authorization"] = []string{auth}
	case t.Placement == InQuery:
		r2 = cloneRequest(req)
		q := []byte(r2.URL.RawQuery)
		if len(q) > 0 {
			q = append(q, '&')
		}
		q = append(q, "access_token="...)
		q = urlenc.AppendFormEscape(q, tok.AccessToken)
		r2.URL.RawQuery = string(q)
		r2.Header.Set("Cache-Control", "no-store")
	case t.Placement == InFormBody && hasFormBody(req):
		readBody = true
		r2, err = withFormToken(req, tok.AccessToken, maxBody)
		if err != nil {
			return nil, err
		}
	case hook != nil:
		// The hook may change anything: give it a deep copy.
		r2 = cloneRequest(req)
		r2.Header["Authorization"] = []string{auth}
	default:
		r2 = withAuthHeader(req, auth, 0)
	}
	if hook != nil {
		err := callHook("Hooks.ProtectedRequest", func() error { return hook(r2) })
		if err == nil && !t.InsecureAllowHTTP && !secureURL(r2.URL) {
			// The hook sent the request elsewhere, over plain http.
			err = insecure(r2.URL)
		}
		if err != nil {
			if r2.Body != nil && r2.Body != req.Body {
				r2.Body.Close()
			}
			if !readBody {
				closeBody(req)
			}
			return nil, err
		}
	}
	if dp == nil {
		resp, err := t.base().RoundTrip(r2)
		if err != nil {
			return nil, scrubSendError(err, []string{auth, tok.AccessToken})
		}
		if isRedirect(resp.StatusCode) {
			t.cleanRedirect(resp, req)
		}
		return resp, nil
	}
	// The proof is made for the request as it goes out, after the hook.
	nonces := t.nonceMemory()
	origin, htu := dpopTarget(r2.URL)
	method := r2.Method
	if method == "" {
		method = http.MethodGet
	}
	if nonce == "" && nonces != nil {
		nonce = nonces.get(origin)
	}
	proof, err := dp.Proof(method, htu, tok.AccessToken, nonce, now())
	if err != nil {
		// r2's body is the caller's, the one Hooks.ProtectedRequest put
		// in its place, or the copy made of it (InFormBody).
		closeBody(r2)
		return nil, fmt.Errorf("oauth2: DPoP proof: %w", err)
	}
	r2.Header["Dpop"] = []string{proof}
	resp, err := t.base().RoundTrip(r2)
	if err != nil {
		return nil, scrubSendError(err, []string{auth, tok.AccessToken, proof})
	}
	if nonces != nil {
		nonces.update(origin, resp.Header)
	}
	return resp, nil
}

// resendWithNonce handles resp, a 401 answer to req sent with the DPoP
// token tok whose DPoP challenge says use_dpop_nonce (RFC 9449 §9): it
// sends req again, once, with a proof carrying the nonce the answer gave,
// which send recorded. An answer without a nonce is returned as it is; a
// body that cannot be had again fails with ErrNotReplayable.
func (t *Transport) resendWithNonce(req *http.Request, resp *http.Response, tok *Token, auth string) (*http.Response, error) {
	nonce := resp.Header.Get("DPoP-Nonce")
	if !validNonce(nonce) {
		return resp, nil
	}
	req2, err := replayRequest(req)
	// The first answer is spent: drain a little of it so that its
	// connection may be reused, and close it.
	io.CopyN(io.Discard, resp.Body, 4<<10)
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("oauth2: the resource server demands a DPoP nonce: %w", err)
	}
	return t.send(req2, tok, auth, nonce)
}

// isRedirect reports whether status is one of the redirects net/http's
// Client follows.
func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// cleanRedirect keeps the token out of what net/http's Client makes of
// resp, a redirect answering req: the next hop's URL, and the errors that
// quote it or resp.Request's URL. With InQuery it removes access_token
// from the query of the Location, where a server that copies the query
// (net/http's ServeMux does) hands the token back, and from the URL of
// resp.Request, which the Client quotes when it cannot follow the
// redirect (a body that GetBody cannot give again); the Transport places
// the token again on a hop that may carry it. When the Location does not
// parse, which fails the request with an error quoting resp.Request's
// URL, resp.Request gets the URL of req, which has no token in it.
func (t *Transport) cleanRedirect(resp *http.Response, req *http.Request) {
	loc := resp.Header.Get("Location")
	if t.Placement == InQuery {
		if l, ok := withoutLocationParam(loc, "access_token"); ok {
			loc = l
			resp.Header.Set("Location", l)
		}
	}
	if resp.Request == nil {
		return
	}
	u := resp.Request.URL
	if _, err := url.Parse(loc); err != nil {
		u = req.URL
	} else if t.Placement == InQuery && u != nil {
		if q, ok := withoutParam(u.RawQuery, "access_token"); ok {
			u2 := *u
			u2.RawQuery = q
			u = &u2
		}
	}
	if u != resp.Request.URL {
		r := *resp.Request
		r.URL = u
		resp.Request = &r
	}
}

// withoutLocationParam returns loc, a URL reference, without the query
// parameters named name (see withoutParam), and whether it had any. A
// reference of a query alone keeps its "?": without it, "" or "#frag"
// would be a reference to the current URL, query included (RFC 3986
// §5.2.2), and net/http's Client does not follow an empty Location.
func withoutLocationParam(loc, name string) (string, bool) {
	rest, frag, hasFrag := strings.Cut(loc, "#")
	path, query, hasQuery := strings.Cut(rest, "?")
	if !hasQuery {
		return loc, false
	}
	q, ok := withoutParam(query, name)
	if !ok {
		return loc, false
	}
	if q != "" || path == "" {
		path += "?" + q
	}
	if hasFrag {
		path += "#" + frag
	}
	return path, true
}

// replayRequest returns req with a body of its own to send it again: req
// itself when it has none, a shallow copy with GetBody's otherwise. A body
// without GetBody gives an error wrapping ErrNotReplayable.
func replayRequest(req *http.Request) (*http.Request, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return req, nil
	}
	if req.GetBody == nil {
		return nil, ErrNotReplayable
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, fmt.Errorf("%w: GetBody: %w", ErrNotReplayable, err)
	}
	req2 := new(http.Request)
	*req2 = *req
	req2.Body = body
	return req2, nil
}

// retry handles resp, a 401 answer to req sent with tok: when the Source
// is a *Session, req can be replayed and resp's Bearer challenge says
// invalid_token, it gets a token to replace tok from the session and
// sends req again with it, once. Otherwise, or when the session has no
// other token, it returns resp.
func (t *Transport) retry(req *http.Request, resp *http.Response, tok *Token) (*http.Response, error) {
	s, ok := t.Source.(*Session)
	if !ok || !replayable(req) || !invalidToken(resp.Header, tok) {
		return resp, nil
	}
	tok2, auth2 := s.replaceRejected(req.Context(), tok)
	if tok2 == nil {
		return resp, nil
	}
	req2, err := replayRequest(req)
	if err != nil {
		return resp, nil
	}
	// The first answer is spent: drain a little of it so that its
	// connection may be reused, and close it.
	io.CopyN(io.Discard, resp.Body, 4<<10)
	resp.Body.Close()
	return t.send(req2, tok2, auth2, "")
}

// replayable reports whether req may be sent again, by the rule net/http
// applies to its own retries: its body can be had again (none, or
// GetBody), and its method is GET, HEAD, OPTIONS or TRACE, or it carries
// an Idempotency-Key or X-Idempotency-Key header.
func replayable(req *http.Request) bool {
	if req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		return false
	}
	switch req.Method {
	case "", http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	_, ok := req.Header["Idempotency-Key"]
	_, xok := req.Header["X-Idempotency-Key"]
	return ok || xok
}

// invalidToken reports whether h, the answer to a request with tok,
// holds a Bearer challenge with error="invalid_token" (RFC 6750 §3.1), or
// for a DPoP-bound tok a DPoP challenge with it (RFC 9449 §7.1).
func invalidToken(h http.Header, tok *Token) bool {
	if isDPoP(tok) && dpopChallengeError(h) == "invalid_token" {
		return true
	}
	c, ok := bearerChallenge(h)
	return ok && c.Param("error") == "invalid_token"
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

// withAuthHeader returns a copy of req whose header, a copy of req's
// sharing nothing with it, also carries Authorization: auth, with room for
// extra more fields. The URL and the body are req's, which the Transport
// does not modify; the header values share one new array (one allocation
// when each field has one value), and req's header is walked once, since
// each walk of a map starts by drawing a random number.
func withAuthHeader(req *http.Request, auth string, extra int) *http.Request {
	r2 := new(http.Request)
	*r2 = *req
	vals := make([]string, 1, len(req.Header)+1)
	vals[0] = auth
	h := make(http.Header, len(req.Header)+1+extra)
	h["Authorization"] = vals[:1:1]
	for k, v := range req.Header {
		if k == "Authorization" {
			continue
		}
		n := len(vals)
		vals = append(vals, v...)
		h[k] = vals[n:len(vals):len(vals)]
	}
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
// access_token (RFC 6750 §2.2). The original body is read, at most limit
// bytes of it, and closed.
func withFormToken(req *http.Request, token string, limit int64) (*http.Request, error) {
	var b []byte
	var err error
	if req.Body != nil {
		b, err = readLimited(req.Body, limit)
		req.Body.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("oauth2: reading request body: %w", err)
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
