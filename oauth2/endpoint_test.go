package oauth2

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
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
		call func(*Session) error
	}{
		{"password", func(s *Session) error { _, err := s.Password(context.Background(), "alice", "hunter2"); return err }},
		{"refresh", func(s *Session) error { _, err := s.Refresh(context.Background()); return err }},
		{"client credentials", func(s *Session) error { _, err := s.ClientCredentials(context.Background()); return err }},
		{"device", func(s *Session) error { _, err := s.DeviceAuth(context.Background()); return err }},
		{"revocation", func(s *Session) error { return s.Revoke(context.Background(), RefreshToken) }},
		{"introspection", func(s *Session) error { _, err := s.Introspect(context.Background(), AccessToken); return err }},
	}
	for _, m := range []AuthMethod{ClientSecretBasic, ClientSecretPost, AuthAutoDetect} {
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
				err := c.call(s)
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
