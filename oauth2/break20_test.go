package oauth2_test

// Adversarial tests of session 20 (break2): each pins a claim of the
// package that a hostile or merely unusual server, or configuration,
// broke.

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth2"
)

// A token endpoint that labels its JSON text/plain, as Kanidm 1.10 does
// for its error responses (kanidm/kanidm#4470), is read as JSON: the
// error code reaches errors.Is, device polling goes on after
// authorization_pending, and auto-detection falls back on invalid_client.
// text/plain says nothing of the encoding, so the body decides, as for a
// missing Content-Type; a form body labelled text/plain (Facebook's) still
// reads as a form (TestParseTokenResponse).
func TestTextPlainJSON(t *testing.T) {
	plain := http.Header{"Content-Type": {"text/plain; charset=utf-8"}}
	ctx := context.Background()
	t.Run("refresh error", func(t *testing.T) {
		cfg := asConfig(reply(400, plain, `{"error":"invalid_grant","error_description":"refresh token expired"}`))
		_, err := cfg.NewSession(&oauth2.Token{AccessToken: "AT", RefreshToken: "RT"}).Refresh(ctx)
		if !errors.Is(err, oauth2.ErrInvalidGrant) {
			t.Errorf("Refresh() = %v, want ErrInvalidGrant", err)
		}
	})
	t.Run("token", func(t *testing.T) {
		cfg := asConfig(reply(200, plain, `{"access_token":"AT","token_type":"bearer","expires_in":3600}`))
		tok, err := cfg.ClientCredentials().Token(ctx)
		if err != nil || tok.AccessToken != "AT" {
			t.Fatalf("Token() = %v, %v; want AT", tok, err)
		}
	})
	t.Run("device polling", func(t *testing.T) {
		var polls atomic.Int32
		cfg := asConfig(rtFunc(func(r *http.Request) (*http.Response, error) {
			if polls.Add(1) == 1 {
				return reply(400, plain, `{"error":"authorization_pending"}`)(r)
			}
			return reply(200, plain, `{"access_token":"AT","token_type":"bearer"}`)(r)
		}))
		cfg.Sleep = func(context.Context, time.Duration) error { return nil }
		tok, err := cfg.DeviceAccessToken(ctx, &oauth2.DeviceAuthResponse{DeviceCode: "DC"})
		if err != nil || tok.AccessToken != "AT" {
			t.Fatalf("DeviceAccessToken() = %v, %v; want AT after one pending poll", tok, err)
		}
	})
	t.Run("auto-detect", func(t *testing.T) {
		cfg := asConfig(rtFunc(func(r *http.Request) (*http.Response, error) {
			if r.Header.Get("Authorization") != "" {
				return reply(400, plain, `{"error":"invalid_client"}`)(r)
			}
			return reply(200, nil, `{"access_token":"AT"}`)(r)
		}))
		cfg.AuthMethod = oauth2.AuthAutoDetect
		tok, err := cfg.ClientCredentials().Token(ctx)
		if err != nil || tok.AccessToken != "AT" {
			t.Fatalf("Token() = %v, %v; want AT with client_secret_post", tok, err)
		}
	})
}

// MaxBodyBytes of math.MaxInt64, the natural "no limit", is a limit no
// body reaches: the token response, the form body InFormBody adds the
// token to, and a form_post callback are read whole, never as empty.
func TestMaxBodyBytesMaxInt64(t *testing.T) {
	ctx := context.Background()
	var sent []string // the bodies the base transport sent
	cfg := asConfig(rtFunc(func(r *http.Request) (*http.Response, error) {
		if r.Body != nil {
			b, _ := io.ReadAll(r.Body)
			sent = append(sent, string(b))
		}
		return reply(200, nil, `{"access_token":"AT","token_type":"bearer"}`)(r)
	}))
	cfg.MaxBodyBytes = math.MaxInt64
	t.Run("token response", func(t *testing.T) {
		tok, err := cfg.ClientCredentials().Token(ctx)
		if err != nil || tok.AccessToken != "AT" {
			t.Fatalf("Token() = %v, %v; want AT", tok, err)
		}
	})
	t.Run("form body", func(t *testing.T) {
		c := *cfg
		c.Placement = oauth2.InFormBody
		sent = nil
		resp, err := c.NewSession(&oauth2.Token{AccessToken: "AT"}).Client().Post("https://rs.example.com/pay",
			"application/x-www-form-urlencoded", strings.NewReader("amount=100&to=bob"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if want := []string{"amount=100&to=bob&access_token=AT"}; !slices.Equal(sent, want) {
			t.Errorf("bodies sent = %q, want %q", sent, want)
		}
	})
	t.Run("form_post callback", func(t *testing.T) {
		r, _ := http.NewRequest(http.MethodPost, "https://app.example.com/cb", strings.NewReader("state=S&code=C"))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		tok, err := cfg.CompleteLogin(ctx, &oauth2.Login{State: "S"}, r)
		if err != nil || tok.AccessToken != "AT" {
			t.Fatalf("CompleteLogin() = %v, %v; want AT", tok, err)
		}
	})
}

// With InQuery, a redirect whose Location does not parse fails the
// request, and net/http's Client quotes in that error the URL of the
// request the response answers: the token must not be in it.
func TestQueryTokenNotInRedirectError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Location"] = []string{"https://a b/next"}
		w.WriteHeader(http.StatusFound)
	}))
	defer srv.Close()
	s := (&oauth2.Config{Placement: oauth2.InQuery}).NewSession(&oauth2.Token{AccessToken: "AT-SECRET"})
	resp, err := s.Client().Get(srv.URL + "/things?page=2")
	if err == nil {
		resp.Body.Close()
		t.Fatal("Get() succeeded, want the Client's error for the malformed Location")
	}
	checkNoCredential(t, err, "AT-SECRET")
}

// With InQuery, a server that copies the query into Location, as
// net/http's ServeMux does when it redirects /things to /things/, puts
// the token into the URL of the next hop, which net/http's Client quotes
// in its error when that hop fails, and into the Location it quotes when
// it stops following: the token must be in neither.
func TestQueryTokenNotInRedirectHopError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/things": // the hop after it fails
			http.Redirect(w, r, "/things/?"+r.URL.RawQuery, http.StatusMovedPermanently)
		case "/things/":
			c, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				c.Close()
			}
		default: // a loop the Client stops after 10 hops
			http.Redirect(w, r, "/loop?"+r.URL.RawQuery, http.StatusFound)
		}
	}))
	defer srv.Close()
	for _, path := range []string{"/things?page=2", "/loop?page=2"} {
		t.Run(path, func(t *testing.T) {
			s := (&oauth2.Config{Placement: oauth2.InQuery}).NewSession(&oauth2.Token{AccessToken: "AT-SECRET"})
			resp, err := s.Client().Get(srv.URL + path)
			if err == nil {
				resp.Body.Close()
				t.Fatal("Get() succeeded, want the Client's error")
			}
			checkNoCredential(t, err, "AT-SECRET")
		})
	}
}

// With InQuery, a redirect the caller gets (its CheckRedirect stops at
// it) has no access_token in its Location, whatever else the Location
// holds; a redirect without one keeps its Location byte for byte.
func TestQueryTokenNotInReturnedLocation(t *testing.T) {
	tests := []struct{ location, want string }{
		{"/things/?page=2&access_token=AT-SECRET", "/things/?page=2"},
		{"https://api.example.com/x?access_token=AT-SECRET#top", "https://api.example.com/x#top"},
		{"/x?a=%zz&access%5Ftoken=AT-SECRET&b=1", "/x?a=%zz&b=1"},
		{"/x?page=2#access_token=AT-SECRET", "/x?page=2#access_token=AT-SECRET"}, // a fragment is not sent
		{"/x?a=1&&b=%41", "/x?a=1&&b=%41"},
	}
	for _, tt := range tests {
		t.Run(tt.location, func(t *testing.T) {
			base := reply(http.StatusFound, http.Header{"Location": {tt.location}}, "")
			s := (&oauth2.Config{Placement: oauth2.InQuery}).NewSession(&oauth2.Token{AccessToken: "AT-SECRET"})
			c := oauth2.NewClient(s, &http.Client{Transport: base,
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }})
			resp, err := c.Get("https://api.example.com/things?page=2")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if got := resp.Header.Get("Location"); got != tt.want {
				t.Errorf("Location = %q, want %q", got, tt.want)
			}
		})
	}
}
