package oauth2_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/oauthkit/oauth/oauth2"
)

// resourceRT is a resource server as a RoundTripper: it refuses the
// access tokens in reject (every token with rejectAll) with 401 and a
// Bearer invalid_token challenge (RFC 6750 §3.1), accepts the others, and
// records what it was sent.
type resourceRT struct {
	challenge string // WWW-Authenticate of a refusal; Bearer error="invalid_token" if empty
	rejectAll bool

	mu     sync.Mutex
	reject map[string]bool
	sent   []sentRequest
	closed atomic.Int32 // bodies of refusals closed
}

type sentRequest struct {
	Token, Method, Body string
}

func (r *resourceRT) refuse(token string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.reject == nil {
		r.reject = map[string]bool{}
	}
	r.reject[token] = true
}

func (r *resourceRT) requests() []sentRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sentRequest(nil), r.sent...)
}

func (r *resourceRT) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
	}
	tok := strings.TrimPrefix(req.Header.Get("Authorization"), "Bearer ")
	if form, err := url.ParseQuery(string(body)); err == nil && form.Has("access_token") {
		tok = form.Get("access_token")
		form.Del("access_token")
		body = []byte(form.Encode())
	}
	r.mu.Lock()
	r.sent = append(r.sent, sentRequest{Token: tok, Method: req.Method, Body: string(body)})
	refused := r.rejectAll || r.reject[tok]
	r.mu.Unlock()
	if !refused {
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("{}")), Request: req}, nil
	}
	ch := r.challenge
	if ch == "" {
		ch = `Bearer error="invalid_token"`
	}
	return &http.Response{StatusCode: 401, Header: http.Header{"Www-Authenticate": {ch}},
		Body: &countClose{Reader: strings.NewReader(`{"error":"invalid_token"}`), n: &r.closed}, Request: req}, nil
}

type countClose struct {
	io.Reader
	n *atomic.Int32
}

func (c *countClose) Close() error { c.n.Add(1); return nil }

// do sends req through c and returns the status.
func do(t *testing.T, c *http.Client, req *http.Request) int {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func resourceGet(t *testing.T) *http.Request {
	t.Helper()
	req, err := http.NewRequest("GET", "https://api.example.com/things", nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// After a 401 invalid_token, the Transport refreshes the token and sends
// the request again, once; a second refusal within a minute does not
// force another refresh; and it never sends more than twice.
func TestRetryForcesRefresh(t *testing.T) {
	srv, cfg, clock, st := fleet(t)
	s := cfg.NewSession(st.stored(t))
	res := &resourceRT{}
	c := &http.Client{Transport: &oauth2.Transport{Source: s, Base: res}}
	first := s.CachedToken().AccessToken
	res.refuse(first)
	if got := do(t, c, resourceGet(t)); got != 200 {
		t.Fatalf("status %d, want 200 after the retry", got)
	}
	second := s.CachedToken().AccessToken
	want := []sentRequest{{Token: first, Method: "GET"}, {Token: second, Method: "GET"}}
	if diff := cmp.Diff(want, res.requests()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if res.closed.Load() != 1 {
		t.Errorf("refusal's body closed %d times, want 1", res.closed.Load())
	}
	wantProvider(t, srv, 1)

	// Refused again at once: no second forced refresh.
	res.refuse(second)
	if got := do(t, c, resourceGet(t)); got != 401 {
		t.Errorf("status %d, want the refusal", got)
	}
	wantProvider(t, srv, 1)
	// A minute later it may force one again.
	clock.add(time.Minute)
	if got := do(t, c, resourceGet(t)); got != 200 {
		t.Errorf("status %d a minute later, want 200", got)
	}
	wantProvider(t, srv, 2)
	if n := len(res.requests()); n != 5 {
		t.Errorf("%d requests, want 5", n)
	}
}

// A resource server that refuses every token gets each request twice at
// most, and one refresh.
func TestRetryNeverLoops(t *testing.T) {
	srv, cfg, _, st := fleet(t)
	s := cfg.NewSession(st.stored(t))
	res := &resourceRT{rejectAll: true}
	c := &http.Client{Transport: &oauth2.Transport{Source: s, Base: res}}
	for i, want := range []int{2, 3, 4} {
		if got := do(t, c, resourceGet(t)); got != 401 {
			t.Fatalf("status %d, want 401", got)
		}
		if n := len(res.requests()); n != want {
			t.Errorf("after request %d: %d sent, want %d", i+1, n, want)
		}
	}
	wantProvider(t, srv, 1)
}

// A session whose token another process replaced (and the server revoked
// the old one, as some do on rotation) takes the stored token after a
// refusal and sends again with it, without a refresh of its own.
func TestRetryTakesStoredToken(t *testing.T) {
	ctx := context.Background()
	srv, cfg, _, st := fleet(t)
	a, _ := member(cfg, st)
	b, _ := member(cfg, st)
	for _, s := range []*oauth2.Session{a, b} {
		if _, err := s.Token(ctx); err != nil {
			t.Fatal(err)
		}
	}
	old := b.CachedToken().AccessToken
	if _, err := a.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if err := cfg.RevokeToken(ctx, old, oauth2.HintAccessToken); err != nil {
		t.Fatal(err)
	}
	if err := get(ctx, srv, b.Client()); err != nil {
		t.Fatalf("request after the old token was revoked: %v", err)
	}
	if got, want := b.CachedToken().AccessToken, a.CachedToken().AccessToken; got != want {
		t.Errorf("b holds another token than a saved")
	}
	wantProvider(t, srv, 1)
}

// Only requests net/http itself would replay are sent again: GET, HEAD,
// OPTIONS, TRACE, or one with an Idempotency-Key; and only when the body
// can be had again. Other refusals than invalid_token, a source that is
// not a Session, and DisableRetry send nothing again. The body sent again
// is the original.
func TestRetryOnlyReplayable(t *testing.T) {
	form := "a=1&b=two"
	mk := func(method string, body io.Reader, key string) func(t *testing.T) *http.Request {
		return func(t *testing.T) *http.Request {
			req, err := http.NewRequest(method, "https://api.example.com/things", body)
			if err != nil {
				t.Fatal(err)
			}
			if body != nil {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			if key != "" {
				req.Header.Set(key, "k-1")
			}
			return req
		}
	}
	noGetBody := func(t *testing.T) *http.Request {
		req := mk("POST", nil, "Idempotency-Key")(t)
		req.Body = io.NopCloser(strings.NewReader(form)) // no GetBody
		req.ContentLength = int64(len(form))
		return req
	}
	tests := []struct {
		name      string
		req       func(*testing.T) *http.Request
		placement oauth2.Placement
		challenge string
		static    bool
		disable   bool
		wantSent  int
	}{
		{name: "GET", req: mk("GET", nil, ""), wantSent: 2},
		{name: "HEAD", req: mk("HEAD", nil, ""), wantSent: 2},
		{name: "OPTIONS", req: mk("OPTIONS", nil, ""), wantSent: 2},
		{name: "POST", req: mk("POST", strings.NewReader(form), ""), wantSent: 1},
		{name: "PUT", req: mk("PUT", strings.NewReader(form), ""), wantSent: 1},
		{name: "DELETE", req: mk("DELETE", nil, ""), wantSent: 1},
		{name: "POST with Idempotency-Key", req: mk("POST", strings.NewReader(form), "Idempotency-Key"), wantSent: 2},
		{name: "PATCH with X-Idempotency-Key", req: mk("PATCH", bytes.NewReader([]byte(form)), "X-Idempotency-Key"), wantSent: 2},
		{name: "POST with Idempotency-Key, form body placement", req: mk("POST", strings.NewReader(form), "Idempotency-Key"), placement: oauth2.InFormBody, wantSent: 2},
		{name: "body without GetBody", req: noGetBody, wantSent: 1},
		{name: "insufficient_scope", req: mk("GET", nil, ""), challenge: `Bearer error="insufficient_scope"`, wantSent: 1},
		{name: "no error code", req: mk("GET", nil, ""), challenge: `Bearer realm="api"`, wantSent: 1},
		{name: "another scheme", req: mk("GET", nil, ""), challenge: `DPoP error="invalid_token"`, wantSent: 1},
		{name: "StaticTokenSource", req: mk("GET", nil, ""), static: true, wantSent: 1},
		{name: "DisableRetry", req: mk("GET", nil, ""), disable: true, wantSent: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, cfg, _, st := fleet(t)
			s := cfg.NewSession(st.stored(t))
			var src oauth2.TokenSource = s
			if tt.static {
				src = oauth2.StaticTokenSource(s.CachedToken())
			}
			res := &resourceRT{challenge: tt.challenge}
			res.refuse(s.CachedToken().AccessToken)
			c := &http.Client{Transport: &oauth2.Transport{Source: src, Base: res, Placement: tt.placement, DisableRetry: tt.disable}}
			req := tt.req(t)
			wantStatus := 401
			if tt.wantSent == 2 {
				wantStatus = 200
			}
			if got := do(t, c, req); got != wantStatus {
				t.Errorf("status %d, want %d", got, wantStatus)
			}
			sent := res.requests()
			if len(sent) != tt.wantSent {
				t.Fatalf("%d requests sent, want %d", len(sent), tt.wantSent)
			}
			if len(sent) == 2 {
				if sent[1].Token == sent[0].Token || sent[1].Body != sent[0].Body || sent[1].Method != req.Method {
					t.Errorf("sent again %+v after %+v: want the same request with another token", sent[1], sent[0])
				}
			}
		})
	}
}

// blockingLoadStore is a memStore whose Load, while block is set, says so
// on entered and waits for release to be closed.
type blockingLoadStore struct {
	*memStore
	block   atomic.Bool
	entered chan struct{}
	release chan struct{}
}

func (b *blockingLoadStore) Load(ctx context.Context) (*oauth2.Token, string, error) {
	if b.block.Load() {
		b.entered <- struct{}{}
		<-b.release
	}
	return b.memStore.Load(ctx)
}

// An explicit Refresh renews the token even when it comes while a refused
// token's refresh is under way that may not renew (another forced
// refresh ran less than a minute ago): it does not take that refresh's
// result, the refused token, for a new one.
func TestRefreshDuringRejectedRefresh(t *testing.T) {
	ctx := context.Background()
	srv, cfg, _, st := fleet(t)
	bs := &blockingLoadStore{memStore: st, entered: make(chan struct{}, 1), release: make(chan struct{})}
	s, _ := member(cfg, bs)
	joins := make(chan struct{}, 8)
	oauth2.SetJoinHook(s, func() { joins <- struct{}{} })
	res := &resourceRT{rejectAll: true}
	c := &http.Client{Transport: &oauth2.Transport{Source: s, Base: res}}
	if got := do(t, c, resourceGet(t)); got != 401 { // forces the minute's refresh
		t.Fatalf("status %d, want 401", got)
	}
	for len(joins) > 0 {
		<-joins
	}
	refused := s.CachedToken()
	bs.block.Store(true)
	done := make(chan struct{})
	go func() { // refused again: a refresh that may not renew, parked in Load
		defer close(done)
		resp, err := c.Do(resourceGet(t))
		if err == nil {
			resp.Body.Close()
		}
	}()
	<-bs.entered
	<-joins
	type result struct {
		tok *oauth2.Token
		err error
	}
	got := make(chan result, 1)
	go func() {
		tok, err := s.Refresh(ctx)
		got <- result{tok, err}
	}()
	<-joins // the Refresh waits for the refresh under way
	bs.block.Store(false)
	close(bs.release)
	r := <-got
	<-done
	if r.err != nil {
		t.Fatalf("Refresh: %v", r.err)
	}
	if r.tok.AccessToken == refused.AccessToken {
		t.Errorf("Refresh returned the refused token, not a new one")
	}
	wantProvider(t, srv, 2)
}
