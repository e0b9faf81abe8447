package xoauth2_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/xoauth2"
	x "golang.org/x/oauth2"
)

// cannedRT is the base of every Transport measured: it returns the same
// response and does nothing else.
type cannedRT struct{ resp *http.Response }

func (c cannedRT) RoundTrip(*http.Request) (*http.Response, error) { return c.resp, nil }

var canned = cannedRT{&http.Response{StatusCode: 200, Body: http.NoBody}}

// benchAccessToken is RFC 6750 §2.1's example access token.
const benchAccessToken = "mF_9.B5f-4.1JqM"

func benchRequest(tb testing.TB) *http.Request {
	req, err := http.NewRequest("GET", "https://api.example.com/v1/items?page=2", nil)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "bench")
	return req
}

// benchTransports are the RoundTrippers BenchmarkTransport compares, each
// authorizing the same request with a valid token over the same canned
// base: bare is the base alone; oauthkit is what Session.Client uses,
// xoauth2 what golang.org/x/oauth2's Config.Client uses (a Transport over
// a ReuseTokenSource); bridged is golang.org/x/oauth2's NewClient over
// ToTokenSource of a Session.
func benchTransports(tb testing.TB) []struct {
	name string
	rt   http.RoundTripper
} {
	ctx := context.WithValue(context.Background(), x.HTTPClient, &http.Client{Transport: canned})
	s := (&oauth2.Config{HTTPClient: &http.Client{Transport: canned}}).NewSession(
		&oauth2.Token{AccessToken: benchAccessToken, TokenType: "Bearer"})
	xcfg := &x.Config{Endpoint: x.Endpoint{TokenURL: "https://as.example/token"}}
	return []struct {
		name string
		rt   http.RoundTripper
	}{
		{"bare", canned},
		{"oauthkit", s.Client().Transport},
		{"xoauth2", xcfg.Client(ctx, &x.Token{AccessToken: benchAccessToken, TokenType: "Bearer"}).Transport},
		{"bridged", x.NewClient(ctx, xoauth2.ToTokenSource(ctx, s)).Transport},
	}
}

var sinkResp *http.Response

// BenchmarkTransport measures one request with a valid token through each
// Transport, over a base that does nothing: the Transport's own cost.
func BenchmarkTransport(b *testing.B) {
	for _, tt := range benchTransports(b) {
		b.Run(tt.name, func(b *testing.B) {
			req := benchRequest(b)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				resp, err := tt.rt.RoundTrip(req)
				if err != nil {
					b.Fatal(err)
				}
				sinkResp = resp
			}
		})
	}
}

// BenchmarkTransportParallel is BenchmarkTransport from GOMAXPROCS
// goroutines at once.
func BenchmarkTransportParallel(b *testing.B) {
	for _, tt := range benchTransports(b) {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				req := benchRequest(b)
				for pb.Next() {
					if _, err := tt.rt.RoundTrip(req); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// TestTransportAllocs holds oauthkit's Transport to at most 4 allocations
// per request over the bare base, and to no more than golang.org/x/oauth2's
// Transport makes (API v1 §2).
func TestTransportAllocs(t *testing.T) {
	req := benchRequest(t)
	allocs := map[string]float64{}
	for _, tt := range benchTransports(t) {
		allocs[tt.name] = testing.AllocsPerRun(1000, func() {
			if _, err := tt.rt.RoundTrip(req); err != nil {
				t.Fatal(err)
			}
		})
	}
	if got, max := allocs["oauthkit"], allocs["bare"]+4; got > max {
		t.Errorf("oauthkit: %v allocations per request, want at most %v (bare + 4)", got, max)
	}
	if allocs["oauthkit"] > allocs["xoauth2"] {
		t.Errorf("oauthkit: %v allocations per request, more than golang.org/x/oauth2's %v", allocs["oauthkit"], allocs["xoauth2"])
	}
}
