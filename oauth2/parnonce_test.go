package oauth2_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/dpop"
	"github.com/oauthkit/oauth/oauth2/oauth2test"
)

// parTokenRT plays a PAR endpoint (any path ending in /par), which answers
// with a request_uri and, if nonce is set, a DPoP-Nonce header, and a
// token endpoint (any other path), which issues a DPoP token; it records
// the DPoP header of each request by URL.
type parTokenRT struct {
	nonce string

	mu     sync.Mutex
	proofs map[string]string
}

func (r *parTokenRT) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	r.mu.Lock()
	r.proofs[req.URL.String()] = req.Header.Get("DPoP")
	r.mu.Unlock()
	h := http.Header{"Content-Type": {"application/json"}}
	status, body := 200, `{"access_token":"at","token_type":"DPoP"}`
	if strings.HasSuffix(req.URL.Path, "/par") {
		status, body = 201, `{"request_uri":"urn:ietf:params:oauth:request_uri:x","expires_in":60}`
		if r.nonce != "" {
			h.Set("DPoP-Nonce", r.nonce)
		}
	}
	return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: req}, nil
}

// TestPushedLoginDPoPNonce checks that the DPoP nonce the PAR endpoint
// gives goes in the proof of the token request that completes the login
// when the token endpoint has the PAR endpoint's origin (RFC 9449 §8: a
// nonce is the server's), and only then, also after the Login was stored
// as JSON and read back.
func TestPushedLoginDPoPNonce(t *testing.T) {
	const par = "https://as.example/oauth/par"
	tests := []struct {
		name      string
		tokenURL  string
		nonce     string // the PAR endpoint's
		viaJSON   bool
		wantProof string // the token request's
	}{
		{"same origin", "https://as.example/oauth/token", "n-par", false, "proof POST https://as.example/oauth/token ath= nonce=n-par"},
		{"same origin, login stored as JSON", "https://as.example/oauth/token", "n-par", true, "proof POST https://as.example/oauth/token ath= nonce=n-par"},
		{"same origin, default port written", "https://AS.example:443/oauth/token", "n-par", false, "proof POST https://as.example/oauth/token ath= nonce=n-par"},
		{"other host", "https://token.example/oauth/token", "n-par", false, "proof POST https://token.example/oauth/token ath= nonce="},
		{"other port", "https://as.example:8443/oauth/token", "n-par", false, "proof POST https://as.example:8443/oauth/token ath= nonce="},
		{"no nonce given", "https://as.example/oauth/token", "", false, "proof POST https://as.example/oauth/token ath= nonce="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt := &parTokenRT{nonce: tt.nonce, proofs: map[string]string{}}
			cfg := &oauth2.Config{ClientID: "c", DPoP: &stubDPoP{jkt: "jkt"}, RedirectURL: "http://127.0.0.1/cb",
				HTTPClient: &http.Client{Transport: rt},
				Endpoint:   oauth2.Endpoint{AuthURL: "https://as.example/oauth/authorize", PushedAuthURL: par, TokenURL: tt.tokenURL}}
			ctx := context.Background()
			login, err := cfg.NewLogin(ctx, oauth2.PushedAuthorization)
			if err != nil {
				t.Fatal(err)
			}
			if login.DPoPNonce != tt.nonce {
				t.Errorf("Login.DPoPNonce = %q, want %q", login.DPoPNonce, tt.nonce)
			}
			if tt.viaJSON {
				b, err := json.Marshal(login)
				if err != nil {
					t.Fatal(err)
				}
				login = new(oauth2.Login)
				if err := json.Unmarshal(b, login); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := cfg.CompleteLoginCode(ctx, login, "code", login.State); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.wantProof, rt.proofs[tt.tokenURL]); diff != "" {
				t.Errorf("token request's proof mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPushedLoginOneNonceChallenge counts the use_dpop_nonce answers of a
// provider that demands nonces at its PAR and token endpoints: a pushed
// login is asked once, at the push, not again at the token request.
func TestPushedLoginOneNonceChallenge(t *testing.T) {
	srv := oauth2test.NewServer(t)
	srv.RequireDPoPNonce = true
	key, err := dpop.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	cfg := &oauth2.Config{ClientID: oauth2test.PublicClientID, Endpoint: srv.Endpoint(), RedirectURL: "http://127.0.0.1/cb", DPoP: key}
	ctx := context.Background()
	login, err := cfg.NewLogin(ctx, oauth2.PushedAuthorization)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cfg.CompleteLoginURL(ctx, login, srv.Authorize(t, login.URL))
	if err != nil {
		t.Fatal(err)
	}
	if tok.DPoPJKT != key.Thumbprint() {
		t.Errorf("token bound to %q, want %q", tok.DPoPJKT, key.Thumbprint())
	}
	if got := [2]int{srv.DPoPNonceChallenges(), srv.PARRequests()}; got != [2]int{1, 2} {
		t.Errorf("nonce challenges, PAR requests = %v, want [1 2]: one challenge, at the push", got)
	}
}
