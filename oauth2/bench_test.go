package oauth2

import (
	"net/http"
	"testing"
)

// noopRT is the floor: a RoundTripper that does nothing.
type noopRT struct{ resp *http.Response }

func (n noopRT) RoundTrip(*http.Request) (*http.Response, error) { return n.resp, nil }

var sinkResp *http.Response

func benchRequest(b *testing.B) *http.Request {
	req, err := http.NewRequest("GET", "https://api.example.com/v1/items?page=2", nil)
	if err != nil {
		b.Fatal(err)
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

// BenchmarkNoop is the floor BenchmarkTransport is compared with.
func BenchmarkNoop(b *testing.B) {
	runRT(b, noopRT{&http.Response{StatusCode: 200, Body: http.NoBody}})
}

// BenchmarkTransport measures a request with a valid token through the
// Transport over the no-op base: the Transport's own overhead.
func BenchmarkTransport(b *testing.B) {
	s := (&Config{}).NewSession(&Token{AccessToken: "mF_9.B5f-4.1JqM", TokenType: "Bearer"})
	runRT(b, &Transport{Session: s, Base: noopRT{&http.Response{StatusCode: 200, Body: http.NoBody}}})
}
