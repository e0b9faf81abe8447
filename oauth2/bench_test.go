package oauth2

import (
	"context"
	"net/http"
	"testing"
)

// noopRT is the floor: a RoundTripper that does nothing.
type noopRT struct{ resp *http.Response }

func (n noopRT) RoundTrip(*http.Request) (*http.Response, error) { return n.resp, nil }

var sinkResp *http.Response

func benchRequest(tb testing.TB) *http.Request {
	req, err := http.NewRequest("GET", "https://api.example.com/v1/items?page=2", nil)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "bench")
	return req
}

func runRT(b *testing.B, rt http.RoundTripper) {
	b.Run("serial", func(b *testing.B) {
		req := benchRequest(b)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			resp, err := rt.RoundTrip(req)
			if err != nil {
				b.Fatal(err)
			}
			sinkResp = resp
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			req := benchRequest(b)
			var resp *http.Response
			for pb.Next() {
				var err error
				if resp, err = rt.RoundTrip(req); err != nil {
					b.Error(err)
					return
				}
			}
			_ = resp
		})
	})
}

var noop = noopRT{&http.Response{StatusCode: 200, Body: http.NoBody}}

// benchToken is the token of the benchmarks: the access token of RFC 6750
// §2.1's example.
var benchToken = &Token{AccessToken: "mF_9.B5f-4.1JqM", TokenType: "Bearer"}

// transports are the Transports the benchmarks and TestTransportAllocs
// measure, by name: each over the no-op base, with a valid token from
// each kind of source. golang.org/x/oauth2's Transport is measured with
// the same names in the bridge module.
func transports() []struct {
	name string
	rt   http.RoundTripper
} {
	return []struct {
		name string
		rt   http.RoundTripper
	}{
		{"Session", &Transport{Source: (&Config{}).NewSession(benchToken), Base: noop}},
		{"StaticTokenSource", &Transport{Source: StaticTokenSource(benchToken), Base: noop}},
		{"TokenSource", &Transport{Source: plainSource{benchToken}, Base: noop}},
	}
}

// plainSource is a TokenSource of another package's making: the Transport
// builds the header value itself.
type plainSource struct{ tok *Token }

func (p plainSource) Token(ctx context.Context) (*Token, error) { return p.tok, nil }

// BenchmarkNoop is the floor BenchmarkTransport is compared with.
func BenchmarkNoop(b *testing.B) { runRT(b, noop) }

// BenchmarkTransport measures a request with a valid token through the
// Transport over the no-op base: the Transport's own cost.
func BenchmarkTransport(b *testing.B) {
	for _, tt := range transports() {
		b.Run(tt.name, func(b *testing.B) { runRT(b, tt.rt) })
	}
}

// TestTransportAllocs holds the Transport's valid-token path to at most 4
// allocations per request over the no-op base, with a token from a
// Session or StaticTokenSource (API v1 §2).
func TestTransportAllocs(t *testing.T) {
	req := benchRequest(t)
	if floor := testing.AllocsPerRun(100, func() { noop.RoundTrip(req) }); floor != 0 {
		t.Fatalf("the no-op base allocates %v times", floor)
	}
	for _, tt := range transports()[:2] {
		got := testing.AllocsPerRun(1000, func() {
			if _, err := tt.rt.RoundTrip(req); err != nil {
				t.Fatal(err)
			}
		})
		if got > 4 {
			t.Errorf("%s: %v allocations per request, want at most 4", tt.name, got)
		}
	}
}
