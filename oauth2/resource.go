package oauth2

import (
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// maxResourceErrorBody is how much of a failed resource response
// CheckResponse reads for the excerpt.
const maxResourceErrorBody = 64 << 10

// CheckResponse returns nil if resp, a protected resource's answer, has a 2xx
// status, and otherwise an *[Error] with Endpoint "resource", the status, a
// bounded excerpt of the body, and what the resource server's Bearer
// challenge says (RFC 6750 §3; found among the challenges of every
// WWW-Authenticate field, RFC 7235 §4.1), or its DPoP challenge (RFC 9449
// §7.1) when the request carried a DPoP token or the answer has no Bearer
// challenge: the error code (invalid_request, invalid_token,
// insufficient_scope, invalid_dpop_proof, use_dpop_nonce), its description
// and URI, and the scope needed. errors.Is(err, [ErrInvalidToken]) tells a
// token the server no longer accepts (revoked, say) from other failures.
// RetryAfter is the answer's Retry-After (RFC 9110 §10.2.3), as for the
// token endpoint's errors. The credentials resp.Request carried (its
// Authorization header, its DPoP proof, access_token in its query or,
// read again through GetBody, its form body) are redacted from every
// field, should the server echo them (see Error). CheckResponse reads at
// most 64 KiB of the body; the caller still closes it.
func CheckResponse(resp *http.Response) error {
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		return nil
	}
	e := &Error{Endpoint: "resource", StatusCode: resp.StatusCode, RetryAfter: retryAfter(resp.Header, time.Now())}
	c, ok := bearerChallenge(resp.Header)
	if !ok || resp.Request != nil && hasScheme(resp.Request.Header.Get("Authorization"), "DPoP") {
		if d, dok := authChallenge(resp.Header, "DPoP"); dok {
			c, ok = d, true
		}
	}
	if ok {
		e.ErrorCode, e.ErrorDescription = c.Param("error"), c.Param("error_description")
		e.ErrorURI, e.Scope = c.Param("error_uri"), c.Param("scope")
	}
	var body []byte
	if resp.Body != nil {
		body, _ = io.ReadAll(io.LimitReader(resp.Body, maxResourceErrorBody))
	}
	e.scrub(body, requestSecrets(resp.Request))
	return e
}

// requestSecrets returns the credentials req sent: its Authorization
// header (whole, its credentials, and a Basic password), its DPoP proof,
// and the access_token parameters of its query and of its form body,
// which is read again through GetBody when req has one.
func requestSecrets(req *http.Request) []string {
	if req == nil {
		return nil
	}
	var out []string
	for _, a := range req.Header.Values("Authorization") {
		_, cred, _ := strings.Cut(a, " ")
		out = append(out, a, strings.TrimSpace(cred))
	}
	if _, pw, ok := req.BasicAuth(); ok {
		out = append(out, pw)
	}
	out = append(out, req.Header.Values("Dpop")...)
	if req.URL != nil {
		out = append(out, formValues(req.URL.RawQuery, "access_token")...)
	}
	if req.GetBody != nil && hasFormBody(req) {
		if rc, err := req.GetBody(); err == nil {
			b, _ := io.ReadAll(io.LimitReader(rc, DefaultMaxBodyBytes))
			rc.Close()
			out = append(out, formValues(string(b), "access_token")...)
		}
	}
	return out
}

// formValues returns the values of the parameters named name in the
// form-encoded text s, as sent and decoded. Each pair is read on its own,
// so that a malformed escape in another (a stray '%' in "q=100%") hides
// none of them, as it would from urlenc.ParseForm.
func formValues(s, name string) []string {
	var vs []string
	for _, pair := range strings.Split(s, "&") {
		k, v, _ := strings.Cut(pair, "=")
		if dk, err := urlenc.FormUnescape(k); k != name && (err != nil || dk != name) {
			continue
		}
		vs = append(vs, v)
		if dv, err := urlenc.FormUnescape(v); err == nil && dv != v {
			vs = append(vs, dv)
		}
	}
	return vs
}

// bearerChallenge returns the first Bearer challenge of h's WWW-Authenticate
// fields (see authChallenge).
func bearerChallenge(h http.Header) (urlenc.Challenge, bool) { return authChallenge(h, "Bearer") }

// authChallenge returns the first challenge of scheme among h's
// WWW-Authenticate fields, each of which may hold several challenges (RFC
// 7235 §4.1). The challenges before a malformed one in a field still
// count.
func authChallenge(h http.Header, scheme string) (urlenc.Challenge, bool) {
	for _, f := range h.Values("WWW-Authenticate") {
		cs, _ := urlenc.ParseChallenges(f)
		for _, c := range cs {
			if strings.EqualFold(c.Scheme, scheme) {
				return c, true
			}
		}
	}
	return urlenc.Challenge{}, false
}

// hasScheme reports whether the Authorization value auth uses scheme,
// compared case-insensitively (RFC 9110 §11.1).
func hasScheme(auth, scheme string) bool {
	return len(auth) > len(scheme) && auth[len(scheme)] == ' ' && strings.EqualFold(auth[:len(scheme)], scheme)
}
