package oauth1_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth1"
)

// TestSignHost checks the host of the signature base string against
// oauthlib 3.2.2 (Debian python3-oauthlib), whose Client.sign gave the
// expected headers:
//
//	Client('key', client_secret='secret', resource_owner_key='token',
//	       resource_owner_secret='tsecret', nonce='nonce',
//	       timestamp='1300000000').sign(url, 'GET')
//
// A host that is not ASCII is sent by net/http in its IDNA (punycode)
// form, which a provider signs with (RFC 5849 §3.4.1.2: the Host header);
// Sign cannot write that form, so it refuses the request rather than
// send a signature that cannot verify.
func TestSignHost(t *testing.T) {
	tests := []struct {
		name, url, host string
		want            string
		wantErr         error
	}{
		{
			name: "punycode",
			url:  "http://xn--bcher-kva.example/a?b=c",
			want: `OAuth oauth_nonce="nonce", oauth_timestamp="1300000000", oauth_version="1.0", oauth_signature_method="HMAC-SHA1", oauth_consumer_key="key", oauth_token="token", oauth_signature="fFyLNh0rsmnNKjyaS4UQeXKVups%3D"`,
		},
		{
			// RFC 3986 §6.2.3: the port is left out when its value is the
			// scheme's default; 0443 is 443.
			name: "default port with a leading zero",
			url:  "https://example.com:0443/a?b=c",
			want: `OAuth oauth_nonce="nonce", oauth_timestamp="1300000000", oauth_version="1.0", oauth_signature_method="HMAC-SHA1", oauth_consumer_key="key", oauth_token="token", oauth_signature="DtKFoTopKl4c0qdeMWO8X6BRjP8%3D"`,
		},
		{
			name: "port with a leading zero",
			url:  "http://example.com:08080/a?b=c",
			want: `OAuth oauth_nonce="nonce", oauth_timestamp="1300000000", oauth_version="1.0", oauth_signature_method="HMAC-SHA1", oauth_consumer_key="key", oauth_token="token", oauth_signature="Dj8TzC1VrMSVlG08prgwAZqNN0A%3D"`,
		},
		{name: "not ASCII", url: "http://bücher.example/a?b=c", wantErr: oauth1.ErrBadRequest},
		{name: "Host not ASCII", url: "http://xn--bcher-kva.example/a?b=c", host: "bücher.example", wantErr: oauth1.ErrBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest("GET", tt.url, nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Host = tt.host
			cfg := &oauth1.Config{
				ConsumerKey:    "key",
				ConsumerSecret: "secret",
				Nonce:          func() (string, error) { return "nonce", nil },
				Now:            func() time.Time { return time.Unix(1300000000, 0) },
			}
			err = cfg.Sign(req, &oauth1.Token{Token: "token", Secret: "tsecret"})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Sign() error = %v, want %v", err, tt.wantErr)
			}
			if got := req.Header.Get("Authorization"); err == nil && got != tt.want {
				t.Errorf("Authorization = %q, want %q", got, tt.want)
			}
		})
	}
}
