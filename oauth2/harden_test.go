package oauth2_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

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
				var err error
				switch call {
				case "password":
					_, err = cfg.PasswordCredentialsToken(context.Background(), "alice", "pw")
				case "refresh":
					_, err = cfg.NewSession(&oauth2.Token{AccessToken: "old", RefreshToken: "RT"}).Refresh(context.Background())
				case "device":
					_, err = cfg.DeviceAuth(context.Background())
				}
				var e *oauth2.Error
				if status == 200 && err == nil || status != 200 && (!errors.As(err, &e) || e.StatusCode != status) {
					t.Errorf("err = %v, want a failure to parse an empty body", err)
				}
			})
		}
	}
}

// A Retry-After of any size, in seconds or as a date, gives a RetryAfter
// between 0 and the documented maximum of 24 hours: never a wrapped-around
// duration.
func TestRetryAfterClamped(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		header string
		want   time.Duration
	}{
		{"120", 2 * time.Minute},
		{"86400", 24 * time.Hour},
		{"86401", 24 * time.Hour},
		{"9223372036854775807", 24 * time.Hour},    // wraps around as nanoseconds
		{"18446744073709551616", 24 * time.Hour},   // past uint64
		{strings.Repeat("9", 400), 24 * time.Hour}, // past anything
		{"Fri, 31 Dec 9999 23:59:59 GMT", 24 * time.Hour},
		{"Thu, 01 Jan 2026 00:01:00 GMT", time.Minute},
		{"Wed, 31 Dec 2025 00:00:00 GMT", 0}, // in the past
		{"-5", 0},
		{"soon", 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%.30s", tt.header), func(t *testing.T) {
			cfg := asConfig(reply(503, http.Header{"Retry-After": {tt.header}}, `{"error":"temporarily_unavailable"}`))
			cfg.Now = func() time.Time { return now }
			err := cfg.RevokeToken(context.Background(), "AT", oauth2.HintAccessToken)
			var e *oauth2.Error
			if !errors.As(err, &e) {
				t.Fatalf("Revoke = %v, want *oauth2.Error", err)
			}
			if e.RetryAfter != tt.want {
				t.Errorf("RetryAfter = %v, want %v", e.RetryAfter, tt.want)
			}
		})
	}
}

// redirectOnce returns a RoundTripper that answers the first request with
// a 302 to location and every later one with 200, and records the
// Authorization header and query of every request.
func redirectOnce(location string, seen *[]string) rtFunc {
	n := 0
	return func(r *http.Request) (*http.Response, error) {
		*seen = append(*seen, r.URL.Host+" "+r.Header.Get("Authorization")+" "+r.URL.RawQuery)
		n++
		h := http.Header{}
		code := 200
		if n == 1 {
			code = http.StatusFound
			h.Set("Location", location)
		}
		return &http.Response{StatusCode: code, Header: h, Body: http.NoBody, Request: r}, nil
	}
}

// The token follows a redirect only to the same host or a subdomain of it,
// compared as net/http compares them: IP literals, and anything with ':'
// or '%' (an IPv6 zone), only exactly.
func TestRedirectHostComparison(t *testing.T) {
	tests := []struct {
		from, to string
		keep     bool
	}{
		{"https://api.example.com/", "https://api.example.com/x", true},
		{"https://api.example.com/", "https://eu.api.example.com/x", true},
		{"https://api.example.com/", "https://API.Example.COM/x", true},
		{"https://api.example.com/", "https://xapi.example.com/x", false},
		{"https://api.example.com/", "https://example.com/x", false},
		{"https://api.example.com/", "https://[fe80::1%25.api.example.com]/x", false},
		{"https://api.example.com/", "https://[fe80::1%25api.example.com]/x", false},
		{"https://10.0.0.1/", "https://10.0.0.1:8443/x", true},
		{"https://10.0.0.1/", "https://x.10.0.0.1/x", false},
		{"https://0.1/", "https://10.0.1/x", false},
		{"https://[::1]/", "https://[::1]/x", true},
		{"https://[::1]/", "https://[0::1]/x", false},
	}
	for _, tt := range tests {
		t.Run(tt.from+" to "+tt.to, func(t *testing.T) {
			var seen []string
			s := (&oauth2.Config{}).NewSession(&oauth2.Token{AccessToken: "AT"})
			c := &http.Client{Transport: &oauth2.Transport{Source: s, Base: redirectOnce(tt.to, &seen)}}
			resp, err := c.Get(tt.from)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if len(seen) != 2 {
				t.Fatalf("requests %q, want 2", seen)
			}
			if got := strings.Contains(seen[1], "Bearer AT"); got != tt.keep {
				t.Errorf("second hop %q: token sent = %v, want %v", seen[1], got, tt.keep)
			}
		})
	}
}

// With InQuery, a server that copies the query into Location must not
// carry the token to another host; on the same host the token is placed
// once, not twice.
func TestQueryTokenNotCarriedByRedirect(t *testing.T) {
	var mu sync.Mutex
	var got []string // query of every request to other, then to api's /landed
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, "other "+r.URL.RawQuery)
		mu.Unlock()
	}))
	defer other.Close()
	// other on "localhost", api on 127.0.0.1: two hosts, both loopback.
	otherURL := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, otherURL+"/collect?"+r.URL.RawQuery, http.StatusFound)
		case "/here":
			http.Redirect(w, r, "/landed?"+r.URL.RawQuery, http.StatusFound)
		default:
			mu.Lock()
			got = append(got, "api "+r.URL.RawQuery)
			mu.Unlock()
		}
	}))
	defer api.Close()
	c := oauth2.NewClient(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "AT-SECRET"}), nil)
	c.Transport.(*oauth2.Transport).Placement = oauth2.InQuery
	for _, path := range []string{"/away?x=1", "/here?x=1"} {
		resp, err := c.Get(api.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	want := []string{"other x=1", "api x=1&access_token=AT-SECRET"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("queries received (-want +got):\n%s", diff)
	}
}

// DeviceAccessToken never sleeps past the device code's expiry, whatever the
// interval, slow_down or Retry-After says: it returns the expired error at
// the expiry.
func TestDeviceTokenStopsAtExpiry(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		interval int64
		expiry   time.Duration
		status   int
		header   http.Header
		body     string
		requests int
	}{
		{"interval past expiry", 3600, 10 * time.Minute, 400, nil, `{"error":"authorization_pending"}`, 0},
		{"huge interval", 1 << 62, 10 * time.Minute, 400, nil, `{"error":"authorization_pending"}`, 0},
		{"slow_down past expiry", 5, 12 * time.Second, 400, nil, `{"error":"slow_down"}`, 1},
		{"retry-after past expiry", 5, time.Minute, 503, http.Header{"Retry-After": {"3600"}}, `{"error":"temporarily_unavailable"}`, 1},
		{"huge retry-after", 5, time.Minute, 503, http.Header{"Retry-After": {"99999999999999999999"}}, `{}`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := t0
			requests := 0
			rt := reply(tt.status, tt.header, tt.body)
			cfg := asConfig(rtFunc(func(r *http.Request) (*http.Response, error) { requests++; return rt(r) }))
			cfg.Now = func() time.Time { return now }
			cfg.Sleep = func(_ context.Context, d time.Duration) error {
				if d < 0 {
					t.Errorf("Sleep(%v)", d)
				}
				now = now.Add(d)
				return nil
			}
			da := &oauth2.DeviceAuthResponse{DeviceCode: "DC", Interval: tt.interval, Expiry: t0.Add(tt.expiry)}
			_, err := cfg.DeviceAccessToken(context.Background(), da)
			if !errors.Is(err, oauth2.ErrExpiredToken) {
				t.Errorf("DeviceAccessToken err = %v, want ErrExpiredToken", err)
			}
			if !now.Equal(da.Expiry) {
				t.Errorf("returned at t0+%v, want at the expiry, t0+%v", now.Sub(t0), tt.expiry)
			}
			if requests != tt.requests {
				t.Errorf("%d polls, want %d", requests, tt.requests)
			}
		})
	}
}

// A device authorization without expires_in (REQUIRED by RFC 8628 §3.2,
// and omitted or 0 by some servers) is polled for at most
// DefaultDeviceCodeLifetime: a caller whose context has no deadline still
// gets the expired error, at that time.
func TestDeviceTokenStopsWithoutExpiry(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		body string // the device authorization response
	}{
		{"no expires_in", `{"device_code":"DC","user_code":"U","verification_uri":"https://example.com/device","interval":5}`},
		{"expires_in 0", `{"device_code":"DC","user_code":"U","verification_uri":"https://example.com/device","interval":5,"expires_in":0}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := t0
			sleeps := 0
			var da oauth2.DeviceAuthResponse
			if err := json.Unmarshal([]byte(tt.body), &da); err != nil {
				t.Fatal(err)
			}
			cfg := asConfig(reply(400, nil, `{"error":"authorization_pending"}`))
			cfg.Now = func() time.Time { return now }
			cfg.Sleep = func(_ context.Context, d time.Duration) error {
				if sleeps++; sleeps > 10000 {
					return errors.New("polling does not stop")
				}
				now = now.Add(d)
				return nil
			}
			_, err := cfg.DeviceAccessToken(context.Background(), &da)
			if !errors.Is(err, oauth2.ErrExpiredToken) {
				t.Fatalf("DeviceAccessToken err = %v, want ErrExpiredToken", err)
			}
			if got := now.Sub(t0); got != oauth2.DefaultDeviceCodeLifetime {
				t.Errorf("returned at t0+%v, want t0+%v", got, oauth2.DefaultDeviceCodeLifetime)
			}
		})
	}
}

// Every request to an endpoint has a deadline: the caller's, or
// Config.Timeout (DefaultTimeout when 0) when the caller's context has
// none; a negative Timeout leaves only the caller's context.
func TestEndpointRequestDeadline(t *testing.T) {
	calls := map[string]func(context.Context, *oauth2.Config) error{
		"password": func(ctx context.Context, c *oauth2.Config) error {
			_, err := c.PasswordCredentialsToken(ctx, "alice", "pw")
			return err
		},
		"exchange": func(ctx context.Context, c *oauth2.Config) error {
			_, err := c.Exchange(ctx, "CODE")
			return err
		},
		"device": func(ctx context.Context, c *oauth2.Config) error { _, err := c.DeviceAuth(ctx); return err },
		"device poll": func(ctx context.Context, c *oauth2.Config) error {
			_, err := c.DeviceAccessToken(ctx, &oauth2.DeviceAuthResponse{DeviceCode: "DC", Interval: 1})
			return err
		},
		"revocation": func(ctx context.Context, c *oauth2.Config) error {
			return c.RevokeToken(ctx, "AT", oauth2.HintAccessToken)
		},
		"introspection": func(ctx context.Context, c *oauth2.Config) error {
			_, err := c.IntrospectToken(ctx, "AT", oauth2.HintAccessToken)
			return err
		},
	}
	callerDeadline := time.Now().Add(time.Hour)
	tests := []struct {
		name    string
		timeout time.Duration
		ctx     bool          // the caller's context has callerDeadline
		max     time.Duration // the request's deadline at most this far ahead; 0: none
	}{
		{"default", 0, false, oauth2.DefaultTimeout},
		{"set", 5 * time.Second, false, 5 * time.Second},
		{"negative", -1, false, 0},
		{"caller's deadline", 5 * time.Second, true, time.Hour},
	}
	for _, tt := range tests {
		for name, call := range calls {
			t.Run(tt.name+"/"+name, func(t *testing.T) {
				var deadline time.Time
				var has bool
				rt := reply(200, nil, `{"access_token":"AT","active":true,"device_code":"DC"}`)
				cfg := asConfig(rtFunc(func(r *http.Request) (*http.Response, error) {
					deadline, has = r.Context().Deadline()
					return rt(r)
				}))
				cfg.Timeout = tt.timeout
				cfg.Sleep = func(context.Context, time.Duration) error { return nil }
				ctx := context.Background()
				if tt.ctx {
					var cancel context.CancelFunc
					ctx, cancel = context.WithDeadline(ctx, callerDeadline)
					defer cancel()
				}
				// The deadline is set between before and after: it is
				// within tt.max of that interval, however long it took.
				before := time.Now()
				if err := call(ctx, cfg); err != nil {
					t.Fatal(err)
				}
				after := time.Now()
				switch {
				case tt.max == 0 && has:
					t.Errorf("request deadline %v, want none", deadline)
				case tt.max != 0 && !has:
					t.Errorf("request has no deadline, want one %v ahead", tt.max)
				case tt.ctx && !deadline.Equal(callerDeadline):
					t.Errorf("request deadline %v, want the caller's, %v", deadline, callerDeadline)
				case has && !tt.ctx && (deadline.Before(before.Add(tt.max)) || deadline.After(after.Add(tt.max))):
					t.Errorf("request deadline %v after the call began, want %v", deadline.Sub(before), tt.max)
				}
			})
		}
	}
}

// A token endpoint that sends its headers, then trickles its body forever,
// does not block a grant whose context has no deadline: Config.Timeout
// bounds the reading of the response too.
func TestTricklingEndpointTimesOut(t *testing.T) {
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		for {
			if _, err := w.Write([]byte(" ")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}))
	defer srv.Close()
	defer close(stop)
	cfg := &oauth2.Config{ClientID: "id", Endpoint: oauth2.Endpoint{TokenURL: srv.URL, RevocationURL: srv.URL},
		Timeout: 100 * time.Millisecond}
	if _, err := cfg.PasswordCredentialsToken(context.Background(), "alice", "pw"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("PasswordCredentialsToken err = %v, want context.DeadlineExceeded", err)
	}
	if err := cfg.RevokeToken(context.Background(), "AT", oauth2.HintAccessToken); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("RevokeToken err = %v, want context.DeadlineExceeded", err)
	}
	// A refresh, detached from its callers, is bounded by Timeout too.
	s := cfg.NewSession(&oauth2.Token{AccessToken: "AT", RefreshToken: "RT"})
	if _, err := s.Refresh(context.Background()); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Refresh err = %v, want context.DeadlineExceeded", err)
	}
}

// A token without an access token is never sent ("Authorization: Bearer "
// with nothing after it): a session holding one refreshes it first if it
// has a refresh token and fails with ErrNoToken otherwise; SetToken
// refuses it; a TokenSource that returns one gets ErrNoToken.
func TestTokenWithoutAccessToken(t *testing.T) {
	tests := []struct {
		name     string
		tok      *oauth2.Token
		static   bool // from StaticTokenSource rather than NewSession
		wantErr  error
		wantAuth string
	}{
		{"NewSession, empty", &oauth2.Token{}, false, oauth2.ErrNoToken, ""},
		{"NewSession, type and expiry only", &oauth2.Token{TokenType: "Bearer", Expiry: time.Now().Add(time.Hour)}, false, oauth2.ErrNoToken, ""},
		{"NewSession, refresh token only", &oauth2.Token{RefreshToken: "RT"}, false, nil, "Bearer NEW"},
		{"StaticTokenSource, empty", &oauth2.Token{}, true, oauth2.ErrNoToken, ""},
		{"StaticTokenSource, nil", nil, true, oauth2.ErrNoToken, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := asConfig(reply(200, nil, `{"access_token":"NEW","expires_in":3600}`))
			var src oauth2.TokenSource = cfg.NewSession(tt.tok)
			if tt.static {
				// Another package's TokenSource, through the general path.
				src = sourceFunc(oauth2.StaticTokenSource(tt.tok).Token)
			}
			var sent []string
			base := rtFunc(func(r *http.Request) (*http.Response, error) {
				sent = append(sent, r.Header.Get("Authorization"))
				return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
			})
			c := &http.Client{Transport: &oauth2.Transport{Source: src, Base: base}}
			resp, err := c.Get("https://rs.example/")
			if err == nil {
				resp.Body.Close()
			}
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Errorf("GET err = %v, want %v", err, tt.wantErr)
			}
			var want []string
			if tt.wantAuth != "" {
				want = []string{tt.wantAuth}
			}
			if diff := cmp.Diff(want, sent); diff != "" {
				t.Errorf("Authorization sent (-want +got):\n%s", diff)
			}
			if s, ok := src.(*oauth2.Session); ok {
				if _, err := s.Token(context.Background()); !errors.Is(err, tt.wantErr) {
					t.Errorf("Token() err = %v, want %v", err, tt.wantErr)
				}
			}
		})
	}
	s := asConfig(nil).NewSession(&oauth2.Token{AccessToken: "OLD"})
	for _, tok := range []*oauth2.Token{{}, {RefreshToken: "RT"}} {
		if err := s.SetToken(tok); !errors.Is(err, oauth2.ErrMissingAccessToken) {
			t.Errorf("SetToken(%v) = %v, want ErrMissingAccessToken", tok, err)
		}
	}
	if got := s.CachedToken(); got == nil || got.AccessToken != "OLD" {
		t.Errorf("after a refused SetToken, CachedToken() = %v, want the old token", got)
	}
}

// sourceFunc is a TokenSource of another package's making.
type sourceFunc func(context.Context) (*oauth2.Token, error)

func (f sourceFunc) Token(ctx context.Context) (*oauth2.Token, error) { return f(ctx) }

// A redirect to plain http on a host of any length gives an
// ErrInsecureTransport error of bounded length.
func TestInsecureRedirectErrorBounded(t *testing.T) {
	long := strings.Repeat("a", 60) + "." + strings.Repeat("b.", 50000) + "example"
	var seen []string
	s := (&oauth2.Config{}).NewSession(&oauth2.Token{AccessToken: "AT"})
	c := &http.Client{Transport: &oauth2.Transport{Source: s, Base: redirectOnce("http://"+long+"/", &seen)}}
	_, err := c.Get("https://api.example.com/")
	if !errors.Is(err, oauth2.ErrInsecureTransport) {
		t.Fatalf("err = %v, want ErrInsecureTransport", err)
	}
	var ue *url.Error
	if !errors.As(err, &ue) {
		t.Fatalf("err = %T, want *url.Error", err)
	}
	if n := len(ue.Err.Error()); n > 512 {
		t.Errorf("error is %d bytes, want at most 512", n)
	}
}
