package oauth2

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// Sentinel errors for conditions callers branch on. Test for them with
// errors.Is; they are never compared by message.
var (
	// ErrStateMismatch is returned by Session.Exchange and
	// Session.TokenFromFragment when the callback's state parameter does not
	// equal the one the session generated (RFC 6749 §10.12). No token request
	// is made.
	ErrStateMismatch = errors.New("oauth2: state mismatch")

	// ErrNoState is returned when a callback arrives at a session that holds
	// no pending authorization request. The session refuses the callback
	// rather than skipping the state check, which is what oauthlib does.
	ErrNoState = errors.New("oauth2: no pending authorization request")

	// ErrInsecureTransport is returned when a token or credential would be
	// sent over plain http to a host that is not a loopback address and
	// Config.InsecureAllowHTTP is false.
	ErrInsecureTransport = errors.New("oauth2: refusing to send credentials over plain http")

	// ErrNoRefreshToken is returned by Session.Refresh when the session's
	// token has no refresh token.
	ErrNoRefreshToken = errors.New("oauth2: no refresh token")

	// ErrTokenExpired is returned when the session's token has expired and
	// cannot be refreshed (it has no refresh token).
	ErrTokenExpired = errors.New("oauth2: token expired and cannot be refreshed")

	// ErrNoToken is returned when a session that holds no token is asked for
	// one, or to authorize a request.
	ErrNoToken = errors.New("oauth2: session has no token")

	// ErrResponseTooLarge is wrapped by *ResponseTooLargeError.
	ErrResponseTooLarge = errors.New("oauth2: response body too large")

	// ErrNoEndpoint is returned when the Endpoint URL a call needs is empty.
	ErrNoEndpoint = errors.New("oauth2: endpoint url not configured")

	// ErrMissingAccessToken is returned when a successful token response has
	// no access_token.
	ErrMissingAccessToken = errors.New("oauth2: token response has no access_token")

	// ErrNoSigner is returned when AuthMethod is PrivateKeyJWT and
	// Config.Signer is nil.
	ErrNoSigner = errors.New("oauth2: private_key_jwt needs Config.Signer")

	// ErrMissingCode is returned by Session.Exchange when the callback URL
	// has neither a code nor an error.
	ErrMissingCode = errors.New("oauth2: callback has no code")
)

// Sentinels matching the error codes of RFC 6749 §4.1.2.1, §5.2 and RFC 8628
// §3.5. An *Error carrying the code matches with errors.Is:
//
//	if errors.Is(err, oauth2.ErrInvalidGrant) { /* ask the user to log in again */ }
var (
	ErrInvalidRequest          = errors.New("oauth2: invalid_request")
	ErrInvalidClient           = errors.New("oauth2: invalid_client")
	ErrInvalidGrant            = errors.New("oauth2: invalid_grant")
	ErrUnauthorizedClient      = errors.New("oauth2: unauthorized_client")
	ErrUnsupportedGrantType    = errors.New("oauth2: unsupported_grant_type")
	ErrInvalidScope            = errors.New("oauth2: invalid_scope")
	ErrAccessDenied            = errors.New("oauth2: access_denied")
	ErrTemporarilyUnavailable  = errors.New("oauth2: temporarily_unavailable")
	ErrAuthorizationPending    = errors.New("oauth2: authorization_pending")
	ErrSlowDown                = errors.New("oauth2: slow_down")
	ErrExpiredToken            = errors.New("oauth2: expired_token")
	ErrUnsupportedTokenType    = errors.New("oauth2: unsupported_token_type")
	ErrServerError             = errors.New("oauth2: server_error")
	ErrUnsupportedResponseType = errors.New("oauth2: unsupported_response_type")
	// ErrInvalidToken and ErrInsufficientScope are the error codes of a
	// resource server's Bearer challenge (RFC 6750 §3.1); see
	// [CheckResponse].
	ErrInvalidToken      = errors.New("oauth2: invalid_token")
	ErrInsufficientScope = errors.New("oauth2: insufficient_scope")
)

var codeSentinels = map[string]error{
	"invalid_request":           ErrInvalidRequest,
	"invalid_client":            ErrInvalidClient,
	"invalid_grant":             ErrInvalidGrant,
	"unauthorized_client":       ErrUnauthorizedClient,
	"unsupported_grant_type":    ErrUnsupportedGrantType,
	"invalid_scope":             ErrInvalidScope,
	"access_denied":             ErrAccessDenied,
	"temporarily_unavailable":   ErrTemporarilyUnavailable,
	"authorization_pending":     ErrAuthorizationPending,
	"slow_down":                 ErrSlowDown,
	"expired_token":             ErrExpiredToken,
	"unsupported_token_type":    ErrUnsupportedTokenType,
	"server_error":              ErrServerError,
	"unsupported_response_type": ErrUnsupportedResponseType,
	"invalid_token":             ErrInvalidToken,
	"insufficient_scope":        ErrInsufficientScope,
}

// maxExcerpt bounds Error.Body.
const maxExcerpt = 512

// Error is an error response from an authorization server: a redirect
// carrying error=... (RFC 6749 §4.1.2.1, §4.2.2.1) or an error from the token,
// device, revocation or introspection endpoint (RFC 6749 §5.2), including a
// 2xx response whose body carries an "error" field and a non-2xx response
// without one (ErrorCode is then empty).
//
// errors.Is(err, ErrAccessDenied) and the other code sentinels match an
// *Error with that code. Error never includes the body or any credential.
type Error struct {
	// Endpoint names where the error came from: "authorization", "token",
	// "device", "revocation", "introspection", or "resource" for a
	// protected resource's answer read by [CheckResponse].
	Endpoint string
	// ErrorCode is the "error" parameter, e.g. "invalid_grant".
	ErrorCode string
	// ErrorDescription is the optional human-readable "error_description".
	ErrorDescription string
	// ErrorURI is the optional "error_uri".
	ErrorURI string
	// StatusCode is the HTTP status; 0 for redirect errors.
	StatusCode int
	// RetryAfter is the Retry-After delay the server asked for, if any,
	// in seconds or as a date; at most 24 hours, a longer delay counts as
	// 24 hours.
	RetryAfter time.Duration
	// Scope is the scope a resource server's Bearer challenge says the
	// request needs (RFC 6750 §3), with insufficient_scope.
	Scope string
	// Body is a bounded excerpt of the response body (at most 512 bytes).
	// The credentials the request sent (client secret, password, refresh
	// token, code, code verifier, device code, assertions, subject and
	// actor tokens, the token being revoked or introspected) are replaced by
	// "[redacted]" here and in ErrorDescription and ErrorURI, should a
	// server echo them; and the whole excerpt is withheld if the body names
	// a credential field (access_token, password, code_verifier, ... in any
	// case).
	Body []byte
}

// Error implements the error interface.
func (e *Error) Error() string {
	var b []byte
	b = append(b, "oauth2: "...)
	if e.Endpoint != "" {
		b = append(b, e.Endpoint...)
		b = append(b, " endpoint: "...)
	}
	switch {
	case e.ErrorCode != "":
		b = strconv.AppendQuote(b, e.ErrorCode)
	default:
		b = append(b, "error response"...)
	}
	if e.ErrorDescription != "" {
		b = append(b, ": "...)
		b = strconv.AppendQuote(b, truncate(e.ErrorDescription, 200))
	}
	if e.StatusCode != 0 {
		b = append(b, " (http "...)
		b = strconv.AppendInt(b, int64(e.StatusCode), 10)
		b = append(b, ')')
	}
	return string(b)
}

// Is reports whether target is the sentinel for e.ErrorCode, so that
// errors.Is(err, ErrInvalidGrant) works through an *Error.
func (e *Error) Is(target error) bool {
	s, ok := codeSentinels[e.ErrorCode]
	return ok && s == target
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// secretMarkers are field names whose presence in a body withholds its
// excerpt; they are matched case-insensitively.
var secretMarkers = [][]byte{
	[]byte("access_token"), []byte("refresh_token"), []byte("id_token"),
	[]byte("client_secret"), []byte("assertion"), []byte("client_assertion"),
	[]byte("device_code"), []byte("password"), []byte("code_verifier"),
	[]byte("subject_token"), []byte("actor_token"),
}

// excerpt returns at most maxExcerpt bytes of body, or a placeholder if the
// body mentions a credential field.
func excerpt(body []byte) []byte {
	lower := bytes.ToLower(body)
	for _, m := range secretMarkers {
		if bytes.Contains(lower, m) {
			return []byte("[withheld: body carries credentials]")
		}
	}
	if len(body) > maxExcerpt {
		body = body[:maxExcerpt]
	}
	return bytes.Clone(body)
}

// redactValues returns b with every occurrence of each non-empty secret
// replaced by "[redacted]": as sent, form- and path-escaped, and as a JSON
// string would escape it, the forms a server echoing a request is likely to
// use. b is not modified.
func redactValues(b []byte, secrets []string) []byte {
	var forms []string
	for _, s := range secrets {
		if s == "" {
			continue
		}
		forms = append(forms, s, url.QueryEscape(s), url.PathEscape(s))
		for _, html := range []bool{true, false} {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(html)
			if enc.Encode(s) == nil {
				q := bytes.TrimSpace(buf.Bytes())
				forms = append(forms, string(q[1:len(q)-1]))
			}
		}
	}
	// Longest first, so that a secret containing another is replaced whole.
	slices.SortFunc(forms, func(a, b string) int { return len(b) - len(a) })
	out := b
	for _, f := range slices.Compact(forms) {
		if bytes.Contains(out, []byte(f)) {
			out = bytes.ReplaceAll(out, []byte(f), []byte("[redacted]"))
		}
	}
	return out
}

// ResponseTooLargeError is returned when a response body exceeds the limit
// the package reads (1 MiB). The body is never parsed truncated. It wraps
// ErrResponseTooLarge.
type ResponseTooLargeError struct {
	// Endpoint names the endpoint, as in Error.
	Endpoint string
	// Limit is the limit in bytes that was exceeded.
	Limit int64
}

// Error implements the error interface.
func (e *ResponseTooLargeError) Error() string {
	return fmt.Sprintf("oauth2: %s endpoint: response body larger than %d bytes", e.Endpoint, e.Limit)
}

// Unwrap returns ErrResponseTooLarge.
func (e *ResponseTooLargeError) Unwrap() error { return ErrResponseTooLarge }

// callbackError converts the error parameters of a redirect into an *Error.
func callbackError(q urlenc.Params) *Error {
	return &Error{
		Endpoint:         "authorization",
		ErrorCode:        q.Get("error"),
		ErrorDescription: q.Get("error_description"),
		ErrorURI:         q.Get("error_uri"),
	}
}
