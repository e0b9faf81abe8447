package oauth1_test

import (
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/oauthkit/oauth/oauth1"
)

// keepRT keeps every request it is sent, unread, with copies of its
// Authorization header and query as they were when it was sent.
type keepRT struct {
	mu   sync.Mutex
	sent map[*http.Request][2]string
}

func (rt *keepRT) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.mu.Lock()
	rt.sent[r] = [2]string{strings.Clone(r.Header.Get("Authorization")), strings.Clone(r.URL.RawQuery)}
	rt.mu.Unlock()
	return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
}

// TestTransportSentRequestsStay sends requests from several goroutines
// through one Transport, which reuses its buffers, and checks each sent
// request only once all are sent: its header and query as they were
// sent, its body and GetBody the same, and its signature right
// (plainVerify). In every placement, with form bodies and others.
func TestTransportSentRequestsStay(t *testing.T) {
	consumers, tokens := map[string]string{"ck": "cs&1"}, map[string]string{"tk": "ts 2"}
	for _, pl := range []oauth1.Placement{oauth1.InHeader, oauth1.InQuery, oauth1.InFormBody} {
		t.Run(pl.String(), func(t *testing.T) {
			rt := &keepRT{sent: map[*http.Request][2]string{}}
			tr := &oauth1.Transport{Base: rt, Token: &oauth1.Token{Token: "tk", Secret: "ts 2"},
				Config: &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "cs&1", Placement: pl, BodyHash: true}}
			type want struct {
				body string
				form bool
			}
			var mu sync.Mutex
			wants := map[*http.Request]want{}
			var wg sync.WaitGroup
			for g := 0; g < 4; g++ {
				wg.Add(1)
				go func(g int) {
					defer wg.Done()
					rng := rand.New(rand.NewSource(int64(g)))
					for i := 0; i < 25; i++ {
						form := pl == oauth1.InFormBody || i%2 == 0
						var body string
						if form {
							for n := rng.Intn(300); n > 0; n-- {
								body += fmt.Sprintf("k%d=v%%20%d&", rng.Intn(100), g)
							}
						} else {
							b := make([]byte, rng.Intn(9000))
							rng.Read(b)
							body = string(b)
						}
						req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s?g=%d&i=%d", fvURL, g, i), strings.NewReader(body))
						req.GetBody = nil // the Transport's own
						if form {
							req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
						}
						resp, err := tr.RoundTrip(req)
						if err != nil {
							t.Error(err)
							return
						}
						mu.Lock()
						wants[resp.Request] = want{body, form}
						mu.Unlock()
					}
				}(g)
			}
			wg.Wait()
			for r, w := range wants {
				if got := [2]string{r.Header.Get("Authorization"), r.URL.RawQuery}; got != rt.sent[r] {
					t.Fatalf("header and query changed after they were sent:\n%q\n%q", rt.sent[r], got)
				}
				b, _ := io.ReadAll(r.Body)
				rc, _ := r.GetBody()
				again, _ := io.ReadAll(rc)
				if string(again) != string(b) || int64(len(b)) != r.ContentLength {
					t.Fatalf("GetBody gives %d bytes, Body %d, ContentLength %d", len(again), len(b), r.ContentLength)
				}
				if !w.form && string(b) != w.body {
					t.Fatalf("body of %d bytes sent as %d other bytes", len(w.body), len(b))
				}
				if err := plainVerify(r.URL.RawQuery, string(b), w.form, r.Header.Get("Authorization"), consumers, tokens, nil); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}
