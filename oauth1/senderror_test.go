package oauth1_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/oauthkit/oauth/oauth1"
)

// echoAuthorization starts a server on loopback that answers every
// request with a malformed status line: the request's Authorization
// header and query, then pad bytes of padding. net/http quotes such a
// line in its error.
func echoAuthorization(t testing.TB, pad int) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				req, err := http.ReadRequest(bufio.NewReader(c))
				if err != nil {
					return
				}
				io.Copy(io.Discard, req.Body)
				echo := req.Header.Get("Authorization") + " " + req.URL.RawQuery
				io.WriteString(c, echo+strings.Repeat("x", pad)+"\r\n\r\n")
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// TestTransportErrorHidesCredentials: a server echoing what it received
// in a malformed response line gets it into net/http's error; the error
// the Transport returns holds no token, no secret (raw or escaped, as a
// PLAINTEXT signature carries them) and no unbounded server text.
func TestTransportErrorHidesCredentials(t *testing.T) {
	const (
		consumerSecret = "cs-secret/1+2"
		token          = "tok-value-3"
		tokenSecret    = "ts-secret 4&5"
	)
	tests := []struct {
		name      string
		method    oauth1.SignatureMethod
		placement oauth1.Placement
		pad       int
	}{
		{"hmac header", oauth1.HMACSHA1, oauth1.InHeader, 0},
		{"plaintext header", oauth1.Plaintext, oauth1.InHeader, 0},
		{"plaintext query", oauth1.Plaintext, oauth1.InQuery, 0},
		{"long line", oauth1.HMACSHA1, oauth1.InHeader, 100 << 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := echoAuthorization(t, tt.pad)
			cfg := &oauth1.Config{
				ConsumerKey:    "ck",
				ConsumerSecret: consumerSecret,
				Method:         tt.method,
				Placement:      tt.placement,
			}
			_, err := cfg.Client(&oauth1.Token{Token: token, Secret: tokenSecret}).Get(base + "/api")
			if err == nil {
				t.Fatal("err = nil, want the malformed response's")
			}
			secrets := []string{token, consumerSecret, tokenSecret,
				"cs-secret%2F1%2B2", "ts-secret%204%265", "cs-secret%252F1%252B2", "ts-secret%25204%25265"}
			for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
				got := fmt.Sprintf(f, err)
				for _, s := range secrets {
					if strings.Contains(got, s) {
						t.Errorf("Sprintf(%q, err) holds %q: %.300s", f, s, got)
					}
				}
			}
			if n := len(err.Error()); n > 2<<10 {
				t.Errorf("len(err.Error()) = %d, want at most 2 KiB", n)
			}
		})
	}
}

// TestTransportErrorKept: an error of the base transport that names no
// credential reaches the caller as it was; one that names one does not.
func TestTransportErrorKept(t *testing.T) {
	sentinel := errors.New("base: connection refused")
	cfg := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "cs-123"}
	tr := &oauth1.Transport{Config: cfg, Token: &oauth1.Token{Token: "tok-456", Secret: "ts-789"},
		Base: roundTripper(func(*http.Request) (*http.Response, error) { return nil, sentinel })}
	req, _ := http.NewRequest(http.MethodGet, "https://api.example/x", nil)
	if _, err := tr.RoundTrip(req); err != sentinel {
		t.Errorf("err = %v, want the base transport's own", err)
	}
	echo := fmt.Errorf("base: bad answer naming %q: %w", "tok-456", sentinel)
	tr.Base = roundTripper(func(*http.Request) (*http.Response, error) { return nil, echo })
	_, err := tr.RoundTrip(req)
	if err == nil || errors.Is(err, sentinel) || strings.Contains(err.Error(), "tok-456") {
		t.Errorf("err = %v, want another error, naming no credential", err)
	}
}

// roundTripper is a function as an http.RoundTripper.
type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
