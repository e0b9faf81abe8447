package oauth1

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// RequestToken obtains temporary credentials (RFC 5849 §2.1) from
// Endpoint.RequestTokenURL, sending Config.CallbackURL ("oob" if empty) as
// oauth_callback. When a callback URL other than "oob" was sent, the
// response must carry oauth_callback_confirmed=true unless
// Endpoint.SkipCallbackConfirmed is set; otherwise the error wraps
// ErrCallbackNotConfirmed. A provider's refusal is an *[Error] with
// Endpoint "request token"; a response over Config.MaxBodyBytes is an
// error wrapping an *http.MaxBytesError; a response without oauth_token is
// an error wrapping ErrMissingToken. A redirect is not followed: a 3xx
// answer is an *Error with only Endpoint and StatusCode set.
// ctx bounds the whole request, including reading the response; without a
// deadline, Config.Timeout (or [DefaultTimeout]) does, and the error then
// wraps context.DeadlineExceeded.
func (c *Config) RequestToken(ctx context.Context) (*Token, error) {
	cb := c.CallbackURL
	if cb == "" {
		cb = "oob"
	}
	tok, params, err := c.tokenRequest(ctx, endpointRequestToken, c.Endpoint.RequestTokenURL, &credentials{callback: cb})
	if err != nil {
		return nil, err
	}
	if cb != "oob" && !c.Endpoint.SkipCallbackConfirmed && params.Get("oauth_callback_confirmed") != "true" {
		return nil, ErrCallbackNotConfirmed
	}
	return tok, nil
}

// AuthorizationURL returns the URL of Endpoint.AuthorizeURL to send the
// resource owner to (RFC 5849 §2.2), with oauth_token set to
// requestToken's token and the extra parameters (such as Twitter's
// force_login, or Trello's scope and name) added; the URL's own query is
// kept. A nil requestToken, or one with an empty Token, is an error
// wrapping ErrMissingToken.
func (c *Config) AuthorizationURL(requestToken *Token, extra url.Values) (string, error) {
	if requestToken == nil || requestToken.Token == "" {
		return "", fmt.Errorf("%w: AuthorizationURL was given no request token", ErrMissingToken)
	}
	var p urlenc.Params
	p.Add("oauth_token", requestToken.Token)
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range extra[k] {
			p.Add(k, v)
		}
	}
	u, err := urlenc.AddParams(c.Endpoint.AuthorizeURL, p)
	if err != nil {
		return "", fmt.Errorf("oauth1: authorization url: %w", err)
	}
	return u, nil
}

// ParseAuthorizationResponse reads oauth_token and oauth_verifier from
// the callback URL the provider redirected the resource owner to
// (RFC 5849 §2.2). A missing oauth_token is an error wrapping
// ErrMissingToken; a missing oauth_verifier one wrapping
// ErrMissingVerifier (which matches ErrMissingToken too). A URL or query
// that does not parse is an error wrapping ErrBadRequest, which names the
// problem but never quotes the URL (it holds the verifier).
// The caller should check that token is the request token it issued.
func ParseAuthorizationResponse(callbackURL string) (token, verifier string, err error) {
	u, err := url.Parse(callbackURL)
	if err != nil || callbackURL == "" {
		// Not wrapped: url.Parse's error quotes the whole URL.
		return "", "", errCallbackURL()
	}
	return parseCallbackQuery(u.RawQuery)
}

// ParseAuthorizationRequest is ParseAuthorizationResponse for the request
// a callback handler receives. A nil r, or one without a URL, is an error
// wrapping ErrBadRequest.
func ParseAuthorizationRequest(r *http.Request) (token, verifier string, err error) {
	if r == nil || r.URL == nil {
		return "", "", errCallbackURL()
	}
	return parseCallbackQuery(r.URL.RawQuery)
}

func errCallbackURL() error {
	return fmt.Errorf("%w: callback url does not parse", ErrBadRequest)
}

func parseCallbackQuery(rawQuery string) (token, verifier string, err error) {
	p, err := urlenc.ParseForm(rawQuery)
	if err != nil {
		// Only the offset: the malformed bytes may be part of the
		// verifier.
		var ee *urlenc.EscapeError
		if errors.As(err, &ee) {
			return "", "", fmt.Errorf("%w: callback: invalid percent-encoding at offset %d of a name or value of the query", ErrBadRequest, ee.Offset)
		}
		return "", "", fmt.Errorf("%w: callback query does not parse", ErrBadRequest)
	}
	return authorizationParams(p.Get("oauth_token"), p.Get("oauth_verifier"))
}

func authorizationParams(token, verifier string) (string, string, error) {
	if token == "" {
		return "", "", fmt.Errorf("%w in the callback", ErrMissingToken)
	}
	if verifier == "" {
		return "", "", ErrMissingVerifier
	}
	return token, verifier, nil
}

// AccessToken exchanges the authorized request token and the verifier
// for token credentials (RFC 5849 §2.3) at Endpoint.AccessTokenURL. The
// response's other fields (user_id, screen_name, ...) are kept: see
// [Token.Extra]. A nil requestToken is an error wrapping ErrMissingToken;
// other errors as for [Config.RequestToken], with Endpoint "access token"
// in an *[Error].
func (c *Config) AccessToken(ctx context.Context, requestToken *Token, verifier string) (*Token, error) {
	if requestToken == nil {
		return nil, fmt.Errorf("%w: AccessToken was given no request token", ErrMissingToken)
	}
	tok, _, err := c.tokenRequest(ctx, endpointAccessToken, c.Endpoint.AccessTokenURL, &credentials{
		token: requestToken.Token, tokenSecret: requestToken.Secret, verifier: verifier})
	return tok, err
}

// The names of the endpoints in an *Error.
const (
	endpointRequestToken = "request token"
	endpointAccessToken  = "access token"
	endpointResource     = "resource"
)

func (c *Config) tokenRequest(ctx context.Context, name, endpoint string, cr *credentials) (*Token, urlenc.Params, error) {
	ctx, cancel := c.withTimeout(ctx)
	defer cancel()
	method := c.Endpoint.TokenMethod
	if method == "" {
		method = http.MethodPost
	}
	var body io.Reader
	if c.Placement == InFormBody {
		body = http.NoBody
	}
	req, err := http.NewRequestWithContext(ctx, method, endpoint, body)
	if err != nil {
		return nil, nil, fmt.Errorf("oauth1: token request: %w", err)
	}
	for k, vs := range c.Endpoint.Header {
		req.Header[k] = append([]string(nil), vs...)
	}
	if c.Placement == InFormBody {
		req.Header.Set("Content-Type", formType)
	}
	st := bareStates.Get().(*signState)
	err = c.sign(req, cr, st)
	putBare(st)
	if err != nil {
		return nil, nil, err
	}
	resp, err := c.tokenClient().Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("oauth1: token request: %w", urlenc.ScrubError(err, c.sentSecrets(req, cr), adviceLen))
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 && resp.StatusCode <= 399 {
		// Neither Location nor the body: a redirect may carry what was
		// sent (the verifier, a PLAINTEXT signature) back in its URL.
		return nil, nil, &Error{Endpoint: name, StatusCode: resp.StatusCode}
	}
	limit := c.maxBody()
	// One byte more tells a larger body; at math.MaxInt64 it would wrap
	// around and read nothing.
	data, err := io.ReadAll(io.LimitReader(resp.Body, min(limit, math.MaxInt64-1)+1))
	if err != nil {
		return nil, nil, fmt.Errorf("oauth1: reading token response: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, nil, fmt.Errorf("oauth1: %s endpoint: %w", name, urlenc.TooLarge("response body", limit))
	}
	params, perr := parseTokenResponse(resp.Header.Get("Content-Type"), data)
	problem := params.Get("oauth_problem")
	if resp.StatusCode < 200 || resp.StatusCode > 299 || problem != "" {
		return nil, nil, providerError(name, resp.StatusCode, problem, params.Get("oauth_problem_advice"),
			params, data, c.sentSecrets(req, cr))
	}
	if perr != nil {
		return nil, nil, perr
	}
	tok := &Token{Token: params.Get("oauth_token"), Secret: params.Get("oauth_token_secret")}
	if tok.Token == "" {
		return nil, nil, fmt.Errorf("%w in the %s response", ErrMissingToken, name)
	}
	for _, p := range params {
		if p.Key != "oauth_token" && p.Key != "oauth_token_secret" {
			tok.extra = append(tok.extra, p)
		}
	}
	return tok, params, nil
}

// parseTokenResponse reads a form-encoded or JSON token response. JSON is
// recognized by its media type or by a leading '{'.
func parseTokenResponse(contentType string, data []byte) (urlenc.Params, error) {
	mt, _, _ := mime.ParseMediaType(contentType)
	trimmed := bytes.TrimSpace(data)
	if mt == "application/json" || strings.HasSuffix(mt, "+json") || len(trimmed) > 0 && trimmed[0] == '{' {
		p, err := parseJSONObject(trimmed)
		if err != nil {
			return nil, fmt.Errorf("%w: token response: %w", ErrBadRequest, err)
		}
		return p, nil
	}
	p, err := urlenc.ParseForm(string(trimmed))
	var ee *urlenc.EscapeError
	if errors.As(err, &ee) {
		// Only the offset: the malformed bytes may be part of the
		// token secret.
		return p, fmt.Errorf("%w: token response: invalid percent-encoding at offset %d of a field", ErrBadRequest, ee.Offset)
	}
	if err != nil {
		return p, fmt.Errorf("%w: token response: %w", ErrBadRequest, err)
	}
	return p, nil
}

// CheckResponse returns nil if resp has a 2xx status and otherwise an
// *[Error] with Endpoint "resource", the status, the oauth_problem and advice (OAuth
// Problem Reporting, from the form-encoded or JSON body or from the
// WWW-Authenticate header) and a bounded excerpt of the body, which it
// reads (at most 64 KiB). The credentials the request sent (resp.Request:
// its oauth_token, oauth_signature, and for PLAINTEXT the secrets the
// signature is made of) and the token fields of the body are scrubbed
// from them. The caller still closes resp.Body.
func CheckResponse(resp *http.Response) error {
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		return nil
	}
	var data []byte
	if resp.Body != nil {
		data, _ = io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	}
	params, _ := parseTokenResponse(resp.Header.Get("Content-Type"), data)
	problem, advice := params.Get("oauth_problem"), params.Get("oauth_problem_advice")
	if problem == "" {
		if _, _, hp, ok, err := parseAuthHeader(resp.Header.Get("WWW-Authenticate")); ok && err == nil {
			problem, advice = hp.Get("oauth_problem"), hp.Get("oauth_problem_advice")
		}
	}
	return providerError(endpointResource, resp.StatusCode, problem, advice, params, data, sentCredentials(resp.Request))
}

// sentSecrets returns the credentials of a token request, signed for cr,
// for scrubbing: what req carries (see sentCredentials) and the secrets
// and verifier, which a server may know and echo.
func (c *Config) sentSecrets(req *http.Request, cr *credentials) []string {
	return append(sentCredentials(req), c.ConsumerSecret, cr.tokenSecret, cr.verifier, cr.token)
}
