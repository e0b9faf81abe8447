package fakeprovider

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// Paths of the OAuth 1 endpoints a [Provider] serves (see [OAuth1]).
const (
	// OAuth1RequestTokenPath is the temporary credential request
	// endpoint (RFC 5849 §2.1).
	OAuth1RequestTokenPath = "/oauth1/request_token"
	// OAuth1AuthorizePath is the resource owner authorization endpoint
	// (RFC 5849 §2.2).
	OAuth1AuthorizePath = "/oauth1/authorize"
	// OAuth1AccessTokenPath is the token request endpoint (RFC 5849 §2.3).
	OAuth1AccessTokenPath = "/oauth1/access_token"
	// OAuth1ResourcePath is the protected resource ([OAuth1Echo]).
	OAuth1ResourcePath = "/oauth1/resource"
)

// OAuth1Consumer is a consumer (client) registered with the OAuth 1
// provider.
type OAuth1Consumer struct {
	Key string
	// Secret signs with the HMAC and PLAINTEXT methods; a consumer
	// with a PublicKey and no Secret may sign with the RSA methods only.
	Secret string
	// PublicKey verifies the RSA methods; nil if the consumer has none.
	PublicKey *rsa.PublicKey
	// CallbackPrefix, if set, is the prefix every oauth_callback other
	// than "oob" must have.
	CallbackPrefix string
}

// OAuth1DefaultConsumers are registered by NewProvider: one per signature
// method, each with the secret Key+"-secret"; the RSA ones verify with
// the public half of [OAuth1RSAPrivateKeyPEM]. The provider does not tie
// a consumer to a method: the names are for readability.
var OAuth1DefaultConsumers = []string{
	"hmac-sha1", "hmac-sha256", "hmac-sha512", "plaintext", "rsa-sha1", "rsa-sha256", "rsa-sha512",
}

// OAuth1RSAPrivateKey returns the parsed [OAuth1RSAPrivateKeyPEM].
func OAuth1RSAPrivateKey() *rsa.PrivateKey {
	b, _ := pem.Decode([]byte(OAuth1RSAPrivateKeyPEM))
	if b == nil {
		panic("fakeprovider: bad built-in test key: not PEM")
	}
	k, err := x509.ParsePKCS1PrivateKey(b.Bytes)
	if err != nil {
		panic("fakeprovider: bad built-in test key: " + err.Error())
	}
	return k
}

// OAuth1Counters count what the OAuth 1 provider served and refused.
type OAuth1Counters struct {
	RequestTokens  atomic.Int64 // request tokens issued
	Authorizations atomic.Int64 // request tokens authorized
	AccessTokens   atomic.Int64 // access tokens issued
	Resources      atomic.Int64 // protected resource requests served
	Rejected       atomic.Int64 // requests refused (any endpoint)
}

// OAuth1 is the OAuth 1.0a half of a [Provider], under /oauth1/:
//
//	POST /oauth1/request_token  temporary credentials (oauth_callback required)
//	GET  /oauth1/authorize      auto-approves: redirects to the callback with
//	                            oauth_token and oauth_verifier, or for "oob"
//	                            answers with the verifier as text/plain
//	POST /oauth1/access_token   token credentials, plus user_id and screen_name
//	*    /oauth1/resource       protected: answers with JSON describing what it
//	                            verified ([OAuth1Echo])
//
// Every request is verified strictly by the provider's own code, written
// from RFC 5849 §3.4 and independent of package oauth1: signature (every
// method, every placement; parameters from the query, the Authorization
// header and a form body), oauth_body_hash, timestamp window, replayed
// nonce, one-time request tokens and verifiers. A refusal is a 401 (400 for
// a missing oauth_callback or oauth_token, 503 when too many recent nonces
// are held) with a form-encoded oauth_problem body. PLAINTEXT is accepted
// only over TLS (use [NewTLSServer]).
//
// Set the quirk fields before the first request.
type OAuth1 struct {
	// OmitCallbackConfirmed leaves oauth_callback_confirmed out of
	// request-token responses (as Magento and TripIt do).
	OmitCallbackConfirmed bool
	// JSONResponses answers the token endpoints with JSON instead of
	// form encoding.
	JSONResponses bool
	// Problem, if set, makes the token endpoints answer 401 with this
	// oauth_problem.
	Problem string
	// Window is the accepted timestamp skew, either way; if zero, 5
	// minutes.
	Window time.Duration
	// Now is the clock the timestamps are checked against. If nil,
	// time.Now is used.
	Now func() time.Time

	// Counters may be read at any time.
	Counters OAuth1Counters

	mu        sync.Mutex
	consumers map[string]OAuth1Consumer
	requests  map[string]*o1RequestToken
	access    map[string]*o1AccessToken
	nonces    map[o1NonceKey]bool
	maxNonces int
}

type o1RequestToken struct {
	consumer, secret, callback, verifier string
}

type o1AccessToken struct {
	consumer, secret string
}

func newOAuth1() *OAuth1 {
	o := &OAuth1{
		consumers: map[string]OAuth1Consumer{},
		requests:  map[string]*o1RequestToken{},
		access:    map[string]*o1AccessToken{},
		nonces:    map[o1NonceKey]bool{},
		maxNonces: o1MaxNonces,
	}
	pub := &OAuth1RSAPrivateKey().PublicKey
	for _, k := range OAuth1DefaultConsumers {
		c := OAuth1Consumer{Key: k, Secret: k + "-secret"}
		if strings.HasPrefix(k, "rsa-") {
			c.PublicKey = pub
		}
		o.consumers[k] = c
	}
	return o
}

// AddConsumer registers (or replaces) a consumer. Safe to call at any time.
func (o *OAuth1) AddConsumer(c OAuth1Consumer) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.consumers[c.Key] = c
}

// IssueAccessToken creates token credentials for consumerKey without the
// three-legged flow, for tests of the protected resource alone.
func (o *OAuth1) IssueAccessToken(consumerKey string) (token, secret string) {
	token, secret = randomString(), randomString()
	o.mu.Lock()
	defer o.mu.Unlock()
	o.access[token] = &o1AccessToken{consumer: consumerKey, secret: secret}
	return token, secret
}

// OAuth1Echo is the JSON body of /oauth1/resource: what the provider
// verified. Signature is the oauth_signature_method; Placement is where
// oauth_signature was found, "header", "query" or "body"; Realm is the
// Authorization header's realm; Params are the request's other parameters
// (query, then Authorization header, then form body), in order, with
// repeated names and empty values, without the oauth_* ones.
type OAuth1Echo struct {
	Method      string      `json:"method"`
	ConsumerKey string      `json:"consumer_key"`
	Token       string      `json:"token"`
	Signature   string      `json:"signature_method"`
	Placement   string      `json:"placement"`
	Realm       string      `json:"realm,omitempty"`
	Params      [][2]string `json:"params"`
}

func (o *OAuth1) register(mux *http.ServeMux) {
	mux.HandleFunc(OAuth1RequestTokenPath, o.requestToken)
	mux.HandleFunc("GET "+OAuth1AuthorizePath, o.authorize)
	mux.HandleFunc(OAuth1AccessTokenPath, o.accessToken)
	mux.HandleFunc(OAuth1ResourcePath, o.resource)
}

// verify checks r with the token lookup of one endpoint (see check) and
// answers the refusal itself when it fails.
func (o *OAuth1) verify(w http.ResponseWriter, r *http.Request, lookup o1TokenLookup) (*o1Verified, bool) {
	got, refusal := o.check(r, lookup)
	if refusal != nil {
		o.refuse(w, refusal.status, refusal.problem, refusal.advice)
		return nil, false
	}
	return got, true
}

func (o *OAuth1) refuse(w http.ResponseWriter, status int, problem, advice string) {
	o.Counters.Rejected.Add(1)
	var p urlenc.Params
	p.Add("oauth_problem", problem)
	if advice != "" {
		p.Add("oauth_problem_advice", advice)
	}
	w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
	w.Header().Set("WWW-Authenticate", `OAuth realm="fakeprovider"`)
	w.WriteHeader(status)
	fmt.Fprint(w, p.Encode())
}

func (o *OAuth1) tokenResponse(w http.ResponseWriter, p urlenc.Params) {
	if o.JSONResponses {
		m := map[string]any{}
		for _, kv := range p {
			if kv.Key == "user_id" {
				m[kv.Key] = json.Number(kv.Value)
				continue
			}
			m[kv.Key] = kv.Value
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(m)
		return
	}
	w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
	fmt.Fprint(w, p.Encode())
}

func (o *OAuth1) requestToken(w http.ResponseWriter, r *http.Request) {
	if o.Problem != "" {
		o.refuse(w, http.StatusUnauthorized, o.Problem, "")
		return
	}
	got, ok := o.verify(w, r, nil)
	if !ok {
		return
	}
	if got.token != "" {
		o.refuse(w, http.StatusUnauthorized, "token_rejected", "no token belongs in a request token request")
		return
	}
	cb := got.callback
	if cb == "" {
		o.refuse(w, http.StatusBadRequest, "parameter_absent", "oauth_callback")
		return
	}
	o.mu.Lock()
	prefix := o.consumers[got.consumerKey].CallbackPrefix
	o.mu.Unlock()
	if cb != "oob" {
		u, err := url.Parse(cb)
		if err != nil || !u.IsAbs() || prefix != "" && !strings.HasPrefix(cb, prefix) {
			o.refuse(w, http.StatusBadRequest, "parameter_rejected", "oauth_callback")
			return
		}
	}
	tok := &o1RequestToken{consumer: got.consumerKey, secret: randomString(), callback: cb}
	key := randomString()
	o.mu.Lock()
	o.requests[key] = tok
	o.mu.Unlock()
	o.Counters.RequestTokens.Add(1)
	var p urlenc.Params
	p.Add("oauth_token", key)
	p.Add("oauth_token_secret", tok.secret)
	if !o.OmitCallbackConfirmed {
		p.Add("oauth_callback_confirmed", "true")
	}
	o.tokenResponse(w, p)
}

func (o *OAuth1) authorize(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("oauth_token")
	o.mu.Lock()
	tok := o.requests[key]
	if tok != nil && tok.verifier == "" {
		tok.verifier = randomString()
	}
	var cb, verifier string
	if tok != nil {
		cb, verifier = tok.callback, tok.verifier
	}
	o.mu.Unlock()
	if tok == nil {
		o.refuse(w, http.StatusBadRequest, "token_rejected", "unknown request token")
		return
	}
	o.Counters.Authorizations.Add(1)
	if cb == "oob" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, verifier)
		return
	}
	var p urlenc.Params
	p.Add("oauth_token", key)
	p.Add("oauth_verifier", verifier)
	loc, err := urlenc.AddParams(cb, p)
	if err != nil {
		o.refuse(w, http.StatusBadRequest, "parameter_rejected", "oauth_callback")
		return
	}
	http.Redirect(w, r, loc, http.StatusFound)
}

func (o *OAuth1) accessToken(w http.ResponseWriter, r *http.Request) {
	if o.Problem != "" {
		o.refuse(w, http.StatusUnauthorized, o.Problem, "")
		return
	}
	got, ok := o.verify(w, r, func(ck, tok string) (string, bool) {
		o.mu.Lock()
		defer o.mu.Unlock()
		t := o.requests[tok]
		if t == nil || t.consumer != ck {
			return "", false
		}
		return t.secret, true
	})
	if !ok {
		return
	}
	if got.token == "" {
		o.refuse(w, http.StatusBadRequest, "parameter_absent", "oauth_token")
		return
	}
	o.mu.Lock()
	t := o.requests[got.token]
	valid := t != nil && t.verifier != "" && got.verifier == t.verifier
	if valid {
		delete(o.requests, got.token) // one-time
	}
	o.mu.Unlock()
	if !valid {
		o.refuse(w, http.StatusUnauthorized, "token_rejected", "verifier mismatch or token not authorized")
		return
	}
	token, secret := o.IssueAccessToken(got.consumerKey)
	o.Counters.AccessTokens.Add(1)
	var p urlenc.Params
	p.Add("oauth_token", token)
	p.Add("oauth_token_secret", secret)
	p.Add("user_id", "1234")
	p.Add("screen_name", "fake_user")
	o.tokenResponse(w, p)
}

func (o *OAuth1) resource(w http.ResponseWriter, r *http.Request) {
	got, ok := o.verify(w, r, func(ck, tok string) (string, bool) {
		o.mu.Lock()
		defer o.mu.Unlock()
		t := o.access[tok]
		if t == nil || t.consumer != ck {
			return "", false
		}
		return t.secret, true
	})
	if !ok {
		return
	}
	if got.token == "" {
		o.refuse(w, http.StatusUnauthorized, "parameter_absent", "oauth_token")
		return
	}
	o.Counters.Resources.Add(1)
	echo := OAuth1Echo{
		Method: r.Method, ConsumerKey: got.consumerKey, Token: got.token, Signature: got.method,
		Placement: got.placement, Realm: got.realm, Params: got.params,
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(echo)
}

func randomString() string {
	var b [18]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("fakeprovider: crypto/rand: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}
