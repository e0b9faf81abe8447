package oauth2

import (
	"bytes"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"strconv"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// Sentinel errors for conditions callers branch on. Test for them with
// errors.Is; they are never compared by message.
var (
	// ErrStateMismatch is returned by CompleteLogin, CompleteLoginURL and
	// CompleteLoginCode when the callback's state parameter does not equal
	// the login's (RFC 6749 §10.12). No token request is made.
	ErrStateMismatch = errors.New("oauth2: state mismatch")

	// ErrIssuerMismatch is returned by CompleteLogin, CompleteLoginURL and
	// CompleteLoginCode when the callback's "iss" is not, byte for byte,
	// the login's issuer (Login.Issuer, or Endpoint.Issuer for a login
	// without one), or appears more than once (RFC 9207 §2.4): the
	// response may come from another server than the one the user was
	// sent to, as in a mix-up attack. No token request is made.
	ErrIssuerMismatch = errors.New("oauth2: issuer mismatch")

	// ErrMissingIssuer is returned by CompleteLogin, CompleteLoginURL and
	// CompleteLoginCode when Endpoint.IssuerParameter says the server
	// sends "iss" in every authorization response and the callback has
	// none (RFC 9207 §2.4). No token request is made.
	ErrMissingIssuer = errors.New("oauth2: callback has no iss")

	// ErrNoState is returned when a callback is completed with a nil
	// Login, or one without state: the callback is refused rather than
	// let through unchecked.
	ErrNoState = errors.New("oauth2: no pending authorization request")

	// ErrInsecureTransport is returned when a token or credential would be
	// sent over plain http to a host that is not a loopback address and
	// InsecureAllowHTTP is false.
	ErrInsecureTransport = errors.New("oauth2: refusing to send credentials over plain http")

	// ErrNoRefreshToken is returned by Session.Refresh when the session's
	// token has no refresh token and the session has no grant to run, and
	// by Session.Revoke and Session.Introspect asked for a refresh token
	// the session does not hold.
	ErrNoRefreshToken = errors.New("oauth2: no refresh token")

	// ErrTokenExpired is returned when a session's token has expired and
	// cannot be renewed: it has no refresh token and the session has no
	// grant to run.
	ErrTokenExpired = errors.New("oauth2: token expired and cannot be refreshed")

	// ErrNoToken is returned when a TokenSource that has no token is asked
	// for one, or to authorize a request; so is a session whose token has
	// no access token and cannot be renewed.
	ErrNoToken = errors.New("oauth2: no token")

	// ErrNoEndpoint is returned when the Endpoint URL a call needs is empty.
	ErrNoEndpoint = errors.New("oauth2: endpoint url not configured")

	// ErrMissingAccessToken is returned when a successful token response
	// has no access_token, and by Session.SetToken for a token without
	// one.
	ErrMissingAccessToken = errors.New("oauth2: token has no access_token")

	// ErrNoSigner is returned when AuthMethod is AuthPrivateKeyJWT, or a
	// login is to send a signed request object, and Config.Signer is nil.
	ErrNoSigner = errors.New("oauth2: private_key_jwt needs Config.Signer")

	// ErrMissingCode is returned when an authorization response to a code
	// login has neither a code nor an error.
	ErrMissingCode = errors.New("oauth2: callback has no code")

	// ErrMalformedCallback is returned when a callback URL, or the
	// parameters of its query, fragment or form body, do not parse, or
	// carry state or code more than once (RFC 6749 §3.1). The error says
	// nothing of the URL or body, which carry the code or the token.
	ErrMalformedCallback = errors.New("oauth2: malformed callback")
)

// Sentinels matching the error codes of RFC 6749 §4.1.2.1, §5.2, RFC 8628
// §3.5 and RFC 7009 §2.2.1 (unsupported_token_type), and of RFC 6750 and
// RFC 9449 below. An *Error carrying the code matches with errors.Is:
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
	// ErrInvalidDPoPProof and ErrUseDPoPNonce are the error codes of RFC
	// 9449 §7.1 and §8, §9: a DPoP proof the server refused, and the
	// demand for a proof with the server's nonce (which the package
	// answers once by itself, see Config.DPoP).
	ErrInvalidDPoPProof = errors.New("oauth2: invalid_dpop_proof")
	ErrUseDPoPNonce     = errors.New("oauth2: use_dpop_nonce")
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
	"invalid_dpop_proof":        ErrInvalidDPoPProof,
	"use_dpop_nonce":            ErrUseDPoPNonce,
}

// Bounds of the text an *Error holds from a server, in bytes (clip may add
// "..."): the error code, the other strings, the body excerpt, and the
// description as Error prints it.
const (
	maxErrorCode   = 128
	maxErrorText   = 1024
	maxExcerpt     = 512
	maxPrintedDesc = 200
	// maxHost bounds a host name quoted in an error (a redirect's
	// Location comes from a server).
	maxHost = 256
)

// Error is an error response from an authorization server: a redirect
// carrying error=... (RFC 6749 §4.1.2.1, §4.2.2.1) or an error from the token,
// device, revocation, introspection or pushed authorization request
// endpoint (RFC 6749 §5.2, RFC 9126 §2.3), including a
// 2xx response whose body carries an "error" field and a non-2xx response
// without one (ErrorCode is then empty); or a protected resource's refusal
// read by [CheckResponse].
//
// errors.Is(err, ErrAccessDenied) and the other code sentinels match an
// *Error with that code.
//
// Every string field and Body hold text from the server, scrubbed before
// the *Error is returned: each credential the request sent (client secret,
// password, refresh token, code, code verifier, device code, assertions,
// subject and actor tokens, the token revoked or introspected, the
// signed request object of a pushed login, the DPoP proof, the access
// token a protected request carried) or the response carried (its
// access_token, refresh_token, id_token, ...) is replaced by "[redacted]"
// wherever it stands as a whole token, in the forms a server echoes it in
// (raw, form- or percent-encoded, JSON-escaped); a credential glued to
// other letters or digits is left alone, so that a short one such as "e"
// does not garble the words around it. Each field is bounded, cut between
// words with "..." appended: ErrorCode to 128 bytes, the other strings to
// 1024, Body to 512. The message (the Error method) holds the endpoint,
// status, code and at most 200 bytes of the description; the excerpt of
// the body is in the Body field only, for callers that want it.
type Error struct {
	// Endpoint names where the error came from: "authorization", "token",
	// "device", "revocation", "introspection", "pushed authorization"
	// (RFC 9126), or "resource" for a protected resource's answer read by
	// [CheckResponse]; package oauth2/oidc adds "discovery", "jwks" and
	// "userinfo".
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
	// Body is an excerpt of the response body, withheld (replaced by a
	// note saying so) when the body names a credential field
	// (access_token, password, code_verifier, ... in any case): the
	// values of such fields may be credentials the request did not send,
	// which scrubbing cannot know.
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
		b = strconv.AppendQuote(b, clip(e.ErrorCode, maxErrorCode))
	default:
		b = append(b, "error response"...)
	}
	if e.ErrorDescription != "" {
		b = append(b, ": "...)
		b = strconv.AppendQuote(b, clip(e.ErrorDescription, maxPrintedDesc))
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

// asError returns the first *Error in err's tree, as errors.As finds it
// (depth first, through Unwrap() error and Unwrap() []error), or nil. It
// does not call As methods: errors.As needs reflection for them, which
// would come into every program that refreshes a token.
func asError(err error) *Error {
	for {
		switch x := err.(type) {
		case *Error:
			return x
		case interface{ Unwrap() error }:
			err = x.Unwrap()
		case interface{ Unwrap() []error }:
			for _, err := range x.Unwrap() {
				if e := asError(err); e != nil {
					return e
				}
			}
			return nil
		default:
			return nil
		}
	}
}

// newError returns the *Error for a response of endpoint with status: the
// error fields of vals (nil when the body did not decode) and an excerpt
// of body, scrubbed of secrets, the credentials the request sent, and of
// those vals carries (see scrub).
func newError(endpoint string, status int, vals map[string]any, body []byte, secrets []string) *Error {
	e := &Error{Endpoint: endpoint, StatusCode: status}
	if vals != nil {
		e.ErrorCode = str(vals["error"])
		e.ErrorDescription = str(vals["error_description"])
		e.ErrorURI = str(vals["error_uri"])
		secrets = append(slices.Clip(secrets), receivedSecrets(vals)...)
	}
	e.scrub(body, secrets)
	return e
}

// scrub replaces, in every string field of e, the whole-token occurrences
// of each secret by urlenc.Redacted, then bounds the field; and sets
// e.Body to the excerpt of body. Redacting before cutting keeps a cut from
// leaving part of a secret; cutting between words keeps it from making a
// secret that Redact left glued to other text stand alone.
func (e *Error) scrub(body []byte, secrets []string) {
	red := func(s string, n int) string { return clip(urlenc.RedactString(s, secrets), n) }
	e.ErrorCode = red(e.ErrorCode, maxErrorCode)
	e.ErrorDescription = red(e.ErrorDescription, maxErrorText)
	e.ErrorURI = red(e.ErrorURI, maxErrorText)
	e.Scope = red(e.Scope, maxErrorText)
	e.Body = excerpt(body, secrets)
}

// clip bounds s, text from a server, to n bytes plus "..." (see
// urlenc.ClipWords): a cut never makes a secret that Redact left glued to
// other text stand alone.
func clip(s string, n int) string { return urlenc.ClipWords(s, n) }

// secretFields are the names of request parameters and response fields
// whose values are credentials: those of RFC 6749, 7521, 7636, 7009,
// 7662, 8628 and 8693; the UMA 2.0 grant's (ticket, claim_token, rpt,
// pct; UMA 2.0 Grant §3.3.1, §3.3.5); OpenID CIBA's auth_req_id and
// login_hint_token, and OpenID Connect's id_token_hint; Auth0's MFA
// grants' (mfa_token, otp, oob_code, binding_code). Other parameters an
// app sends are not scrubbed.
var secretFields = []string{
	"access_token", "refresh_token", "id_token", "client_secret", "assertion", "client_assertion",
	"device_code", "password", "code", "code_verifier", "subject_token", "actor_token", "token",
	"ticket", "claim_token", "rpt", "pct", "auth_req_id", "login_hint_token", "id_token_hint",
	"mfa_token", "otp", "oob_code", "binding_code",
}

// secretMarkers are the field names whose presence in a body withholds its
// excerpt; they are matched case-insensitively anywhere in the body.
var secretMarkers = [][]byte{
	[]byte("access_token"), []byte("refresh_token"), []byte("id_token"),
	[]byte("client_secret"), []byte("assertion"), []byte("device_code"),
	[]byte("password"), []byte("code_verifier"), []byte("subject_token"), []byte("actor_token"),
}

// receivedSecrets returns the string values of the credential fields of a
// decoded response.
func receivedSecrets(vals map[string]any) []string {
	var out []string
	for _, k := range secretFields {
		if v := str(vals[k]); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// excerpt returns an excerpt of body with secrets redacted, bounded as
// clip does to maxExcerpt bytes; a placeholder if the body names a
// credential field (see Error.Body); nil for an empty body.
func excerpt(body []byte, secrets []string) []byte {
	if len(body) == 0 {
		return nil
	}
	lower := bytes.ToLower(body)
	for _, m := range secretMarkers {
		if bytes.Contains(lower, m) {
			return []byte("[withheld: body names a credential field]")
		}
	}
	return []byte(clip(string(urlenc.Redact(body, secrets)), maxExcerpt))
}

// PanicError is the error of a call during which a hook panicked:
// Session.OnTokenUpdate or a [Hooks] function, whether it ran on the
// caller's goroutine (a grant, a revocation, a request through the
// Transport) or on the goroutine of a refresh, whose waiters all get the
// error. A panic in anything else a refresh calls (the Transport of
// Config.HTTPClient, Config.Now, a Signer, a renewing session's assertion
// or subject function, Session.VerifyToken) becomes a PanicError too,
// with Hook "refresh": the refresh runs on a goroutine the package
// starts, where a panic would end the program. The panic leaves the
// session usable: nothing stays locked or in flight.
//
// Error, String and Format (every fmt verb) name the hook and never print
// Value, which may hold anything, a credential included.
type PanicError struct {
	// Hook names what panicked: "OnTokenUpdate", "Hooks.TokenRequest",
	// "Hooks.TokenResponse", "Hooks.ProtectedRequest",
	// "Hooks.EndpointRequest", or "refresh".
	Hook string
	// Value is the value passed to panic.
	Value any
	// Stack is the stack of the goroutine that panicked, as
	// runtime/debug.Stack formats it.
	Stack []byte
}

// Error implements the error interface.
func (e *PanicError) Error() string { return "oauth2: panic in " + e.Hook }

// Format implements fmt.Formatter: every verb prints Error (quoted for
// %q), never Value or Stack.
func (e *PanicError) Format(f fmt.State, verb rune) { urlenc.Format(f, verb, e.Error()) }

// scrubSendError returns err, the error of sending a request that
// carried secrets, scrubbed of them and bounded to maxErrorText bytes
// (see urlenc.ScrubError): net/http's errors quote what the server sent.
func scrubSendError(err error, secrets []string) error {
	return urlenc.ScrubError(err, secrets, maxErrorText)
}

// callHook calls f, the hook named hook, and returns its error, or a
// *PanicError if it panics.
func callHook(hook string, f func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &PanicError{Hook: hook, Value: v, Stack: debug.Stack()}
		}
	}()
	return f()
}

// callbackError converts the error parameters of a redirect into an
// *Error, scrubbed of the credentials the callback carries and of
// verifier, the pending request's PKCE verifier (sent as the challenge
// with PKCEPlain).
func callbackError(q urlenc.Params, verifier string) *Error {
	e := &Error{
		Endpoint:         "authorization",
		ErrorCode:        q.Get("error"),
		ErrorDescription: q.Get("error_description"),
		ErrorURI:         q.Get("error_uri"),
	}
	secrets := []string{verifier, q.Get("state")}
	for _, k := range secretFields {
		secrets = append(secrets, q.Values(k)...)
	}
	e.scrub(nil, secrets)
	return e
}
