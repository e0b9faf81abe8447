package fakeprovider

import (
	"crypto/hmac"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	// o1DefaultWindow is the accepted timestamp skew when Window is zero.
	o1DefaultWindow = 5 * time.Minute
	// o1MaxBody bounds the request bodies the provider reads.
	o1MaxBody = 1 << 20
	// o1MaxNonces bounds the nonces remembered at once.
	o1MaxNonces = 1 << 18
)

// o1Verified is what a request proved.
type o1Verified struct {
	consumerKey, token, method, callback, verifier string
	realm, placement                               string
	// params are the non-protocol parameters in the order collected.
	params [][2]string
}

// o1Refusal is why a request is refused: the HTTP status, the
// oauth_problem (OAuth Problem Reporting) and advice that names no secret.
type o1Refusal struct {
	status          int
	problem, advice string
}

// o1TokenLookup returns the secret of a token issued to consumerKey, as one
// endpoint knows its tokens.
type o1TokenLookup func(consumerKey, token string) (secret string, ok bool)

// o1NonceKey is a nonce as RFC 5849 §3.3 scopes it: unique per consumer
// key, token and timestamp.
type o1NonceKey struct {
	consumer, token, nonce string
	timestamp              int64
}

// check verifies r as a provider does (RFC 5849 §3.2), in this order: the
// parameters (the oauth_ ones all in one place, each protocol parameter
// at most once, oauth_version 1.0 if sent, the required ones present, no
// oauth_body_hash on a form body, a timestamp of digits), the signature
// method (PLAINTEXT only over TLS), the consumer (HMAC and PLAINTEXT
// refused for an RSA consumer without a secret), the token (through
// lookupToken; nil means the endpoint takes none), the signature,
// oauth_body_hash, the timestamp window, and last the nonce, so that a
// refused request never uses one up. Every refusal is a 401 but for a
// full nonce map (503).
func (o *OAuth1) check(r *http.Request, lookupToken o1TokenLookup) (*o1Verified, *o1Refusal) {
	refuse := func(problem, advice string) (*o1Verified, *o1Refusal) {
		return nil, &o1Refusal{status: http.StatusUnauthorized, problem: problem, advice: advice}
	}

	isForm := o1IsForm(r.Header.Get("Content-Type"))
	var form string
	if isForm {
		var err error
		if form, err = o1ReadBody(r); err != nil {
			return refuse("parameter_rejected", err.Error())
		}
	}
	c, err := o1Collect(r, form)
	if err != nil {
		return refuse("parameter_rejected", err.Error())
	}

	got := &o1Verified{realm: c.realm, placement: c.placement, params: [][2]string{}}
	oauth := map[string]string{} // the protocol parameters
	for _, p := range c.params {
		if !strings.HasPrefix(p.name, "oauth_") {
			got.params = append(got.params, [2]string{p.name, p.value})
			continue
		}
		if _, repeated := oauth[p.name]; repeated {
			return refuse("parameter_rejected", "a protocol parameter is repeated")
		}
		oauth[p.name] = p.value
	}
	got.consumerKey, got.token = oauth["oauth_consumer_key"], oauth["oauth_token"]
	got.method, got.callback, got.verifier = oauth["oauth_signature_method"], oauth["oauth_callback"], oauth["oauth_verifier"]

	if v, ok := oauth["oauth_version"]; ok && v != "1.0" {
		return refuse("version_rejected", "oauth_version must be 1.0")
	}
	required := []string{"oauth_consumer_key", "oauth_signature_method", "oauth_signature"}
	if got.method != "PLAINTEXT" { // §3.4.4: PLAINTEXT may omit them
		required = append(required, "oauth_timestamp", "oauth_nonce")
	}
	for _, k := range required {
		if _, ok := oauth[k]; !ok {
			return refuse("parameter_absent", k)
		}
	}
	bodyHash, hasBodyHash := oauth["oauth_body_hash"]
	if hasBodyHash && isForm {
		return refuse("parameter_rejected", "oauth_body_hash is not allowed on a form body")
	}
	timestamp, hasTimestamp := oauth["oauth_timestamp"]
	var ts int64
	if hasTimestamp {
		ts, err = strconv.ParseInt(timestamp, 10, 64)
		if err != nil || strings.Trim(timestamp, "0123456789") != "" {
			return refuse("parameter_rejected", "oauth_timestamp must be a number of seconds")
		}
	}
	if !slices.Contains(o1SignatureMethods, got.method) || got.method == "PLAINTEXT" && r.TLS == nil {
		return refuse("signature_method_rejected", "HMAC-SHA1, HMAC-SHA256, HMAC-SHA512, RSA-SHA1, RSA-SHA256, RSA-SHA512, or PLAINTEXT over TLS")
	}

	o.mu.Lock()
	consumer, known := o.consumers[got.consumerKey]
	o.mu.Unlock()
	if !known {
		return refuse("consumer_key_unknown", "")
	}
	if consumer.Secret == "" && consumer.PublicKey != nil && !strings.HasPrefix(got.method, "RSA-") {
		// The HMAC and PLAINTEXT key would be "&" and a token secret:
		// anyone could make it.
		return refuse("signature_method_rejected", "the consumer has no secret: sign with RSA")
	}
	var tokenSecret string
	if got.token != "" { // §3.1: an empty oauth_token is no token
		ok := false
		if lookupToken != nil {
			tokenSecret, ok = lookupToken(got.consumerKey, got.token)
		}
		if !ok {
			return refuse("token_rejected", "")
		}
	}

	base := o1BaseString(r.Method, o1RequestBaseURI(r), c.params)
	if !o1CheckSignature(got.method, base, consumer.Secret, tokenSecret, consumer.PublicKey, oauth["oauth_signature"]) {
		return refuse("signature_invalid", "")
	}
	if hasBodyHash {
		body, err := o1ReadBody(r)
		if err != nil {
			return refuse("parameter_rejected", err.Error())
		}
		if !hmac.Equal([]byte(o1BodyHash(body)), []byte(bodyHash)) {
			return refuse("signature_invalid", "the body does not match oauth_body_hash")
		}
	}

	if !hasTimestamp {
		return got, nil // PLAINTEXT without timestamp and nonce
	}
	now, window := o.now(), o.Window
	if window <= 0 {
		window = o1DefaultWindow
	}
	if d := now.Sub(time.Unix(ts, 0)); d > window || d < -window {
		return refuse("timestamp_refused", "")
	}
	key := o1NonceKey{consumer: got.consumerKey, token: got.token, nonce: oauth["oauth_nonce"], timestamp: ts}
	if refusal := o.useNonce(key, now, window); refusal != nil {
		return nil, refusal
	}
	return got, nil
}

// useNonce records a nonce, or refuses it when it was used before. When the
// map is full it first forgets the nonces whose timestamp has left the
// window (a replay of one fails the timestamp check anyway); if that frees
// no room, the request is refused with 503 so the map stays bounded.
func (o *OAuth1) useNonce(k o1NonceKey, now time.Time, window time.Duration) *o1Refusal {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.nonces[k] {
		return &o1Refusal{status: http.StatusUnauthorized, problem: "nonce_used"}
	}
	if len(o.nonces) >= o.maxNonces {
		oldest := now.Add(-window).Unix()
		for old := range o.nonces {
			if old.timestamp < oldest {
				delete(o.nonces, old)
			}
		}
	}
	if len(o.nonces) >= o.maxNonces {
		return &o1Refusal{status: http.StatusServiceUnavailable, problem: "nonce_used", advice: "too many recent nonces, retry later"}
	}
	o.nonces[k] = true
	return nil
}

func (o *OAuth1) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// o1IsForm reports whether a Content-Type is
// application/x-www-form-urlencoded, with any parameters (charset).
func o1IsForm(contentType string) bool {
	mediaType, _, _ := strings.Cut(contentType, ";")
	return strings.EqualFold(strings.TrimSpace(mediaType), "application/x-www-form-urlencoded")
}

// o1ReadBody reads r's body whole, up to o1MaxBody bytes.
func o1ReadBody(r *http.Request) (string, error) {
	if r.Body == nil {
		return "", nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, o1MaxBody+1))
	if err != nil {
		return "", errors.New("fakeprovider: reading the request body failed")
	}
	if len(b) > o1MaxBody {
		return "", errors.New("fakeprovider: request body over 1 MiB")
	}
	return string(b), nil
}
