package oauth2_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth2"
)

// settleGoroutines waits, polling for a second at most, until the
// number of goroutines is at most want, and returns it. It is no
// assertion on the time anything takes: goroutines of net/http's
// connections end once their peer has seen them close.
func settleGoroutines(want int) int {
	deadline := time.Now().Add(time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= want || time.Now().After(deadline) {
			return n
		}
		time.Sleep(time.Millisecond)
	}
}

// TestLeakGoroutines runs each flow against a loopback server that
// cancels the caller's context at one point of its answer (before the
// status line, after the header, midway through the body) and then
// holds the connection, and checks that no goroutine of the call
// outlives it, or outlives the server's release of a refresh that goes
// on detached from its caller.
func TestLeakGoroutines(t *testing.T) {
	type stage int
	const (
		beforeHeader stage = iota
		afterHeader
		midBody
		noCancel
	)
	flows := []struct {
		name string
		call func(ctx context.Context, cfg *oauth2.Config) error
	}{
		{"Exchange", func(ctx context.Context, cfg *oauth2.Config) error {
			_, err := cfg.Exchange(ctx, "code")
			return err
		}},
		{"ClientCredentials", func(ctx context.Context, cfg *oauth2.Config) error {
			_, err := cfg.ClientCredentials().Token(ctx)
			return err
		}},
		{"DeviceAccessToken", func(ctx context.Context, cfg *oauth2.Config) error {
			da := &oauth2.DeviceAuthResponse{DeviceCode: "dc", UserCode: "UC", VerificationURI: "https://as.example/d", Interval: 1}
			_, err := cfg.DeviceAccessToken(ctx, da)
			return err
		}},
		{"Session refresh", func(ctx context.Context, cfg *oauth2.Config) error {
			_, err := cfg.NewSession(&oauth2.Token{AccessToken: "at1", RefreshToken: "rt1", Expiry: time.Unix(1, 0)}).Token(ctx)
			return err
		}},
		{"Session.Client", func(ctx context.Context, cfg *oauth2.Config) error {
			s := cfg.NewSession(&oauth2.Token{AccessToken: "at1", RefreshToken: "rt1", Expiry: time.Now().Add(time.Hour)})
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, cfg.Endpoint.AuthURL+"/../resource", nil)
			if err != nil {
				return err
			}
			resp, err := s.Client().Do(req)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			return oauth2.CheckResponse(resp)
		}},
	}
	for _, f := range flows {
		for st := beforeHeader; st <= noCancel; st++ {
			for _, resource401 := range []bool{false, true} {
				if resource401 && f.name != "Session.Client" {
					continue
				}
				name := f.name + "/" + [...]string{"before header", "after header", "mid body", "no cancel"}[st]
				if resource401 {
					name += "/401"
				}
				t.Run(name, func(t *testing.T) {
					release := make(chan struct{})
					// cancel is the current call's: a request of a refresh
					// that outlives its call cancels a finished context.
					var mu sync.Mutex
					cancel := func() {}
					h := func(w http.ResponseWriter, r *http.Request) {
						r.ParseForm()
						mu.Lock()
						cancel := cancel
						mu.Unlock()
						status, body := 200, `{"access_token":"at2","token_type":"Bearer","expires_in":3600}`
						switch {
						case strings.HasSuffix(r.URL.Path, "/resource") && resource401 && r.Header.Get("Authorization") == "Bearer at1":
							w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
							status, body = 401, `{"error":"invalid_token"}`
						case r.PostForm.Get("grant_type") == "urn:ietf:params:oauth:grant-type:device_code" && st != noCancel:
							// Pending until the cancel: a poll that goes on after it would loop.
							status, body = 400, `{"error":"authorization_pending"}`
						}
						if st == noCancel {
							w.Header().Set("Content-Type", "application/json")
							w.WriteHeader(status)
							w.Write([]byte(body))
							return
						}
						if st == beforeHeader {
							cancel()
						} else {
							w.Header().Set("Content-Type", "application/json")
							w.WriteHeader(status)
							if st == midBody {
								w.Write([]byte(body[:10]))
							}
							w.(http.Flusher).Flush()
							cancel()
						}
						select {
						case <-r.Context().Done():
						case <-release:
						}
					}
					srv := httptest.NewServer(http.HandlerFunc(h))
					defer srv.Close()
					tr := &http.Transport{DisableKeepAlives: true}
					defer tr.CloseIdleConnections()
					cfg := &oauth2.Config{ClientID: "id", ClientSecret: "secret",
						Endpoint:   oauth2.Endpoint{AuthURL: srv.URL + "/auth", TokenURL: srv.URL + "/token"},
						HTTPClient: &http.Client{Transport: tr},
						Sleep: func(ctx context.Context, d time.Duration) error {
							return ctx.Err() // a poll comes at once; a cancelled context ends the wait
						}}
					before := runtime.NumGoroutine()
					for i := 0; i < 3; i++ {
						ctx, c := context.WithCancel(context.Background())
						mu.Lock()
						cancel = c
						mu.Unlock()
						f.call(ctx, cfg)
						c()
					}
					close(release)
					tr.CloseIdleConnections()
					if n := settleGoroutines(before); n > before {
						buf := make([]byte, 1<<20)
						t.Errorf("%d goroutines before, %d after:\n%s", before, n, buf[:runtime.Stack(buf, true)])
					}
				})
			}
		}
	}
}
