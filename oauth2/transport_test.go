package oauth2

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// transportFor returns the Transport of s.Client() with base as its Base.
func transportFor(s *Session, base http.RoundTripper) http.RoundTripper {
	return NewClient(s, &http.Client{Transport: base}).Transport
}

// chainRT redirects each URL to the next one of a table and records the
// Authorization header every hop received.
type chainRT struct {
	next map[string]string
	mu   sync.Mutex
	seen []string // "host Authorization"
}

func (c *chainRT) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.seen = append(c.seen, r.URL.Host+" "+r.Header.Get("Authorization"))
	c.mu.Unlock()
	h := http.Header{}
	code := 200
	if loc, ok := c.next[r.URL.String()]; ok {
		code = http.StatusFound
		h.Set("Location", loc)
	}
	return &http.Response{StatusCode: code, Header: h, Body: io.NopCloser(strings.NewReader("")), Request: r}, nil
}

func TestRedirectChainKeepsTokenOnOriginalSite(t *testing.T) {
	tests := []struct {
		name string
		next map[string]string
		want []string
	}{
		{
			name: "to another site then its subdomain",
			next: map[string]string{"https://api.example.com/": "https://evil.test/x", "https://evil.test/x": "https://steal.evil.test/y"},
			want: []string{"api.example.com Bearer a", "evil.test ", "steal.evil.test "},
		},
		{
			name: "away and back",
			next: map[string]string{"https://api.example.com/": "https://evil.test/x", "https://evil.test/x": "https://api.example.com/back"},
			want: []string{"api.example.com Bearer a", "evil.test ", "api.example.com "},
		},
		{
			name: "subdomain then sub-subdomain",
			next: map[string]string{"https://api.example.com/": "https://eu.api.example.com/x", "https://eu.api.example.com/x": "https://a.eu.api.example.com/y"},
			want: []string{"api.example.com Bearer a", "eu.api.example.com Bearer a", "a.eu.api.example.com Bearer a"},
		},
		{
			name: "subdomain then parent",
			next: map[string]string{"https://api.example.com/": "https://eu.api.example.com/x", "https://eu.api.example.com/x": "https://example.com/y"},
			want: []string{"api.example.com Bearer a", "eu.api.example.com Bearer a", "example.com "},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := (&Config{}).NewSession(&Token{AccessToken: "a"})
			rt := &chainRT{next: tt.next}
			c := &http.Client{Transport: &Transport{Source: s, Base: rt}}
			resp, err := c.Get("https://api.example.com/")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if diff := cmp.Diff(tt.want, rt.seen); diff != "" {
				t.Errorf("hops (-want +got):\n%s", diff)
			}
		})
	}
}

// A request built by hand may have a nil Header; RoundTrip must not panic.
func TestTransportNilHeader(t *testing.T) {
	hook := Hooks{ProtectedRequest: func(r *http.Request) error { r.Header.Set("X-Hook", "1"); return nil }}
	tests := []struct {
		name      string
		cfg       Config
		wantAuth  string
		wantQuery string
		wantHook  string
	}{
		{"header", Config{}, "Bearer a", "", ""},
		{"query", Config{Placement: InQuery}, "", "access_token=a", ""},
		{"form body, GET", Config{Placement: InFormBody}, "Bearer a", "", ""},
		{"header with hook", Config{Hooks: hook}, "Bearer a", "", "1"},
		{"query with hook", Config{Placement: InQuery, Hooks: hook}, "", "access_token=a", "1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.cfg.NewSession(&Token{AccessToken: "a"})
			u, _ := url.Parse("https://api.example.com/x")
			req := &http.Request{Method: "GET", URL: u} // Header nil
			rec := &recordRT{}
			if _, err := transportFor(s, rec).RoundTrip(req); err != nil {
				t.Fatal(err)
			}
			got := [3]string{rec.req.Header.Get("Authorization"), rec.req.URL.RawQuery, rec.req.Header.Get("X-Hook")}
			if want := [3]string{tt.wantAuth, tt.wantQuery, tt.wantHook}; got != want {
				t.Errorf("sent Authorization, query, X-Hook = %q, want %q", got, want)
			}
			if req.Header != nil {
				t.Error("caller's request was given a header")
			}
		})
	}
}

// The caller's body is closed exactly once on every path, errors included.
func TestTransportClosesBodyOnce(t *testing.T) {
	hookErr := errors.New("hook says no")
	failHook := Hooks{ProtectedRequest: func(*http.Request) error { return hookErr }}
	okHook := Hooks{ProtectedRequest: func(*http.Request) error { return nil }}
	valid := &Token{AccessToken: "a"}
	tests := []struct {
		name     string
		cfg      Config
		tok      *Token
		url      string
		body     string
		redirect bool
		want     error
	}{
		{"no token", Config{}, nil, "https://x/", "a=1", false, ErrNoToken},
		{"expired", Config{}, &Token{AccessToken: "a", Expiry: time.Now().Add(-time.Hour)}, "https://x/", "a=1", false, ErrTokenExpired},
		{"insecure", Config{}, valid, "http://x.example/", "a=1", false, ErrInsecureTransport},
		{"header", Config{}, valid, "https://x/", "a=1", false, nil},
		{"header, hook", Config{Hooks: okHook}, valid, "https://x/", "a=1", false, nil},
		{"header, hook fails", Config{Hooks: failHook}, valid, "https://x/", "a=1", false, hookErr},
		{"query", Config{Placement: InQuery}, valid, "https://x/", "a=1", false, nil},
		{"query, hook fails", Config{Placement: InQuery, Hooks: failHook}, valid, "https://x/", "a=1", false, hookErr},
		{"form", Config{Placement: InFormBody}, valid, "https://x/", "a=1", false, nil},
		{"form, hook", Config{Placement: InFormBody, Hooks: okHook}, valid, "https://x/", "a=1", false, nil},
		{"form, hook fails", Config{Placement: InFormBody, Hooks: failHook}, valid, "https://x/", "a=1", false, hookErr},
		{"form too large", Config{Placement: InFormBody, MaxBodyBytes: 10}, valid, "https://x/", strings.Repeat("a", 11), false, &http.MaxBytesError{}},
		{"redirect elsewhere", Config{}, valid, "https://x/", "a=1", true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.cfg.NewSession(tt.tok)
			body := &countBody{Reader: strings.NewReader(tt.body)}
			req, _ := http.NewRequest("POST", tt.url, body)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.redirect {
				prev, _ := http.NewRequest("GET", "https://elsewhere.example/", nil)
				req.Response = &http.Response{Request: prev}
			}
			_, err := transportFor(s, &recordRT{}).RoundTrip(req)
			if mb := (*http.MaxBytesError)(nil); errors.As(tt.want, &mb) {
				if !errors.As(err, &mb) || mb.Limit != 10 {
					t.Errorf("err = %v, want an *http.MaxBytesError with Limit 10", err)
				}
			} else if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
			if n := body.closed.Load(); n != 1 {
				t.Errorf("caller's body closed %d times, want 1", n)
			}
		})
	}
}

func TestWithoutParam(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"x=1", "x=1"},
		{"access_token=a", ""},
		{"x=1&access_token=a&y=%2F&access_token=b", "x=1&y=%2F"},
		{"access%5Ftoken=a&access_token&x", "x"},
		{"access_tokenx=a&xaccess_token=b", "access_tokenx=a&xaccess_token=b"},
	}
	for _, tt := range tests {
		if got, _ := withoutParam(tt.in, "access_token"); got != tt.want {
			t.Errorf("withoutParam(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
