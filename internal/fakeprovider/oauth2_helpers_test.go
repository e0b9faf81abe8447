package fakeprovider

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
	"github.com/oauthkit/oauth/signer/jose"
)

// o2Server starts a provider, lets configure change its OAuth 2 half before
// the first request, and closes it when the test ends.
func o2Server(t testing.TB, configure func(*OAuth2)) *Server {
	t.Helper()
	s := NewServer()
	if configure != nil {
		configure(s.OAuth2)
	}
	t.Cleanup(s.Close)
	return s
}

// o2Resp is a response read whole.
type o2Resp struct {
	status int
	header http.Header
	body   string
}

// json decodes the body as a JSON object.
func (r o2Resp) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.body), &m); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", r.body, err)
	}
	return m
}

// str returns the JSON string field k, or "" if absent.
func (r o2Resp) str(t testing.TB, k string) string {
	t.Helper()
	s, _ := r.json(t)[k].(string)
	return s
}

// wantError fails the test unless the response is an RFC 6749 §5.2 error
// with the given status and code.
func (r o2Resp) wantError(t testing.TB, status int, code string) {
	t.Helper()
	if r.status != status || r.str(t, "error") != code {
		t.Fatalf("got %d %s, want %d with error %q", r.status, r.body, status, code)
	}
}

func (r o2Resp) wantOK(t testing.TB) map[string]any {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("got %d %s, want 200", r.status, r.body)
	}
	return r.json(t)
}

func o2Do(t testing.TB, c *http.Client, req *http.Request) o2Resp {
	t.Helper()
	r, err := o2TryDo(c, req)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// o2TryDo is o2Do for goroutines other than the test's, which must not call
// t.Fatal.
func o2TryDo(c *http.Client, req *http.Request) (o2Resp, error) {
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return o2Resp{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return o2Resp{}, err
	}
	return o2Resp{status: resp.StatusCode, header: resp.Header, body: string(b)}, nil
}

// o2Auth adds client authentication to a request being built.
type o2Auth func(t testing.TB, s *Server, h http.Header, form *urlenc.Params)

func basicAuth(id, secret string) o2Auth {
	return func(_ testing.TB, _ *Server, h http.Header, _ *urlenc.Params) {
		h.Set("Authorization", urlenc.BasicAuth(id, secret))
	}
}

func rawBasicAuth(id, secret string) o2Auth {
	return func(_ testing.TB, _ *Server, h http.Header, _ *urlenc.Params) {
		h.Set("Authorization", urlenc.RawBasicAuth(id, secret))
	}
}

func postAuth(id, secret string) o2Auth {
	return func(_ testing.TB, _ *Server, _ http.Header, f *urlenc.Params) {
		f.Set("client_id", id)
		f.Set("client_secret", secret)
	}
}

func noneAuth(id string) o2Auth {
	return func(_ testing.TB, _ *Server, _ http.Header, f *urlenc.Params) {
		f.Set("client_id", id)
	}
}

// jwtAuth authenticates with a client assertion (RFC 7523 §2.2) made by
// mint, which receives the token endpoint URL.
func jwtAuth(mint func(t testing.TB, aud string) string) o2Auth {
	return func(t testing.TB, s *Server, _ http.Header, f *urlenc.Params) {
		f.Set("client_assertion_type", oauth2AssertionType)
		f.Set("client_assertion", mint(t, s.URL+OAuth2TokenPath))
	}
}

var jtiCounter atomic.Int64

// claims returns RFC 7523 claims for iss/sub/aud valid for a minute, with a
// fresh jti.
func claims(iss, sub, aud string) map[string]any {
	return map[string]any{
		"iss": iss, "sub": sub, "aud": aud,
		"exp": time.Now().Add(time.Minute).Unix(),
		"iat": time.Now().Unix(),
		"jti": "jti-" + strconv.FormatInt(jtiCounter.Add(1), 10),
	}
}

// signJWT signs claims with alg and key using jose.NewSigner.
func signJWT(t testing.TB, alg string, key any, claims map[string]any) string {
	t.Helper()
	js, err := jose.NewSigner(alg, key)
	if err != nil {
		t.Fatalf("NewSigner(%s): %v", alg, err)
	}
	hdr, _ := json.Marshal(map[string]string{"alg": alg, "typ": "JWT"})
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jose.SignCompact(js, hdr, payload)
	if err != nil {
		t.Fatalf("SignCompact: %v", err)
	}
	return tok
}

const jwtSecret = "jwt-secret-at-least-32-bytes-long!!"

func secretJWT(id string) func(testing.TB, string) string {
	return func(t testing.TB, aud string) string {
		return signJWT(t, jose.HS256, []byte(jwtSecret), claims(id, id, aud))
	}
}

func privateKeyJWT(id string) func(testing.TB, string) string {
	return func(t testing.TB, aud string) string {
		return signJWT(t, jose.ES256, OAuth2TestKey, claims(id, id, aud))
	}
}

// post sends form to path with auth (nil for none) and extra headers.
func post(t testing.TB, s *Server, path string, auth o2Auth, form urlenc.Params, hdr ...string) o2Resp {
	t.Helper()
	r, err := tryPost(t, s, path, auth, form, hdr...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// tryPost is post for goroutines other than the test's: it fails only
// through its error (auth must not call t.Fatal there).
func tryPost(t testing.TB, s *Server, path string, auth o2Auth, form urlenc.Params, hdr ...string) (o2Resp, error) {
	form = form.Clone()
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	for i := 0; i+1 < len(hdr); i += 2 {
		h.Set(hdr[i], hdr[i+1])
	}
	if auth != nil {
		auth(t, s, h, &form)
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, s.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		return o2Resp{}, err
	}
	req.Header = h
	return o2TryDo(s.Client(), req)
}

// params builds a parameter list from key/value pairs.
func params(kv ...string) urlenc.Params {
	var p urlenc.Params
	for i := 0; i+1 < len(kv); i += 2 {
		p.Add(kv[i], kv[i+1])
	}
	return p
}

// noRedirect is a client that returns redirects instead of following them.
func noRedirect(s *Server) *http.Client {
	c := *s.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// authorize calls the authorization endpoint and returns the response.
func authorize(t testing.TB, s *Server, q urlenc.Params) o2Resp {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, s.URL+OAuth2AuthorizePath+"?"+q.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return o2Do(t, noRedirect(s), req)
}

// redirectParams returns the parameters of a 302's Location, from its
// query or (implicit flow) its fragment.
func redirectParams(t testing.TB, r o2Resp, c urlenc.Component) urlenc.Params {
	t.Helper()
	if r.status != http.StatusFound {
		t.Fatalf("authorize: got %d %s, want 302", r.status, r.body)
	}
	p, err := urlenc.ParseURLParams(r.header.Get("Location"), c)
	if err != nil {
		t.Fatalf("Location %q: %v", r.header.Get("Location"), err)
	}
	return p
}

const testRedirect = "http://127.0.0.1:9999/callback"

// getCode runs the authorization request for clientID with a PKCE S256
// challenge of verifier (none if verifier is "") and returns the code.
func getCode(t testing.TB, s *Server, clientID, verifier string) string {
	t.Helper()
	q := params("response_type", "code", "client_id", clientID, "redirect_uri", testRedirect, "state", "st-1", "scope", "read write")
	if verifier != "" {
		q.Add("code_challenge", s256(verifier))
		q.Add("code_challenge_method", "S256")
	}
	p := redirectParams(t, authorize(t, s, q), urlenc.Query)
	if p.Get("state") != "st-1" || p.Get("code") == "" {
		t.Fatalf("authorize redirect params = %v, want a code and state st-1", p)
	}
	return p.Get("code")
}

func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// bearerGet calls the resource with the token in the Authorization header.
func bearerGet(t testing.TB, s *Server, token string) o2Resp {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, s.URL+OAuth2ResourcePath, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	return o2Do(t, s.Client(), req)
}

// introspect returns the introspection response for token.
func introspect(t testing.TB, s *Server, token string) map[string]any {
	t.Helper()
	return post(t, s, OAuth2IntrospectPath, basicAuth("basic-client", "basic-secret"), params("token", token)).wantOK(t)
}

// vector is one entry of oauth2.json.
type vector struct {
	ID       string          `json:"id"`
	Kind     string          `json:"kind"`
	Input    json.RawMessage `json:"input"`
	Expected json.RawMessage `json:"expected"`
}

// loadVectors returns the oauth2.json vectors of the given kind.
func loadVectors(t testing.TB, kind string) []vector {
	t.Helper()
	b, err := os.ReadFile("../testdata/vectors/oauth2.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Vectors []vector `json:"vectors"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	var out []vector
	for _, v := range f.Vectors {
		if v.Kind == kind {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no vectors of kind %q", kind)
	}
	return out
}

func unmarshal(t testing.TB, raw json.RawMessage, v any) {
	t.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatal(err)
	}
}

// mustURL parses u.
func mustURL(t testing.TB, u string) *url.URL {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
