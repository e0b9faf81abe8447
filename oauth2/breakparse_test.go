package oauth2_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/oauthkit/oauth/oauth2"
)

// CheckResponse redacts the access token a Transport put in the query or
// the form body even when a parameter before it has a malformed escape
// (a stray '%', as in "q=100%"): net/http sends such a query as it is,
// the Transport appends access_token after it, and a server may echo the
// token back.
func TestCheckResponseRedactsTokenAfterBadEscape(t *testing.T) {
	const tok = "AT-SECRET-after-escape"
	echo := rtFunc(func(r *http.Request) (*http.Response, error) {
		body := `{"error":"invalid_request","error_description":"unknown ` + tok + `"}`
		return &http.Response{StatusCode: 400, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
	})
	tests := []struct {
		name      string
		placement oauth2.Placement
		method    string
		url, body string
	}{
		{"query, stray %", oauth2.InQuery, "GET", "https://api.example.com/search?q=100%", ""},
		{"query, bad escape", oauth2.InQuery, "GET", "https://api.example.com/search?q=%zz", ""},
		{"form body, stray %", oauth2.InFormBody, "POST", "https://api.example.com/search", "q=100%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok, TokenType: "Bearer"})
			c := &http.Client{Transport: &oauth2.Transport{Source: src, Base: echo, Placement: tt.placement}}
			req, err := http.NewRequest(tt.method, tt.url, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if tt.body != "" {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			err = oauth2.CheckResponse(resp)
			if err == nil {
				t.Fatal("CheckResponse = nil, want an error")
			}
			checkNoCredential(t, err, tok)
		})
	}
}
