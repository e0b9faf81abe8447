package oauth1_test

import (
	"net/http"
	"testing"

	"github.com/oauthkit/oauth/oauth1"
)

// TestSignAllocs holds Sign to the allocations of what it leaves in the
// request (see "Performance" in the package documentation): one string
// for the nonce, timestamp and any body read; the header value and its
// []string (which shares the restored body's allocation when there is
// one); the new query; or the new body, its reader and its GetBody.
func TestSignAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	newGet := func() *http.Request {
		req, _ := http.NewRequest("GET", "https://api.example.com/1/items?tag=a&tag=b", nil)
		return req
	}
	tests := []struct {
		name      string
		placement oauth1.Placement
		newReq    func() *http.Request
		want      float64
	}{
		// The fourth is the first entry of the request's empty Header map.
		{"header, GET", oauth1.AuthHeader, newGet, 4},
		{"header, form POST", oauth1.AuthHeader, twRequest, 3},
		{"query, GET", oauth1.QueryString, newGet, 2},
		{"form body, form POST", oauth1.FormBody, twRequest, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := *twConfig
			cfg.Placement = tt.placement
			reqs := make([]*http.Request, 0, 110)
			for range cap(reqs) {
				reqs = append(reqs, tt.newReq())
			}
			got := testing.AllocsPerRun(100, func() {
				req := reqs[0]
				reqs = reqs[1:]
				if err := cfg.Sign(req, twToken); err != nil {
					t.Fatal(err)
				}
			})
			if got > tt.want {
				t.Errorf("Sign allocations = %v, want at most %v", got, tt.want)
			}
		})
	}
}
