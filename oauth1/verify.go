package oauth1

import (
	"context"
	"crypto"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// received is what a request carries: every parameter with where it came
// from, and the realm.
type received struct {
	params    urlenc.Params // query, then body, then header; oauth_signature included
	placement Placement     // where oauth_signature was found
	realm     string
	places    int // how many of the query, body and header have oauth_ parameters
}

// hasOAuth reports whether params has a parameter whose name starts with
// "oauth_".
func hasOAuth(params urlenc.Params) bool {
	for _, p := range params {
		if strings.HasPrefix(p.Key, "oauth_") {
			return true
		}
	}
	return false
}

// collect gathers the parameters of req (RFC 5849 §3.4.1.3.1): the query,
// the body when it is form-encoded (read and restored), and the
// Authorization header's OAuth parameters other than realm. A request
// without a URL is an error wrapping ErrBadRequest.
func collect(req *http.Request, limit int64) (*received, error) {
	if req.URL == nil {
		return nil, &VerifyError{Problem: ProblemParameterRejected, Err: fmt.Errorf("%w: request has no URL", ErrBadRequest)}
	}
	rc := &received{placement: -1}
	var err error
	if req.URL.RawQuery != "" {
		if rc.params, err = urlenc.AppendParseForm(rc.params, req.URL.RawQuery); err != nil {
			return nil, &VerifyError{Problem: ProblemParameterRejected, Err: fmt.Errorf("%w: query: %w", ErrBadRequest, err)}
		}
		if rc.params.Has("oauth_signature") {
			rc.placement = InQuery
		}
		if hasOAuth(rc.params) {
			rc.places++
		}
	}
	if hasBody(req) && isForm(req.Header.Get("Content-Type")) {
		b, err := readAll(nil, req.Body, limit)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body := string(b)
		setBody(req, &stringBody{s: body})
		n := len(rc.params)
		if rc.params, err = urlenc.AppendParseForm(rc.params, body); err != nil {
			return nil, &VerifyError{Problem: ProblemParameterRejected, Err: fmt.Errorf("%w: form body: %w", ErrBadRequest, err)}
		}
		if rc.params[n:].Has("oauth_signature") {
			rc.placement = InFormBody
		}
		if hasOAuth(rc.params[n:]) {
			rc.places++
		}
	}
	n := len(rc.params)
	for _, h := range req.Header.Values("Authorization") {
		realm, hasRealm, hp, ok, err := parseAuthHeader(h)
		if err != nil {
			return nil, &VerifyError{Problem: ProblemParameterRejected, Err: err}
		}
		if !ok {
			continue
		}
		if hasRealm {
			rc.realm = realm
		}
		if hp.Has("oauth_signature") {
			rc.placement = InHeader
		}
		rc.params = append(rc.params, hp...)
	}
	if hasOAuth(rc.params[n:]) {
		rc.places++
	}
	return rc, nil
}

// addReceived appends the parameters a request carried, decoded, but
// oauth_signature: the parameters of its signature base string.
func (st *signState) addReceived(params urlenc.Params) {
	for _, p := range params {
		if p.Key != "oauth_signature" {
			st.add(p.Key, p.Value)
		}
	}
}

// Consumer is what a [Verifier] needs to know about a consumer key.
// String and Format (every fmt verb, and so log/slog's text handler) never
// print Secret; encoding/json, and so slog's JSON handler, does.
type Consumer struct {
	// Secret is the consumer secret (HMAC and PLAINTEXT methods). If it
	// is empty and PublicKey is set, a Verifier refuses those methods for
	// the consumer ([ErrUnsupportedMethod]): their key would be "&" and a
	// token secret, which anyone can compute. A consumer with neither
	// (a public one) signs with the empty secret.
	Secret string
	// PublicKey is the consumer's RSA public key (*rsa.PublicKey) for the
	// RSA methods; nil if the consumer does not use them.
	PublicKey crypto.PublicKey
}

// String describes c with its secret redacted.
func (c Consumer) String() string {
	s := "oauth1.Consumer{Secret:" + urlenc.Mask(c.Secret) + " PublicKey:"
	if c.PublicKey == nil {
		return s + "<nil>}"
	}
	return s + fmt.Sprintf("%T", c.PublicKey) + "}"
}

// Format implements fmt.Formatter: %q prints String quoted, every other
// verb prints String.
func (c Consumer) Format(f fmt.State, verb rune) { urlenc.Format(f, verb, c.String()) }

// DefaultWindow is the timestamp window of a Verifier with a zero Window.
const DefaultWindow = 5 * time.Minute

// Verifier checks signed OAuth 1.0a requests as a provider receives them
// (RFC 5849 §3.2): the signature in any placement and method, the
// timestamp window and the nonce. Set its fields before first use; it is
// then safe for concurrent use by multiple goroutines.
type Verifier struct {
	// LookupConsumer returns the credentials of a consumer key. It should
	// return an error wrapping ErrUnknownConsumer for an unknown key.
	// Required.
	LookupConsumer func(ctx context.Context, consumerKey string) (Consumer, error)

	// LookupToken returns the secret of a token issued to consumerKey. It
	// should return an error wrapping ErrUnknownToken for an unknown,
	// used or expired token. If nil, requests carrying oauth_token fail
	// with ErrUnknownToken.
	LookupToken func(ctx context.Context, consumerKey, token string) (secret string, err error)

	// Nonces records used nonces and rejects replays. Required: Verify
	// fails without it. [MemoryNonceStore] is a simple implementation.
	Nonces NonceStore

	// Window is how far oauth_timestamp may be from the clock, either
	// way. If zero, DefaultWindow (5 minutes).
	Window time.Duration

	// Now is the clock. If nil, time.Now.
	Now func() time.Time

	// Methods are the accepted signature methods. If nil, DefaultMethods().
	Methods []SignatureMethod

	// InsecurePlaintextOverHTTP accepts PLAINTEXT signatures on requests
	// without TLS (req.TLS nil), such as behind a TLS-terminating proxy.
	// Unsafe: the secrets then travel in clear text.
	InsecurePlaintextOverHTTP bool

	// MaxBodyBytes limits the bodies read (form bodies, and the bodies
	// whose oauth_body_hash is checked); a larger body is an error
	// wrapping an *http.MaxBytesError. If zero, DefaultMaxBodyBytes.
	MaxBodyBytes int64

	// RequireBodyHash refuses a request whose body is not form-encoded
	// (including a request without a body) unless it carries
	// oauth_body_hash (OAuth Request Body Hash extension), so that its
	// body is covered by the signature. The error wraps
	// ErrMissingParameter. Form-encoded bodies are signed parameter by
	// parameter and never carry a body hash.
	RequireBodyHash bool
}

// Verified describes a request that passed [Verifier.Verify].
type Verified struct {
	ConsumerKey string    // oauth_consumer_key
	Token       string    // oauth_token; "" when the request carried none
	Method      string    // oauth_signature_method
	Nonce       string    // oauth_nonce
	Timestamp   time.Time // oauth_timestamp; zero for PLAINTEXT without one
	Callback    string    // oauth_callback, if sent
	Verifier    string    // oauth_verifier, if sent
	Realm       string    // the Authorization header's realm, if any
	BodyHash    string    // oauth_body_hash, if sent; Verify checked it against the body
	Placement   Placement // where oauth_signature was found
	// Params are the request's non-protocol parameters (query, then form
	// body), each key's values in order, repeated values and empty values
	// kept.
	Params url.Values
}

var (
	errNoNonceStore = errors.New("oauth1: verifier has no nonce store")
	errNoLookup     = errors.New("oauth1: verifier has no LookupConsumer")
)

func verr(problem, param string, err error) *VerifyError {
	return &VerifyError{Problem: problem, Parameter: urlenc.Clip(param, quoteLen), Err: err}
}

// Verify checks req. It returns what the request proved, or a
// *[VerifyError] wrapping, in the order the checks run:
//
//   - [ErrBadRequest]: a query, form body or Authorization header that
//     does not parse, a repeated protocol parameter, a bad oauth_version
//     or oauth_timestamp, an oauth_nonce longer than [MaxNonceLength], or
//     parameters named oauth_... in more than one of the query, the form
//     body and the Authorization header, which RFC 5849 §3.5 forbids;
//   - [ErrMissingParameter];
//   - [ErrUnsupportedMethod]: a method not in Methods, or PLAINTEXT
//     without TLS;
//   - [ErrUnknownConsumer] (the error of LookupConsumer), then
//     ErrUnsupportedMethod for an HMAC or PLAINTEXT signature of a
//     consumer with a PublicKey and no Secret;
//   - [ErrUnknownToken] (the error of LookupToken);
//   - [ErrInvalidSignature];
//   - [ErrStaleTimestamp];
//   - [ErrReplayedNonce] (the error of the nonce store).
//
// So a request with a bad signature never consumes a nonce. A form body
// is read and restored. ctx is passed to the lookups and the nonce store.
//
// When the request carries oauth_body_hash (OAuth Request Body Hash
// extension), its body is read (up to MaxBodyBytes; a larger body is an
// error wrapping an *http.MaxBytesError) and restored, Body and GetBody,
// and the Base64 SHA-1 of the body must equal the signed hash: a mismatch is a *VerifyError
// for Parameter "oauth_body_hash" wrapping ErrInvalidSignature, as the
// body is then not the one that was signed. A body hash on a
// form-encoded body, which the extension forbids, wraps ErrBadRequest.
// See also [Verifier.RequireBodyHash].
func (v *Verifier) Verify(ctx context.Context, req *http.Request) (*Verified, error) {
	if v.Nonces == nil {
		return nil, errNoNonceStore
	}
	if v.LookupConsumer == nil {
		return nil, errNoLookup
	}
	limit := v.MaxBodyBytes
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
	}
	rc, err := collect(req, limit)
	if err != nil {
		return nil, err
	}
	if rc.places > 1 {
		// RFC 5849 §3.5: in one and only one place.
		return nil, verr(ProblemParameterRejected, "", fmt.Errorf("%w: oauth_ parameters in more than one of the query, the form body and the authorization header", ErrBadRequest))
	}
	out := &Verified{Realm: rc.realm, Placement: rc.placement}
	var sig string
	seen := map[string]bool{}
	for _, p := range rc.params {
		if !strings.HasPrefix(p.Key, "oauth_") {
			if out.Params == nil {
				out.Params = url.Values{}
			}
			out.Params[p.Key] = append(out.Params[p.Key], p.Value)
			continue
		}
		if seen[p.Key] {
			return nil, verr(ProblemParameterRejected, p.Key, fmt.Errorf("%w: protocol parameter repeated", ErrBadRequest))
		}
		seen[p.Key] = true
		switch p.Key {
		case "oauth_consumer_key":
			out.ConsumerKey = p.Value
		case "oauth_token":
			out.Token = p.Value
		case "oauth_signature_method":
			out.Method = p.Value
		case "oauth_signature":
			sig = p.Value
		case "oauth_nonce":
			if len(p.Value) > MaxNonceLength {
				return nil, verr(ProblemParameterRejected, p.Key, fmt.Errorf("%w: oauth_nonce longer than %d bytes", ErrBadRequest, MaxNonceLength))
			}
			out.Nonce = p.Value
		case "oauth_callback":
			out.Callback = p.Value
		case "oauth_verifier":
			out.Verifier = p.Value
		case "oauth_body_hash":
			out.BodyHash = p.Value
		case "oauth_version":
			if p.Value != "1.0" {
				return nil, verr(ProblemVersionRejected, p.Key, fmt.Errorf("%w: oauth_version %q", ErrBadRequest, urlenc.Clip(p.Value, quoteLen)))
			}
		case "oauth_timestamp":
			ts, err := strconv.ParseInt(p.Value, 10, 64)
			if err != nil || ts < 0 {
				return nil, verr(ProblemParameterRejected, p.Key, fmt.Errorf("%w: oauth_timestamp %q", ErrBadRequest, urlenc.Clip(p.Value, quoteLen)))
			}
			out.Timestamp = time.Unix(ts, 0)
		}
	}
	for _, k := range []string{"oauth_consumer_key", "oauth_signature_method", "oauth_signature"} {
		if !seen[k] {
			return nil, verr(ProblemParameterAbsent, k, ErrMissingParameter)
		}
	}
	if isForm(req.Header.Get("Content-Type")) {
		if seen["oauth_body_hash"] {
			return nil, verr(ProblemParameterRejected, "oauth_body_hash", fmt.Errorf("%w: oauth_body_hash on a form-encoded body", ErrBadRequest))
		}
	} else if v.RequireBodyHash && !seen["oauth_body_hash"] {
		return nil, verr(ProblemParameterAbsent, "oauth_body_hash", ErrMissingParameter)
	}
	plaintext := out.Method == Plaintext.Name()
	if !plaintext {
		for _, k := range []string{"oauth_timestamp", "oauth_nonce"} {
			if !seen[k] {
				return nil, verr(ProblemParameterAbsent, k, ErrMissingParameter)
			}
		}
	}
	methods := v.Methods
	if methods == nil {
		methods = DefaultMethods()
	}
	var m SignatureMethod
	for _, mm := range methods {
		if mm.Name() == out.Method {
			m = mm
			break
		}
	}
	if m == nil || plaintext && req.TLS == nil && !v.InsecurePlaintextOverHTTP {
		return nil, verr(ProblemSignatureMethodRejected, "oauth_signature_method", fmt.Errorf("%w: %q", ErrUnsupportedMethod, urlenc.Clip(out.Method, quoteLen)))
	}
	consumer, err := v.LookupConsumer(ctx, out.ConsumerKey)
	if err != nil {
		return nil, verr(ProblemConsumerKeyUnknown, "oauth_consumer_key", err)
	}
	if consumer.Secret == "" && consumer.PublicKey != nil && signsWithSecret(m) {
		return nil, verr(ProblemSignatureMethodRejected, "oauth_signature_method", fmt.Errorf("%w: %q for a consumer without a secret", ErrUnsupportedMethod, out.Method))
	}
	var tokenSecret string
	if out.Token != "" {
		if v.LookupToken == nil {
			return nil, verr(ProblemTokenRejected, "oauth_token", ErrUnknownToken)
		}
		if tokenSecret, err = v.LookupToken(ctx, out.ConsumerKey, out.Token); err != nil {
			return nil, verr(ProblemTokenRejected, "oauth_token", err)
		}
	}
	st := bareStates.Get().(*signState)
	defer putBare(st)
	st.addReceived(rc.params)
	base := st.baseString(req)
	st.key = appendKey(st.key, consumer.Secret, tokenSecret)
	if err := m.Verify(st.key, consumer.PublicKey, base, []byte(sig)); err != nil {
		if !errors.Is(err, ErrInvalidSignature) {
			err = fmt.Errorf("%w: %w", ErrInvalidSignature, err)
		}
		return nil, verr(ProblemSignatureInvalid, "oauth_signature", err)
	}
	if seen["oauth_body_hash"] {
		// The signature covers the hash; this ties the body to it.
		if err := checkBodyHash(req, out.BodyHash, limit); err != nil {
			return nil, err
		}
	}
	if !seen["oauth_timestamp"] {
		return out, nil // PLAINTEXT without timestamp and nonce (RFC 5849 §3.4.4)
	}
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	window := v.Window
	if window <= 0 {
		window = DefaultWindow
	}
	if d := now().Sub(out.Timestamp); d > window || d < -window {
		return nil, verr(ProblemTimestampRefused, "oauth_timestamp", ErrStaleTimestamp)
	}
	if err := v.Nonces.UseNonce(ctx, out.ConsumerKey, out.Token, out.Nonce, out.Timestamp); err != nil {
		return nil, verr(ProblemNonceUsed, "oauth_nonce", err)
	}
	return out, nil
}

// signsWithSecret reports whether m is one of this package's methods
// whose key is made of the consumer secret: HMAC and PLAINTEXT. A
// consumer that has a public key and no secret must not pass them, as
// anyone can make their key. (A key starts with '&' exactly when the
// consumer secret is empty, so a SignatureMethod of the caller's can tell
// too.)
func signsWithSecret(m SignatureMethod) bool {
	switch m.(type) {
	case *hmacMethod, *plaintextMethod:
		return true
	}
	return false
}

// checkBodyHash reads req's body, if any, up to limit bytes, restores it
// (Body and GetBody), and compares its Base64 SHA-1 with want in constant
// time (OAuth Request Body Hash extension; no body hashes as empty).
func checkBodyHash(req *http.Request, want string, limit int64) error {
	var body []byte
	if hasBody(req) {
		b, err := readAll(nil, req.Body, limit)
		req.Body.Close()
		if err != nil {
			return err
		}
		body = b
		setBody(req, &stringBody{s: string(b)})
	}
	sum := sha1.Sum(body)
	var buf [28]byte // base64.StdEncoding.EncodedLen(sha1.Size)
	got := base64.StdEncoding.AppendEncode(buf[:0], sum[:])
	if !hmac.Equal(got, []byte(want)) {
		return verr(ProblemSignatureInvalid, "oauth_body_hash", fmt.Errorf("%w: body does not match oauth_body_hash", ErrInvalidSignature))
	}
	return nil
}
