package oauth1_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth1"
)

// countingBody counts Close calls.
type countingBody struct {
	io.Reader
	closes atomic.Int32
}

func (b *countingBody) Close() error { b.closes.Add(1); return nil }

// recordRT records the request it is given and answers 200.
type recordRT struct {
	got  *http.Request
	body string
}

func (rt *recordRT) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.got = r
	if r.Body != nil {
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		rt.body = string(b)
	}
	return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
}

type failReader struct{}

func (failReader) Read([]byte) (int, error) { return 0, errors.New("no entropy") }

func TestTransportDoesNotModifyRequest(t *testing.T) {
	for _, pl := range placements {
		t.Run(pl.String(), func(t *testing.T) {
			cfg := &oauth1.Config{ConsumerKey: "k", ConsumerSecret: "s", Placement: pl}
			base := &recordRT{}
			tr := &oauth1.Transport{Config: cfg, Token: &oauth1.Token{Token: "t", Secret: "ts"}, Base: base}
			body := &countingBody{Reader: strings.NewReader("a=1&a=2")}
			req, _ := http.NewRequest(http.MethodPost, "https://api.example.com/x?q=1", body)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := tr.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if req.Header.Get("Authorization") != "" || req.URL.RawQuery != "q=1" || req.ContentLength != 0 {
				t.Errorf("caller's request modified: %v %q %d", req.Header, req.URL.RawQuery, req.ContentLength)
			}
			if n := body.closes.Load(); n != 1 {
				t.Errorf("caller's body closed %d times, want 1", n)
			}
			if !strings.HasPrefix(base.body, "a=1&a=2") {
				t.Errorf("sent body = %q, want it to start with a=1&a=2", base.body)
			}
			if base.got.GetBody == nil {
				t.Fatal("clone has no GetBody")
			}
			rc, _ := base.got.GetBody()
			again, _ := io.ReadAll(rc)
			if string(again) != base.body || base.got.ContentLength != int64(len(base.body)) {
				t.Errorf("GetBody() = %q (ContentLength %d), want %q", again, base.got.ContentLength, base.body)
			}
		})
	}
}

func TestTransportErrorsCloseBody(t *testing.T) {
	tests := []struct {
		name    string
		cfg     oauth1.Config
		ct      string
		body    string
		wantErr any
	}{
		{"rand fails", oauth1.Config{Rand: failReader{}}, "text/plain", "x", nil},
		{"form placement, json body", oauth1.Config{Placement: oauth1.InFormBody}, "application/json", "{}", oauth1.ErrNotForm},
		{"body too large", oauth1.Config{MaxBodyBytes: 10}, "application/x-www-form-urlencoded", strings.Repeat("a=b&", 10), new(*http.MaxBytesError)},
		{"bad query escape in body", oauth1.Config{}, "application/x-www-form-urlencoded", "a=%zz", oauth1.ErrBadRequest},
		{"rsa without key", oauth1.Config{Method: oauth1.RSASHA1(nil)}, "text/plain", "x", oauth1.ErrNoPrivateKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg
			cfg.ConsumerKey = "k"
			body := &countingBody{Reader: strings.NewReader(tt.body)}
			req, _ := http.NewRequest(http.MethodPost, "https://api.example.com/x", body)
			req.Header.Set("Content-Type", tt.ct)
			_, err := (&oauth1.Transport{Config: &cfg, Base: &recordRT{}}).RoundTrip(req)
			if err == nil {
				t.Fatal("RoundTrip succeeded, want an error")
			}
			switch w := tt.wantErr.(type) {
			case error:
				if !errors.Is(err, w) {
					t.Errorf("error = %v, want %v", err, w)
				}
			case **http.MaxBytesError:
				if !errors.As(err, w) {
					t.Errorf("error = %v, want *http.MaxBytesError", err)
				}
			}
			if n := body.closes.Load(); n != 1 {
				t.Errorf("body closed %d times, want 1", n)
			}
		})
	}
}

// redirectSetup serves a fake provider with redirecting routes on the same
// host, and a second, foreign host; both record what they receive.
type redirectSetup struct {
	srv, other *httptest.Server
	p          *fakeprovider.Provider
	mu         sync.Mutex
	seen       []string // path + " " + nonce, in arrival order
	foreign    []*http.Request
}

func newRedirectSetup(t *testing.T) *redirectSetup {
	rs := &redirectSetup{p: fakeprovider.NewProvider()}
	rs.other = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rs.mu.Lock()
		rs.foreign = append(rs.foreign, r.Clone(r.Context()))
		rs.mu.Unlock()
	}))
	t.Cleanup(rs.other.Close)
	mux := http.NewServeMux()
	mux.HandleFunc("/hop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/oauth1/resource?"+r.URL.RawQuery, http.StatusFound)
	})
	mux.HandleFunc("/hop307", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/oauth1/resource", http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("/away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, rs.other.URL+"/landing?"+r.URL.RawQuery, http.StatusFound)
	})
	mux.Handle("/", rs.p)
	rs.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		nonce := r.URL.Query().Get("oauth_nonce")
		for _, p := range headerParams(t, r.Header.Get("Authorization")) {
			if p[0] == "oauth_nonce" {
				nonce = p[1]
			}
		}
		rs.mu.Lock()
		rs.seen = append(rs.seen, r.URL.Path+" "+nonce)
		rs.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(rs.srv.Close)
	return rs
}

func (rs *redirectSetup) config(pl oauth1.Placement) (*oauth1.Config, *oauth1.Token) {
	tok, secret := rs.p.OAuth1.IssueAccessToken("hmac-sha1")
	return &oauth1.Config{ConsumerKey: "hmac-sha1", ConsumerSecret: "hmac-sha1-secret", Placement: pl},
		&oauth1.Token{Token: tok, Secret: secret}
}

func TestRedirects(t *testing.T) {
	for _, pl := range []oauth1.Placement{oauth1.InHeader, oauth1.InQuery} {
		t.Run("same host 302/"+pl.String(), func(t *testing.T) {
			rs := newRedirectSetup(t)
			cfg, tok := rs.config(pl)
			e := getEcho(t)(cfg.Client(tok).Get(rs.srv.URL + "/hop?tag=a&tag=b"))
			if diff := cmp.Diff([][2]string{{"tag", "a"}, {"tag", "b"}}, e.Params); diff != "" {
				t.Errorf("params after redirect (-want +got):\n%s", diff)
			}
			if len(rs.seen) != 2 {
				t.Fatalf("server saw %v, want 2 requests", rs.seen)
			}
			n1, n2 := strings.Fields(rs.seen[0])[1], strings.Fields(rs.seen[1])[1]
			if n1 == "" || n1 == n2 {
				t.Errorf("nonces %q then %q, want two different nonces", n1, n2)
			}
		})
		t.Run("cross host 302/"+pl.String(), func(t *testing.T) {
			rs := newRedirectSetup(t)
			cfg, tok := rs.config(pl)
			resp, err := cfg.Client(tok).Get(rs.srv.URL + "/away?tag=a")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if len(rs.foreign) != 1 {
				t.Fatalf("foreign host got %d requests, want 1", len(rs.foreign))
			}
			r := rs.foreign[0]
			if h := r.Header.Get("Authorization"); h != "" || strings.Contains(r.URL.RawQuery, "oauth_") {
				t.Errorf("foreign host received OAuth parameters: Authorization %q, query %q", h, r.URL.RawQuery)
			}
			if r.URL.RawQuery != "tag=a" {
				t.Errorf("foreign query = %q, want tag=a", r.URL.RawQuery)
			}
		})
	}
	t.Run("same host 307 with form body", func(t *testing.T) {
		rs := newRedirectSetup(t)
		cfg, tok := rs.config(oauth1.InHeader)
		e := getEcho(t)(cfg.Client(tok).Post(rs.srv.URL+"/hop307", "application/x-www-form-urlencoded", strings.NewReader("a=1&a=2")))
		if diff := cmp.Diff([][2]string{{"a", "1"}, {"a", "2"}}, e.Params); diff != "" {
			t.Errorf("params after 307 (-want +got):\n%s", diff)
		}
	})
}

// TestConcurrentClient shares one *http.Client among 64 goroutines making
// 1,000 requests each; the provider must verify every one.
func TestConcurrentClient(t *testing.T) {
	const goroutines = 64
	perG := 1000
	if testing.Short() {
		perG = 20
	}
	p := fakeprovider.NewProvider()
	tok, secret := p.OAuth1.IssueAccessToken("hmac-sha1")
	cfg := &oauth1.Config{ConsumerKey: "hmac-sha1", ConsumerSecret: "hmac-sha1-secret",
		HTTPClient: &http.Client{Transport: handlerTransport{p}}}
	client := cfg.Client(&oauth1.Token{Token: tok, Secret: secret})
	var wg sync.WaitGroup
	var failures atomic.Int64
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < perG; i++ {
				var resp *http.Response
				var err error
				if i%2 == 0 {
					resp, err = client.Get(fmt.Sprintf("http://provider.test/oauth1/resource?g=%d&i=%d&i=%d", g, i, i))
				} else {
					resp, err = client.Post("http://provider.test/oauth1/resource", "application/x-www-form-urlencoded",
						strings.NewReader(fmt.Sprintf("g=%d&i=%d", g, i)))
				}
				if err == nil {
					err = oauth1.CheckResponse(resp)
					resp.Body.Close()
				}
				if err != nil && failures.Add(1) < 5 {
					t.Errorf("goroutine %d request %d: %v", g, i, err)
				}
			}
		}()
	}
	wg.Wait()
	if got, want := p.OAuth1.Counters.Resources.Load(), int64(goroutines*perG); got != want {
		t.Errorf("provider verified %d requests, want %d (rejected %d)", got, want, p.OAuth1.Counters.Rejected.Load())
	}
}

// TestTransportNilHeader sends requests built as struct literals, whose
// Header is nil, through a Transport that adds Endpoint.Header.
func TestTransportNilHeader(t *testing.T) {
	for _, pl := range placements {
		t.Run(pl.String(), func(t *testing.T) {
			cfg := &oauth1.Config{ConsumerKey: "k", ConsumerSecret: "s", Placement: pl,
				Endpoint: oauth1.Endpoint{Header: http.Header{"User-Agent": {"app/1"}}}}
			base := &recordRT{}
			tr := &oauth1.Transport{Config: cfg, Base: base}
			u, _ := url.Parse("https://api.example.com/x")
			req := &http.Request{Method: http.MethodGet, URL: u}
			resp, err := tr.RoundTrip(req)
			if err != nil {
				t.Fatalf("RoundTrip() error = %v", err)
			}
			resp.Body.Close()
			if got := base.got.Header.Get("User-Agent"); got != "app/1" {
				t.Errorf("sent User-Agent = %q, want %q", got, "app/1")
			}
			if req.Header != nil {
				t.Errorf("caller's request Header = %v, want nil (unmodified)", req.Header)
			}
		})
	}
}

// TestClientFromHTTPClient pins what Config.HTTPClient's doc says
// Config.Client takes from it.
func TestClientFromHTTPClient(t *testing.T) {
	base := &recordRT{}
	jar, _ := cookiejar.New(nil)
	redirects := 0
	hc := &http.Client{Transport: base, Timeout: 7 * time.Second, Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { redirects++; return nil }}
	cfg := &oauth1.Config{ConsumerKey: "k", ConsumerSecret: "s", HTTPClient: hc}
	c := cfg.Client(&oauth1.Token{Token: "t", Secret: "ts"})
	if c == hc {
		t.Fatal("Client() returned Config.HTTPClient itself")
	}
	if c.Timeout != hc.Timeout || c.Jar != hc.Jar || c.CheckRedirect == nil {
		t.Errorf("Client() = {Timeout:%v Jar:%v CheckRedirect set:%v}, want HTTPClient's", c.Timeout, c.Jar, c.CheckRedirect != nil)
	}
	c.CheckRedirect(nil, nil)
	if redirects != 1 {
		t.Errorf("Client().CheckRedirect is not HTTPClient's")
	}
	resp, err := c.Get("https://api.example.com/x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if base.got == nil || !strings.HasPrefix(base.got.Header.Get("Authorization"), "OAuth ") {
		t.Errorf("request did not reach HTTPClient.Transport signed")
	}
}
