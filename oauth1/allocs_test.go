package oauth1_test

import (
	"net/http"
	"testing"

	"github.com/oauthkit/oauth/oauth1"
)

// TestSignAllocs holds Sign to the allocations of what it leaves in the
// request (see "Performance" in the package documentation): one string
// for the nonce, timestamp and any body read; the header value and its
// []string, and the restored body's reader; the new query; or the new
// body, its reader and its GetBody.
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
		{"header, GET", oauth1.InHeader, newGet, 4},
		{"header, form POST", oauth1.InHeader, twRequest, 4},
		{"query, GET", oauth1.InQuery, newGet, 2},
		{"form body, form POST", oauth1.InFormBody, twRequest, 4},
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

// TestSignKeyCacheNoThrash signs in turn with credentials that share a
// secret but differ in the method or the other secret. None may be
// admitted to the key cache on its first miss, which would prepare and
// store a key on every call: the uncached path allocates 3 times here.
func TestSignKeyCacheNoThrash(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	tok := &oauth1.Token{Token: "t", Secret: "thrash-ts"}
	cs := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "thrash-cs"}
	tests := []struct {
		name string
		a, b *oauth1.Config
		tok  *oauth1.Token
	}{
		{"methods", cs, &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "thrash-cs", Method: oauth1.HMACSHA256}, tok},
		{"consumer secrets", cs, &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "thrash-cs2"}, tok},
		{"two-legged methods", cs, &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "thrash-cs", Method: oauth1.HMACSHA512}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := 0
			got := testing.AllocsPerRun(200, func() {
				cfg := tt.a
				if i%2 == 1 {
					cfg = tt.b
				}
				i++
				req, _ := http.NewRequest("GET", "https://api.example.com/x", nil)
				req.Header["Authorization"] = nil // the map's entry is not Sign's
				if err := cfg.Sign(req, tt.tok); err != nil {
					t.Fatal(err)
				}
			})
			// What http.NewRequest allocates is not Sign's.
			base := testing.AllocsPerRun(200, func() {
				req, _ := http.NewRequest("GET", "https://api.example.com/x", nil)
				req.Header["Authorization"] = nil
			})
			if got-base > 3 {
				t.Errorf("Sign allocations = %v, want at most 3 (the uncached path)", got-base)
			}
		})
	}
}
