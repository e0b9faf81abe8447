package oauth2_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth2"
)

// fixedProofDPoP is an oauth2.DPoP whose every proof is proof: a stand-in
// for a signed JWT that holds nothing else a test scrubs.
type fixedProofDPoP struct{ jkt, proof string }

func (f fixedProofDPoP) Proof(string, string, string, string, time.Time) (string, error) {
	return f.proof, nil
}

func (f fixedProofDPoP) Thumbprint() string { return f.jkt }

// CheckResponse redacts the DPoP proof the request carried (a signed
// assertion, scrubbed from the Transport's own errors and from token
// endpoint errors) when the resource server echoes it in its challenge
// or its body, as it redacts the token.
func TestCheckResponseRedactsDPoPProof(t *testing.T) {
	const proof = "eyJ0eXAiOiJkcG9wK2p3dCJ9.eyJqdGkiOiJQUk9PRi1TRUNSRVQifQ.PROOF-SIGNATURE"
	echo := rtFunc(func(r *http.Request) (*http.Response, error) {
		p := r.Header.Get("DPoP")
		h := http.Header{"Www-Authenticate": {`DPoP error="invalid_dpop_proof", error_description="bad proof ` + p + `"`}}
		return &http.Response{StatusCode: 401, Header: h, Body: io.NopCloser(strings.NewReader("you sent " + p)), Request: r}, nil
	})
	dp := fixedProofDPoP{jkt: "jkt-1", proof: proof}
	c := &http.Client{Transport: &oauth2.Transport{Source: oauth2.StaticTokenSource(dpopToken("jkt-1")), Base: echo, DPoP: dp}}
	resp, err := c.Get("https://api.example.com/things")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	err = oauth2.CheckResponse(resp)
	var e *oauth2.Error
	if !errors.As(err, &e) || e.ErrorCode != "invalid_dpop_proof" {
		t.Fatalf("CheckResponse = %v, want an *Error with invalid_dpop_proof", err)
	}
	checkNoCredential(t, err, proof, "at-1")
}

// CheckResponse fills Error.RetryAfter from the Retry-After of a resource
// server's answer (RFC 9110 §10.2.3), as the token endpoint's errors do:
// in seconds, or as a date, at most 24 hours.
func TestCheckResponseRetryAfter(t *testing.T) {
	tests := []struct {
		name   string
		status int
		value  string
		want   time.Duration
	}{
		{"429 in seconds", 429, "120", 2 * time.Minute},
		{"503 in seconds", 503, "7", 7 * time.Second},
		{"401 in seconds", 401, "30", 30 * time.Second},
		{"a date far ahead", 503, "Fri, 31 Dec 9999 23:59:59 GMT", 24 * time.Hour},
		{"a date in the past", 503, "Sun, 06 Nov 1994 08:49:37 GMT", 0},
		{"not a delay", 429, "soon", 0},
		{"none", 429, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.value != "" {
				h.Set("Retry-After", tt.value)
			}
			resp := &http.Response{StatusCode: tt.status, Header: h, Body: http.NoBody}
			var e *oauth2.Error
			if err := oauth2.CheckResponse(resp); !errors.As(err, &e) {
				t.Fatalf("CheckResponse = %v, want an *oauth2.Error", err)
			}
			if e.RetryAfter != tt.want {
				t.Errorf("RetryAfter = %v, want %v", e.RetryAfter, tt.want)
			}
		})
	}
}

// A callback that carries state or code more than once is refused before
// any token request (RFC 6749 §3.1: response parameters are not repeated):
// the login must not check one value while another layer of the app, or
// the token request, takes the other. The iss parameter is refused the
// same way already (ErrIssuerMismatch).
func TestCallbackRepeatedParams(t *testing.T) {
	var sent atomic.Int32
	token := rtFunc(func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		return reply(200, nil, `{"access_token":"at","token_type":"bearer"}`)(r)
	})
	cfg := &oauth2.Config{ClientID: "id", RedirectURL: "https://app.example/cb", HTTPClient: &http.Client{Transport: token},
		Endpoint: oauth2.Endpoint{AuthURL: "https://as.example/authorize", TokenURL: "https://as.example/token"}}
	ctx := context.Background()
	l, err := cfg.NewLogin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st := "state=" + url.QueryEscape(l.State)
	tests := []struct {
		name, query string
	}{
		{"state twice, the login's first", st + "&state=other&code=c"},
		{"state twice, the login's second", "state=other&" + st + "&code=c"},
		{"state twice, both the login's", st + "&" + st + "&code=c"},
		{"code twice", st + "&code=c1&code=c2"},
		{"code twice, the first empty", st + "&code=&code=c2"},
	}
	complete := map[string]func(query string) error{
		"CompleteLoginURL": func(q string) error {
			_, err := cfg.CompleteLoginURL(ctx, l, "https://app.example/cb?"+q)
			return err
		},
		"CompleteLogin GET": func(q string) error {
			_, err := cfg.CompleteLogin(ctx, l, httptest.NewRequest(http.MethodGet, "/cb?"+q, nil))
			return err
		},
		"CompleteLogin form_post": func(q string) error {
			r := httptest.NewRequest(http.MethodPost, "/cb", strings.NewReader(q))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			_, err := cfg.CompleteLogin(ctx, l, r)
			return err
		},
	}
	for _, tt := range tests {
		for how, f := range complete {
			t.Run(tt.name+"/"+how, func(t *testing.T) {
				sent.Store(0)
				if err := f(tt.query); !errors.Is(err, oauth2.ErrMalformedCallback) {
					t.Errorf("err = %v, want ErrMalformedCallback", err)
				}
				if n := sent.Load(); n != 0 {
					t.Errorf("%d token requests, want none", n)
				}
			})
		}
	}
	// The same login completes with each parameter once.
	if _, err := cfg.CompleteLoginURL(ctx, l, "https://app.example/cb?"+st+"&code=c"); err != nil || sent.Load() != 1 {
		t.Errorf("CompleteLoginURL with one state and one code: err %v, %d token requests; want nil, 1", err, sent.Load())
	}
}

// A login whose scope holds "openid" sends a nonce and records it in
// Login.Nonce however Config.Scopes spells the scope: the elements are
// joined with spaces (RFC 6749 §3.3), so {"openid profile"} asks the
// server for the same OpenID Connect request as {"openid", "profile"},
// and the ID token's replay check (OpenID Connect Core 1.0 §3.1.2.1)
// must not depend on the spelling.
func TestNewLoginOpenIDInOneScopeString(t *testing.T) {
	tests := []struct {
		name      string
		scopes    []string
		wantNonce bool
	}{
		{"separate", []string{"openid", "profile"}, true},
		{"one string", []string{"openid profile"}, true},
		{"one string, openid last", []string{"email", "profile openid"}, true},
		{"not openid", []string{"openidx profile", "xopenid"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &oauth2.Config{ClientID: "id", Scopes: tt.scopes, Endpoint: oauth2.Endpoint{AuthURL: "https://as.example/authorize"}}
			l, err := cfg.NewLogin(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			u, err := url.Parse(l.URL)
			if err != nil {
				t.Fatal(err)
			}
			sent := u.Query()["nonce"]
			if got := len(sent) == 1 && sent[0] != "" && sent[0] == l.Nonce; got != tt.wantNonce {
				t.Errorf("nonce sent %q, Login.Nonce %q; want one nonce, recorded: %v", sent, l.Nonce, tt.wantNonce)
			}
		})
	}
}
