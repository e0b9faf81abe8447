package oauth1_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/oauthkit/oauth/oauth1"
)

// TestCallbackErrorsHideURL parses callbacks that do not parse; the error
// must say so (ErrBadRequest) without quoting the URL, which holds the
// verifier and the token.
func TestCallbackErrorsHideURL(t *testing.T) {
	const verifier, token = "VERIFIER-8c1d", "TOKEN-51aa"
	q := "oauth_token=" + token + "&oauth_verifier=" + verifier
	tests := []struct {
		name string
		url  string
	}{
		{"control byte", "https://app.example/cb?" + q + "\x7f"},
		{"space in host", "https://app example/cb?" + q},
		{"bad port", "https://app.example:port/cb?" + q},
		{"missing scheme", "://app.example/cb?" + q},
		{"bad escape in host", "https://app%zz.example/cb?" + q},
		{"bad escape in query", "https://app.example/cb?" + q + "&x=%z"},
		{"bad escape in the verifier", "https://app.example/cb?oauth_token=" + token + "&oauth_verifier=" + verifier + "%z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, v, err := oauth1.ParseAuthorizationResponse(tt.url)
			if !errors.Is(err, oauth1.ErrBadRequest) || tok != "" || v != "" {
				t.Fatalf("ParseAuthorizationResponse() = %q, %q, %v; want ErrBadRequest", tok, v, err)
			}
			checkNoText(t, err, verifier, token, "app")
		})
	}
	t.Run("request", func(t *testing.T) {
		r := &http.Request{Method: "GET", URL: &url.URL{Path: "/cb", RawQuery: q + "%z"}}
		_, _, err := oauth1.ParseAuthorizationRequest(r)
		if !errors.Is(err, oauth1.ErrBadRequest) {
			t.Fatalf("ParseAuthorizationRequest() error = %v, want ErrBadRequest", err)
		}
		checkNoText(t, err, verifier, token)
		for _, r := range []*http.Request{nil, {Method: "GET"}} {
			if _, _, err := oauth1.ParseAuthorizationRequest(r); !errors.Is(err, oauth1.ErrBadRequest) {
				t.Errorf("ParseAuthorizationRequest(%v) error = %v, want ErrBadRequest", r, err)
			}
		}
	})
}

// checkNoText fails if err, printed with any verb, or any error in its
// chain contains one of texts.
func checkNoText(tb testing.TB, err error, texts ...string) {
	tb.Helper()
	printed := fmt.Sprintf("%v %+v %#v %s %q", err, err, err, err, err)
	for e := err; e != nil; e = errors.Unwrap(e) {
		printed += " " + e.Error() + fmt.Sprintf(" %#v", e)
	}
	for _, s := range texts {
		if strings.Contains(printed, s) {
			tb.Errorf("error shows %q: %s", s, printed)
		}
	}
}

// echoForms are the ways a provider under test echoes what it received
// in a refusal: every response holds the credentials in one form.
var echoForms = []struct {
	name string
	// body returns the Content-Type and body of the refusal, given the
	// request's Authorization header, query and body as received, its
	// OAuth parameters decoded, and the advice to send.
	body func(authz, query, body string, params map[string]string, advice string) (string, string)
}{
	{"form fields", func(authz, query, body string, params map[string]string, advice string) (string, string) {
		v := url.Values{"oauth_problem": {"signature_invalid " + params["oauth_signature"]}, "oauth_problem_advice": {advice},
			"oauth_token": {"issued-token-aa11"}, "oauth_token_secret": {"issued-secret-bb22"}}
		return "application/x-www-form-urlencoded", v.Encode()
	}},
	{"form echo of the header", func(authz, query, body string, params map[string]string, advice string) (string, string) {
		return "application/x-www-form-urlencoded", "oauth_problem=x&oauth_problem_advice=" + url.QueryEscape(advice) + "&authorization=" + url.QueryEscape(authz)
	}},
	{"form echo of query and body", func(authz, query, body string, params map[string]string, advice string) (string, string) {
		return "application/x-www-form-urlencoded", "oauth_problem=x&query=" + url.QueryEscape(query) + "&body=" + url.QueryEscape(body)
	}},
	{"form echo of each value", func(authz, query, body string, params map[string]string, advice string) (string, string) {
		v := url.Values{"oauth_problem": {"x"}}
		for k, p := range params {
			v.Set("echo_"+k, p)
		}
		return "application/x-www-form-urlencoded", v.Encode()
	}},
	{"json", func(authz, query, body string, params map[string]string, advice string) (string, string) {
		b, _ := json.Marshal(map[string]any{"oauth_problem": "signature_invalid " + params["oauth_signature"],
			"oauth_problem_advice": advice, "oauth_token": "issued-token-aa11", "oauth_token_secret": "issued-secret-bb22",
			"received": params})
		return "application/json", string(b)
	}},
	{"json echo of the request", func(authz, query, body string, params map[string]string, advice string) (string, string) {
		b, _ := json.Marshal(map[string]any{"oauth_problem": "x", "authorization": authz, "query": query, "body": body})
		return "application/json", string(b)
	}},
	{"html", func(authz, query, body string, params map[string]string, advice string) (string, string) {
		return "text/html", "<p>oauth_token=issued-token-aa11 oauth_token_secret=issued-secret-bb22</p><pre>" +
			authz + "\n" + query + "\n" + body + "</pre>"
	}},
	{"html quoting values", func(authz, query, body string, params map[string]string, advice string) (string, string) {
		var b strings.Builder
		b.WriteString("<p>")
		for k, p := range params {
			fmt.Fprintf(&b, "%s: %q, %s, %s;", k, p, url.QueryEscape(p), url.PathEscape(p))
		}
		return "text/html", b.String()
	}},
}

// credentialForms returns s as the forms a server might echo it in.
func credentialForms(s string) []string {
	j, _ := json.Marshal(s)
	return []string{s, url.QueryEscape(s), url.PathEscape(s), strings.ReplaceAll(url.QueryEscape(s), "+", "%20"),
		strings.Trim(string(j), `"`)}
}

// checkScrubbed fails if a credential appears in err printed with any verb
// or in a field of its *Error, as it is or in an encoded form,
// also once the text is percent- or JSON-decoded. A credential shorter
// than four bytes counts only as a whole token, as scrubbing replaces
// one: it would otherwise be found inside any word.
func checkScrubbed(tb testing.TB, err error, credentials ...string) {
	tb.Helper()
	outs := []string{fmt.Sprintf("%v|%+v|%#v|%s|%q", err, err, err, err, err)}
	var pe *oauth1.Error
	if errors.As(err, &pe) {
		outs = append(outs, pe.Problem, pe.Advice, string(pe.Body))
	}
	var texts []string
	for _, o := range outs {
		d := lenientUnescape(o)
		texts = append(texts, o, d, lenientUnescape(d), jsonUnescape(o))
	}
	for _, c := range credentials {
		if c == "" {
			continue
		}
		for _, f := range credentialForms(c) {
			for _, o := range texts {
				if len(c) >= 4 && strings.Contains(o, f) || wholeToken(o, f) {
					i := max(strings.Index(o, f)-60, 0)
					tb.Errorf("credential %q shows as %q in ...%.160s", c, f, o[i:])
				}
			}
		}
	}
}

// lenientUnescape decodes the valid %XX escapes of s and '+', and leaves
// the rest as it is.
func lenientUnescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 2
				continue
			}
		}
		if s[i] == '+' {
			b.WriteByte(' ')
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

var jsonEscape = regexp.MustCompile(`\\(u[0-9a-fA-F]{4}|.)`)

// jsonUnescape decodes the escapes of JSON string text in s.
func jsonUnescape(s string) string {
	return jsonEscape.ReplaceAllStringFunc(s, func(e string) string {
		if d, err := strconv.Unquote(`"` + e + `"`); err == nil {
			return d
		}
		return e
	})
}

// wholeToken reports whether s holds t with no letter, digit, '-' or '_'
// on either side.
func wholeToken(s, t string) bool {
	word := func(c byte) bool {
		return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_'
	}
	for i := 0; ; i++ {
		j := strings.Index(s[i:], t)
		if j < 0 {
			return false
		}
		i += j
		if (i == 0 || !word(s[i-1])) && (i+len(t) == len(s) || !word(s[i+len(t)])) {
			return true
		}
	}
}

// receivedParams returns the OAuth parameters of r, decoded, from its
// Authorization header, query and form body.
func receivedParams(r *http.Request, body string) map[string]string {
	out := map[string]string{}
	for _, m := range headerParam.FindAllStringSubmatch(r.Header.Get("Authorization"), -1) {
		if v, err := url.PathUnescape(m[2]); err == nil && m[1] != "realm" {
			out[m[1]] = v
		}
	}
	q, _ := url.ParseQuery(r.URL.RawQuery)
	b, _ := url.ParseQuery(body)
	for _, vs := range []url.Values{q, b} {
		for k, v := range vs {
			out[k] = v[0]
		}
	}
	return out
}

// TestErrorHidesCredentials runs both token requests against a
// provider that refuses them and echoes every credential it received, in
// every form, in the body, the problem and the advice. No credential the
// request sent (the secrets, the verifier, the request token, the
// signature) nor the token fields of the body may reach the error, and
// scrubbing short secrets must not garble the rest of the message.
func TestErrorHidesCredentials(t *testing.T) {
	type secrets struct{ name, consumer, token, verifier string }
	for _, sec := range []secrets{
		{"long secrets", "consumer-secret-4f1a", "token-secret-77b2", "verifier-90cd"},
		{"short secrets", "e", "p", "v"},
		{"secrets to escape", "c s&k=1/\"x\"", "t+s%20<y>", "v&w"},
	} {
		for _, mc := range methodCases() {
			if sec.name != "long secrets" && !strings.HasSuffix(mc.name, "-sha1") && mc.name != "plaintext" {
				continue
			}
			for _, pl := range placements {
				for _, ef := range echoForms {
					t.Run(sec.name+"/"+mc.name+"/"+pl.String()+"/"+ef.name, func(t *testing.T) {
						var sent map[string]string
						var advice string
						provider := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
							b, _ := io.ReadAll(r.Body)
							sent = receivedParams(r, string(b))
							ct, body := ef.body(r.Header.Get("Authorization"), r.URL.RawQuery, string(b), sent, advice)
							w.Header().Set("Content-Type", ct)
							w.WriteHeader(http.StatusUnauthorized)
							io.WriteString(w, body)
						})
						cfg := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: sec.consumer, Method: mc.method,
							Placement: pl, HTTPClient: &http.Client{Transport: handlerTransport{provider}},
							CallbackURL: "https://app.example/cb",
							Endpoint: oauth1.Endpoint{RequestTokenURL: "https://provider.example/request",
								AccessTokenURL: "https://provider.example/access"}}

						advice = "please retry the request; consumer secret " + sec.consumer + " is wrong"
						_, err := cfg.RequestToken(context.Background())
						if !errors.As(err, new(*oauth1.Error)) {
							t.Fatalf("RequestToken() error = %v, want a *Error", err)
						}
						checkScrubbed(t, err, sec.consumer, sent["oauth_signature"])
						checkAdvice(t, err, "please retry the request; consumer secret [redacted] is wrong")

						advice = "please retry the request; token secret " + sec.token + " and verifier " + sec.verifier + " are wrong"
						rt := &oauth1.Token{Token: "request-token-3e5f", Secret: sec.token}
						_, err = cfg.AccessToken(context.Background(), rt, sec.verifier)
						if !errors.As(err, new(*oauth1.Error)) {
							t.Fatalf("AccessToken() error = %v, want a *Error", err)
						}
						checkScrubbed(t, err, sec.consumer, sec.token, sec.verifier, rt.Token, sent["oauth_signature"],
							"issued-token-aa11", "issued-secret-bb22")
						checkAdvice(t, err, "please retry the request; token secret [redacted] and verifier [redacted] are wrong")
					})
				}
			}
		}
	}
}

// checkAdvice checks the advice of a *Error when the echo form
// sent one.
func checkAdvice(tb testing.TB, err error, want string) {
	tb.Helper()
	var pe *oauth1.Error
	if errors.As(err, &pe) && pe.Advice != "" && pe.Advice != want {
		tb.Errorf("Advice = %q, want %q", pe.Advice, want)
	}
}

// TestErrorBody pins the excerpt of refusals whose bodies carry
// token fields: the values are replaced whole, the key names and the
// rest are kept.
func TestErrorBody(t *testing.T) {
	tests := []struct {
		name, ct, body string
		want           string
	}{
		{"form", "application/x-www-form-urlencoded", "oauth_problem=token_rejected&oauth_token=abc&oauth_token_secret=def&x=1",
			"oauth_problem=token_rejected&oauth_token=[redacted]&oauth_token_secret=[redacted]&x=1"},
		{"json", "application/json", `{"oauth_problem":"token_rejected","oauth_token_secret" : "def","oauth_token":"abc"}`,
			`{"oauth_problem":"token_rejected","oauth_token_secret" : "[redacted]","oauth_token":"[redacted]"}`},
		{"html", "text/html", "<html>oauth_token_secret=leak</html>", "<html>oauth_token_secret=[redacted]</html>"},
		{"encoded in a field", "text/plain", "echo=oauth_token%3Dabc%26oauth_token_secret%3D%22def%22",
			"echo=oauth_token%3D[redacted]%26oauth_token_secret%3D%22[redacted]%22"},
		{"other names kept", "text/plain", "oauth_token_type=bearer oauth_tokens=2 oauth_token_secret_hint=x",
			"oauth_token_type=bearer oauth_tokens=2 oauth_token_secret_hint=x"},
		{"value elsewhere", "application/json", `{"oauth_token":"abcdef", "note":"you sent abcdef"`,
			`{"oauth_token":"[redacted]", "note":"you sent [redacted]"`},
		{"parsed value elsewhere", "application/x-www-form-urlencoded", "oauth_problem=x&oauth_token=abcdef&note=you+sent+abcdef",
			"oauth_problem=x&oauth_token=[redacted]&note=you+sent+[redacted]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.ct)
				w.WriteHeader(http.StatusUnauthorized)
				io.WriteString(w, tt.body)
			}))
			defer srv.Close()
			cfg := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "cs", Endpoint: oauth1.Endpoint{AccessTokenURL: srv.URL}}
			_, err := cfg.AccessToken(context.Background(), &oauth1.Token{Token: "rt", Secret: "rs"}, "vf")
			var pe *oauth1.Error
			if !errors.As(err, &pe) {
				t.Fatalf("AccessToken() error = %v, want a *Error", err)
			}
			if string(pe.Body) != tt.want {
				t.Errorf("Body = %q, want %q", pe.Body, tt.want)
			}
			resp := &http.Response{StatusCode: 401, Header: http.Header{"Content-Type": {tt.ct}},
				Body: io.NopCloser(strings.NewReader(tt.body))}
			if err := oauth1.CheckResponse(resp); !errors.As(err, &pe) || string(pe.Body) != tt.want {
				t.Errorf("CheckResponse() = %#v, want Body %q", err, tt.want)
			}
		})
	}
}

// TestCheckResponseHidesCredentials gives CheckResponse the refusals of a
// resource server that echoes what it received, for requests signed in
// every placement: the token and the signature (with PLAINTEXT, the
// secrets) must not reach the error.
func TestCheckResponseHidesCredentials(t *testing.T) {
	for _, sec := range []struct{ name, consumer, token string }{
		{"long secrets", "consumer-secret-4f1a", "token-secret-77b2"},
		{"short secrets", "e", "p"},
	} {
		for _, mc := range methodCases() {
			for _, pl := range placements {
				for _, ef := range echoForms {
					t.Run(sec.name+"/"+mc.name+"/"+pl.String()+"/"+ef.name, func(t *testing.T) {
						var got *http.Response
						resource := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
							b, _ := io.ReadAll(r.Body)
							ct, body := ef.body(r.Header.Get("Authorization"), r.URL.RawQuery, string(b),
								receivedParams(r, string(b)), "please retry the request")
							w.Header().Set("Content-Type", ct)
							w.Header().Set("WWW-Authenticate", `OAuth realm="api", oauth_problem="token_rejected"`)
							w.WriteHeader(http.StatusUnauthorized)
							io.WriteString(w, body)
						})
						cfg := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: sec.consumer, Method: mc.method, Placement: pl,
							HTTPClient: &http.Client{Transport: handlerTransport{resource}}}
						tok := &oauth1.Token{Token: "access-token-9a9a", Secret: sec.token}
						req, _ := http.NewRequest(http.MethodPost, "https://api.example/resource?q=1", strings.NewReader("a=1"))
						req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
						got, err := cfg.Client(tok).Do(req)
						if err != nil {
							t.Fatal(err)
						}
						defer got.Body.Close()
						err = oauth1.CheckResponse(got)
						if !errors.As(err, new(*oauth1.Error)) {
							t.Fatalf("CheckResponse() = %v, want a *Error", err)
						}
						var sigs []string
						for k, v := range receivedParams(got.Request, formBody(t, got.Request)) {
							if k == "oauth_signature" {
								sigs = append(sigs, v)
							}
						}
						if len(sigs) != 1 {
							t.Fatalf("signed request carries %d signatures", len(sigs))
						}
						creds := []string{tok.Token, sigs[0]}
						if mc.method == oauth1.Plaintext {
							creds = append(creds, sec.consumer, sec.token)
						}
						checkScrubbed(t, err, creds...)
						checkAdvice(t, err, "please retry the request")
					})
				}
			}
		}
	}
}

// formBody returns the form body r was sent with, from GetBody.
func formBody(tb testing.TB, r *http.Request) string {
	tb.Helper()
	if r.GetBody == nil {
		return ""
	}
	rc, err := r.GetBody()
	if err != nil {
		tb.Fatal(err)
	}
	defer rc.Close()
	b, _ := io.ReadAll(rc)
	return string(b)
}

// errRT fails every request.
type errRT struct{}

func (errRT) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("connection refused")
}

// TestTokenRequestErrorHidesURL fails the token requests in the
// transport: http.Client's error quotes the URL, which holds the
// signature and the verifier with the InQuery placement.
func TestTokenRequestErrorHidesURL(t *testing.T) {
	for _, mc := range methodCases() {
		t.Run(mc.name, func(t *testing.T) {
			cfg := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "consumer-secret-4f1a", Method: mc.method,
				Placement: oauth1.InQuery, HTTPClient: &http.Client{Transport: errRT{}},
				Endpoint: oauth1.Endpoint{AccessTokenURL: "https://provider.example/access?x=1"}}
			_, err := cfg.AccessToken(context.Background(), &oauth1.Token{Token: "request-token-3e5f", Secret: "token-secret-77b2"}, "verifier-90cd")
			var ue *url.Error
			if !errors.As(err, &ue) {
				t.Fatalf("AccessToken() error = %v, want a *url.Error", err)
			}
			checkScrubbed(t, err, "consumer-secret-4f1a", "token-secret-77b2", "verifier-90cd", "request-token-3e5f")
			if !strings.Contains(err.Error(), "provider.example/access?x=1") {
				t.Errorf("error %q does not name the endpoint", err)
			}
		})
	}
}

// TestErrorEndpoint checks that each refusal names where it came from, and
// that a body over the limit is an *http.MaxBytesError, wrapped.
func TestErrorEndpoint(t *testing.T) {
	refuse := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, "oauth_problem=signature_invalid")
	}))
	defer refuse.Close()
	cfg := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "cs", Endpoint: oauth1.Endpoint{
		RequestTokenURL: refuse.URL + "/request", AccessTokenURL: refuse.URL + "/access"}}
	rt := &oauth1.Token{Token: "rt", Secret: "rs"}
	ctx := context.Background()
	tests := []struct {
		name string
		call func() error
		want *oauth1.Error
	}{
		{"request token", func() error { _, err := cfg.RequestToken(ctx); return err },
			&oauth1.Error{Endpoint: "request token", StatusCode: 401, Problem: "signature_invalid"}},
		{"access token", func() error { _, err := cfg.AccessToken(ctx, rt, "v"); return err },
			&oauth1.Error{Endpoint: "access token", StatusCode: 401, Problem: "signature_invalid"}},
		{"resource", func() error {
			resp, err := cfg.Client(rt).Get(refuse.URL + "/resource")
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			return oauth1.CheckResponse(resp)
		}, &oauth1.Error{Endpoint: "resource", StatusCode: 401, Problem: "signature_invalid"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var got *oauth1.Error
			if !errors.As(err, &got) {
				t.Fatalf("error = %v, want an *Error", err)
			}
			got.Body = nil
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("*Error mismatch (-want +got):\n%s", diff)
			}
			if !errors.Is(err, oauth1.ErrInvalidSignature) {
				t.Errorf("errors.Is(%v, ErrInvalidSignature) = false", err)
			}
		})
	}

	big := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "oauth_token=a&oauth_token_secret=b&pad="+strings.Repeat("x", 100))
	}))
	defer big.Close()
	small := &oauth1.Config{ConsumerKey: "ck", MaxBodyBytes: 50, Endpoint: oauth1.Endpoint{AccessTokenURL: big.URL}}
	_, err := small.AccessToken(ctx, rt, "v")
	var mb *http.MaxBytesError
	if !errors.As(err, &mb) || mb.Limit != 50 {
		t.Errorf("AccessToken() error = %v, want an *http.MaxBytesError with Limit 50", err)
	}
	if errors.As(err, new(*oauth1.Error)) {
		t.Errorf("AccessToken() error = %v is an *Error, want only the size", err)
	}
}
