package oauth2_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
	"github.com/oauthkit/oauth/oauth2"
)

// echoForms returns the forms a server echoing v might write it in: raw,
// form- and path-escaped, and percent-encoded (space as %20) with
// lower-case hex.
func echoForms(v string) []string {
	q := url.QueryEscape(v)
	pct := strings.ReplaceAll(q, "+", "%20")
	lower := regexp.MustCompile(`%[0-9A-F]{2}`).ReplaceAllStringFunc(pct, strings.ToLower)
	return []string{v, q, url.PathEscape(v), lower}
}

// secretForms returns echoForms(v) and the inside of v as a JSON string,
// with and without encoding/json's HTML escaping: the forms that must not
// appear in an error.
func secretForms(v string) []string {
	out := echoForms(v)
	for _, html := range []bool{true, false} {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(html)
		enc.Encode(v)
		j := strings.TrimSpace(b.String())
		out = append(out, j[1:len(j)-1])
	}
	return out
}

// received returns the credentials r carries: the values of the
// credential parameters of its form body, its Authorization credentials
// and the Basic password.
func received(r *http.Request) []string {
	var out []string
	if r.Body != nil {
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		q, _ := url.ParseQuery(string(b))
		for _, k := range []string{"client_secret", "password", "refresh_token", "code", "code_verifier", "device_code",
			"subject_token", "actor_token", "assertion", "client_assertion", "token",
			"ticket", "claim_token", "rpt", "pct", "auth_req_id", "id_token_hint", "login_hint_token",
			"mfa_token", "otp", "oob_code", "binding_code"} {
			out = append(out, q[k]...)
		}
	}
	if a := r.Header.Get("Authorization"); a != "" {
		_, cred, _ := strings.Cut(a, " ")
		out = append(out, cred)
	}
	if _, pw, ok := r.BasicAuth(); ok {
		out = append(out, pw)
	}
	return out
}

// echoAll is a server that answers 400 and echoes every credential it
// received, in every form, in the error code, description and URI and in
// the body: as JSON, or, with form, form-encoded.
func echoAll(form bool) rtFunc {
	return func(r *http.Request) (*http.Response, error) {
		var echo []string
		for _, v := range received(r) {
			if form {
				echo = append(echo, v) // form-encoded once by the response itself
			} else {
				echo = append(echo, echoForms(v)...)
			}
		}
		e := strings.Join(echo, " ")
		fields := map[string]string{"error": "bad " + e, "error_description": "got " + e, "error_uri": "https://as.example.com/e?x=" + e + " ", "got": e}
		h := http.Header{}
		var body []byte
		if form {
			v := url.Values{}
			for k, x := range fields {
				v.Set(k, x)
			}
			h.Set("Content-Type", "application/x-www-form-urlencoded")
			body = []byte(v.Encode())
		} else {
			// Without HTML escaping, so that each form is encoded once.
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			enc.Encode(fields)
			h.Set("Content-Type", "application/json")
			body = b.Bytes()
		}
		return &http.Response{StatusCode: 400, Header: h, Body: io.NopCloser(strings.NewReader(string(body))), Request: r}, nil
	}
}

// errorTexts returns everything an *Error shows: Error(), the fmt verbs
// and every field.
func errorTexts(err error) map[string]string {
	out := map[string]string{"Error()": err.Error()}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		out[verb] = fmt.Sprintf(verb, err)
	}
	var e *oauth2.Error
	if errors.As(err, &e) {
		out["ErrorCode"], out["ErrorDescription"], out["ErrorURI"] = e.ErrorCode, e.ErrorDescription, e.ErrorURI
		out["Scope"], out["Body"] = e.Scope, string(e.Body)
	}
	return out
}

// checkNoCredential fails if any text of err carries a form of a secret.
func checkNoCredential(t testing.TB, err error, secrets ...string) {
	t.Helper()
	for what, text := range errorTexts(err) {
		for _, s := range secrets {
			for _, f := range secretForms(s) {
				if strings.Contains(text, f) {
					t.Errorf("%s carries %q: %s", what, f, text)
				}
			}
		}
	}
}

var sentSecrets = []string{"CLIENT-SECRET", `hunter2 "p@ss"&<x>`, "RT-SECRET", "CODE-SECRET", "VERIFIER-SECRET", "SUBJECT-JWT", "ACTOR-JWT",
	"ASSERTION-JWT", "DEVICE-SECRET", "AT-SECRET", strings.TrimPrefix(urlenc.BasicAuth("id", "CLIENT-SECRET"), "Basic "),
	"TICKET-SECRET", "CLAIM-TOKEN-SECRET", "RPT-SECRET", "PCT-SECRET", "AUTH-REQ-ID-SECRET", "ID-TOKEN-HINT-JWT",
	"LOGIN-HINT-TOKEN-JWT", "MFA-TOKEN-SECRET", "OTP-SECRET", "OOB-CODE-SECRET", "BINDING-CODE-SECRET"}

// endpointCalls are the calls that send credentials to an endpoint: with
// cfg, or with s, a session of cfg holding AT-SECRET and RT-SECRET.
var endpointCalls = []struct {
	name string
	call func(*oauth2.Config, *oauth2.Session) error
}{
	{"password", func(c *oauth2.Config, _ *oauth2.Session) error {
		_, err := c.PasswordCredentialsToken(context.Background(), "alice", `hunter2 "p@ss"&<x>`)
		return err
	}},
	{"refresh", func(_ *oauth2.Config, s *oauth2.Session) error { _, err := s.Refresh(context.Background()); return err }},
	{"login", func(c *oauth2.Config, _ *oauth2.Session) error {
		l, err := c.NewLogin(context.Background(), oauth2.WithPKCE(oauth2.PKCEPlain))
		if err != nil {
			return err
		}
		_, err = c.CompleteLoginURL(context.Background(), l, "https://app.example/cb?code=CODE-SECRET&state="+l.State)
		return err
	}},
	{"exchange", func(c *oauth2.Config, _ *oauth2.Session) error {
		_, err := c.Exchange(context.Background(), "CODE-SECRET", oauth2.VerifierOption("VERIFIER-SECRET"))
		return err
	}},
	{"client credentials", func(c *oauth2.Config, _ *oauth2.Session) error {
		_, err := c.ClientCredentials().Token(context.Background())
		return err
	}},
	{"token exchange", func(c *oauth2.Config, _ *oauth2.Session) error {
		_, err := c.TokenExchange(func(context.Context) (string, string, error) {
			return "SUBJECT-JWT", "urn:ietf:params:oauth:token-type:jwt", nil
		}, oauth2.SetParam("actor_token", "ACTOR-JWT"), oauth2.SetParam("actor_token_type", "urn:ietf:params:oauth:token-type:jwt")).Token(context.Background())
		return err
	}},
	{"jwt bearer", func(c *oauth2.Config, _ *oauth2.Session) error {
		_, err := c.JWTBearer(func(context.Context) (string, error) { return "ASSERTION-JWT", nil }).Token(context.Background())
		return err
	}},
	{"grant session", func(c *oauth2.Config, _ *oauth2.Session) error {
		_, err := c.GrantSession("urn:example:grant", func(context.Context) (url.Values, error) {
			return url.Values{"assertion": {"ASSERTION-JWT"}}, nil
		}).Token(context.Background())
		return err
	}},
	// The credentials of grants the package does not name, sent as a
	// GrantSession's parameters or with SetParam: UMA 2.0 Grant §3.3.1,
	// OpenID CIBA Core §10.1, Auth0's MFA grants.
	{"uma grant", func(c *oauth2.Config, _ *oauth2.Session) error {
		_, err := c.GrantSession("urn:ietf:params:oauth:grant-type:uma-ticket", func(context.Context) (url.Values, error) {
			return url.Values{
				"ticket":             {"TICKET-SECRET"},
				"claim_token":        {"CLAIM-TOKEN-SECRET"},
				"claim_token_format": {"http://openid.net/specs/openid-connect-core-1_0.html#IDToken"},
				"rpt":                {"RPT-SECRET"},
				"pct":                {"PCT-SECRET"},
			}, nil
		}).Token(context.Background())
		return err
	}},
	{"ciba grant", func(c *oauth2.Config, _ *oauth2.Session) error {
		_, err := c.GrantSession("urn:openid:params:grant-type:ciba", func(context.Context) (url.Values, error) {
			return url.Values{"auth_req_id": {"AUTH-REQ-ID-SECRET"}}, nil
		}).Token(context.Background())
		return err
	}},
	{"mfa grant", func(c *oauth2.Config, _ *oauth2.Session) error {
		_, err := c.GrantSession("http://auth0.com/oauth/grant-type/mfa-oob", func(context.Context) (url.Values, error) {
			return url.Values{"mfa_token": {"MFA-TOKEN-SECRET"}}, nil
		}, oauth2.SetParam("oob_code", "OOB-CODE-SECRET"), oauth2.SetParam("binding_code", "BINDING-CODE-SECRET"),
			oauth2.SetParam("otp", "OTP-SECRET")).Token(context.Background())
		return err
	}},
	{"pushed login", func(c *oauth2.Config, _ *oauth2.Session) error {
		p := *c
		p.Endpoint.PushedAuthURL = asURL + "/par"
		_, err := p.NewLogin(context.Background(), oauth2.PushedAuthorization,
			oauth2.SetAuthURLParam("id_token_hint", "ID-TOKEN-HINT-JWT"), oauth2.SetAuthURLParam("login_hint_token", "LOGIN-HINT-TOKEN-JWT"))
		return err
	}},
	{"device", func(c *oauth2.Config, _ *oauth2.Session) error {
		_, err := c.DeviceAuth(context.Background())
		return err
	}},
	{"device token", func(c *oauth2.Config, _ *oauth2.Session) error {
		_, err := c.DeviceAccessToken(context.Background(), &oauth2.DeviceAuthResponse{DeviceCode: "DEVICE-SECRET", Interval: 1})
		return err
	}},
	{"revocation", func(_ *oauth2.Config, s *oauth2.Session) error {
		return s.Revoke(context.Background(), oauth2.HintAccessToken)
	}},
	{"introspection", func(_ *oauth2.Config, s *oauth2.Session) error {
		_, err := s.Introspect(context.Background(), oauth2.HintRefreshToken)
		return err
	}},
}

// No credential a request sent appears in any text of the *Error made
// from the answer of a server that echoes them all, in every form and in
// every field, the error code included.
func TestErrorsCarryNoSentCredential(t *testing.T) {
	for _, form := range []bool{false, true} {
		for _, m := range []oauth2.AuthMethod{oauth2.AuthClientSecretBasic, oauth2.AuthClientSecretPost} {
			for _, c := range endpointCalls {
				t.Run(fmt.Sprintf("form=%t/%s/%s", form, m, c.name), func(t *testing.T) {
					cfg := asConfig(echoAll(form))
					cfg.AuthMethod = m
					cfg.Sleep = func(context.Context, time.Duration) error { return nil }
					s := cfg.NewSession(&oauth2.Token{AccessToken: "AT-SECRET", RefreshToken: "RT-SECRET"})
					err := c.call(cfg, s)
					var e *oauth2.Error
					if !errors.As(err, &e) {
						t.Fatalf("err = %v, want an *Error", err)
					}
					if !strings.Contains(e.ErrorDescription, urlenc.Redacted) {
						t.Errorf("ErrorDescription = %q, want the echoed credentials %s", e.ErrorDescription, urlenc.Redacted)
					}
					checkNoCredential(t, err, sentSecrets...)
				})
			}
		}
	}
}

// Short credentials are replaced where they stand alone, never inside the
// words of the server's message.
func TestErrorShortSecretsDoNotGarble(t *testing.T) {
	rt := reply(400, nil, `{"error":"invalid_client","error_description":"client secret expired for secret e (user p)"}`)
	cfg := asConfig(rt)
	cfg.ClientSecret = "e"
	cfg.AuthMethod = oauth2.AuthClientSecretPost
	_, err := cfg.PasswordCredentialsToken(context.Background(), "alice", "p")
	var e *oauth2.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want an *Error", err)
	}
	if want := "client secret expired for secret [redacted] (user [redacted])"; e.ErrorDescription != want {
		t.Errorf("ErrorDescription = %q, want %q", e.ErrorDescription, want)
	}
}

// A callback URL or form body that does not parse gives
// ErrMalformedCallback, and the error does not quote the URL and the code
// or token it carries.
func TestCallbackParseErrorHidesURL(t *testing.T) {
	tests := []struct {
		name string
		url  string
		frag bool
	}{
		{"bad path escape", "https://app.example/cb%zz?code=CODE-SECRET&state=S", false},
		{"control character", "https://app.example/cb?code=CODE-SECRET&state=S\x7f", false},
		{"bad query escape", "https://app.example/cb?code=CODE-SECRET&state=%zz", false},
		{"bad fragment escape", "https://app.example/cb#access_token=AT-SECRET&state=S&x=%zz", true},
		{"bad escape in fragment value", "https://app.example/cb#state=S&access_token=AT-SECRET%2", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &oauth2.Config{ClientID: "id"}
			l := &oauth2.Login{State: "S", ResponseType: "code"}
			if tt.frag {
				l.ResponseType = "token"
			}
			_, err := cfg.CompleteLoginURL(context.Background(), l, tt.url)
			if !errors.Is(err, oauth2.ErrMalformedCallback) {
				t.Errorf("err = %v, want ErrMalformedCallback", err)
			}
			if err != nil {
				checkNoCredential(t, err, "CODE-SECRET", "AT-SECRET")
			}
			if tt.frag {
				return
			}
			// The same query, malformed, as a form_post body.
			_, query, _ := strings.Cut(tt.url, "?")
			if _, err := url.ParseQuery(query); err == nil {
				return
			}
			r := httptest.NewRequest("POST", "https://app.example/cb", strings.NewReader(query))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			_, err = cfg.CompleteLogin(context.Background(), l, r)
			if !errors.Is(err, oauth2.ErrMalformedCallback) {
				t.Errorf("form_post: err = %v, want ErrMalformedCallback", err)
			}
			if err != nil {
				checkNoCredential(t, err, "CODE-SECRET", "AT-SECRET")
			}
			// And as the query of the callback request itself.
			r = &http.Request{Method: "GET", URL: &url.URL{Path: "/cb", RawQuery: query}, Header: http.Header{}}
			_, err = cfg.CompleteLogin(context.Background(), l, r)
			if !errors.Is(err, oauth2.ErrMalformedCallback) {
				t.Errorf("GET: err = %v, want ErrMalformedCallback", err)
			}
			if err != nil {
				checkNoCredential(t, err, "CODE-SECRET", "AT-SECRET")
			}
		})
	}
}

// An error redirect's fields are scrubbed of the credentials the callback
// carries and of the PKCE verifier, which PKCEPlain sent as the challenge.
func TestCallbackErrorScrubbed(t *testing.T) {
	cfg := &oauth2.Config{ClientID: "id", PKCE: oauth2.PKCEPlain}
	l, err := cfg.NewLogin(context.Background(), oauth2.WithState("S"))
	if err != nil {
		t.Fatal(err)
	}
	verifier := l.CodeVerifier
	q := url.Values{"error": {"access_denied CODE-SECRET"}, "error_description": {"no for CODE-SECRET " + verifier},
		"error_uri": {"https://as.example.com/?c=CODE-SECRET"}, "code": {"CODE-SECRET"}, "state": {"S"}}
	_, err = cfg.CompleteLoginURL(context.Background(), l, "https://app.example/cb?"+q.Encode())
	var e *oauth2.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want *oauth2.Error", err)
	}
	checkNoCredential(t, err, "CODE-SECRET", verifier)
}

// CheckResponse scrubs the access token the request carried, in the
// header, the query or the form body, from everything a resource server
// that echoes it returns.
func TestCheckResponseCarriesNoToken(t *testing.T) {
	const at = "AT-SECRET/x+y="
	echo := rtFunc(func(r *http.Request) (*http.Response, error) {
		var got []string
		if a := r.Header.Get("Authorization"); a != "" {
			got = append(got, a)
		}
		got = append(got, r.URL.Query()["access_token"]...)
		if r.Body != nil {
			b, _ := io.ReadAll(r.Body)
			q, _ := url.ParseQuery(string(b))
			got = append(got, q["access_token"]...)
		}
		var forms []string
		for _, v := range got {
			forms = append(forms, echoForms(v)...)
		}
		e := strings.Join(forms, " ")
		h := http.Header{"Content-Type": {"application/json"}, "Www-Authenticate": {fmt.Sprintf(
			`Basic realm="x", Bearer error="invalid_token %[1]s", error_description="bad %[1]s", error_uri="https://rs.example/?t=%[1]s", scope="%[1]s"`,
			strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(e))}}
		body, _ := json.Marshal(map[string]string{"message": "you sent " + e})
		return &http.Response{StatusCode: 401, Header: h, Body: io.NopCloser(strings.NewReader(string(body))), Request: r}, nil
	})
	for _, p := range []oauth2.Placement{oauth2.InHeader, oauth2.InQuery, oauth2.InFormBody} {
		t.Run(fmt.Sprint(p), func(t *testing.T) {
			s := (&oauth2.Config{Placement: p}).NewSession(&oauth2.Token{AccessToken: at})
			c := oauth2.NewClient(s, &http.Client{Transport: echo})
			resp, err := c.Post("https://rs.example/api", "application/x-www-form-urlencoded", strings.NewReader("a=1"))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			err = oauth2.CheckResponse(resp)
			var e *oauth2.Error
			if !errors.As(err, &e) || e.ErrorDescription == "bad " {
				t.Fatalf("CheckResponse = %#v, want the echoed token in an *Error", err)
			}
			checkNoCredential(t, err, at)
		})
	}
}

// Text from a server of any length is bounded in every field and in
// Error.
func TestErrorFieldsBounded(t *testing.T) {
	big := strings.Repeat("word ", 200000) // 1 MB
	check := func(t *testing.T, err error) {
		t.Helper()
		var e *oauth2.Error
		if !errors.As(err, &e) {
			t.Fatalf("err = %v, want *oauth2.Error", err)
		}
		for what, text := range errorTexts(err) {
			if what == "%#v" || what == "%q" {
				continue // %#v spells out Body byte by byte, %q escapes
			}
			if max := 1024 + 3; len(text) > max {
				t.Errorf("%s is %d bytes, want at most %d", what, len(text), max)
			}
		}
		if len(e.ErrorCode) > 128+3 {
			t.Errorf("ErrorCode is %d bytes, want at most 131", len(e.ErrorCode))
		}
	}
	// A response body is read up to 1 MiB: one big field at a time.
	for _, field := range []string{"error", "error_description", "error_uri"} {
		body, _ := json.Marshal(map[string]string{"error": "invalid_request", field: big})
		t.Run("token endpoint/"+field, func(t *testing.T) {
			cfg := asConfig(reply(400, nil, string(body)))
			_, err := cfg.ClientCredentials().Token(context.Background())
			check(t, err)
		})
		t.Run("revocation/"+field, func(t *testing.T) {
			cfg := asConfig(reply(400, nil, string(body)))
			check(t, cfg.RevokeToken(context.Background(), "a", oauth2.HintAccessToken))
		})
	}
	t.Run("callback", func(t *testing.T) {
		q := url.Values{"error": {big}, "error_description": {big}, "error_uri": {big}, "state": {"S"}}
		_, err := (&oauth2.Config{}).CompleteLoginURL(context.Background(), &oauth2.Login{State: "S"}, "https://app.example/cb?"+q.Encode())
		check(t, err)
	})
	t.Run("resource", func(t *testing.T) {
		h := http.Header{"Www-Authenticate": {`Bearer error="` + big + `", error_description="` + big + `", error_uri="` + big + `", scope="` + big + `"`}}
		check(t, oauth2.CheckResponse(&http.Response{StatusCode: 403, Header: h, Body: io.NopCloser(strings.NewReader(big))}))
	})
}

// malformedEcho is a loopback server that answers every request with no
// HTTP at all: a line holding the credential the request carried (its
// refresh_token, or its Bearer token) and 100 KB more, which net/http
// quotes whole in its "malformed HTTP response" error.
func malformedEcho(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				req, err := http.ReadRequest(bufio.NewReader(c))
				if err != nil {
					return
				}
				b, _ := io.ReadAll(req.Body)
				q, _ := url.ParseQuery(string(b))
				echo := q.Get("refresh_token")
				if echo == "" {
					echo = strings.TrimPrefix(req.Header.Get("Authorization"), "Bearer ")
				}
				if echo == "" {
					echo = req.URL.Query().Get("access_token")
				}
				io.WriteString(c, echo+strings.Repeat("x", 100<<10)+"\r\n\r\n")
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// TestSendErrorCarriesNoCredential: a server that answers with a
// malformed status line holding the credential it received gets it into
// net/http's error; the error the package returns holds neither the
// credential nor unbounded server text.
func TestSendErrorCarriesNoCredential(t *testing.T) {
	const at, rt = "at-secret-123", "rt-secret-456"
	base := malformedEcho(t)
	tests := []struct {
		name   string
		call   func(*oauth2.Session) error
		secret string
	}{
		{"refresh", func(s *oauth2.Session) error {
			_, err := s.Refresh(context.Background())
			return err
		}, rt},
		{"resource, header", func(s *oauth2.Session) error {
			resp, err := s.Client().Get(base + "/api")
			if err == nil {
				resp.Body.Close()
			}
			return err
		}, at},
		{"resource, query", func(s *oauth2.Session) error {
			c := &http.Client{Transport: &oauth2.Transport{Source: s, Placement: oauth2.InQuery}}
			resp, err := c.Get(base + "/api")
			if err == nil {
				resp.Body.Close()
			}
			return err
		}, at},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &oauth2.Config{ClientID: "id", Endpoint: oauth2.Endpoint{TokenURL: base + "/token"}}
			s := cfg.NewSession(&oauth2.Token{AccessToken: at, RefreshToken: rt})
			err := tt.call(s)
			if err == nil {
				t.Fatal("err = nil, want the malformed response's")
			}
			for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
				if got := fmt.Sprintf(f, err); strings.Contains(got, tt.secret) {
					t.Errorf("Sprintf(%q, err) holds the credential: %.200s", f, got)
				}
			}
			if n := len(err.Error()); n > 4<<10 {
				t.Errorf("len(err.Error()) = %d, want at most 4 KiB", n)
			}
		})
	}
}
