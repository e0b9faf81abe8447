package oauth1_test

import (
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/oauthkit/oauth/oauth1"
)

// cannedRT answers every request with the same response, allocating
// nothing.
type cannedRT struct{ resp *http.Response }

func (rt cannedRT) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		r.Body.Close()
	}
	return rt.resp, nil
}

// TestTransportAllocs holds a Transport to what it leaves in the request
// over a bare RoundTrip: the clone (1), its header (2: the map and its
// group), one string for the body read and the Authorization value (1),
// and one object for the value's slice and the body's reader (1). It also
// checks that the HMAC is prepared once, not for each request: a new
// crypto/hmac costs five allocations more.
func TestTransportAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip(raceSkip)
	}
	rt := cannedRT{&http.Response{StatusCode: 200, Body: http.NoBody}}
	tr := &oauth1.Transport{Config: twConfig, Token: twToken, Base: rt}
	tests := []struct {
		name   string
		newReq func() *http.Request
		want   float64
	}{
		{"form POST", twRequest, 5},
		{"GET", func() *http.Request {
			req, _ := http.NewRequest(http.MethodGet, "https://api.example.com/1/items?tag=a&tag=b", nil)
			return req
		}, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := tt.newReq()
			bare := testing.AllocsPerRun(100, func() {
				if req.GetBody != nil {
					req.Body, _ = req.GetBody()
				}
				rt.RoundTrip(req)
			})
			got := testing.AllocsPerRun(100, func() {
				if req.GetBody != nil {
					req.Body, _ = req.GetBody()
				}
				if _, err := tr.RoundTrip(req); err != nil {
					t.Fatal(err)
				}
			})
			if got-bare > tt.want {
				t.Errorf("RoundTrip allocations = %v over a bare RoundTrip, want at most %v", got-bare, tt.want)
			}
		})
	}
}

// bigFormBody is a form body of 1 MiB. Made once: what a test makes is
// garbage the heap figures of TestFormBodyPlacedOnce would count.
var bigFormBody = "a=" + strings.Repeat("x", 1<<20)

// TestFormBodyPlacedOnce: a request signed in its form body keeps one
// copy of the body, the one sent, not the one read as well.
func TestFormBodyPlacedOnce(t *testing.T) {
	body := bigFormBody
	cfg := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "cs", Placement: oauth1.InFormBody, MaxBodyBytes: 4 << 20}
	req, _ := http.NewRequest(http.MethodPost, "https://api.example.com/r", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if err := cfg.Sign(req, nil); err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if sent, _ := io.ReadAll(req.Body); len(sent) < len(body) {
		t.Fatalf("sent %d bytes", len(sent))
	}
	held := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	if held > int64(len(body))*3/2 {
		t.Errorf("the signed request holds %d bytes for a body of %d", held, len(body))
	}
}
