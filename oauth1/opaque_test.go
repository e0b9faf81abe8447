package oauth1_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth1"
)

// TestSignOpaquePath signs requests whose path is set through URL.Opaque,
// the way net/http documents for sending a path whose escapes it would
// otherwise normalize (an encoded '/'). net/http then sends Opaque as the
// path: "/a%2Fb", or for "//host/a%2Fb" the absolute form
// https://example.com/a%2Fb, whose path is /a%2Fb too; URL.Path is not
// sent. The provider signs the path it receives (RFC 5849 §3.4.1.2), so
// the expected header is oauthlib 3.2.2's (Debian python3-oauthlib) for
// that path:
//
//	Client('key', client_secret='secret', resource_owner_key='token',
//	       resource_owner_secret='tsecret', nonce='nonce',
//	       timestamp='1300000000').sign('https://example.com/a%2Fb?b=c', 'GET')
func TestSignOpaquePath(t *testing.T) {
	const want = `OAuth oauth_nonce="nonce", oauth_timestamp="1300000000", oauth_version="1.0", oauth_signature_method="HMAC-SHA1", oauth_consumer_key="key", oauth_token="token", oauth_signature="nzN0kjIF2UlgGiap0udrTZcb7zg%3D"`
	tests := []struct{ name, opaque, sent string }{
		{name: "path", opaque: "/a%2Fb", sent: "/a%2Fb?b=c"},
		{name: "scheme-relative", opaque: "//example.com/a%2Fb", sent: "https://example.com/a%2Fb?b=c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest("GET", "https://example.com/elsewhere?b=c", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.URL.Opaque = tt.opaque
			if got := req.URL.RequestURI(); got != tt.sent {
				t.Fatalf("RequestURI() = %q, want %q (what net/http sends)", got, tt.sent)
			}
			cfg := &oauth1.Config{
				ConsumerKey:    "key",
				ConsumerSecret: "secret",
				Nonce:          func() (string, error) { return "nonce", nil },
				Now:            func() time.Time { return time.Unix(1300000000, 0) },
			}
			if err := cfg.Sign(req, &oauth1.Token{Token: "token", Secret: "tsecret"}); err != nil {
				t.Fatalf("Sign: %v", err)
			}
			if got := req.Header.Get("Authorization"); got != want {
				t.Errorf("Authorization\n got %s\nwant %s", got, want)
			}
		})
	}
}
