package oauth2_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oauth2test"
)

// Claims of README.md about package oauth2 that no other test checks.

// README, "Migrating": GenerateVerifier returns 43 characters from
// crypto/rand. RFC 7636 §4.1: a verifier is 43 to 128 characters of
// [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"; the RFC recommends 32
// random octets base64url-encoded, which is 43 characters.
func TestREADMEGenerateVerifier(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 100; i++ {
		v := oauth2.GenerateVerifier()
		if len(v) != 43 {
			t.Fatalf("GenerateVerifier() = %q, %d characters, want 43", v, len(v))
		}
		if strings.Trim(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~") != "" {
			t.Fatalf("GenerateVerifier() = %q, has a character RFC 7636 §4.1 does not allow", v)
		}
		if b, err := base64.RawURLEncoding.DecodeString(v); err != nil || len(b) != 32 {
			t.Fatalf("GenerateVerifier() = %q, not 32 octets base64url-encoded (%d, %v)", v, len(b), err)
		}
		if seen[v] {
			t.Fatalf("GenerateVerifier() returned %q twice", v)
		}
		seen[v] = true
	}
}

// countingReader returns a fixed byte pattern and counts what was read.
type countingReader struct{ n int }

func (r *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r.n + i)
	}
	r.n += len(p)
	return len(p), nil
}

// README, "Security defaults": the state of a login is 128 bits from
// the random source (Config.Rand, crypto/rand when nil).
func TestREADMELoginState128Bits(t *testing.T) {
	rnd := &countingReader{}
	cfg := &oauth2.Config{ClientID: "id", Endpoint: oauth2.Endpoint{AuthURL: "https://as.example/authorize"}, Rand: rnd}
	login, err := cfg.NewLogin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	st, err := base64.RawURLEncoding.DecodeString(login.State)
	if err != nil || len(st) != 16 {
		t.Fatalf("Login.State = %q: %d octets (%v), want 16 (128 bits)", login.State, len(st), err)
	}
	// The state's octets are ones Config.Rand produced: octets 0..15, or
	// the verifier's run after them.
	if want := []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}; !bytes.Equal(st, want) {
		t.Errorf("Login.State octets = %v, want the first 16 octets of Config.Rand, %v", st, want)
	}
	u, err := url.Parse(login.URL)
	if err != nil || u.Query().Get("state") != login.State {
		t.Errorf("login URL %q does not carry the state %q", login.URL, login.State)
	}
	// Without Config.Rand, two logins never share a state.
	cfg.Rand = nil
	a, err1 := cfg.NewLogin(context.Background())
	b, err2 := cfg.NewLogin(context.Background())
	if err1 != nil || err2 != nil || a.State == b.State || len(a.State) != 22 {
		t.Errorf("states %q and %q (%v, %v), want two different 22-character states", a.State, b.State, err1, err2)
	}
}

// README, "Security defaults": requests to the pushed authorization
// request endpoint, like the token, device, revocation and introspection
// endpoints (TestEndpointRedirectNotFollowed), never follow a redirect:
// the client authentication is never re-posted elsewhere. The code
// exchange and the device polls go to the token endpoint and are checked
// here too.
func TestREADMEEndpointRedirectsNotFollowed(t *testing.T) {
	calls := []struct {
		name string
		call func(*oauth2.Config) error
	}{
		{"pushed authorization", func(c *oauth2.Config) error {
			_, err := c.NewLogin(context.Background(), oauth2.PushedAuthorization)
			return err
		}},
		{"code exchange", func(c *oauth2.Config) error {
			_, err := c.Exchange(context.Background(), "CODE")
			return err
		}},
		{"device poll", func(c *oauth2.Config) error {
			_, err := c.DeviceAccessToken(context.Background(), &oauth2.DeviceAuthResponse{DeviceCode: "DC", Interval: 1})
			return err
		}},
	}
	for _, tt := range calls {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var hosts []string
			rt := rtFunc(func(r *http.Request) (*http.Response, error) {
				if r.Body != nil {
					io.Copy(io.Discard, r.Body)
					r.Body.Close()
				}
				mu.Lock()
				hosts = append(hosts, r.URL.Host)
				mu.Unlock()
				if r.URL.Host == "as.example.com" {
					h := http.Header{"Location": {"https://attacker.example.net/collect"}}
					return &http.Response{StatusCode: http.StatusTemporaryRedirect, Header: h, Body: http.NoBody, Request: r}, nil
				}
				h := http.Header{"Content-Type": {"application/json"}}
				body := `{"access_token":"x","token_type":"Bearer","request_uri":"urn:x","expires_in":60}`
				return &http.Response{StatusCode: http.StatusCreated, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
			})
			cfg := &oauth2.Config{ClientID: "id", ClientSecret: "CLIENT-SECRET", RedirectURL: "https://app.example/cb",
				HTTPClient: &http.Client{Transport: rt},
				Sleep:      func(context.Context, time.Duration) error { return nil },
				Endpoint: oauth2.Endpoint{AuthURL: "https://as.example.com/authorize", TokenURL: "https://as.example.com/token",
					PushedAuthURL: "https://as.example.com/par"}}
			err := tt.call(cfg)
			var e *oauth2.Error
			if !errors.As(err, &e) || e.StatusCode != http.StatusTemporaryRedirect {
				t.Errorf("err = %v, want an *Error with status 307", err)
			}
			mu.Lock()
			defer mu.Unlock()
			for _, h := range hosts {
				if h != "as.example.com" {
					t.Errorf("request sent to %s", h)
				}
			}
		})
	}
}

// README, "Security defaults": a Session is used through its pointer,
// and go vet flags a copy. vet's copylocks check flags a copy of a struct
// that holds, not through a pointer, a value whose pointer has Lock and
// Unlock methods (sync.Mutex, and the sync/atomic types through their
// noCopy field); this test looks for such a field as vet does.
func TestREADMESessionCopyFlaggedByVet(t *testing.T) {
	var holdsLock func(reflect.Type, int) bool
	holdsLock = func(typ reflect.Type, depth int) bool {
		if depth > 8 {
			return false
		}
		p := reflect.PointerTo(typ)
		_, lock := p.MethodByName("Lock")
		_, unlock := p.MethodByName("Unlock")
		if lock && unlock {
			return true
		}
		switch typ.Kind() {
		case reflect.Struct:
			for i := 0; i < typ.NumField(); i++ {
				if holdsLock(typ.Field(i).Type, depth+1) {
					return true
				}
			}
		case reflect.Array:
			return typ.Len() > 0 && holdsLock(typ.Elem(), depth+1)
		}
		return false
	}
	if !holdsLock(reflect.TypeOf(oauth2.Session{}), 0) {
		t.Error("oauth2.Session holds no lock by value: go vet's copylocks check would not flag a copy")
	}
}

// README, "What is supported": presets for GitHub, Google,
// Microsoft(tenant), Facebook, LinkedIn, Fitbit, Slack, GitLab, Discord
// and Spotify, each with https authorization and token URLs on the
// provider's own domain.
func TestREADMEPresets(t *testing.T) {
	tests := []struct {
		name   string
		e      oauth2.Endpoint
		domain string
	}{
		{"GitHub", oauth2.GitHub, "github.com"},
		{"Google", oauth2.Google, "googleapis.com"},
		{"Microsoft", oauth2.Microsoft("common"), "login.microsoftonline.com"},
		{"Facebook", oauth2.Facebook, "facebook.com"},
		{"LinkedIn", oauth2.LinkedIn, "linkedin.com"},
		{"Fitbit", oauth2.Fitbit, "fitbit.com"},
		{"Slack", oauth2.Slack, "slack.com"},
		{"GitLab", oauth2.GitLab, "gitlab.com"},
		{"Discord", oauth2.Discord, "discord.com"},
		{"Spotify", oauth2.Spotify, "spotify.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, raw := range []string{tt.e.AuthURL, tt.e.TokenURL} {
				u, err := url.Parse(raw)
				if err != nil || u.Scheme != "https" || u.Path == "" {
					t.Errorf("URL %q is not an https URL with a path", raw)
				}
			}
			if u, _ := url.Parse(tt.e.TokenURL); u == nil || (u.Host != tt.domain && !strings.HasSuffix(u.Host, "."+tt.domain)) {
				t.Errorf("TokenURL %q is not on %s", tt.e.TokenURL, tt.domain)
			}
		})
	}
	if got := oauth2.Microsoft("contoso.onmicrosoft.com").TokenURL; got != "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token" {
		// Microsoft identity platform documentation, "OAuth 2.0
		// authorization code flow": POST /{tenant}/oauth2/v2.0/token.
		t.Errorf("Microsoft(tenant).TokenURL = %q", got)
	}
}

// README, "Security defaults" and "Migrating": response bodies are read
// through a 1 MiB limit by default.
func TestREADMEDefaultBodyLimit(t *testing.T) {
	if oauth2.DefaultMaxBodyBytes != 1<<20 {
		t.Errorf("DefaultMaxBodyBytes = %d, want 1 MiB (%d), as the README says", oauth2.DefaultMaxBodyBytes, 1<<20)
	}
}

// README, "Migrating": client_secret_basic is the default with a secret,
// and a server that wants the secret in the body fails with
// invalid_client until the Config says so (AuthClientSecretPost, or
// AuthAutoDetect when asked). The test provider authenticates a client
// only by the method it was registered with, as RFC 7591's
// token_endpoint_auth_method registers one.
func TestREADMESecretInBodyOnlyWhenAsked(t *testing.T) {
	srv := oauth2test.NewServer(t)
	tests := []struct {
		name    string
		method  oauth2.AuthMethod
		wantErr error
	}{
		{"default", "", oauth2.ErrInvalidClient},
		{"client_secret_post", oauth2.AuthClientSecretPost, nil},
		{"auto-detect", oauth2.AuthAutoDetect, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &oauth2.Config{ClientID: oauth2test.PostClientID, ClientSecret: oauth2test.PostClientSecret,
				Endpoint: srv.Endpoint(), AuthMethod: tt.method}
			_, err := cfg.ClientCredentials().Token(context.Background())
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("Token() error = %v, want %v", err, tt.wantErr)
			}
		})
	}
}
