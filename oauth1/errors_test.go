package oauth1_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/oauthkit/oauth/oauth1"
)

// TestCallbackErrorsHideURL parses callbacks that do not parse; the error
// must say so (ErrBadRequest) without quoting the URL, which holds the
// verifier and the token.
func TestCallbackErrorsHideURL(t *testing.T) {
	const verifier, token = "VERIFIER-8c1d", "TOKEN-51aa"
	q := "oauth_token=" + token + "&oauth_verifier=" + verifier
	tests := []struct {
		name string
		url  string
	}{
		{"control byte", "https://app.example/cb?" + q + "\x7f"},
		{"space in host", "https://app example/cb?" + q},
		{"bad port", "https://app.example:port/cb?" + q},
		{"missing scheme", "://app.example/cb?" + q},
		{"bad escape in host", "https://app%zz.example/cb?" + q},
		{"bad escape in query", "https://app.example/cb?" + q + "&x=%z"},
		{"bad escape in the verifier", "https://app.example/cb?oauth_token=" + token + "&oauth_verifier=" + verifier + "%z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, v, err := oauth1.ParseAuthorizationResponse(tt.url)
			if !errors.Is(err, oauth1.ErrBadRequest) || tok != "" || v != "" {
				t.Fatalf("ParseAuthorizationResponse() = %q, %q, %v; want ErrBadRequest", tok, v, err)
			}
			checkNoText(t, err, verifier, token, "app")
		})
	}
	t.Run("request", func(t *testing.T) {
		r := &http.Request{Method: "GET", URL: &url.URL{Path: "/cb", RawQuery: q + "%z"}}
		_, _, err := oauth1.ParseAuthorizationRequest(r)
		if !errors.Is(err, oauth1.ErrBadRequest) {
			t.Fatalf("ParseAuthorizationRequest() error = %v, want ErrBadRequest", err)
		}
		checkNoText(t, err, verifier, token)
		for _, r := range []*http.Request{nil, {Method: "GET"}} {
			if _, _, err := oauth1.ParseAuthorizationRequest(r); !errors.Is(err, oauth1.ErrBadRequest) {
				t.Errorf("ParseAuthorizationRequest(%v) error = %v, want ErrBadRequest", r, err)
			}
		}
	})
}

// checkNoText fails if err, printed with any verb, or any error in its
// chain contains one of texts.
func checkNoText(tb testing.TB, err error, texts ...string) {
	tb.Helper()
	printed := fmt.Sprintf("%v %+v %#v %s %q", err, err, err, err, err)
	for e := err; e != nil; e = errors.Unwrap(e) {
		printed += " " + e.Error() + fmt.Sprintf(" %#v", e)
	}
	for _, s := range texts {
		if strings.Contains(printed, s) {
			tb.Errorf("error shows %q: %s", s, printed)
		}
	}
}
