package oauth2

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// redirectRT answers every request to the authorization server with a 307
// to another host over plain http, and anything else with a token: a client
// that followed the redirect would re-post the credentials there and accept
// the answer.
type redirectRT struct {
	mu    sync.Mutex
	hosts []string
}

func (r *redirectRT) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	r.mu.Lock()
	r.hosts = append(r.hosts, req.URL.Host)
	r.mu.Unlock()
	if req.URL.Host == "as.example.com" {
		h := http.Header{"Location": {"http://attacker.example.net/collect"}}
		return &http.Response{StatusCode: http.StatusTemporaryRedirect, Header: h, Body: http.NoBody, Request: req}, nil
	}
	h := http.Header{"Content-Type": {"application/json"}}
	body := `{"access_token":"x","active":true,"device_code":"d","user_code":"u","verification_uri":"https://v"}`
	return &http.Response{StatusCode: 200, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: req}, nil
}

func TestEndpointRedirectNotFollowed(t *testing.T) {
	calls := []struct {
		name string
		call func(*Config, *Session) error
	}{
		{"password", func(c *Config, _ *Session) error {
			_, err := c.PasswordCredentialsToken(context.Background(), "alice", "hunter2")
			return err
		}},
		{"refresh", func(_ *Config, s *Session) error { _, err := s.Refresh(context.Background()); return err }},
		{"client credentials", func(c *Config, _ *Session) error {
			_, err := c.ClientCredentials().Token(context.Background())
			return err
		}},
		{"device", func(c *Config, _ *Session) error { _, err := c.DeviceAuth(context.Background()); return err }},
		{"revocation", func(_ *Config, s *Session) error { return s.Revoke(context.Background(), HintRefreshToken) }},
		{"introspection", func(_ *Config, s *Session) error {
			_, err := s.Introspect(context.Background(), HintAccessToken)
			return err
		}},
	}
	for _, m := range []AuthMethod{AuthClientSecretBasic, AuthClientSecretPost, AuthAutoDetect} {
		for _, c := range calls {
			t.Run(string(m)+"/"+c.name, func(t *testing.T) {
				rt := &redirectRT{}
				var checked bool
				hc := &http.Client{Transport: rt, CheckRedirect: func(*http.Request, []*http.Request) error { checked = true; return nil }}
				base := "https://as.example.com"
				cfg := &Config{ClientID: "id", ClientSecret: "CLIENT-SECRET", AuthMethod: m, HTTPClient: hc,
					Endpoint: Endpoint{TokenURL: base + "/token", DeviceAuthURL: base + "/device",
						RevocationURL: base + "/revoke", IntrospectionURL: base + "/introspect"}}
				s := cfg.NewSession(&Token{AccessToken: "AT-SECRET", RefreshToken: "RT-SECRET"})
				err := c.call(cfg, s)
				var e *Error
				if !errors.As(err, &e) || e.StatusCode != http.StatusTemporaryRedirect || e.ErrorCode != "" {
					t.Errorf("err = %v, want an *Error with status 307 and no error code", err)
				}
				for _, h := range rt.hosts {
					if h != "as.example.com" {
						t.Errorf("request sent to %s", h)
					}
				}
				if checked {
					t.Error("the configured CheckRedirect was consulted: the redirect was considered")
				}
			})
		}
	}
}

// The shallow copy of Config.HTTPClient keeps its Transport, Jar and
// Timeout and leaves the caller's client alone.
func TestEndpointClientKeepsSettings(t *testing.T) {
	jar := &nopJar{}
	hc := &http.Client{Transport: &redirectRT{}, Jar: jar, Timeout: 7}
	cfg := &Config{HTTPClient: hc}
	got := cfg.endpointClient()
	if got == hc || got.Transport != hc.Transport || got.Jar != jar || got.Timeout != 7 {
		t.Errorf("endpointClient() = %+v, want a copy of %+v", got, hc)
	}
	if hc.CheckRedirect != nil {
		t.Error("Config.HTTPClient was modified")
	}
	if got.CheckRedirect == nil || !errors.Is(got.CheckRedirect(nil, nil), http.ErrUseLastResponse) {
		t.Error("CheckRedirect does not stop at the first response")
	}
}

type nopJar struct{ _ int }

func (*nopJar) SetCookies(*url.URL, []*http.Cookie) {}
func (*nopJar) Cookies(*url.URL) []*http.Cookie     { return nil }

// echoRT is a server that answers 400 and echoes what it was sent: with
// keys, the raw form body and Authorization header; without, only the
// values, raw and form-escaped, in the body and the error description.
type echoRT struct{ keys bool }

func (e echoRT) RoundTrip(r *http.Request) (*http.Response, error) {
	b, _ := io.ReadAll(r.Body)
	r.Body.Close()
	var echo string
	if e.keys {
		echo = string(b) + " Authorization: " + r.Header.Get("Authorization")
	} else {
		q, _ := url.ParseQuery(string(b))
		for _, vs := range q {
			for _, v := range vs {
				echo += v + " " + url.QueryEscape(v) + " "
			}
		}
		if a := r.Header.Get("Authorization"); a != "" {
			_, cred, _ := strings.Cut(a, " ")
			echo += cred
		}
	}
	js, _ := json.Marshal(map[string]string{"error": "invalid_request", "error_description": "bad: " + echo, "got": echo})
	h := http.Header{"Content-Type": {"application/json"}}
	return &http.Response{StatusCode: 400, Header: h, Body: io.NopCloser(bytes.NewReader(js)), Request: r}, nil
}

func TestErrorRedactsSentCredentials(t *testing.T) {
	sent := []string{"CLIENT-SECRET", "hunter2 p@ss&<x>", "RT-SECRET", "CODE-SECRET", "SUBJECT-JWT", "ACTOR-JWT",
		"ASSERTION-JWT", "DEVICE-SECRET", "AT-SECRET", strings.TrimPrefix(urlenc.BasicAuth("id", "CLIENT-SECRET"), "Basic ")}
	calls := []struct {
		name string
		call func(*Config, *Session) error
	}{
		{"password", func(c *Config, _ *Session) error {
			_, err := c.PasswordCredentialsToken(context.Background(), "alice", "hunter2 p@ss&<x>")
			return err
		}},
		{"refresh", func(_ *Config, s *Session) error { _, err := s.Refresh(context.Background()); return err }},
		{"exchange", func(c *Config, _ *Session) error {
			l, err := c.NewLogin(context.Background())
			if err != nil {
				return err
			}
			_, err = c.CompleteLoginURL(context.Background(), l, "https://app.example/cb?code=CODE-SECRET&state="+l.State)
			var e *Error
			if errors.As(err, &e) && strings.Contains(string(e.Body)+e.Error(), l.CodeVerifier) {
				t.Errorf("verifier in error: %s / %s", e.Body, e)
			}
			return err
		}},
		{"token exchange", func(c *Config, _ *Session) error {
			_, err := c.TokenExchange(func(context.Context) (string, string, error) {
				return "SUBJECT-JWT", "urn:ietf:params:oauth:token-type:jwt", nil
			}, SetParam("actor_token", "ACTOR-JWT"), SetParam("actor_token_type", "urn:ietf:params:oauth:token-type:jwt")).Token(context.Background())
			return err
		}},
		{"jwt bearer", func(c *Config, _ *Session) error {
			_, err := c.JWTBearer(func(context.Context) (string, error) { return "ASSERTION-JWT", nil }).Token(context.Background())
			return err
		}},
		{"device", func(c *Config, _ *Session) error { _, err := c.DeviceAuth(context.Background()); return err }},
		{"device token", func(c *Config, _ *Session) error {
			_, err := c.DeviceAccessToken(context.Background(), &DeviceAuthResponse{DeviceCode: "DEVICE-SECRET", Interval: 1})
			return err
		}},
		{"revocation", func(_ *Config, s *Session) error { return s.Revoke(context.Background(), HintAccessToken) }},
		{"introspection", func(_ *Config, s *Session) error {
			_, err := s.Introspect(context.Background(), HintRefreshToken)
			return err
		}},
	}
	for _, keys := range []bool{true, false} {
		for _, m := range []AuthMethod{AuthClientSecretBasic, AuthClientSecretPost} {
			for _, c := range calls {
				t.Run(fmt.Sprintf("keys=%t/%s/%s", keys, m, c.name), func(t *testing.T) {
					base := "https://as.example.com"
					cfg := &Config{ClientID: "id", ClientSecret: "CLIENT-SECRET", AuthMethod: m,
						HTTPClient: &http.Client{Transport: echoRT{keys}},
						Sleep:      func(context.Context, time.Duration) error { return nil },
						Endpoint: Endpoint{TokenURL: base + "/token", DeviceAuthURL: base + "/device",
							RevocationURL: base + "/revoke", IntrospectionURL: base + "/introspect"}}
					s := cfg.NewSession(&Token{AccessToken: "AT-SECRET", RefreshToken: "RT-SECRET"})
					err := c.call(cfg, s)
					var e *Error
					if !errors.As(err, &e) {
						t.Fatalf("err = %v, want an *Error", err)
					}
					for _, v := range sent {
						for _, form := range []string{v, url.QueryEscape(v)} {
							for what, out := range map[string]string{"Body": string(e.Body), "Error()": e.Error(),
								"ErrorDescription": e.ErrorDescription, "%+v": fmt.Sprintf("%+v", e)} {
								if strings.Contains(out, form) {
									t.Errorf("%s carries %q: %s", what, form, out)
								}
							}
						}
					}
					if !keys && !bytes.Contains(e.Body, []byte("[redacted]")) && !bytes.HasPrefix(e.Body, []byte("[withheld")) {
						t.Errorf("Body = %s, want the sent values [redacted]", e.Body)
					}
				})
			}
		}
	}
}

func TestExcerptMarkers(t *testing.T) {
	for _, body := range []string{
		`{"error":"x","password":"p"}`, `{"error":"x","PASSWORD":"p"}`, `{"error":"x","Code_Verifier":"v"}`,
		`{"error":"x","subject_token":"s"}`, `{"error":"x","actor_token":"s"}`, `{"error":"x","client_assertion":"s"}`,
		`{"error":"x","Refresh_Token":"r"}`, `{"error":"x","CLIENT_SECRET":"c"}`,
	} {
		if got := string(excerpt([]byte(body), nil)); got == body {
			t.Errorf("excerpt(%q) = %q, want it withheld", body, got)
		}
	}
	if body := `{"error":"invalid_grant"}`; string(excerpt([]byte(body), nil)) != body {
		t.Errorf("excerpt(%q) changed a body without credentials", body)
	}
}
