package oauth2

// Requests to the token, device authorization, revocation and
// introspection endpoints: client authentication, hooks, limits.

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// response is a read, closed HTTP response.
type response struct {
	status      int
	contentType string
	header      http.Header
	body        []byte
	// secrets are the credentials the request sent, redacted from an
	// *Error made from the response.
	secrets []string
}

// sentSecrets returns the credentials among the parameters p and headers h
// of a request, and the client secret. The signed request object
// ("request", RFC 9101) and the DPoP proof (RFC 9449) count as
// credentials: the client signed them, and they can be replayed until
// they expire.
func (c *Config) sentSecrets(p urlenc.Params, h http.Header) []string {
	out := []string{c.ClientSecret}
	for _, kv := range p {
		if kv.Key == "request" || slices.Contains(secretFields, kv.Key) {
			out = append(out, kv.Value)
		}
	}
	for _, a := range h.Values("Authorization") {
		_, cred, _ := strings.Cut(a, " ")
		out = append(out, a, cred)
	}
	return append(out, h.Values("Dpop")...)
}

// Values of the auto-detect memory of a Session (AuthAutoDetect).
const (
	detectUnknown int32 = iota // try Basic, then post
	detectBasic                // Basic worked
	detectPost                 // post worked
)

// authOrder returns the methods to try, in order. detect is a Session's
// auto-detect memory, nil for Config's own calls.
func (c *Config) authOrder(detect *atomic.Int32) []AuthMethod {
	m := c.authMethod()
	if m != AuthAutoDetect {
		return []AuthMethod{m}
	}
	if detect != nil {
		switch detect.Load() {
		case detectBasic:
			return []AuthMethod{AuthClientSecretBasic}
		case detectPost:
			return []AuthMethod{AuthClientSecretPost}
		}
	}
	return []AuthMethod{AuthClientSecretBasic, AuthClientSecretPost}
}

// isInvalidClient reports whether r is an invalid_client answer.
func isInvalidClient(r *response) bool {
	if r.status == http.StatusUnauthorized {
		return true
	}
	if r.status/100 == 2 && r.status != 200 {
		return false
	}
	vals, _, err := decodeResponse(r.contentType, r.body)
	return err == nil && str(vals["error"]) == "invalid_client"
}

// postForm sends params to the endpoint name at rawURL with client
// authentication and returns the read response. oneTime marks a request
// carrying a code the server may consume at the first attempt, which
// auto-detection never sends twice; detect is a Session's auto-detect
// memory, or nil. nonces, for a request that carries a DPoP proof (token
// and PAR endpoints, with Config.DPoP set), is where the server's DPoP
// nonces are kept; nil for the other endpoints. A use_dpop_nonce answer
// is answered by one resend with the nonce it gave (RFC 9449 §8): the
// server refused the request before acting on it, one-time code
// included.
func (c *Config) postForm(ctx context.Context, name, rawURL string, params urlenc.Params, oneTime bool, detect *atomic.Int32, nonces *dpopNonces) (*response, error) {
	u, err := c.endpointURL(name, rawURL)
	if err != nil {
		return nil, err
	}
	aud := c.Endpoint.AssertionAudience
	if aud == "" {
		a := *u
		a.RawQuery, a.Fragment = "", ""
		aud = a.String()
	}
	order := c.authOrder(detect)
	if oneTime {
		order = order[:1]
	}
	var r *response
	for _, m := range order {
		if r, err = c.postOnce(ctx, name, u, aud, m, params, nonces); err != nil {
			return nil, err
		}
		if nonces != nil && isUseDPoPNonce(r) {
			if r, err = c.postOnce(ctx, name, u, aud, m, params, nonces); err != nil {
				return nil, err
			}
		}
		if !isInvalidClient(r) {
			if len(order) > 1 && detect != nil && r.status < 500 {
				// The server got past client authentication: remember.
				if m == AuthClientSecretBasic {
					detect.Store(detectBasic)
				} else {
					detect.Store(detectPost)
				}
			}
			return r, nil
		}
	}
	return r, nil
}

func (c *Config) postOnce(ctx context.Context, name string, u *url.URL, aud string, m AuthMethod, params urlenc.Params, nonces *dpopNonces) (*response, error) {
	// Bounds the request and the reading of its response, both below.
	ctx, cancel := c.requestContext(ctx)
	defer cancel()
	p := params.Clone()
	h := make(http.Header, 4)
	if err := c.addClientAuth(m, aud, &p, h); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(p.Encode()))
	if err != nil {
		return nil, fmt.Errorf("oauth2: %s endpoint: %w", name, err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	hook, hookName := c.Hooks.EndpointRequest, "Hooks.EndpointRequest"
	if name == "token" {
		hook, hookName = c.Hooks.TokenRequest, "Hooks.TokenRequest"
	}
	if hook != nil {
		if err := callHook(hookName, func() error { return hook(req) }); err != nil {
			if req.Body != nil {
				req.Body.Close()
			}
			return nil, err
		}
		// The hook may have sent the request elsewhere, with a body of
		// its own, which is closed as Do would have.
		if err := c.checkSecure(req.URL); err != nil {
			if req.Body != nil {
				req.Body.Close()
			}
			return nil, err
		}
	}
	var origin string
	if nonces != nil {
		// The proof is made for the request as it goes out, after the hook.
		var htu string
		origin, htu = dpopTarget(req.URL)
		proof, err := c.DPoP.Proof(req.Method, htu, "", nonces.get(origin), c.now())
		if err != nil {
			if req.Body != nil {
				req.Body.Close()
			}
			return nil, fmt.Errorf("oauth2: %s endpoint: DPoP proof: %w", name, err)
		}
		req.Header["Dpop"] = []string{proof}
	}
	secrets := c.sentSecrets(p, req.Header)
	resp, err := c.endpointClient().Do(req)
	if err != nil {
		return nil, fmt.Errorf("oauth2: %s endpoint: %w", name, scrubSendError(err, secrets))
	}
	defer resp.Body.Close()
	if nonces != nil {
		nonces.update(origin, resp.Header)
	}
	if (name == "token" || name == "device") && c.Hooks.TokenResponse != nil {
		err := callHook("Hooks.TokenResponse", func() error { return c.Hooks.TokenResponse(resp) })
		// The hook may have replaced the body, with nil too: closed as
		// well, and nil read as empty.
		if resp.Body != nil {
			defer resp.Body.Close()
		}
		if err != nil {
			return nil, err
		}
	}
	body, err := readLimited(resp.Body, c.maxBody())
	if mb, ok := err.(*http.MaxBytesError); ok {
		return nil, fmt.Errorf("oauth2: %s endpoint: %w", name, urlenc.TooLarge("response body", mb.Limit))
	}
	if err != nil {
		return nil, fmt.Errorf("oauth2: %s endpoint: %w", name, scrubSendError(err, secrets))
	}
	return &response{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"), header: resp.Header, body: body,
		secrets: secrets}, nil
}

// readLimited reads r to its end, at most limit bytes: a longer body is a
// *http.MaxBytesError, never a truncated result. A nil r, a body a hook
// set to nil, reads as empty. A limit of math.MaxInt64 is no limit (one
// byte more would wrap around, and read nothing).
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	if r == nil {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(r, min(limit, math.MaxInt64-1)+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &http.MaxBytesError{Limit: limit}
	}
	return b, nil
}

// maxRetryAfter bounds the Retry-After delay the package honours (see
// Error.RetryAfter).
const maxRetryAfter = 24 * time.Hour

// retryAfter parses a Retry-After header in seconds or as an HTTP date
// (RFC 9110 §10.2.3), clamped to [0, maxRetryAfter]. Seconds are compared
// with the maximum before they become a Duration, so that no value wraps
// around.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if strings.Trim(v, "0123456789") == "" {
		v = strings.TrimLeft(v, "0")
		if len(v) > 6 { // a million seconds or more
			return maxRetryAfter
		}
		n, _ := strconv.Atoi(v) // "" (all zeros) is 0
		return min(time.Duration(n)*time.Second, maxRetryAfter)
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return min(t.Sub(now), maxRetryAfter) // Sub saturates
	}
	return 0
}

// tokenRequest sends p to the token endpoint and parses the response.
// oneTime and detect are as for postForm; nonces too, and with
// Config.DPoP set a nil nonces stands for a memory of this call's own.
// A token the server bound to Config.DPoP's key records its thumbprint.
func (c *Config) tokenRequest(ctx context.Context, p urlenc.Params, oneTime bool, detect *atomic.Int32, nonces *dpopNonces) (*Token, error) {
	if c.DPoP == nil {
		nonces = nil
	} else if nonces == nil {
		nonces = new(dpopNonces)
	}
	r, err := c.postForm(ctx, "token", c.Endpoint.TokenURL, p, oneTime, detect, nonces)
	if err != nil {
		return nil, err
	}
	now := c.now()
	tok, err := parseTokenResponse("token", r.status, r.contentType, r.body, now, r.secrets)
	if e, ok := err.(*Error); ok {
		e.RetryAfter = retryAfter(r.header, now)
	}
	if tok != nil && c.DPoP != nil && strings.EqualFold(tok.TokenType, "DPoP") {
		tok.DPoPJKT = c.DPoP.Thumbprint()
	}
	return tok, err
}

// endpointError is the *Error of a failed revocation or introspection.
func (c *Config) endpointError(name string, r *response) error {
	vals, _, _ := decodeResponse(r.contentType, r.body) // nil if it does not decode
	e := newError(name, r.status, vals, r.body, r.secrets)
	e.RetryAfter = retryAfter(r.header, c.now())
	return e
}

// scope returns Config.Scopes as a scope parameter value.
func (c *Config) scope() string { return strings.Join(c.Scopes, " ") }
