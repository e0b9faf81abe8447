package oauth2_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth2"
)

// A hook that panics during an automatic refresh, which runs on a
// goroutine the package starts, never ends the program. In
// Hooks.TokenResponse it fails the refresh: every waiting request gets a
// *PanicError, and the session refreshes normally once the hook behaves.
// In OnTokenUpdate it is a failed save: the requests go on with the new
// token, an explicit Refresh returns the *PanicError, and the token is
// offered again later.
func TestHookPanicDuringRefresh(t *testing.T) {
	for _, hook := range []string{"OnTokenUpdate", "Hooks.TokenResponse"} {
		t.Run(hook, func(t *testing.T) {
			srv := newProvider(t)
			srv.OAuth2.RotateRefreshTokens = false
			var panicking atomic.Bool
			panicking.Store(true)
			cfg := *clients(t, srv)["client_secret_basic"]
			if hook == "Hooks.TokenResponse" {
				cfg.Hooks.TokenResponse = func(*http.Response) error {
					if panicking.Load() {
						panic("hook bug, holding AT-SECRET")
					}
					return nil
				}
			}
			at, rt := srv.OAuth2.IssueToken("basic-client", -1)
			s := cfg.NewSession(&oauth2.Token{AccessToken: at, RefreshToken: rt, Expiry: time.Now().Add(-time.Minute)})
			s.OnTokenUpdate = func(context.Context, *oauth2.Token) error {
				if hook == "OnTokenUpdate" && panicking.Load() {
					panic("hook bug, holding AT-SECRET")
				}
				return nil
			}
			c := s.Client()
			isPanic := func(err error) bool {
				var pe *oauth2.PanicError
				if !errors.As(err, &pe) || pe.Hook != hook || pe.Value != "hook bug, holding AT-SECRET" || len(pe.Stack) == 0 {
					return false
				}
				if strings.Contains(err.Error(), "AT-SECRET") || strings.Contains(fmt.Sprintf("%+v %#v %v", err, pe, pe), "AT-SECRET") {
					t.Errorf("the panic value is printed: %+v", err)
				}
				return true
			}
			var wrong atomic.Int32
			storm(200, func(int) {
				err := get(context.Background(), srv, c)
				if hook == "OnTokenUpdate" && err != nil || hook != "OnTokenUpdate" && !isPanic(err) {
					wrong.Add(1)
					t.Logf("err = %v", err)
				}
			})
			if n := wrong.Load(); n != 0 {
				t.Errorf("%d of 200 requests did not get what %s's panic gives", n, hook)
			}
			if _, err := s.Refresh(context.Background()); !isPanic(err) {
				t.Errorf("Refresh err = %v, want a *PanicError from %s", err, hook)
			}
			panicking.Store(false)
			storm(200, func(int) {
				if err := get(context.Background(), srv, c); err != nil {
					wrong.Add(1)
				}
			})
			if n := wrong.Load(); n != 0 {
				t.Errorf("%d of 200 requests failed after the hook was fixed", n)
			}
		})
	}
}

// Hooks called on the caller's goroutine get the same treatment: the call
// fails with a *PanicError, and the session stays usable.
func TestHookPanicOnCallerGoroutine(t *testing.T) {
	boom := func() { panic("boom") }
	tests := []struct {
		hook string
		set  func(*oauth2.Config)
		call func(*oauth2.Config, *oauth2.Session) error
	}{
		{"Hooks.TokenRequest", func(c *oauth2.Config) {
			c.Hooks.TokenRequest = func(*http.Request) error { boom(); return nil }
		}, func(c *oauth2.Config, _ *oauth2.Session) error {
			_, err := c.PasswordCredentialsToken(context.Background(), "alice", "pw")
			return err
		}},
		{"Hooks.TokenResponse", func(c *oauth2.Config) {
			c.Hooks.TokenResponse = func(*http.Response) error { boom(); return nil }
		}, func(c *oauth2.Config, _ *oauth2.Session) error {
			_, err := c.Exchange(context.Background(), "CODE")
			return err
		}},
		{"Hooks.EndpointRequest", func(c *oauth2.Config) {
			c.Hooks.EndpointRequest = func(*http.Request) error { boom(); return nil }
		}, func(_ *oauth2.Config, s *oauth2.Session) error {
			return s.Revoke(context.Background(), oauth2.HintAccessToken)
		}},
		{"Hooks.ProtectedRequest", func(c *oauth2.Config) {
			c.Hooks.ProtectedRequest = func(*http.Request) error { boom(); return nil }
		}, func(_ *oauth2.Config, s *oauth2.Session) error {
			resp, err := s.Client().Post("https://rs.example/", "text/plain", strings.NewReader("x"))
			if err == nil {
				resp.Body.Close()
			}
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.hook, func(t *testing.T) {
			cfg := asConfig(reply(200, nil, `{"access_token":"AT","expires_in":3600}`))
			tt.set(cfg)
			s := cfg.NewSession(&oauth2.Token{AccessToken: "AT"})
			var pe *oauth2.PanicError
			if err := tt.call(cfg, s); !errors.As(err, &pe) || pe.Hook != tt.hook || pe.Value != "boom" {
				t.Fatalf("err = %v, want a *PanicError from %s", err, tt.hook)
			}
			if tok, err := s.Token(context.Background()); err != nil || tok.AccessToken != "AT" {
				t.Errorf("after the panic: Token() = %v, %v", tok, err)
			}
		})
	}
}

// Config.Now is among what a refresh calls: a panic in it on the
// refresh's goroutine, here once the token request failed, is a
// *PanicError for the waiters, never the end of the program.
func TestNowPanicDuringRefresh(t *testing.T) {
	var panicking atomic.Bool
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cfg := &oauth2.Config{ClientID: "id", Endpoint: oauth2.Endpoint{TokenURL: "https://as.example/token"},
		Now: func() time.Time {
			if panicking.Load() {
				panic("clock bug")
			}
			return start
		},
		HTTPClient: &http.Client{Transport: rtFunc(func(r *http.Request) (*http.Response, error) {
			panicking.Store(true)
			return nil, errors.New("token endpoint down")
		})},
	}
	s := cfg.NewSession(&oauth2.Token{AccessToken: "AT", RefreshToken: "RT", Expiry: start.Add(time.Hour)})
	_, err := s.Refresh(context.Background())
	var pe *oauth2.PanicError
	if !errors.As(err, &pe) || pe.Hook != "refresh" {
		t.Fatalf("Refresh: %v, want a *PanicError of the refresh", err)
	}
	panicking.Store(false)
	if got := s.CachedToken(); got == nil || got.AccessToken != "AT" {
		t.Errorf("CachedToken = %v, want the session's token kept", got)
	}
}
