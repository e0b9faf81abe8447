package oauth1test_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/oauthkit/oauth/oauth1"
	"github.com/oauthkit/oauth/oauth1/oauth1test"
)

// The three-legged flow against the server, with each signature method on
// HTTP and HTTPS, through Authorize and AuthorizePIN; the resource echoes
// what it verified.
func TestFlow(t *testing.T) {
	tests := []struct {
		name     string
		tls      bool
		key      string
		method   oauth1.SignatureMethod
		callback string
	}{
		{"HMAC-SHA1 callback", false, oauth1test.ConsumerKey, nil, "http://127.0.0.1/cb"},
		{"HMAC-SHA1 oob", false, oauth1test.ConsumerKey, nil, "oob"},
		{"HMAC-SHA256 TLS", true, "hmac-sha256", oauth1.HMACSHA256, "http://127.0.0.1/cb"},
		{"RSA-SHA256", false, oauth1test.RSAConsumerKey, oauth1.RSASHA256(oauth1test.RSAKey()), "oob"},
		{"PLAINTEXT TLS", true, "plaintext", oauth1.Plaintext, "http://127.0.0.1/cb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := oauth1test.NewServer(t)
			if tt.tls {
				srv = oauth1test.NewTLSServer(t)
			}
			cfg := &oauth1.Config{ConsumerKey: tt.key, ConsumerSecret: tt.key + "-secret", Method: tt.method,
				CallbackURL: tt.callback, Endpoint: srv.Endpoint(), HTTPClient: srv.Client()}
			ctx := context.Background()
			rt, err := cfg.RequestToken(ctx)
			if err != nil {
				t.Fatal(err)
			}
			authURL, err := cfg.AuthorizationURL(rt, nil)
			if err != nil {
				t.Fatal(err)
			}
			var verifier string
			if tt.callback == "oob" {
				verifier = srv.AuthorizePIN(t, authURL)
			} else {
				callback := srv.Authorize(t, authURL)
				if !strings.HasPrefix(callback, tt.callback+"?") {
					t.Errorf("callback %q, want one to %s", callback, tt.callback)
				}
				var token string
				if token, verifier, err = oauth1.ParseAuthorizationResponse(callback); err != nil || token != rt.Token {
					t.Fatalf("callback: token %q, %v; want the request token", token, err)
				}
			}
			at, err := cfg.AccessToken(ctx, rt, verifier)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := cfg.Client(at).Get(srv.ResourceURL() + "?a=1&a=2")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var echo oauth1test.Echo
			if err := json.NewDecoder(resp.Body).Decode(&echo); err != nil || resp.StatusCode != 200 {
				t.Fatalf("resource: %s, %v", resp.Status, err)
			}
			want := oauth1test.Echo{Method: "GET", ConsumerKey: tt.key, Token: at.Token, Signature: "HMAC-SHA1",
				Placement: "header", Params: [][2]string{{"a", "1"}, {"a", "2"}}}
			if cfg.Method != nil {
				want.Signature = cfg.Method.Name()
			}
			if diff := cmp.Diff(want, echo); diff != "" {
				t.Errorf("resource echo mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// What the server does not answer as expected fails the test, or panics
// without one.
func TestBrowserStepFailures(t *testing.T) {
	srv := oauth1test.NewServer(nil)
	defer srv.Close()
	authURL := func(callback string) string {
		cfg := &oauth1.Config{ConsumerKey: oauth1test.ConsumerKey, ConsumerSecret: oauth1test.ConsumerSecret,
			CallbackURL: callback, Endpoint: srv.Endpoint()}
		rt, err := cfg.RequestToken(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		u, _ := cfg.AuthorizationURL(rt, nil)
		return u
	}
	unknown := srv.Endpoint().AuthorizeURL + "?" + url.Values{"oauth_token": {"unknown"}}.Encode()
	tests := []struct {
		name string
		call func()
		want string // in the panic message
	}{
		{"Authorize oob", func() { srv.Authorize(nil, authURL("oob")) }, "use AuthorizePIN"},
		{"AuthorizePIN callback", func() { srv.AuthorizePIN(nil, authURL("http://127.0.0.1/cb")) }, "use Authorize"},
		{"Authorize unknown token", func() { srv.Authorize(nil, unknown) }, "400 Bad Request"},
		{"AuthorizePIN unknown token", func() { srv.AuthorizePIN(nil, unknown) }, "400 Bad Request"},
		{"Authorize malformed URL", func() { srv.Authorize(nil, "http://[::1") }, "oauth1test: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.Contains(msg, tt.want) {
					t.Errorf("panic %q, want one containing %q", msg, tt.want)
				}
			}()
			tt.call()
		})
	}
}

// A consumer a test registers signs like the default ones; a server
// started with a t is closed when the test ends.
func TestAddConsumerAndClose(t *testing.T) {
	var srv *oauth1test.Server
	t.Run("inner", func(t *testing.T) {
		srv = oauth1test.NewServer(t)
		srv.AddConsumer(oauth1test.Consumer{Key: "my-app", Secret: "my-secret"})
		cfg := &oauth1.Config{ConsumerKey: "my-app", ConsumerSecret: "my-secret", Endpoint: srv.Endpoint()}
		token, secret := srv.IssueAccessToken("my-app")
		resp, err := cfg.Client(&oauth1.Token{Token: token, Secret: secret}).Get(srv.ResourceURL())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("resource: %s, want 200", resp.Status)
		}
	})
	if _, err := srv.Client().Get(srv.ResourceURL()); err == nil {
		t.Error("the server still answers after its test ended")
	}
}
