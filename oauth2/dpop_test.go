package oauth2_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/oauthkit/oauth/oauth2"
)

// stubDPoP is an oauth2.DPoP whose proofs are readable strings, so that
// tests see which proof went with which request.
type stubDPoP struct {
	jkt string

	mu     sync.Mutex
	proofs []string
}

func (s *stubDPoP) Proof(method, uri, accessToken, nonce string, iat time.Time) (string, error) {
	p := "proof " + method + " " + uri + " ath=" + accessToken + " nonce=" + nonce
	s.mu.Lock()
	s.proofs = append(s.proofs, p)
	s.mu.Unlock()
	return p, nil
}

func (s *stubDPoP) Thumbprint() string { return s.jkt }

// seen is one request a scriptRT received.
type seen struct {
	Method, URL, Authorization, DPoP, Body string
}

// scriptRT answers requests with the responses of script in turn (the
// last one repeats) and records them. A response is a status and headers
// as name, value pairs.
type scriptRT struct {
	script [][]string // each: status, then header name, value...

	mu     sync.Mutex
	got    []seen
	closed atomic.Int32
}

func (s *scriptRT) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
	}
	s.mu.Lock()
	n := len(s.got)
	s.got = append(s.got, seen{req.Method, req.URL.String(), req.Header.Get("Authorization"), req.Header.Get("DPoP"), string(body)})
	s.mu.Unlock()
	step := s.script[min(n, len(s.script)-1)]
	resp := &http.Response{Header: http.Header{}, Request: req,
		Body: &countClose{Reader: strings.NewReader(`{}`), n: &s.closed}}
	resp.StatusCode = map[string]int{"200": 200, "401": 401, "400": 400}[step[0]]
	for i := 1; i+1 < len(step); i += 2 {
		resp.Header.Add(step[i], step[i+1])
	}
	return resp, nil
}

func (s *scriptRT) requests() []seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seen(nil), s.got...)
}

const (
	useNonce      = `DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"`
	dpopInvalidTk = `DPoP error="invalid_token", algs="ES256"`
)

func dpopToken(jkt string) *oauth2.Token {
	return &oauth2.Token{AccessToken: "at-1", TokenType: "DPoP", DPoPJKT: jkt}
}

// TestTransportDPoP checks how the Transport sends DPoP-bound and Bearer
// tokens: a DPoP token in the Authorization header with the DPoP scheme
// and a proof for the request's method and htu and the token, whatever
// Placement says; a Bearer token as one, without a proof.
func TestTransportDPoP(t *testing.T) {
	tests := []struct {
		name      string
		tok       *oauth2.Token
		placement oauth2.Placement
		want      seen
	}{
		{"DPoP token", dpopToken("jkt-1"), oauth2.InHeader, seen{"GET", "https://api.example.com/things?a=1",
			"DPoP at-1", "proof GET https://api.example.com/things ath=at-1 nonce=", ""}},
		{"dpop in lower case, no jkt recorded", &oauth2.Token{AccessToken: "at-1", TokenType: "dpop"}, oauth2.InHeader,
			seen{"GET", "https://api.example.com/things?a=1", "DPoP at-1", "proof GET https://api.example.com/things ath=at-1 nonce=", ""}},
		{"DPoP token, Placement InQuery", dpopToken("jkt-1"), oauth2.InQuery, seen{"GET", "https://api.example.com/things?a=1",
			"DPoP at-1", "proof GET https://api.example.com/things ath=at-1 nonce=", ""}},
		{"Bearer token", &oauth2.Token{AccessToken: "at-1", TokenType: "Bearer"}, oauth2.InHeader,
			seen{"GET", "https://api.example.com/things?a=1", "Bearer at-1", "", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := &scriptRT{script: [][]string{{"200"}}}
			dp := &stubDPoP{jkt: "jkt-1"}
			c := &http.Client{Transport: &oauth2.Transport{Source: oauth2.StaticTokenSource(tt.tok), Base: base, DPoP: dp, Placement: tt.placement}}
			req, _ := http.NewRequest("GET", "https://api.example.com/things?a=1", nil)
			if got := do(t, c, req); got != 200 {
				t.Fatalf("status %d", got)
			}
			if diff := cmp.Diff([]seen{tt.want}, base.requests()); diff != "" {
				t.Errorf("request sent (-want +got):\n%s", diff)
			}
		})
	}
}

// closeCounter is a request body that counts its Close calls.
type closeCounter struct {
	io.Reader
	n atomic.Int32
}

func (c *closeCounter) Close() error { c.n.Add(1); return nil }

// TestTransportDPoPKeyRefused: a DPoP token without a key, or with a key
// other than the one it records, is never sent, and the body is closed.
func TestTransportDPoPKeyRefused(t *testing.T) {
	tests := []struct {
		name string
		dp   oauth2.DPoP
		want error
	}{
		{"another key", &stubDPoP{jkt: "jkt-2"}, oauth2.ErrDPoPKeyMismatch},
		{"no key", nil, oauth2.ErrNoDPoPKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := &scriptRT{script: [][]string{{"200"}}}
			tr := &oauth2.Transport{Source: oauth2.StaticTokenSource(dpopToken("jkt-1")), Base: base, DPoP: tt.dp}
			body := &closeCounter{Reader: strings.NewReader("x=1")}
			req, _ := http.NewRequest("POST", "https://api.example.com/things", body)
			resp, err := tr.RoundTrip(req)
			if !errors.Is(err, tt.want) || resp != nil {
				t.Fatalf("RoundTrip() = %v, %v; want an error wrapping %v", resp, err, tt.want)
			}
			if n := len(base.requests()); n != 0 {
				t.Errorf("%d requests sent", n)
			}
			if n := body.n.Load(); n != 1 {
				t.Errorf("body closed %d times, want 1", n)
			}
		})
	}
}

// TestTransportDPoPHook: the proof is made for the request as
// Hooks.ProtectedRequest left it.
func TestTransportDPoPHook(t *testing.T) {
	base := &scriptRT{script: [][]string{{"200"}}}
	dp := &stubDPoP{jkt: "jkt-1"}
	cfg := &oauth2.Config{DPoP: dp, Hooks: oauth2.Hooks{ProtectedRequest: func(r *http.Request) error {
		r.URL.Path = "/v2" + r.URL.Path
		r.Method = "PUT"
		return nil
	}}}
	s := cfg.NewSession(dpopToken("jkt-1"))
	c := &http.Client{Transport: &oauth2.Transport{Source: s, Base: base}}
	req, _ := http.NewRequest("GET", "https://api.example.com/things", nil)
	do(t, c, req)
	want := []seen{{"PUT", "https://api.example.com/v2/things", "DPoP at-1", "proof PUT https://api.example.com/v2/things ath=at-1 nonce=", ""}}
	if diff := cmp.Diff(want, base.requests()); diff != "" {
		t.Errorf("request sent (-want +got):\n%s", diff)
	}
}

// TestTransportDPoPNonce: a resource server's use_dpop_nonce is answered
// by one resend with the nonce, whatever the method, with the body again;
// the nonce goes in the next request's proof at once; a server that asks
// again gets its second refusal back, and no third request.
func TestTransportDPoPNonce(t *testing.T) {
	const api = "https://api.example.com/things"
	challenge := []string{"401", "WWW-Authenticate", useNonce, "DPoP-Nonce", "n-1"}
	tests := []struct {
		name   string
		script [][]string
		calls  int // requests made one after the other
		method string
		status int // of the last call
		want   []string
	}{
		{"answered once", [][]string{challenge, {"200"}}, 1, "GET", 200,
			[]string{"proof GET " + api + " ath=at-1 nonce=", "proof GET " + api + " ath=at-1 nonce=n-1"}},
		{"POST answered with its body again", [][]string{challenge, {"200"}}, 1, "POST", 200,
			[]string{"proof POST " + api + " ath=at-1 nonce=", "proof POST " + api + " ath=at-1 nonce=n-1"}},
		{"remembered", [][]string{challenge, {"200"}}, 3, "GET", 200,
			[]string{"proof GET " + api + " ath=at-1 nonce=", "proof GET " + api + " ath=at-1 nonce=n-1",
				"proof GET " + api + " ath=at-1 nonce=n-1", "proof GET " + api + " ath=at-1 nonce=n-1"}},
		{"a new nonce with a 200", [][]string{{"200", "DPoP-Nonce", "n-2"}}, 2, "GET", 200,
			[]string{"proof GET " + api + " ath=at-1 nonce=", "proof GET " + api + " ath=at-1 nonce=n-2"}},
		{"asked twice: no loop", [][]string{challenge, {"401", "WWW-Authenticate", useNonce, "DPoP-Nonce", "n-2"}}, 1, "GET", 401,
			[]string{"proof GET " + api + " ath=at-1 nonce=", "proof GET " + api + " ath=at-1 nonce=n-1"}},
		{"no nonce to use", [][]string{{"401", "WWW-Authenticate", useNonce}}, 1, "GET", 401,
			[]string{"proof GET " + api + " ath=at-1 nonce="}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := &scriptRT{script: tt.script}
			dp := &stubDPoP{jkt: "jkt-1"}
			c := &http.Client{Transport: &oauth2.Transport{Source: oauth2.StaticTokenSource(dpopToken("jkt-1")), Base: base, DPoP: dp}}
			var status int
			for i := 0; i < tt.calls; i++ {
				req, _ := http.NewRequest(tt.method, api, strings.NewReader("a=b"))
				status = do(t, c, req)
			}
			if status != tt.status {
				t.Errorf("status %d, want %d", status, tt.status)
			}
			var got []string
			for _, r := range base.requests() {
				got = append(got, r.DPoP)
				if tt.method == "POST" && r.Body != "a=b" {
					t.Errorf("body %q sent, want a=b", r.Body)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("proofs sent (-want +got):\n%s", diff)
			}
			if n, want := base.closed.Load(), int32(len(got)); n != want {
				t.Errorf("%d response bodies closed, want %d", n, want)
			}
		})
	}
}

// TestTransportDPoPNonceNotReplayable: a body without GetBody cannot
// answer a nonce challenge: the Transport says so with ErrNotReplayable,
// after one request.
func TestTransportDPoPNonceNotReplayable(t *testing.T) {
	base := &scriptRT{script: [][]string{{"401", "WWW-Authenticate", useNonce, "DPoP-Nonce", "n-1"}, {"200"}}}
	c := &http.Client{Transport: &oauth2.Transport{Source: oauth2.StaticTokenSource(dpopToken("jkt-1")), Base: base, DPoP: &stubDPoP{jkt: "jkt-1"}}}
	req, _ := http.NewRequest("POST", "https://api.example.com/things", io.MultiReader(strings.NewReader("a=b")))
	resp, err := c.Do(req)
	if !errors.Is(err, oauth2.ErrNotReplayable) {
		t.Fatalf("Do() = %v, %v; want ErrNotReplayable", resp, err)
	}
	if n := len(base.requests()); n != 1 {
		t.Errorf("%d requests sent, want 1", n)
	}
	if n := base.closed.Load(); n != 1 {
		t.Errorf("%d response bodies closed, want 1", n)
	}
}

// tokenServer is a token endpoint that answers with the bodies and
// headers of script in turn (the last repeats), records the DPoP header
// of each request, and counts them.
func tokenServer(t *testing.T, script []tokenAnswer) (*httptest.Server, *[]string) {
	t.Helper()
	var mu sync.Mutex
	var proofs []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n := len(proofs)
		proofs = append(proofs, r.Header.Get("DPoP"))
		mu.Unlock()
		a := script[min(n, len(script)-1)]
		if a.nonce != "" {
			w.Header().Set("DPoP-Nonce", a.nonce)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(a.status)
		io.WriteString(w, a.body)
	}))
	t.Cleanup(srv.Close)
	return srv, &proofs
}

type tokenAnswer struct {
	status int
	nonce  string
	body   string
}

var (
	askNonce = func(n string) tokenAnswer {
		return tokenAnswer{400, n, `{"error":"use_dpop_nonce","error_description":"Authorization server requires nonce in DPoP proof"}`}
	}
	dpopIssued = func(at string) tokenAnswer {
		return tokenAnswer{200, "", `{"access_token":"` + at + `","token_type":"DPoP","expires_in":3600,"refresh_token":"rt"}`}
	}
)

// TestTokenRequestDPoP: every token request carries a proof (no ath); a
// use_dpop_nonce answer is answered by one resend with the nonce, a
// one-time code included; a session remembers the nonce for its next
// request; a server that asks twice gets no third request, and the error
// is an *Error matching ErrUseDPoPNonce. A DPoP token records the key's
// thumbprint; a Bearer one does not.
func TestTokenRequestDPoP(t *testing.T) {
	ctx := context.Background()
	t.Run("code exchange answered once", func(t *testing.T) {
		srv, proofs := tokenServer(t, []tokenAnswer{askNonce("n-1"), dpopIssued("at-1")})
		dp := &stubDPoP{jkt: "jkt-1"}
		cfg := &oauth2.Config{ClientID: "c", Endpoint: oauth2.Endpoint{TokenURL: srv.URL + "/token"}, DPoP: dp}
		tok, err := cfg.Exchange(ctx, "code")
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"proof POST " + srv.URL + "/token ath= nonce=", "proof POST " + srv.URL + "/token ath= nonce=n-1"}
		if diff := cmp.Diff(want, *proofs); diff != "" {
			t.Errorf("proofs (-want +got):\n%s", diff)
		}
		if tok.DPoPJKT != "jkt-1" || tok.Type() != "DPoP" {
			t.Errorf("token DPoPJKT %q type %q, want jkt-1, DPoP", tok.DPoPJKT, tok.Type())
		}
	})
	t.Run("a session remembers the nonce", func(t *testing.T) {
		srv, proofs := tokenServer(t, []tokenAnswer{askNonce("n-1"), dpopIssued("at-1"), dpopIssued("at-2")})
		cfg := &oauth2.Config{ClientID: "c", Endpoint: oauth2.Endpoint{TokenURL: srv.URL + "/token"}, DPoP: &stubDPoP{jkt: "jkt-1"}}
		s := cfg.ClientCredentials()
		if _, err := s.Token(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		want := []string{"proof POST " + srv.URL + "/token ath= nonce=", "proof POST " + srv.URL + "/token ath= nonce=n-1",
			"proof POST " + srv.URL + "/token ath= nonce=n-1"}
		if diff := cmp.Diff(want, *proofs); diff != "" {
			t.Errorf("proofs (-want +got):\n%s", diff)
		}
	})
	t.Run("asked twice: no loop", func(t *testing.T) {
		srv, proofs := tokenServer(t, []tokenAnswer{askNonce("n-1"), askNonce("n-2")})
		cfg := &oauth2.Config{ClientID: "c", Endpoint: oauth2.Endpoint{TokenURL: srv.URL + "/token"}, DPoP: &stubDPoP{jkt: "jkt-1"}}
		_, err := cfg.Exchange(ctx, "code")
		var e *oauth2.Error
		if !errors.Is(err, oauth2.ErrUseDPoPNonce) || !errors.As(err, &e) || e.Endpoint != "token" {
			t.Fatalf("Exchange() error = %v, want an *Error matching ErrUseDPoPNonce", err)
		}
		if len(*proofs) != 2 {
			t.Errorf("%d token requests, want 2", len(*proofs))
		}
	})
	t.Run("Bearer issued", func(t *testing.T) {
		srv, _ := tokenServer(t, []tokenAnswer{{200, "", `{"access_token":"at-1","token_type":"Bearer"}`}})
		cfg := &oauth2.Config{ClientID: "c", Endpoint: oauth2.Endpoint{TokenURL: srv.URL + "/token"}, DPoP: &stubDPoP{jkt: "jkt-1"}}
		tok, err := cfg.Exchange(ctx, "code")
		if err != nil {
			t.Fatal(err)
		}
		if tok.DPoPJKT != "" || tok.Type() != "Bearer" {
			t.Errorf("token DPoPJKT %q type %q, want none, Bearer", tok.DPoPJKT, tok.Type())
		}
	})
	t.Run("no DPoP: no proof", func(t *testing.T) {
		srv, proofs := tokenServer(t, []tokenAnswer{{200, "n-1", `{"access_token":"at-1","token_type":"DPoP"}`}})
		cfg := &oauth2.Config{ClientID: "c", Endpoint: oauth2.Endpoint{TokenURL: srv.URL + "/token"}}
		tok, err := cfg.Exchange(ctx, "code")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{""}, *proofs); diff != "" || tok.DPoPJKT != "" {
			t.Errorf("proofs (-want +got):\n%s\nDPoPJKT %q", diff, tok.DPoPJKT)
		}
	})
}

// TestRefreshDPoPKey: a DPoP-bound token is refreshed only with its key:
// with another, or none, the refresh fails before any request.
func TestRefreshDPoPKey(t *testing.T) {
	srv, proofs := tokenServer(t, []tokenAnswer{dpopIssued("at-2")})
	tok := &oauth2.Token{AccessToken: "at-1", TokenType: "DPoP", RefreshToken: "rt", DPoPJKT: "jkt-1"}
	for _, tt := range []struct {
		name string
		dp   oauth2.DPoP
		want error
	}{
		{"another key", &stubDPoP{jkt: "jkt-2"}, oauth2.ErrDPoPKeyMismatch},
		{"no key", nil, oauth2.ErrNoDPoPKey},
		{"its key", &stubDPoP{jkt: "jkt-1"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			*proofs = nil
			cfg := &oauth2.Config{ClientID: "c", Endpoint: oauth2.Endpoint{TokenURL: srv.URL + "/token"}, DPoP: tt.dp}
			s := cfg.NewSession(tok)
			got, err := s.Refresh(context.Background())
			if !errors.Is(err, tt.want) {
				t.Fatalf("Refresh() = %v, %v; want %v", got, err, tt.want)
			}
			if wantN := map[bool]int{true: 0, false: 1}[tt.want != nil]; len(*proofs) != wantN {
				t.Errorf("%d token requests, want %d", len(*proofs), wantN)
			}
			if tt.want != nil {
				// The session does not hand the token out for use either.
				if _, err := s.Token(context.Background()); !errors.Is(err, tt.want) {
					t.Errorf("Token() error = %v, want %v", err, tt.want)
				}
			} else if got.DPoPJKT != "jkt-1" {
				t.Errorf("refreshed token DPoPJKT %q, want jkt-1", got.DPoPJKT)
			}
		})
	}
}

// TestRenewingSessionDPoPKey: a session that runs its own grant renews a
// token bound to a key it does not have by running the grant.
func TestRenewingSessionDPoPKey(t *testing.T) {
	srv, proofs := tokenServer(t, []tokenAnswer{dpopIssued("at-2")})
	cfg := &oauth2.Config{ClientID: "c", Endpoint: oauth2.Endpoint{TokenURL: srv.URL + "/token"}, DPoP: &stubDPoP{jkt: "jkt-2"}}
	s := cfg.ClientCredentials()
	if err := s.SetToken(&oauth2.Token{AccessToken: "at-1", TokenType: "DPoP", RefreshToken: "rt", DPoPJKT: "jkt-1"}); err != nil {
		t.Fatal(err)
	}
	tok, err := s.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != "at-2" || tok.DPoPJKT != "jkt-2" || len(*proofs) != 1 {
		t.Errorf("token %v after %d requests, want at-2 bound to jkt-2 after 1", tok, len(*proofs))
	}
}

// TestTransportDPoPRetryOrder: a request is sent at most twice. A nonce
// challenge is answered first, and a token refusal in the answer to that
// resend is returned; a token refusal first makes the session replace the
// token, and its resend carries the nonce the refusal gave, and a nonce
// challenge then is returned.
func TestTransportDPoPRetryOrder(t *testing.T) {
	const api = "https://api.example.com/things"
	tests := []struct {
		name     string
		script   [][]string
		status   int
		proofs   []string
		refreshs int
	}{
		{"nonce, then invalid_token", [][]string{
			{"401", "WWW-Authenticate", useNonce, "DPoP-Nonce", "n-1"},
			{"401", "WWW-Authenticate", dpopInvalidTk},
		}, 401, []string{"proof GET " + api + " ath=at-1 nonce=", "proof GET " + api + " ath=at-1 nonce=n-1"}, 0},
		{"invalid_token, then nonce", [][]string{
			{"401", "WWW-Authenticate", dpopInvalidTk, "DPoP-Nonce", "n-1"},
			{"401", "WWW-Authenticate", useNonce, "DPoP-Nonce", "n-2"},
		}, 401, []string{"proof GET " + api + " ath=at-1 nonce=", "proof GET " + api + " ath=at-2 nonce=n-1"}, 1},
		{"invalid_token, then accepted", [][]string{
			{"401", "WWW-Authenticate", dpopInvalidTk},
			{"200"},
		}, 200, []string{"proof GET " + api + " ath=at-1 nonce=", "proof GET " + api + " ath=at-2 nonce="}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, tokenReqs := tokenServer(t, []tokenAnswer{dpopIssued("at-2")})
			dp := &stubDPoP{jkt: "jkt-1"}
			cfg := &oauth2.Config{ClientID: "c", Endpoint: oauth2.Endpoint{TokenURL: srv.URL + "/token"}, DPoP: dp}
			s := cfg.NewSession(&oauth2.Token{AccessToken: "at-1", TokenType: "DPoP", RefreshToken: "rt", DPoPJKT: "jkt-1",
				Expiry: time.Now().Add(time.Hour)})
			base := &scriptRT{script: tt.script}
			c := &http.Client{Transport: &oauth2.Transport{Source: s, Base: base}}
			req, _ := http.NewRequest("GET", api, nil)
			if got := do(t, c, req); got != tt.status {
				t.Errorf("status %d, want %d", got, tt.status)
			}
			var got []string
			for _, r := range base.requests() {
				got = append(got, r.DPoP)
			}
			if diff := cmp.Diff(tt.proofs, got); diff != "" {
				t.Errorf("resource proofs (-want +got):\n%s", diff)
			}
			if len(*tokenReqs) != tt.refreshs {
				t.Errorf("%d token requests, want %d", len(*tokenReqs), tt.refreshs)
			}
		})
	}
}

// TestCheckResponseDPoP: a resource server's DPoP challenge becomes the
// *Error of CheckResponse for a request made with a DPoP token.
func TestCheckResponseDPoP(t *testing.T) {
	req, _ := http.NewRequest("GET", "https://api.example.com/", nil)
	req.Header.Set("Authorization", "DPoP at-1")
	resp := &http.Response{StatusCode: 401, Request: req, Body: http.NoBody, Header: http.Header{"Www-Authenticate": {
		`Bearer realm="api"`, `DPoP error="invalid_dpop_proof", error_description="bad htu", algs="ES256"`}}}
	err := oauth2.CheckResponse(resp)
	var e *oauth2.Error
	if !errors.As(err, &e) || !errors.Is(err, oauth2.ErrInvalidDPoPProof) || e.ErrorDescription != "bad htu" {
		t.Errorf("CheckResponse() = %v, want an *Error matching ErrInvalidDPoPProof", err)
	}
}

// TestTokenDPoPJKTJSON: the key a token is bound to survives JSON.
func TestTokenDPoPJKTJSON(t *testing.T) {
	tok := &oauth2.Token{AccessToken: "at", TokenType: "DPoP", DPoPJKT: "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"}
	b, err := json.Marshal(tok)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"dpop_jkt":"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"`) {
		t.Errorf("JSON %s lacks dpop_jkt", b)
	}
	var back oauth2.Token
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.DPoPJKT != tok.DPoPJKT || back.Type() != "DPoP" {
		t.Errorf("reloaded DPoPJKT %q type %q", back.DPoPJKT, back.Type())
	}
}

// TestTransportDPoPInternationalHost: the htu of a proof names the host
// as the server receives it. net/http sends a host name that is not ASCII
// in its IDNA ASCII form ("xn--" labels, RFC 3492), which is what a server
// compares htu with (RFC 9449 §4.3), so the proof must say the same; the
// Host net/http sends is the expected value, not a copy of our encoding.
func TestTransportDPoPInternationalHost(t *testing.T) {
	hosts := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hosts <- r.Host
	}))
	defer srv.Close()
	// Every host name is dialled to srv.
	base := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, srv.Listener.Addr().String())
	}}
	defer base.CloseIdleConnections()
	for _, host := range []string{"bücher.example", "api.Bücher.EXAMPLE", "他们为什么不说中文.example", "api.example.com"} {
		t.Run(host, func(t *testing.T) {
			dp := &stubDPoP{jkt: "jkt-1"}
			c := &http.Client{Transport: &oauth2.Transport{Source: oauth2.StaticTokenSource(dpopToken("jkt-1")),
				Base: base, DPoP: dp, InsecureAllowHTTP: true}}
			req, _ := http.NewRequest("GET", "http://"+host+"/things?a=1", nil)
			if got := do(t, c, req); got != 200 {
				t.Fatalf("status %d", got)
			}
			want := "proof GET http://" + strings.ToLower(<-hosts) + "/things ath=at-1 nonce="
			if diff := cmp.Diff([]string{want}, dp.proofs); diff != "" {
				t.Errorf("proofs (-want +got):\n%s", diff)
			}
		})
	}
}
