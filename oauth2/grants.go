package oauth2

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
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
// of a request, and the client secret.
func (c *Config) sentSecrets(p urlenc.Params, h http.Header) []string {
	out := []string{c.ClientSecret}
	for _, kv := range p {
		if slices.Contains(secretFields, kv.Key) {
			out = append(out, kv.Value)
		}
	}
	for _, a := range h.Values("Authorization") {
		_, cred, _ := strings.Cut(a, " ")
		out = append(out, a, cred)
	}
	return out
}

// Values of Session.detect for AuthAutoDetect.
const (
	detectBasicFirst int32 = iota // nothing known: try Basic, then post
	detectPostFirst               // Basic failed on a one-time code: try post first
	detectBasic                   // Basic worked
	detectPost                    // post worked
)

// authOrder returns the methods to try, and whether falling back is allowed.
func (s *Session) authOrder() []AuthMethod {
	m := s.cfg.authMethod()
	if m != AuthAutoDetect {
		return []AuthMethod{m}
	}
	switch s.detect.Load() {
	case detectBasic:
		return []AuthMethod{ClientSecretBasic}
	case detectPost:
		return []AuthMethod{ClientSecretPost}
	case detectPostFirst:
		return []AuthMethod{ClientSecretPost, ClientSecretBasic}
	}
	return []AuthMethod{ClientSecretBasic, ClientSecretPost}
}

func (s *Session) remember(m AuthMethod) {
	if s.cfg.authMethod() != AuthAutoDetect {
		return
	}
	if m == ClientSecretBasic {
		s.detect.Store(detectBasic)
	} else {
		s.detect.Store(detectPost)
	}
}

// isInvalidClient reports whether r is an invalid_client answer.
func isInvalidClient(r *response) bool {
	if r.status == http.StatusUnauthorized {
		return true
	}
	if r.status/100 == 2 && r.status != 200 {
		return false
	}
	vals, err := decodeResponse(r.contentType, r.body)
	return err == nil && str(vals["error"]) == "invalid_client"
}

// postForm sends params to the named endpoint with client authentication and
// returns the read response. oneTime marks a request carrying a one-time
// code, which auto-detection never sends twice.
func (s *Session) postForm(ctx context.Context, name, rawURL string, params urlenc.Params, oneTime bool) (*response, error) {
	u, err := s.cfg.endpointURL(name, rawURL)
	if err != nil {
		return nil, err
	}
	aud := *u
	aud.RawQuery, aud.Fragment = "", ""
	order := s.authOrder()
	var r *response
	for i, m := range order {
		if r, err = s.postOnce(ctx, name, u, aud.String(), m, params); err != nil {
			return nil, err
		}
		if !isInvalidClient(r) {
			if len(order) > 1 && r.status != http.StatusUnauthorized && r.status < 500 {
				// The server got past client authentication.
				s.remember(m)
			}
			return r, nil
		}
		if i == len(order)-1 {
			break
		}
		if oneTime {
			// Never resend a one-time code: report the failure, and start
			// with the other method next time.
			if m == ClientSecretBasic {
				s.detect.CompareAndSwap(detectBasicFirst, detectPostFirst)
			} else {
				s.detect.CompareAndSwap(detectPostFirst, detectBasicFirst)
			}
			break
		}
	}
	return r, nil
}

func (s *Session) postOnce(ctx context.Context, name string, u *url.URL, aud string, m AuthMethod, params urlenc.Params) (*response, error) {
	// Bounds the request and the reading of its response, both below.
	ctx, cancel := s.cfg.requestContext(ctx)
	defer cancel()
	p := params.Clone()
	h := make(http.Header, 4)
	if err := s.cfg.addClientAuth(m, aud, &p, h); err != nil {
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
	if (name == "revocation" || name == "introspection") && s.cfg.Hooks.EndpointRequest != nil {
		if err := callHook("Hooks.EndpointRequest", func() error { return s.cfg.Hooks.EndpointRequest(req) }); err != nil {
			return nil, err
		}
	}
	resp, err := s.cfg.endpointClient().Do(req)
	if err != nil {
		return nil, fmt.Errorf("oauth2: %s endpoint: %w", name, err)
	}
	defer resp.Body.Close()
	if (name == "token" || name == "device") && s.cfg.Hooks.TokenResponse != nil {
		err := callHook("Hooks.TokenResponse", func() error { return s.cfg.Hooks.TokenResponse(resp) })
		// The hook may have replaced the body, with nil too: closed as
		// well, and nil read as empty.
		if resp.Body != nil {
			defer resp.Body.Close()
		}
		if err != nil {
			return nil, err
		}
	}
	body, err := readLimited(resp.Body, name) // nil reads as empty
	if err != nil {
		return nil, err
	}
	return &response{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"), header: resp.Header, body: body,
		secrets: s.cfg.sentSecrets(p, h)}, nil
}

// readLimited reads at most maxBody bytes; a longer body is a
// *ResponseTooLargeError, never a truncated result. A nil r, a body a
// hook set to nil, reads as empty.
func readLimited(r io.Reader, name string) ([]byte, error) {
	if r == nil {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(r, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("oauth2: %s endpoint: reading response: %w", name, err)
	}
	if len(b) > maxBody {
		return nil, &ResponseTooLargeError{Endpoint: name, Limit: maxBody}
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

// tokenRequest sends a token request and parses the response.
func (s *Session) tokenRequest(ctx context.Context, p urlenc.Params, oneTime bool) (*Token, error) {
	r, err := s.postForm(ctx, "token", s.cfg.Endpoint.TokenURL, p, oneTime)
	if err != nil {
		return nil, err
	}
	now := s.cfg.now()
	tok, err := parseTokenResponse("token", r.status, r.contentType, r.body, now, r.secrets)
	var e *Error
	if errors.As(err, &e) {
		e.RetryAfter = retryAfter(r.header, now)
	}
	return tok, err
}

// grant runs a token request and commits the token.
func (s *Session) grant(ctx context.Context, p urlenc.Params, oneTime bool) (*Token, error) {
	tok, err := s.tokenRequest(ctx, p, oneTime)
	if err != nil {
		return nil, err
	}
	if err := s.commit(ctx, tok, false); err != nil {
		return nil, err
	}
	return tok, nil
}

func refreshParams(rt string) urlenc.Params {
	return urlenc.Params{{Key: "grant_type", Value: "refresh_token"}, {Key: "refresh_token", Value: rt}}
}

func (s *Session) addScope(p *urlenc.Params) {
	if len(s.cfg.Scopes) > 0 {
		p.Add("scope", strings.Join(s.cfg.Scopes, " "))
	}
}

// Password runs the resource owner password credentials grant (RFC 6749
// §4.3) and makes the token the session's token. The grant is deprecated by
// the OAuth 2.0 Security BCP; use it only with first-party servers.
func (s *Session) Password(ctx context.Context, username, password string) (*Token, error) {
	p := urlenc.Params{{Key: "grant_type", Value: "password"}, {Key: "username", Value: username}, {Key: "password", Value: password}}
	s.addScope(&p)
	return s.grant(ctx, p, false)
}

// ClientCredentials runs the client credentials grant (RFC 6749 §4.4) with
// Config.Scopes and makes the token the session's token. When this token
// (or one the session got by running the grant again) expires and has no
// refresh token, the session runs the grant again instead of failing with
// ErrTokenExpired. A token set later with SetToken or obtained by another
// grant is not renewed this way.
func (s *Session) ClientCredentials(ctx context.Context) (*Token, error) {
	tok, err := s.clientCredentials(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.commit(ctx, tok, true); err != nil {
		return nil, err
	}
	return tok, nil
}

func (s *Session) clientCredentials(ctx context.Context) (*Token, error) {
	p := urlenc.Params{{Key: "grant_type", Value: "client_credentials"}}
	s.addScope(&p)
	return s.tokenRequest(ctx, p, false)
}

// Grant runs any grant at the token endpoint with the given parameters and
// client authentication, and makes the token the session's token: for
// example the JWT bearer grant (RFC 7523 §2.1, grant type
// "urn:ietf:params:oauth:grant-type:jwt-bearer" with an "assertion") or
// token exchange (RFC 8693, "urn:ietf:params:oauth:grant-type:token-exchange"
// with subject_token and subject_token_type). Parameters are sent in sorted
// key order; scope is not added.
func (s *Session) Grant(ctx context.Context, grantType string, params url.Values) (*Token, error) {
	p := urlenc.Params{{Key: "grant_type", Value: grantType}}
	keys := make([]string, 0, len(params))
	for k := range params {
		if k != "grant_type" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range params[k] {
			p.Add(k, v)
		}
	}
	return s.grant(ctx, p, false)
}
