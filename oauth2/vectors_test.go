package oauth2

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const vectorFile = "../internal/testdata/vectors/oauth2.json"

type vector struct {
	ID       string          `json:"id"`
	Kind     string          `json:"kind"`
	Input    json.RawMessage `json:"input"`
	Expected json.RawMessage `json:"expected"`
}

func loadVectors(t testing.TB, kind string) []vector {
	t.Helper()
	data, err := os.ReadFile(vectorFile)
	if err != nil {
		t.Fatal(err)
	}
	var f struct{ Vectors []vector }
	if err := json.Unmarshal(data, &f); err != nil {
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

func decode(t testing.TB, raw json.RawMessage, dst any) {
	t.Helper()
	if err := json.Unmarshal(raw, dst); err != nil {
		t.Fatal(err)
	}
}

// captured is one request a capture server received.
type captured struct {
	Method string
	Path   string
	Header http.Header
	Body   string
}

// capture is an httptest server that records requests and answers with a
// scripted list of responses (the last one repeats).
type capture struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []captured
	resp []cannedResponse
}

type cannedResponse struct {
	Status  int
	Headers map[string]string
	Body    string
}

func newCapture(t testing.TB, resp ...cannedResponse) *capture {
	t.Helper()
	c := &capture{resp: resp}
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		c.mu.Lock()
		c.reqs = append(c.reqs, captured{r.Method, r.URL.Path, r.Header.Clone(), string(b)})
		n := len(c.reqs) - 1
		if n >= len(c.resp) {
			n = len(c.resp) - 1
		}
		cr := c.resp[n]
		c.mu.Unlock()
		for k, v := range cr.Headers {
			w.Header().Set(k, v)
		}
		if cr.Status == 0 {
			cr.Status = 200
		}
		w.WriteHeader(cr.Status)
		io.WriteString(w, cr.Body)
	}))
	t.Cleanup(c.Close)
	return c
}

func (c *capture) requests() []captured {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]captured(nil), c.reqs...)
}

var okToken = cannedResponse{Status: 200, Headers: map[string]string{"Content-Type": "application/json"},
	Body: `{"access_token":"at","token_type":"Bearer","expires_in":3600,"refresh_token":"rt"}`}

func formMap(t testing.TB, body string) map[string]string {
	t.Helper()
	v, err := url.ParseQuery(body)
	if err != nil {
		t.Fatalf("ParseQuery(%q): %v", body, err)
	}
	m := map[string]string{}
	for k, vs := range v {
		if len(vs) != 1 {
			t.Errorf("parameter %q sent %d times", k, len(vs))
		}
		m[k] = vs[0]
	}
	return m
}

// basicCreds decodes an RFC 6749 §2.3.1 Basic header.
func basicCreds(t testing.TB, h string) (string, string) {
	t.Helper()
	if h == "" {
		return "", ""
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(h, "Basic "))
	if err != nil {
		t.Fatalf("bad basic header %q", h)
	}
	u, p, _ := strings.Cut(string(raw), ":")
	u, _ = url.QueryUnescape(u)
	p, _ = url.QueryUnescape(p)
	return u, p
}

func TestVectorsPKCE(t *testing.T) {
	for _, v := range loadVectors(t, "pkce_verifier_octets") {
		t.Run(v.ID, func(t *testing.T) {
			var in struct {
				VerifierOctets []byte `json:"verifier_octets"`
			}
			var want struct {
				CodeVerifier string `json:"code_verifier"`
			}
			// verifier_octets is a JSON array of numbers, not base64.
			var nums []int
			var raw map[string]json.RawMessage
			decode(t, v.Input, &raw)
			decode(t, raw["verifier_octets"], &nums)
			for _, n := range nums {
				in.VerifierOctets = append(in.VerifierOctets, byte(n))
			}
			decode(t, v.Expected, &want)
			// Through a login: 16 bytes of state, then the verifier.
			cfg := &Config{ClientID: "c", Endpoint: Endpoint{AuthURL: "https://as.example/authorize"},
				Rand: io.MultiReader(bytes.NewReader(make([]byte, 16)), bytes.NewReader(in.VerifierOctets))}
			l, err := cfg.NewLogin(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if l.CodeVerifier != want.CodeVerifier {
				t.Errorf("login verifier = %q, want %q", l.CodeVerifier, want.CodeVerifier)
			}
			if got := mustQuery(t, l.URL).Get("code_challenge"); got != S256ChallengeFromVerifier(want.CodeVerifier) {
				t.Errorf("code_challenge = %q, want the S256 challenge of %q", got, want.CodeVerifier)
			}
		})
	}
	for _, v := range loadVectors(t, "pkce_s256") {
		t.Run(v.ID, func(t *testing.T) {
			var in struct {
				CodeVerifier string `json:"code_verifier"`
			}
			var want struct {
				CodeChallenge string            `json:"code_challenge"`
				AuthParams    map[string]string `json:"authorization_request_params"`
				TokenParams   map[string]string `json:"token_request_params"`
			}
			decode(t, v.Input, &in)
			decode(t, v.Expected, &want)
			if got := S256ChallengeFromVerifier(in.CodeVerifier); got != want.CodeChallenge {
				t.Errorf("S256ChallengeFromVerifier(%q) = %q, want %q", in.CodeVerifier, got, want.CodeChallenge)
			}
			// The three ways a verifier reaches the token request: a
			// Login's, VerifierOption's with Exchange, and
			// S256ChallengeOption's through a Login.
			srv := newCapture(t, okToken)
			cfg := &Config{ClientID: "c", Endpoint: Endpoint{AuthURL: "https://as.example/a", TokenURL: srv.URL}}
			ctx := context.Background()
			if _, err := cfg.CompleteLoginURL(ctx, &Login{State: "st", CodeVerifier: in.CodeVerifier, ResponseType: "code"},
				"https://client.example/cb?code=x&state=st"); err != nil {
				t.Fatal(err)
			}
			if _, err := cfg.Exchange(ctx, "x", VerifierOption(in.CodeVerifier)); err != nil {
				t.Fatal(err)
			}
			l, err := cfg.NewLogin(context.Background(), S256ChallengeOption(in.CodeVerifier))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := cfg.CompleteLoginCode(ctx, l, "x", l.State); err != nil {
				t.Fatal(err)
			}
			for i, r := range srv.requests() {
				got := formMap(t, r.Body)
				for k, w := range want.TokenParams {
					if got[k] != w {
						t.Errorf("token request %d: %s = %q, want %q", i, k, got[k], w)
					}
				}
			}
			q := mustQuery(t, l.URL)
			if q.Get("code_challenge_method") != want.AuthParams["code_challenge_method"] || q.Get("code_challenge") != want.CodeChallenge {
				t.Errorf("authorization URL %q lacks the S256 challenge %q", l.URL, want.CodeChallenge)
			}
		})
	}
	for _, v := range loadVectors(t, "pkce_plain") {
		t.Run(v.ID, func(t *testing.T) {
			var want map[string]string
			decode(t, v.Expected, &want)
			l, err := (&Config{ClientID: "c", PKCE: PKCEPlain, Endpoint: Endpoint{AuthURL: "https://as.example/a"}}).NewLogin(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			q := mustQuery(t, l.URL)
			if q.Get("code_challenge_method") != want["code_challenge_method"] || q.Get("code_challenge") != l.CodeVerifier {
				t.Errorf("plain PKCE: got %v", q)
			}
		})
	}
	for _, v := range loadVectors(t, "pkce_verifier_syntax") {
		t.Run(v.ID, func(t *testing.T) {
			var in struct{ Candidates []string }
			var want struct{ Valid []bool }
			decode(t, v.Input, &in)
			decode(t, v.Expected, &want)
			for i, c := range in.Candidates {
				if got := ValidVerifier(c); got != want.Valid[i] {
					t.Errorf("ValidVerifier(%q) = %v, want %v", c, got, want.Valid[i])
				}
			}
		})
	}
}

func mustQuery(t testing.TB, raw string) url.Values {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

func TestVectorsBasicAuth(t *testing.T) {
	for _, v := range loadVectors(t, "basic_auth") {
		t.Run(v.ID, func(t *testing.T) {
			var in struct {
				ClientID     string `json:"client_id"`
				ClientSecret string `json:"client_secret"`
				Encoding     string
			}
			var want struct{ Authorization string }
			decode(t, v.Input, &in)
			decode(t, v.Expected, &want)
			srv := newCapture(t, okToken)
			m := AuthClientSecretBasic
			if in.Encoding == "raw" {
				m = AuthClientSecretBasicUnencoded
			}
			s := (&Config{ClientID: in.ClientID, ClientSecret: in.ClientSecret, AuthMethod: m,
				Endpoint: Endpoint{TokenURL: srv.URL}}).ClientCredentials()
			if _, err := s.Token(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := srv.requests()[0].Header.Get("Authorization"); got != want.Authorization {
				// Encoders may legitimately differ on '~' and '*' (see the
				// vector note); a decoding server must read the same pair.
				if in.Encoding != "form" {
					t.Fatalf("Authorization = %q, want %q", got, want.Authorization)
				}
				u, p := basicCreds(t, got)
				if u != in.ClientID || p != in.ClientSecret {
					t.Errorf("Authorization %q decodes to %q:%q, want %q:%q", got, u, p, in.ClientID, in.ClientSecret)
				}
			}
		})
	}
}

func TestVectorsFormEncoding(t *testing.T) {
	for _, v := range loadVectors(t, "form_encoding") {
		t.Run(v.ID, func(t *testing.T) {
			var in struct{ Value string }
			var want struct{ Encoded string }
			decode(t, v.Input, &in)
			decode(t, v.Expected, &want)
			srv := newCapture(t, okToken)
			s := (&Config{ClientID: "c", ClientSecret: in.Value, AuthMethod: AuthClientSecretPost,
				Endpoint: Endpoint{TokenURL: srv.URL}}).ClientCredentials()
			if _, err := s.Token(context.Background()); err != nil {
				t.Fatal(err)
			}
			if body := srv.requests()[0].Body; !strings.Contains(body, "client_secret="+want.Encoded) {
				t.Errorf("body %q does not contain client_secret=%s", body, want.Encoded)
			}
		})
	}
}

func TestVectorsAuthorizationRequest(t *testing.T) {
	for _, v := range loadVectors(t, "authorization_request") {
		t.Run(v.ID, func(t *testing.T) {
			var in map[string]string
			var want struct{ Params map[string]string }
			decode(t, v.Input, &in)
			decode(t, v.Expected, &want)
			cfg := &Config{ClientID: in["client_id"], RedirectURL: in["redirect_uri"],
				Endpoint: Endpoint{AuthURL: in["authorization_endpoint"]}}
			opts := []Option{WithState(in["state"]), WithPKCE(PKCEOff)}
			if in["response_type"] == "token" {
				opts = append(opts, ImplicitFlow)
			}
			l, err := cfg.NewLogin(context.Background(), opts...)
			if err != nil || l.State != in["state"] {
				t.Fatalf("NewLogin: %v, %v", l, err)
			}
			au := l.URL
			got := map[string]string{}
			for k, vs := range mustQuery(t, au) {
				got[k] = vs[0]
			}
			if diff := cmp.Diff(want.Params, got); diff != "" {
				t.Errorf("params mismatch (-want +got):\n%s", diff)
			}
			if !strings.HasPrefix(au, in["authorization_endpoint"]+"?") {
				t.Errorf("URL %q does not start with the endpoint", au)
			}
		})
	}
}

func TestVectorsRedirectResponse(t *testing.T) {
	for _, v := range loadVectors(t, "redirect_response") {
		t.Run(v.ID, func(t *testing.T) {
			var in struct {
				URL           string `json:"url"`
				ExpectedState string `json:"expected_state"`
			}
			var want struct {
				Component string
				Params    map[string]string
				StateOK   bool `json:"state_ok"`
				Error     string
				Token     *struct {
					AccessToken string `json:"access_token"`
					TokenType   string `json:"token_type"`
					ExpiresIn   int64  `json:"expires_in"`
				}
			}
			decode(t, v.Input, &in)
			decode(t, v.Expected, &want)
			srv := newCapture(t, okToken)
			cfg := &Config{ClientID: "c", Endpoint: Endpoint{TokenURL: srv.URL}}
			l := &Login{State: in.ExpectedState, ResponseType: "code"}
			if want.Component == "fragment" {
				l.ResponseType = "token"
			}
			tok, err := cfg.CompleteLoginURL(context.Background(), l, in.URL)
			switch {
			case !want.StateOK:
				if !errors.Is(err, ErrStateMismatch) {
					t.Fatalf("err = %v, want ErrStateMismatch", err)
				}
				if n := len(srv.requests()); n != 0 {
					t.Errorf("%d token requests after a state mismatch", n)
				}
			case want.Error != "":
				var e *Error
				if !errors.As(err, &e) || e.ErrorCode != want.Error || !errors.Is(err, ErrAccessDenied) {
					t.Fatalf("err = %v, want *Error %q", err, want.Error)
				}
			case want.Token != nil:
				if err != nil {
					t.Fatal(err)
				}
				if tok.AccessToken != want.Token.AccessToken || tok.TokenType != want.Token.TokenType || tok.ExpiresIn != want.Token.ExpiresIn {
					t.Errorf("token = %+v, want %+v", tok, want.Token)
				}
			default:
				if err != nil {
					t.Fatal(err)
				}
				if got := formMap(t, srv.requests()[0].Body)["code"]; got != want.Params["code"] {
					t.Errorf("code sent = %q, want %q", got, want.Params["code"])
				}
			}
		})
	}
}

func TestVectorsTokenRequest(t *testing.T) {
	for _, v := range loadVectors(t, "token_request") {
		t.Run(v.ID, func(t *testing.T) {
			var in struct {
				Method  string
				Path    string
				Headers map[string]string
				Body    string
			}
			var want struct {
				ClientID     *string           `json:"client_id"`
				ClientSecret *string           `json:"client_secret"`
				Params       map[string]string `json:"params"`
			}
			decode(t, v.Input, &in)
			decode(t, v.Expected, &want)
			srv := newCapture(t, okToken)
			rfc, _ := url.Parse(in.Path)
			cfg := &Config{}
			if want.ClientID != nil {
				cfg.ClientID, cfg.ClientSecret = *want.ClientID, *want.ClientSecret
			} else {
				cfg.ClientID = want.Params["client_id"]
			}
			u := srv.URL + rfc.Path
			cfg.Endpoint = Endpoint{TokenURL: u, DeviceAuthURL: u, RevocationURL: u, IntrospectionURL: u}
			p := want.Params
			if ru := p["redirect_uri"]; ru != "" {
				cfg.RedirectURL = ru
			}
			if sc := p["scope"]; sc != "" {
				cfg.Scopes = strings.Fields(sc)
			}
			cfg.Sleep = func(context.Context, time.Duration) error { return nil }
			ctx := context.Background()
			var err error
			switch {
			case p["grant_type"] == "authorization_code":
				_, err = cfg.CompleteLoginURL(ctx, &Login{State: "s", RedirectURL: cfg.RedirectURL},
					"https://client.example.com/cb?state=s&code="+url.QueryEscape(p["code"]))
			case p["grant_type"] == "password":
				_, err = cfg.PasswordCredentialsToken(ctx, p["username"], p["password"])
			case p["grant_type"] == "client_credentials":
				_, err = cfg.ClientCredentials().Token(ctx)
			case p["grant_type"] == "refresh_token":
				_, err = cfg.NewSession(&Token{AccessToken: "old", RefreshToken: p["refresh_token"]}).Refresh(ctx)
			case strings.HasSuffix(p["grant_type"], ":device_code"):
				_, err = cfg.DeviceAccessToken(ctx, &DeviceAuthResponse{DeviceCode: p["device_code"], Interval: 1})
			case in.Path == "/device_authorization":
				srv.resp = []cannedResponse{{Headers: map[string]string{"Content-Type": "application/json"}, Body: `{"device_code":"d","user_code":"u","verification_uri":"https://x"}`}}
				_, err = cfg.DeviceAuth(ctx)
			case in.Path == "/revoke":
				err = cfg.RevokeToken(ctx, p["token"], TokenTypeHint(p["token_type_hint"]))
			case in.Path == "/introspect":
				srv.resp = []cannedResponse{{Headers: map[string]string{"Content-Type": "application/json"}, Body: `{"active":true}`}}
				_, err = cfg.IntrospectToken(ctx, p["token"], TokenTypeHint(p["token_type_hint"]))
			default:
				t.Fatalf("unhandled vector")
			}
			if err != nil {
				t.Fatal(err)
			}
			got := srv.requests()[0]
			if got.Method != in.Method {
				t.Errorf("method = %s, want %s", got.Method, in.Method)
			}
			if diff := cmp.Diff(p, formMap(t, got.Body)); diff != "" {
				t.Errorf("params mismatch (-want +got):\n%s", diff)
			}
			if want.ClientID != nil {
				if got.Header.Get("Authorization") != in.Headers["Authorization"] {
					t.Errorf("Authorization = %q, want %q", got.Header.Get("Authorization"), in.Headers["Authorization"])
				}
			} else if h := got.Header.Get("Authorization"); h != "" {
				t.Errorf("public client sent Authorization %q", h)
			}
			for _, k := range []string{"Content-Type", "Accept"} {
				if w := in.Headers[k]; w != "" && got.Header.Get(k) != w {
					t.Errorf("%s = %q, want %q", k, got.Header.Get(k), w)
				}
			}
		})
	}
}

type wantTokenResponse struct {
	AccessToken      string         `json:"access_token"`
	TokenType        string         `json:"token_type"`
	ExpiresInSeconds *int64         `json:"expires_in_seconds"`
	RefreshToken     *string        `json:"refresh_token"`
	Extra            map[string]any `json:"extra"`
}

type httpInput struct {
	Status  int
	Headers map[string]string
	Body    string
}

func TestVectorsTokenResponse(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, v := range loadVectors(t, "token_response") {
		t.Run(v.ID, func(t *testing.T) {
			var in httpInput
			var want wantTokenResponse
			decode(t, v.Input, &in)
			decode(t, v.Expected, &want)
			tok, err := parseTokenResponse("token", in.Status, in.Headers["Content-Type"], []byte(in.Body), now, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tok.AccessToken != want.AccessToken || tok.TokenType != want.TokenType {
				t.Errorf("token = %q %q, want %q %q", tok.AccessToken, tok.TokenType, want.AccessToken, want.TokenType)
			}
			var wantExp time.Time
			if want.ExpiresInSeconds != nil {
				wantExp = now.Add(time.Duration(*want.ExpiresInSeconds) * time.Second)
			}
			if !tok.Expiry.Equal(wantExp) {
				t.Errorf("Expiry = %v, want %v", tok.Expiry, wantExp)
			}
			wantRT := ""
			if want.RefreshToken != nil {
				wantRT = *want.RefreshToken
			}
			if tok.RefreshToken != wantRT {
				t.Errorf("RefreshToken = %q, want %q", tok.RefreshToken, wantRT)
			}
			for k, w := range want.Extra {
				if got := fmtAny(tok.Extra(k)); got != fmtAny(w) {
					t.Errorf("Extra(%q) = %v, want %v", k, got, w)
				}
			}
			if tok.Type() != "Bearer" && strings.EqualFold(tok.TokenType, "bearer") {
				t.Errorf("Type() = %q, want Bearer", tok.Type())
			}
		})
	}
}

func fmtAny(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestVectorsErrorResponse(t *testing.T) {
	for _, v := range loadVectors(t, "error_response") {
		t.Run(v.ID, func(t *testing.T) {
			var in httpInput
			var want struct {
				Error            string  `json:"error"`
				ErrorDescription *string `json:"error_description"`
				ErrorURI         *string `json:"error_uri"`
			}
			decode(t, v.Input, &in)
			decode(t, v.Expected, &want)
			body := []byte(in.Body)
			ct := in.Headers["Content-Type"]
			if strings.Contains(v.ID, "fitbit") {
				// Fitbit needs a compliance hook; run the documented one.
				resp := &http.Response{StatusCode: in.Status, Header: http.Header{"Content-Type": {ct}}, Body: io.NopCloser(bytes.NewReader(body))}
				if err := fitbitErrors(resp); err != nil {
					t.Fatal(err)
				}
				body, _ = io.ReadAll(resp.Body)
			}
			_, err := parseTokenResponse("token", in.Status, ct, body, time.Now(), nil)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *Error", err)
			}
			deref := func(p *string) string {
				if p == nil {
					return ""
				}
				return *p
			}
			got := [3]string{e.ErrorCode, e.ErrorDescription, e.ErrorURI}
			w := [3]string{want.Error, deref(want.ErrorDescription), deref(want.ErrorURI)}
			if got != w {
				t.Errorf("error fields = %q, want %q", got, w)
			}
			if e.StatusCode != in.Status {
				t.Errorf("StatusCode = %d, want %d", e.StatusCode, in.Status)
			}
		})
	}
}

// fitbitErrors is the Fitbit compliance hook: it moves errors[0].errorType
// to error. (The same code is in ExampleHooks_fitbit.)
func fitbitErrors(resp *http.Response) error {
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	var fb struct {
		Errors []struct {
			ErrorType string `json:"errorType"`
			Message   string `json:"message"`
		} `json:"errors"`
	}
	if json.Unmarshal(body, &fb) == nil && len(fb.Errors) > 0 {
		body, _ = json.Marshal(map[string]string{"error": fb.Errors[0].ErrorType})
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return nil
}

func TestVectorsDeviceAuthorizationResponse(t *testing.T) {
	for _, v := range loadVectors(t, "device_authorization_response") {
		t.Run(v.ID, func(t *testing.T) {
			var in httpInput
			var want struct {
				DeviceCode              string `json:"device_code"`
				UserCode                string `json:"user_code"`
				VerificationURI         string `json:"verification_uri"`
				VerificationURIComplete string `json:"verification_uri_complete"`
				ExpiresIn               int64  `json:"expires_in"`
				Interval                int64  `json:"interval"`
			}
			decode(t, v.Input, &in)
			decode(t, v.Expected, &want)
			srv := newCapture(t, cannedResponse(in))
			now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			cfg := &Config{ClientID: "c", Now: func() time.Time { return now }, Endpoint: Endpoint{DeviceAuthURL: srv.URL}}
			da, err := cfg.DeviceAuth(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			wantDA := DeviceAuthResponse{DeviceCode: want.DeviceCode, UserCode: want.UserCode, VerificationURI: want.VerificationURI,
				VerificationURIComplete: want.VerificationURIComplete, Expiry: now.Add(time.Duration(want.ExpiresIn) * time.Second),
				Interval: want.Interval}
			if *da != wantDA {
				t.Errorf("DeviceAuth = %#v, want %#v", *da, wantDA)
			}
		})
	}
}

func TestVectorsDevicePolling(t *testing.T) {
	for _, v := range loadVectors(t, "device_polling") {
		t.Run(v.ID, func(t *testing.T) {
			var in struct {
				Interval  *int64
				Responses []map[string]any
			}
			var want struct {
				Waits    []int64 `json:"waits_before_each_request_s"`
				Requests int
				Outcome  string
			}
			decode(t, v.Input, &in)
			decode(t, v.Expected, &want)
			var canned []cannedResponse
			for _, r := range in.Responses {
				status := int(r["status"].(float64))
				delete(r, "status")
				if _, ok := r["access_token"]; ok {
					r["token_type"] = "Bearer"
				}
				b, _ := json.Marshal(r)
				canned = append(canned, cannedResponse{status, map[string]string{"Content-Type": "application/json"}, string(b)})
			}
			srv := newCapture(t, canned...)
			var waits []int64
			cfg := &Config{ClientID: "c", Endpoint: Endpoint{TokenURL: srv.URL},
				Sleep: func(_ context.Context, d time.Duration) error {
					waits = append(waits, int64(d/time.Second))
					return nil
				},
			}
			da := &DeviceAuthResponse{DeviceCode: "dc"}
			if in.Interval != nil {
				da.Interval = *in.Interval
			}
			tok, err := cfg.DeviceAccessToken(context.Background(), da)
			outcome := "token"
			if err != nil {
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("err = %v, want *Error", err)
				}
				outcome = "error:" + e.ErrorCode
			} else if tok.AccessToken == "" {
				t.Fatal("empty token")
			}
			if outcome != want.Outcome {
				t.Errorf("outcome = %q, want %q", outcome, want.Outcome)
			}
			if diff := cmp.Diff(want.Waits, waits); diff != "" {
				t.Errorf("waits mismatch (-want +got):\n%s", diff)
			}
			if n := len(srv.requests()); n != want.Requests {
				t.Errorf("requests = %d, want %d", n, want.Requests)
			}
		})
	}
}

func TestVectorsIntrospection(t *testing.T) {
	for _, v := range loadVectors(t, "introspection_response") {
		t.Run(v.ID, func(t *testing.T) {
			var in httpInput
			var want struct {
				Active   bool
				ClientID string `json:"client_id"`
				Username string
				Scope    []string
				Sub      string
				Aud      string
				Iss      string
				ExpUTC   string `json:"exp_utc"`
				IatUTC   string `json:"iat_utc"`
				Extra    map[string]any
			}
			decode(t, v.Input, &in)
			decode(t, v.Expected, &want)
			got, err := parseIntrospection([]byte(in.Body))
			if err != nil {
				t.Fatal(err)
			}
			ts := func(s string) time.Time {
				if s == "" {
					return time.Time{}
				}
				tm, err := time.Parse(time.RFC3339, s)
				if err != nil {
					t.Fatal(err)
				}
				return tm
			}
			w := &Introspection{Active: want.Active, ClientID: want.ClientID, Username: want.Username, Scope: want.Scope,
				Sub: want.Sub, Iss: want.Iss, Exp: ts(want.ExpUTC), Iat: ts(want.IatUTC), Extra: map[string]any{}}
			if want.Aud != "" {
				w.Aud = []string{want.Aud}
			}
			for k, x := range want.Extra {
				w.Extra[k] = x
			}
			if diff := cmp.Diff(w, got); diff != "" {
				t.Errorf("Introspection mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// recordRT records the request it is given and answers 200.
type recordRT struct {
	req  *http.Request
	body string
}

func (r *recordRT) RoundTrip(req *http.Request) (*http.Response, error) {
	r.req = req
	if req.Body != nil {
		b, _ := io.ReadAll(req.Body)
		req.Body.Close()
		r.body = string(b)
	}
	return &http.Response{StatusCode: 200, Body: http.NoBody, Header: http.Header{}, Request: req}, nil
}

func TestVectorsBearerPlacement(t *testing.T) {
	for _, v := range loadVectors(t, "bearer_placement") {
		t.Run(v.ID, func(t *testing.T) {
			var in struct {
				AccessToken string `json:"access_token"`
				Placement   string
				URL         string
			}
			var want struct {
				Header      string
				Body        string
				ContentType string `json:"content_type"`
				URL         string
			}
			decode(t, v.Input, &in)
			decode(t, v.Expected, &want)
			cfg := &Config{}
			target := "https://server.example.com/resource"
			if in.URL != "" {
				target = in.URL
			}
			var req *http.Request
			switch in.Placement {
			case "header":
				cfg.Placement = InHeader
				req, _ = http.NewRequest("GET", target, nil)
			case "body":
				cfg.Placement = InFormBody
				req, _ = http.NewRequest("POST", target, strings.NewReader(""))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			case "query":
				cfg.Placement = InQuery
				req, _ = http.NewRequest("GET", target, nil)
			}
			rec := &recordRT{}
			tr := transportFor(cfg.NewSession(&Token{AccessToken: in.AccessToken}), rec)
			if _, err := tr.RoundTrip(req); err != nil {
				t.Fatal(err)
			}
			switch {
			case want.Header != "":
				name, val, _ := strings.Cut(want.Header, ": ")
				if got := rec.req.Header.Get(name); got != val {
					t.Errorf("%s = %q, want %q", name, got, val)
				}
			case want.Body != "":
				if rec.body != want.Body || rec.req.Header.Get("Content-Type") != want.ContentType {
					t.Errorf("body = %q (%s), want %q (%s)", rec.body, rec.req.Header.Get("Content-Type"), want.Body, want.ContentType)
				}
			case want.URL != "":
				if got := rec.req.URL.String(); got != want.URL {
					t.Errorf("URL = %q, want %q", got, want.URL)
				}
			}
			if req.Header.Get("Authorization") != "" || req.URL.RawQuery != "" {
				t.Errorf("caller's request was modified: %v %v", req.Header, req.URL)
			}
		})
	}
}
