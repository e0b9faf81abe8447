package oauth1_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth1"
)

// TestSignOpaquePath checks requests whose path is set through URL.Opaque
// (an older way to send escapes net/http would normalize, such as %2F):
// net/http sends Opaque as the path, "/a%2Fb", or for "//host/a%2Fb" the
// absolute form https://example.com/a%2Fb, and ignores URL.Path. The
// provider signs the path it receives (RFC 5849 §3.4.1.2), which the base
// string would not have, so Sign and the Transport refuse such a request
// with ErrBadRequest rather than send a signature that cannot verify. The
// same path set with URL.RawPath is signed as sent: the header expected is
// oauthlib 3.2.2's (Debian python3-oauthlib) for that path:
//
//	Client('key', client_secret='secret', resource_owner_key='token',
//	       resource_owner_secret='tsecret', nonce='nonce',
//	       timestamp='1300000000').sign('https://example.com/a%2Fb?b=c', 'GET')
func TestSignOpaquePath(t *testing.T) {
	cfg := &oauth1.Config{
		ConsumerKey:    "key",
		ConsumerSecret: "secret",
		Nonce:          func() (string, error) { return "nonce", nil },
		Now:            func() time.Time { return time.Unix(1300000000, 0) },
	}
	tok := &oauth1.Token{Token: "token", Secret: "tsecret"}
	for _, tt := range []struct{ name, opaque, sent string }{
		{name: "path", opaque: "/a%2Fb", sent: "/a%2Fb?b=c"},
		{name: "scheme-relative", opaque: "//example.com/a%2Fb", sent: "https://example.com/a%2Fb?b=c"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest("GET", "https://example.com/elsewhere?b=c", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.URL.Opaque = tt.opaque
			if got := req.URL.RequestURI(); got != tt.sent {
				t.Fatalf("RequestURI() = %q, want %q (what net/http sends)", got, tt.sent)
			}
			if err := cfg.Sign(req, tok); !errors.Is(err, oauth1.ErrBadRequest) {
				t.Errorf("Sign() error = %v, want ErrBadRequest", err)
			}
			if req.Header.Get("Authorization") != "" {
				t.Error("Sign() set an Authorization header")
			}
			sent := false
			srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { sent = true }))
			defer srv.Close()
			req.URL.Host = srv.Listener.Addr().String()
			req.URL.Scheme = "http"
			if _, err := cfg.Client(tok).Do(req); !errors.Is(err, oauth1.ErrBadRequest) || sent {
				t.Errorf("Client().Do() error = %v (sent: %v), want ErrBadRequest, nothing sent", err, sent)
			}
		})
	}
	t.Run("RawPath", func(t *testing.T) {
		const want = `OAuth oauth_nonce="nonce", oauth_timestamp="1300000000", oauth_version="1.0", oauth_signature_method="HMAC-SHA1", oauth_consumer_key="key", oauth_token="token", oauth_signature="nzN0kjIF2UlgGiap0udrTZcb7zg%3D"`
		req, err := http.NewRequest("GET", "https://example.com/elsewhere?b=c", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.URL.Path, req.URL.RawPath = "/a/b", "/a%2Fb"
		if got := req.URL.RequestURI(); got != "/a%2Fb?b=c" {
			t.Fatalf("RequestURI() = %q, want /a%%2Fb?b=c", got)
		}
		if err := cfg.Sign(req, tok); err != nil {
			t.Fatalf("Sign: %v", err)
		}
		if got := req.Header.Get("Authorization"); got != want {
			t.Errorf("Authorization\n got %s\nwant %s", got, want)
		}
	})
}
