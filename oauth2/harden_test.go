package oauth2_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/oauthkit/oauth/oauth2"
)

// rtFunc is an in-memory http.RoundTripper.
type rtFunc func(*http.Request) (*http.Response, error)

func (f rtFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// reply returns a RoundTripper that drains each request and answers with
// status, header and body.
func reply(status int, header http.Header, body string) rtFunc {
	return func(r *http.Request) (*http.Response, error) {
		if r.Body != nil {
			io.Copy(io.Discard, r.Body)
			r.Body.Close()
		}
		h := http.Header{"Content-Type": {"application/json"}}
		for k, v := range header {
			h[k] = v
		}
		return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
	}
}

const asURL = "https://as.example.com"

// asConfig returns a Config whose endpoints are on asURL and whose
// requests go to rt.
func asConfig(rt http.RoundTripper) *oauth2.Config {
	return &oauth2.Config{ClientID: "id", ClientSecret: "CLIENT-SECRET", HTTPClient: &http.Client{Transport: rt},
		Endpoint: oauth2.Endpoint{TokenURL: asURL + "/token", DeviceAuthURL: asURL + "/device",
			RevocationURL: asURL + "/revoke", IntrospectionURL: asURL + "/introspect"}}
}

// A TokenResponse hook may replace the response's body, with nil too: the
// grant reads an empty body and fails with an error, never a panic.
func TestTokenResponseHookNilBody(t *testing.T) {
	for _, status := range []int{200, 400} {
		for _, call := range []string{"password", "refresh", "device"} {
			t.Run(call+"/"+http.StatusText(status), func(t *testing.T) {
				cfg := asConfig(reply(status, nil, `{"access_token":"AT","error":"x"}`))
				cfg.Hooks.TokenResponse = func(resp *http.Response) error {
					resp.Body.Close()
					resp.Body = nil
					return nil
				}
				s := cfg.NewSession(&oauth2.Token{AccessToken: "old", RefreshToken: "RT"})
				var err error
				switch call {
				case "password":
					_, err = s.Password(context.Background(), "alice", "pw")
				case "refresh":
					_, err = s.Refresh(context.Background())
				case "device":
					_, err = s.DeviceAuth(context.Background())
				}
				var e *oauth2.Error
				if status == 200 && err == nil || status != 200 && (!errors.As(err, &e) || e.StatusCode != status) {
					t.Errorf("err = %v, want a failure to parse an empty body", err)
				}
			})
		}
	}
}
