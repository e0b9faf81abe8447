package oauth1_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/oauthkit/oauth/oauth1"
)

// TestTransportRedirectHosts gives the Transport the second request of a
// redirect chain, as http.Client builds it, and checks that it is signed
// only when it goes to the very host of the first one (compared on the
// URLs, as net/http compares them, but exactly: no subdomain), without a
// downgrade to http.
func TestTransportRedirectHosts(t *testing.T) {
	tests := []struct {
		name      string
		from, to  string
		fromHost  string // the first request's Host, if set
		wantSign  bool
		wantQuery string // the query sent on the second hop
	}{
		{"same host", "https://api.example.com/a", "https://api.example.com/b?x=1", "", true, "x=1"},
		{"same host, other case", "https://api.example.com/a", "https://API.Example.com/b", "", true, ""},
		{"http to https", "http://api.example.com/a", "https://api.example.com/b", "", true, ""},
		{"https to http", "https://api.example.com/a", "http://api.example.com/b", "", false, ""},
		{"other host", "https://api.example.com/a", "https://evil.example/b", "", false, ""},
		{"subdomain", "https://api.example.com/a", "https://x.api.example.com/b", "", false, ""},
		{"parent domain", "https://api.example.com/a", "https://example.com/b", "", false, ""},
		{"suffix", "https://api.example.com/a", "https://evilapi.example.com/b", "", false, ""},
		{"longer name", "https://api.example.com/a", "https://api.example.com.evil.example/b", "", false, ""},
		{"IPv6 zone ending in the host", "https://api.example.com/a", "https://[fe80::1%25.api.example.com]/b", "", false, ""},
		{"IPv6 zone ending in the host, port", "https://api.example.com:8443/a", "https://[fe80::1%25.api.example.com]:8443/b", "", false, ""},
		{"IPv6 same literal", "https://[fe80::1%25eth0]/a", "https://[fe80::1%25eth0]/b", "", true, ""},
		{"other port", "https://api.example.com/a", "https://api.example.com:8443/b", "", false, ""},
		{"Host override, other URL host", "https://192.0.2.1/a", "https://api.example.com/b", "api.example.com", false, ""},
		{"Host override, same URL host", "https://192.0.2.1/a", "https://192.0.2.1/b", "api.example.com", true, ""},
		{"oauth parameters echoed", "https://api.example.com/a", "https://evil.example/b?q=1&oauth_token=t&oauth_signature=s&oauth_nonce=n", "", false, "q=1"},
	}
	for _, tt := range tests {
		for _, pl := range []oauth1.Placement{oauth1.InHeader, oauth1.InQuery} {
			t.Run(tt.name+"/"+pl.String(), func(t *testing.T) {
				first, err := http.NewRequest(http.MethodGet, tt.from, nil)
				if err != nil {
					t.Fatal(err)
				}
				first.Host = tt.fromHost
				u, err := url.Parse(tt.to)
				if err != nil {
					t.Fatal(err)
				}
				second := &http.Request{Method: http.MethodGet, URL: u, Header: http.Header{},
					Response: &http.Response{StatusCode: http.StatusFound, Request: first}}
				base := &recordRT{}
				cfg := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "cs", Placement: pl}
				tr := &oauth1.Transport{Config: cfg, Token: &oauth1.Token{Token: "tok", Secret: "ts"}, Base: base}
				resp, err := tr.RoundTrip(second)
				if err != nil {
					t.Fatalf("RoundTrip() = %v", err)
				}
				resp.Body.Close()
				signed := base.got.Header.Get("Authorization") != "" || strings.Contains(base.got.URL.RawQuery, "oauth_signature=")
				if signed != tt.wantSign {
					t.Errorf("signed = %v, want %v (Authorization %q, query %q)", signed, tt.wantSign,
						base.got.Header.Get("Authorization"), base.got.URL.RawQuery)
				}
				if !tt.wantSign && base.got.URL.RawQuery != tt.wantQuery {
					t.Errorf("query sent = %q, want %q", base.got.URL.RawQuery, tt.wantQuery)
				}
			})
		}
	}
}

// TestRedirectToAnotherHostUnsigned follows real redirects, 302 and 307,
// from a host that copies everything it received (the signed query and
// form body) into Location, to another host: in every placement, that
// host must receive no oauth_* parameter anywhere and no Authorization
// header.
func TestRedirectToAnotherHostUnsigned(t *testing.T) {
	var mu sync.Mutex
	var got []string // what the other host received
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, "query "+r.URL.RawQuery, "body "+string(b), "authorization "+r.Header.Get("Authorization"))
		mu.Unlock()
	}))
	defer other.Close()
	first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		code := http.StatusFound
		if r.URL.Path == "/307" {
			code = http.StatusTemporaryRedirect
		}
		http.Redirect(w, r, other.URL+"/landing?"+r.URL.RawQuery+"&"+string(b), code)
	}))
	defer first.Close()
	for _, mc := range methodCases() {
		for _, pl := range placements {
			for _, path := range []string{"/302", "/307"} {
				t.Run(mc.name+"/"+pl.String()+path, func(t *testing.T) {
					mu.Lock()
					got = nil
					mu.Unlock()
					cfg := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "cs", Method: mc.method, Placement: pl}
					client := cfg.Client(&oauth1.Token{Token: "tok", Secret: "ts"})
					resp, err := client.Post(first.URL+path+"?q=1", "application/x-www-form-urlencoded", strings.NewReader("a=1"))
					if err != nil {
						t.Fatal(err)
					}
					resp.Body.Close()
					mu.Lock()
					defer mu.Unlock()
					if len(got) != 3 {
						t.Fatalf("the other host received %d requests, want 1", len(got)/3)
					}
					for _, g := range got {
						if strings.Contains(g, "oauth_") || strings.HasPrefix(g, "authorization ") && g != "authorization " {
							t.Errorf("the other host received %s", g)
						}
					}
				})
			}
		}
	}
}
