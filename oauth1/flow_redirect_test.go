package oauth1_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth1"
)

// countingRT counts the requests it passes to http.DefaultTransport.
type countingRT struct{ n atomic.Int32 }

func (rt *countingRT) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

// TestTokenRequestsDoNotFollowRedirects sends both token requests, in
// every signature method and placement, to an endpoint that redirects to
// a second server. The second server must never be reached (a PLAINTEXT
// signature is the secrets, and every method sends the verifier), and the
// 3xx must be a *Error that carries neither the Location nor the
// body. The Config's HTTPClient follows redirects for its own requests;
// the token requests must still go through its Transport.
func TestTokenRequestsDoNotFollowRedirects(t *testing.T) {
	var reached atomic.Int32
	second := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		io.WriteString(w, "oauth_token=stolen&oauth_token_secret=stolen-secret&oauth_callback_confirmed=true")
	}))
	defer second.Close()
	target := second.URL + "/collect?from=first"
	var status atomic.Int32
	first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", target)
		w.WriteHeader(int(status.Load()))
		io.WriteString(w, "moved to "+target)
	}))
	defer first.Close()

	ctx := context.Background()
	for _, code := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		for _, mc := range methodCases() {
			for _, pl := range placements {
				t.Run(fmt.Sprintf("%d/%s/%s", code, mc.name, pl), func(t *testing.T) {
					status.Store(int32(code))
					base := &countingRT{}
					jar, _ := cookiejar.New(nil)
					follow := func(*http.Request, []*http.Request) error { return nil }
					hc := &http.Client{Transport: base, Jar: jar, Timeout: time.Minute, CheckRedirect: follow}
					cfg := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "consumer-secret",
						Method: mc.method, Placement: pl, CallbackURL: "https://app.example/cb",
						HTTPClient: hc,
						Endpoint:   oauth1.Endpoint{RequestTokenURL: first.URL + "/request", AccessTokenURL: first.URL + "/access"}}
					calls := map[string]func() (*oauth1.Token, error){
						"RequestToken": func() (*oauth1.Token, error) { return cfg.RequestToken(ctx) },
						"AccessToken": func() (*oauth1.Token, error) {
							return cfg.AccessToken(ctx, &oauth1.Token{Token: "rt", Secret: "request-secret"}, "the-verifier")
						},
					}
					for name, call := range calls {
						tok, err := call()
						if tok != nil {
							t.Errorf("%s() = %v, want no token", name, tok)
						}
						var pe *oauth1.Error
						if !errors.As(err, &pe) || !errors.As(err, new(*oauth1.Error)) {
							t.Fatalf("%s() error = %v, want a *Error", name, err)
						}
						if pe.StatusCode != code || len(pe.Body) != 0 || pe.Problem != "" || pe.Advice != "" {
							t.Errorf("%s() error = %#v, want StatusCode %d and nothing else", name, pe, code)
						}
						if s := fmt.Sprintf("%v %+v %#v", err, err, err); strings.Contains(s, second.URL) || strings.Contains(s, "collect") {
							t.Errorf("%s() error shows the Location: %s", name, s)
						}
					}
					if n := reached.Load(); n != 0 {
						t.Fatalf("redirect target reached %d times", n)
					}
					if n := base.n.Load(); n != 2 {
						t.Errorf("HTTPClient.Transport made %d requests, want 2", n)
					}
					if hc.CheckRedirect == nil || hc.CheckRedirect(nil, nil) != nil {
						t.Errorf("HTTPClient.CheckRedirect was modified")
					}
				})
			}
		}
	}
}

// TestTokenRequestBadLocation answers the token requests with redirects
// whose Location does not parse and echoes the verifier: still a
// *Error with only the status, not http.Client's error, which
// quotes the Location. A Location the transport cannot even read is an
// error that quotes neither the verifier nor a megabyte of it.
func TestTokenRequestBadLocation(t *testing.T) {
	const verifier = "the-verifier-1b2c"
	tests := []struct {
		name      string
		location  string
		wantProvE bool
	}{
		{"bad escape", "%", true},
		{"bad escape and the verifier", "https://evil.example/%zz?oauth_verifier=" + verifier, true},
		{"malformed header line", "\x7f oauth_verifier=" + verifier + " " + strings.Repeat("x", 1<<20), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header()["Location"] = []string{tt.location}
				w.WriteHeader(http.StatusFound)
			}))
			defer srv.Close()
			cfg := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "cs",
				HTTPClient: &http.Client{Transport: &http.Transport{MaxResponseHeaderBytes: 4 << 20}},
				Endpoint:   oauth1.Endpoint{AccessTokenURL: srv.URL}}
			_, err := cfg.AccessToken(context.Background(), &oauth1.Token{Token: "rt", Secret: "rs"}, verifier)
			var pe *oauth1.Error
			if got := errors.As(err, &pe) && pe.StatusCode == http.StatusFound; got != tt.wantProvE || err == nil {
				t.Fatalf("AccessToken() error = %.300v, want a *Error with status 302: %v", err, tt.wantProvE)
			}
			checkNoText(t, err, verifier, "evil")
			checkBounded(t, err)
		})
	}
}
