package oauth1_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/oauthkit/oauth/oauth1"
)

func TestTokenNeverPrintsSecret(t *testing.T) {
	tok := &oauth1.Token{Token: "public-token", Secret: "s3cr3t-value"}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		if got := fmt.Sprintf(format, tok); strings.Contains(got, "s3cr3t") || !strings.Contains(got, "public-token") {
			t.Errorf("Sprintf(%q, tok) = %q", format, got)
		}
	}
	var nilTok *oauth1.Token
	if nilTok.Extra("x") != "" || len(nilTok.Extras()) != 0 || fmt.Sprint(nilTok) != "<nil>" {
		t.Error("nil *Token methods misbehave")
	}
}

func TestPresets(t *testing.T) {
	ns := oauth1.NetSuite("1234567-sb1")
	if ns.Realm != "1234567_SB1" || ns.Method != oauth1.HMACSHA256 ||
		ns.RequestTokenURL != "https://1234567-sb1.restlets.api.netsuite.com/rest/requesttoken" {
		t.Errorf("NetSuite(1234567-sb1) = %+v", ns)
	}
	if got := oauth1.NetSuite("1234567_SB1").AuthorizeURL; got != "https://1234567-sb1.app.netsuite.com/app/login/secure/authorizetoken.nl" {
		t.Errorf("NetSuite(1234567_SB1).AuthorizeURL = %q", got)
	}
	if got := oauth1.Jira("https://jira.example.com/").AccessTokenURL; got != "https://jira.example.com/plugins/servlet/oauth/access-token" {
		t.Errorf("Jira().AccessTokenURL = %q", got)
	}
	for name, e := range map[string]oauth1.Endpoint{"Twitter": oauth1.Twitter, "TwitterAuthenticate": oauth1.TwitterAuthenticate,
		"Bitbucket": oauth1.Bitbucket, "Tumblr": oauth1.Tumblr, "Flickr": oauth1.Flickr, "Trello": oauth1.Trello,
		"Discogs": oauth1.Discogs("test/1.0"), "SmugMug": oauth1.SmugMug, "Garmin": oauth1.Garmin} {
		for _, u := range []string{e.RequestTokenURL, e.AuthorizeURL, e.AccessTokenURL} {
			if pu, err := url.Parse(u); err != nil || pu.Scheme != "https" {
				t.Errorf("%s: URL %q is not https", name, u)
			}
		}
	}
}

// Endpoint settings reach the wire: the provider's method and realm, and
// its extra headers.
func TestEndpointDefaults(t *testing.T) {
	var got *http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.Clone(r.Context()) }))
	defer srv.Close()
	e := oauth1.NetSuite("123")
	e.Header = http.Header{"User-Agent": {"test-agent/1.0"}}
	cfg := &oauth1.Config{ConsumerKey: "k", Endpoint: e}
	resp, err := cfg.Client(nil).Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	h := got.Header.Get("Authorization")
	if !strings.HasPrefix(h, `OAuth realm="123", `) || !strings.Contains(h, `oauth_signature_method="HMAC-SHA256"`) {
		t.Errorf("Authorization = %q, want realm first and HMAC-SHA256", h)
	}
	if ua := got.Header.Get("User-Agent"); ua != "test-agent/1.0" {
		t.Errorf("User-Agent = %q", ua)
	}
}

func TestAuthorizationURL(t *testing.T) {
	cfg := &oauth1.Config{Endpoint: oauth1.Endpoint{AuthorizeURL: "https://p.example/auth?lang=en"}}
	got, err := cfg.AuthorizationURL(&oauth1.Token{Token: "a b"}, url.Values{"scope": {"read,write"}, "name": {"My App"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "https://p.example/auth?lang=en&oauth_token=a+b&name=My+App&scope=read%2Cwrite"; got != want {
		t.Errorf("AuthorizationURL() = %q, want %q", got, want)
	}
	if _, err := cfg.AuthorizationURL(nil, nil); !errors.Is(err, oauth1.ErrMissingToken) {
		t.Errorf("AuthorizationURL(nil) error = %v, want ErrMissingToken", err)
	}
}

func TestParseAuthorizationResponse(t *testing.T) {
	tests := []struct {
		in                 string
		wantTok, wantVerif string
		wantErr            error
	}{
		{"https://app.example/cb?oauth_token=t%2B1&oauth_verifier=v", "t+1", "v", nil},
		{"https://app.example/cb?oauth_token=t", "", "", oauth1.ErrMissingToken},
		{"https://app.example/cb?denied=t", "", "", oauth1.ErrMissingToken},
		{"https://app.example/cb?oauth_token=%zz", "", "", oauth1.ErrBadRequest},
	}
	for _, tt := range tests {
		tok, v, err := oauth1.ParseAuthorizationResponse(tt.in)
		if !errors.Is(err, tt.wantErr) || tok != tt.wantTok || v != tt.wantVerif {
			t.Errorf("ParseAuthorizationResponse(%q) = %q, %q, %v; want %q, %q, %v", tt.in, tok, v, err, tt.wantTok, tt.wantVerif, tt.wantErr)
		}
		if err != nil && strings.Count(err.Error(), "oauth1: ") != 1 {
			t.Errorf("ParseAuthorizationResponse(%q) error %q does not have the package prefix exactly once", tt.in, err)
		}
	}
	r := httptest.NewRequest("GET", "/cb?oauth_token=t&oauth_verifier=v", nil)
	if tok, v, err := oauth1.ParseAuthorizationRequest(r); err != nil || tok != "t" || v != "v" {
		t.Errorf("ParseAuthorizationRequest() = %q, %q, %v", tok, v, err)
	}
}

func TestTokenResponses(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		ct      string
		body    string
		want    *oauth1.Token
		extras  url.Values
		wantErr error
	}{
		{"form", 200, "application/x-www-form-urlencoded", "oauth_token=a&oauth_token_secret=b&user_id=1&screen_name=x",
			&oauth1.Token{Token: "a", Secret: "b"}, url.Values{"user_id": {"1"}, "screen_name": {"x"}}, nil},
		{"text/plain form", 200, "text/plain", "oauth_token=a&oauth_token_secret=b",
			&oauth1.Token{Token: "a", Secret: "b"}, url.Values{}, nil},
		{"json", 200, "application/json", `{"oauth_token":"a","oauth_token_secret":"b","user_id":42,"admin":true,"x":null}`,
			&oauth1.Token{Token: "a", Secret: "b"}, url.Values{"user_id": {"42"}, "admin": {"true"}}, nil},
		{"no token", 200, "text/plain", "oauth_token_secret=b", nil, nil, oauth1.ErrMissingToken},
		{"problem with 200", 200, "text/plain", "oauth_problem=token_rejected", nil, nil, oauth1.ErrUnknownToken},
		{"500", 500, "text/html", "<html>oauth_token_secret=leak</html>", nil, nil, &oauth1.Error{Endpoint: "access token", StatusCode: 500}},
		{"bad json", 200, "application/json", `{"oauth_token":`, nil, nil, oauth1.ErrBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.ct)
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			}))
			defer srv.Close()
			cfg := &oauth1.Config{ConsumerKey: "k", Endpoint: oauth1.Endpoint{AccessTokenURL: srv.URL}}
			got, err := cfg.AccessToken(context.Background(), &oauth1.Token{Token: "rt", Secret: "rs"}, "v")
			if want, ok := tt.wantErr.(*oauth1.Error); ok {
				var got *oauth1.Error
				if !errors.As(err, &got) || got.Endpoint != want.Endpoint || got.StatusCode != want.StatusCode {
					t.Fatalf("AccessToken() error = %v, want an *Error from the %s endpoint with status %d", err, want.Endpoint, want.StatusCode)
				}
			} else if !errors.Is(err, tt.wantErr) {
				t.Fatalf("AccessToken() error = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				if n := strings.Count(err.Error(), "oauth1: "); n != 1 {
					t.Errorf("error %q has the package prefix %d times, want once", err, n)
				}
				if strings.Contains(err.Error(), "leak") {
					t.Errorf("error leaks the body: %v", err)
				}
				var pe *oauth1.Error
				if errors.As(err, &pe) && strings.Contains(string(pe.Body), "leak") {
					t.Errorf("Error.Body leaks a secret: %q", pe.Body)
				}
				return
			}
			if got.Token != tt.want.Token || got.Secret != tt.want.Secret {
				t.Errorf("token = %q/%q, want %q/%q", got.Token, got.Secret, tt.want.Token, tt.want.Secret)
			}
			if diff := cmp.Diff(tt.extras, got.Extras()); diff != "" {
				t.Errorf("Extras() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestResponseTooLarge(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "oauth_token=a&oauth_token_secret=b&pad="+strings.Repeat("x", 2000))
	}))
	defer srv.Close()
	cfg := &oauth1.Config{ConsumerKey: "k", MaxBodyBytes: 1000, CallbackURL: "oob", Endpoint: oauth1.Endpoint{RequestTokenURL: srv.URL}}
	_, err := cfg.RequestToken(context.Background())
	var tl *http.MaxBytesError
	if !errors.As(err, &tl) || tl.Limit != 1000 {
		t.Errorf("RequestToken() error = %v, want *http.MaxBytesError{Limit: 1000}", err)
	}
	if err != nil && strings.Contains(err.Error(), "request body") {
		t.Errorf("RequestToken() error = %q: the response is too large, not a request", err)
	}
}

func TestSignInPlace(t *testing.T) {
	t.Run("sets GetBody", func(t *testing.T) {
		req, _ := http.NewRequest("POST", "https://api.example.com/x", io.NopCloser(strings.NewReader("a=1")))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if req.GetBody != nil {
			t.Fatal("precondition: GetBody set")
		}
		if err := (&oauth1.Config{ConsumerKey: "k"}).Sign(req, nil); err != nil {
			t.Fatal(err)
		}
		b1, _ := io.ReadAll(req.Body)
		rc, _ := req.GetBody()
		b2, _ := io.ReadAll(rc)
		if string(b1) != "a=1" || string(b2) != "a=1" || req.ContentLength != 3 {
			t.Errorf("body %q, GetBody %q, ContentLength %d", b1, b2, req.ContentLength)
		}
	})
	t.Run("form placement without a body", func(t *testing.T) {
		req, _ := http.NewRequest("POST", "https://api.example.com/x", nil)
		if err := (&oauth1.Config{ConsumerKey: "k", Placement: oauth1.InFormBody}).Sign(req, nil); err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(req.Body)
		if req.Header.Get("Content-Type") != "application/x-www-form-urlencoded" || !strings.HasPrefix(string(b), "oauth_nonce=") {
			t.Errorf("Content-Type %q, body %q", req.Header.Get("Content-Type"), b)
		}
	})
	t.Run("empty optional parameters left out", func(t *testing.T) {
		req, _ := http.NewRequest("GET", "https://api.example.com", nil)
		if err := (&oauth1.Config{ConsumerKey: "k"}).Sign(req, &oauth1.Token{}); err != nil {
			t.Fatal(err)
		}
		h := req.Header.Get("Authorization")
		for _, p := range []string{"oauth_token=", "oauth_callback=", "oauth_verifier=", "oauth_body_hash=", "realm="} {
			if strings.Contains(h, p) {
				t.Errorf("Authorization %q contains %s", h, p)
			}
		}
	})
	t.Run("nonces differ", func(t *testing.T) {
		seen := map[string]bool{}
		for i := 0; i < 100; i++ {
			req, _ := http.NewRequest("GET", "https://api.example.com", nil)
			(&oauth1.Config{ConsumerKey: "k"}).Sign(req, nil)
			for _, p := range headerParams(t, req.Header.Get("Authorization")) {
				if p[0] == "oauth_nonce" {
					if seen[p[1]] || len(p[1]) < 30 {
						t.Fatalf("nonce %q repeated or short", p[1])
					}
					seen[p[1]] = true
				}
			}
		}
	})
}

func TestCheckResponseHeaderProblem(t *testing.T) {
	resp := &http.Response{StatusCode: 401, Header: http.Header{"Www-Authenticate": {`OAuth realm="x", oauth_problem="timestamp_refused"`}},
		Body: io.NopCloser(strings.NewReader("nope"))}
	err := oauth1.CheckResponse(resp)
	if !errors.Is(err, oauth1.ErrStaleTimestamp) {
		t.Errorf("CheckResponse() = %v, want ErrStaleTimestamp", err)
	}
}

func TestVerifierRequiresNonceStore(t *testing.T) {
	req := httptest.NewRequest("GET", "/", nil)
	v := &oauth1.Verifier{LookupConsumer: func(context.Context, string) (oauth1.Consumer, error) { return oauth1.Consumer{}, nil }}
	if _, err := v.Verify(context.Background(), req); err == nil {
		t.Error("Verify without a nonce store succeeded")
	}
}

// TestMissingTokenErrors checks that each missing-credential error says
// what is missing, with the package prefix once, and that
// errors.Is(err, ErrMissingToken) holds for all of them.
func TestMissingTokenErrors(t *testing.T) {
	cfg := &oauth1.Config{ConsumerKey: "k", ConsumerSecret: "s"}
	callback := func(q string) error {
		_, _, err := oauth1.ParseAuthorizationResponse("https://app.example/cb?" + q)
		return err
	}
	accessNil := func() error {
		_, err := cfg.AccessToken(context.Background(), nil, "v")
		return err
	}
	authURL := func() error {
		_, err := cfg.AuthorizationURL(&oauth1.Token{}, nil)
		return err
	}
	tests := []struct {
		name         string
		err          error
		wantVerifier bool   // errors.Is(err, ErrMissingVerifier)
		wantMention  string // what the message names
	}{
		{"callback without oauth_token", callback("oauth_verifier=v"), false, "oauth_token"},
		{"callback without oauth_verifier", callback("oauth_token=t"), true, "oauth_verifier"},
		{"AccessToken with nil request token", accessNil(), false, "request token"},
		{"AuthorizationURL with empty request token", authURL(), false, "request token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !errors.Is(tt.err, oauth1.ErrMissingToken) {
				t.Errorf("error = %v, want one wrapping ErrMissingToken", tt.err)
			}
			if got := errors.Is(tt.err, oauth1.ErrMissingVerifier); got != tt.wantVerifier {
				t.Errorf("errors.Is(%v, ErrMissingVerifier) = %v, want %v", tt.err, got, tt.wantVerifier)
			}
			msg := tt.err.Error()
			if n := strings.Count(msg, "oauth1: "); n != 1 {
				t.Errorf("error %q has the package prefix %d times, want once", msg, n)
			}
			if !strings.Contains(msg, tt.wantMention) {
				t.Errorf("error %q does not say it lacks the %s", msg, tt.wantMention)
			}
			if strings.Contains(msg, "response has no oauth_token") && tt.wantMention != "oauth_token" {
				t.Errorf("error %q blames a missing oauth_token in a response", msg)
			}
		})
	}
}

func TestPlacementString(t *testing.T) {
	tests := []struct {
		p    oauth1.Placement
		want string
	}{
		{oauth1.InHeader, "header"},
		{oauth1.InQuery, "query"},
		{oauth1.InFormBody, "form body"},
		{oauth1.Placement(7), "Placement(7)"},
		{oauth1.Placement(-1), "Placement(-1)"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("Placement(%d).String() = %q, want %q", int(tt.p), got, tt.want)
		}
	}
	var zero oauth1.Config
	if zero.Placement != oauth1.InHeader {
		t.Errorf("zero Config.Placement = %v, want InHeader", zero.Placement)
	}
}

// TestResponseNoLimit checks that a MaxBodyBytes of math.MaxInt64, the
// largest, reads the token response whole: one byte more than the limit
// must not wrap around to a limit that reads nothing.
func TestResponseNoLimit(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "oauth_token=a&oauth_token_secret=b&oauth_callback_confirmed=true")
	}))
	defer srv.Close()
	cfg := &oauth1.Config{ConsumerKey: "k", MaxBodyBytes: math.MaxInt64, CallbackURL: "oob", Endpoint: oauth1.Endpoint{RequestTokenURL: srv.URL}}
	tok, err := cfg.RequestToken(context.Background())
	if err != nil {
		t.Fatalf("RequestToken() error = %v", err)
	}
	if tok.Token != "a" || tok.Secret != "b" {
		t.Errorf("RequestToken() = %q, %q; want a, b", tok.Token, tok.Secret)
	}
}
