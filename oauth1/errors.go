package oauth1

import (
	"errors"
	"strconv"
)

// Sentinel errors. Callers branch on them with errors.Is; the typed errors
// of this package ([*VerifyError], [*Error]) wrap or match them.
var (
	// ErrInvalidSignature: the signature does not match. Deliberately
	// vague, as crypto/rsa's ErrVerification: it does not say which
	// secret or parameter was wrong.
	ErrInvalidSignature = errors.New("oauth1: invalid signature")
	// ErrStaleTimestamp: oauth_timestamp is outside the accepted window.
	ErrStaleTimestamp = errors.New("oauth1: timestamp outside the accepted window")
	// ErrReplayedNonce: the nonce was already used with this timestamp
	// and credentials.
	ErrReplayedNonce = errors.New("oauth1: nonce already used")
	// ErrUnknownConsumer: the consumer key is not known to the provider.
	ErrUnknownConsumer = errors.New("oauth1: unknown consumer key")
	// ErrUnknownToken: the token is unknown, expired, used or revoked.
	ErrUnknownToken = errors.New("oauth1: unknown or rejected token")
	// ErrMissingParameter: a required protocol parameter is absent.
	ErrMissingParameter = errors.New("oauth1: missing protocol parameter")
	// ErrBadRequest: the request is malformed (duplicate protocol
	// parameters, a bad Authorization header, bad encoding).
	ErrBadRequest = errors.New("oauth1: malformed request")
	// ErrUnsupportedMethod: the signature method is not accepted.
	ErrUnsupportedMethod = errors.New("oauth1: signature method not accepted")
	// ErrCallbackNotConfirmed: a request-token response lacked
	// oauth_callback_confirmed=true (see Endpoint.SkipCallbackConfirmed).
	ErrCallbackNotConfirmed = errors.New("oauth1: oauth_callback_confirmed missing from request token response")
	// ErrNotForm: InFormBody placement on a request whose body is not
	// application/x-www-form-urlencoded.
	ErrNotForm = errors.New("oauth1: form body placement needs an application/x-www-form-urlencoded body")
	// ErrMissingToken: a token response or authorization callback lacked
	// oauth_token, or a flow method was given a nil or empty request
	// token. errors.Is(err, ErrMissingToken) is also true for
	// [ErrMissingVerifier].
	ErrMissingToken = errors.New("oauth1: missing oauth_token")
	// ErrMissingVerifier: an authorization callback lacked oauth_verifier.
	// errors.Is(err, ErrMissingToken) also holds for it.
	ErrMissingVerifier error = missingVerifierError{}
	// ErrInsecureTransport: a PLAINTEXT signature, which is the consumer
	// and token secrets themselves, would be sent over plain http to a
	// host that is not a loopback address, and Config.InsecureAllowHTTP
	// is false. HMAC and RSA signatures reveal no secret and may be sent
	// over http.
	ErrInsecureTransport = errors.New("oauth1: refusing to send a PLAINTEXT signature over plain http")
	// ErrNonceStoreFull: a [MemoryNonceStore] holds MaxEntries nonces
	// that have not expired, and refuses new ones rather than forget live
	// ones (whose replays would then be accepted). Verify returns it
	// wrapped in a *VerifyError; a provider may answer 503 Service
	// Unavailable.
	ErrNonceStoreFull = errors.New("oauth1: nonce store full")
)

// missingVerifierError is ErrMissingVerifier: its own message, and
// errors.Is matches ErrMissingToken too.
type missingVerifierError struct{}

func (missingVerifierError) Error() string { return "oauth1: callback has no oauth_verifier" }

func (missingVerifierError) Is(target error) bool { return target == ErrMissingToken }

// Problem values of the OAuth Problem Reporting extension
// (oauth_problem) that this package produces and maps to sentinels.
const (
	ProblemSignatureInvalid        = "signature_invalid"
	ProblemTimestampRefused        = "timestamp_refused"
	ProblemNonceUsed               = "nonce_used"
	ProblemConsumerKeyUnknown      = "consumer_key_unknown"
	ProblemTokenRejected           = "token_rejected"
	ProblemParameterAbsent         = "parameter_absent"
	ProblemParameterRejected       = "parameter_rejected"
	ProblemSignatureMethodRejected = "signature_method_rejected"
	ProblemVersionRejected         = "version_rejected"
)

// problemErr maps an oauth_problem value to a sentinel, or nil.
func problemErr(problem string) error {
	switch problem {
	case ProblemSignatureInvalid:
		return ErrInvalidSignature
	case ProblemTimestampRefused:
		return ErrStaleTimestamp
	case ProblemNonceUsed:
		return ErrReplayedNonce
	case ProblemConsumerKeyUnknown, "consumer_key_rejected", "consumer_key_refused":
		return ErrUnknownConsumer
	case ProblemTokenRejected, "token_used", "token_expired", "token_revoked":
		return ErrUnknownToken
	case ProblemParameterAbsent:
		return ErrMissingParameter
	case ProblemParameterRejected, ProblemVersionRejected:
		return ErrBadRequest
	case ProblemSignatureMethodRejected:
		return ErrUnsupportedMethod
	}
	return nil
}

// VerifyError is returned by [Verifier.Verify]. Problem is the
// oauth_problem a provider should report (see the Problem constants);
// Err is one of the sentinels, or the error of a lookup or of the nonce
// store.
type VerifyError struct {
	// Problem is the oauth_problem value to report, such as
	// "signature_invalid".
	Problem string
	// Parameter names the offending parameter, if any: at most 64 bytes,
	// "..." appended when cut.
	Parameter string
	// Err is the sentinel (or the lookup's or nonce store's error).
	Err error
}

// Error returns "oauth1: verify: " with the problem and parameter; never a
// secret. A received value it quotes is cut to 64 bytes.
func (e *VerifyError) Error() string {
	s := "oauth1: verify: " + e.Problem
	if e.Parameter != "" {
		s += " (" + strconv.Quote(e.Parameter) + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns e.Err.
func (e *VerifyError) Unwrap() error { return e.Err }

// Error is a provider's refusal: a token request answered with a non-2xx
// status or with an oauth_problem (OAuth Problem Reporting extension), or
// a protected resource's refusal read by [CheckResponse]. A redirect
// (3xx), which token requests never follow, sets Endpoint and StatusCode
// only. errors.Is matches the sentinel of a known Problem
// (signature_invalid is [ErrInvalidSignature], nonce_used is
// [ErrReplayedNonce], ...); use errors.As to get the *Error itself.
//
// Problem, Advice and Body hold no credential that the request sent (the
// consumer and token secrets, the verifier, the token, the signature) nor
// the values of the response's oauth_token and oauth_token_secret fields:
// each is replaced by "[redacted]" wherever it stands as a whole token,
// in the forms a server echoes it in (raw, percent-encoded, JSON).
type Error struct {
	// Endpoint names where the error came from: "request token",
	// "access token", or "resource" for a protected resource's answer
	// read by CheckResponse.
	Endpoint string
	// StatusCode is the HTTP status.
	StatusCode int
	// Problem is oauth_problem, if sent: at most 64 bytes, "..."
	// appended when cut.
	Problem string
	// Advice is oauth_problem_advice, if sent: at most 256 bytes, "..."
	// appended when cut.
	Advice string
	// Body is an excerpt of the response body: its first 512 bytes,
	// "..." appended when it is longer.
	Body []byte
}

// Error describes the endpoint, the problem and the status; the body
// excerpt is left out.
func (e *Error) Error() string {
	s := "oauth1: "
	if e.Endpoint != "" {
		s += e.Endpoint + " endpoint: "
	}
	if e.Problem != "" {
		s += "oauth_problem=" + strconv.Quote(e.Problem)
	} else {
		s += "error response"
	}
	if e.Advice != "" {
		s += ": " + strconv.Quote(e.Advice)
	}
	return s + " (http " + strconv.Itoa(e.StatusCode) + ")"
}

// Is reports whether target is the sentinel of e.Problem.
func (e *Error) Is(target error) bool {
	pe := problemErr(e.Problem)
	return pe != nil && pe == target
}
