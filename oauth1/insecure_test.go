package oauth1_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/oauthkit/oauth/oauth1"
)

// TestPlaintextOverHTTP checks that a PLAINTEXT signature, the secrets
// themselves, is not sent over plain http to a remote host.
func TestPlaintextOverHTTP(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		method  oauth1.SignatureMethod
		url     string
		allow   bool
		wantErr error
	}{
		{"plaintext http remote", oauth1.Plaintext, "http://api.example.com/x", false, oauth1.ErrInsecureTransport},
		{"plaintext HTTP remote upper case", oauth1.Plaintext, "HTTP://api.example.com/x", false, oauth1.ErrInsecureTransport},
		{"plaintext http remote ip", oauth1.Plaintext, "http://192.0.2.1:8080/x", false, oauth1.ErrInsecureTransport},
		{"plaintext http remote allowed", oauth1.Plaintext, "http://api.example.com/x", true, nil},
		{"plaintext https", oauth1.Plaintext, "https://api.example.com/x", false, nil},
		{"plaintext http 127.0.0.1", oauth1.Plaintext, "http://127.0.0.1:8080/x", false, nil},
		{"plaintext http localhost", oauth1.Plaintext, "http://localhost/x", false, nil},
		{"plaintext http ::1", oauth1.Plaintext, "http://[::1]:80/x", false, nil},
		{"hmac http remote", oauth1.HMACSHA1, "http://api.example.com/x", false, nil},
		{"rsa http remote", oauth1.RSASHA256(key), "http://api.example.com/x", false, nil},
	}
	for _, tt := range tests {
		cfg := &oauth1.Config{ConsumerKey: "k", ConsumerSecret: "SECRET", Method: tt.method, InsecureAllowHTTP: tt.allow}
		tok := &oauth1.Token{Token: "t", Secret: "ts"}
		t.Run("Sign/"+tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, tt.url, nil)
			if err := cfg.Sign(req, tok); !errors.Is(err, tt.wantErr) {
				t.Fatalf("Sign() error = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr != nil && req.Header.Get("Authorization") != "" {
				t.Errorf("refused request got an Authorization header")
			}
		})
		t.Run("Transport/"+tt.name, func(t *testing.T) {
			base := &recordRT{}
			tr := &oauth1.Transport{Config: cfg, Token: tok, Base: base}
			body := &countingBody{Reader: strings.NewReader("{}")}
			req, _ := http.NewRequest(http.MethodPost, tt.url, body)
			req.Header.Set("Content-Type", "application/json")
			resp, err := tr.RoundTrip(req)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("RoundTrip() error = %v, want %v", err, tt.wantErr)
			}
			if err == nil {
				resp.Body.Close()
				return
			}
			if base.got != nil {
				t.Errorf("refused request reached the base transport")
			}
			if n := body.closes.Load(); n != 1 {
				t.Errorf("request body closed %d times, want 1", n)
			}
		})
	}
}

// TestPlaintextTokenRequestOverHTTP checks that the flow methods do not
// send the consumer secret to an http token endpoint either.
func TestPlaintextTokenRequestOverHTTP(t *testing.T) {
	base := &recordRT{}
	cfg := &oauth1.Config{ConsumerKey: "k", ConsumerSecret: "SECRET", Method: oauth1.Plaintext,
		HTTPClient: &http.Client{Transport: base},
		Endpoint:   oauth1.Endpoint{RequestTokenURL: "http://provider.example/request", AccessTokenURL: "http://provider.example/access"}}
	if _, err := cfg.RequestToken(context.Background()); !errors.Is(err, oauth1.ErrInsecureTransport) {
		t.Errorf("RequestToken() error = %v, want ErrInsecureTransport", err)
	}
	if _, err := cfg.AccessToken(context.Background(), &oauth1.Token{Token: "rt", Secret: "rs"}, "v"); !errors.Is(err, oauth1.ErrInsecureTransport) {
		t.Errorf("AccessToken() error = %v, want ErrInsecureTransport", err)
	}
	if base.got != nil {
		t.Errorf("a token request was sent: %v", base.got.URL)
	}
}
