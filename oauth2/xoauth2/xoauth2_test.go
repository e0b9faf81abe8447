package xoauth2_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/xoauth2"
	x "golang.org/x/oauth2"
)

// view is what the two Token types share, with the extra fields named by
// keys as each type's Extra returns them.
type view struct {
	AccessToken, Type, RefreshToken string
	Expiry                          time.Time
	ExpiresIn                       int64
	Extra                           map[string]any
}

func viewOf(t *oauth2.Token, keys []string) view {
	v := view{t.AccessToken, t.Type(), t.RefreshToken, t.Expiry, t.ExpiresIn, map[string]any{}}
	for _, k := range keys {
		v.Extra[k] = t.Extra(k)
	}
	return v
}

// fieldsAsExtra is viewOf(t, keys), with "scope" and "id_token" taken from
// Scope and IDToken when t's response had none: the extra fields ToToken
// gives golang.org/x/oauth2, where they are read with Extra.
func fieldsAsExtra(t *oauth2.Token, keys []string) view {
	v := viewOf(t, keys)
	for k, f := range map[string]string{"scope": t.Scope, "id_token": t.IDToken} {
		if _, ok := v.Extra[k]; ok && v.Extra[k] == nil && f != "" {
			v.Extra[k] = f
		}
	}
	return v
}

func xviewOf(t *x.Token, keys []string) view {
	v := view{t.AccessToken, t.Type(), t.RefreshToken, t.Expiry, t.ExpiresIn, map[string]any{}}
	for _, k := range keys {
		v.Extra[k] = t.Extra(k)
	}
	return v
}

// tokenServer answers every request with body, of type contentType: a
// token endpoint for both libraries.
func tokenServer(t testing.TB, contentType, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// responses are token responses of RFC 6749 §5.1, as JSON (its example,
// with the extra fields providers add) and form-encoded (as GitHub
// answers without Accept: application/json), and the fields each carries.
var responses = []struct {
	name, contentType, body string
	keys                    []string
}{
	{"json", "application/json;charset=UTF-8",
		`{"access_token":"2YotnFZFEjr1zMsicMWpAA","token_type":"example","expires_in":3600,` +
			`"refresh_token":"tGzv3JOkF0XG5Qx2TlKWIA","example_parameter":"example_value",` +
			`"scope":"read write","id_token":"eyJ.eyJ.sig","user_id":42,"ext_expires_in":3600.5,"flags":{"a":[1,"b",true]}}`,
		[]string{"access_token", "token_type", "expires_in", "refresh_token", "example_parameter",
			"scope", "id_token", "user_id", "ext_expires_in", "flags"}},
	{"form", "application/x-www-form-urlencoded",
		`access_token=e72e16c7e42f292c6912e7710c838347ae178b4a&scope=repo%2Cgist&token_type=bearer&user_id=42&ratio=0.5`,
		[]string{"access_token", "scope", "token_type", "user_id", "ratio"}},
}

// TestSameResponse reads one token response with both libraries: ToToken
// of oauthkit's token is golang.org/x/oauth2's, and FromToken of
// golang.org/x/oauth2's is oauthkit's, every extra field included.
func TestSameResponse(t *testing.T) {
	ctx := context.Background()
	for _, tt := range responses {
		t.Run(tt.name, func(t *testing.T) {
			url := tokenServer(t, tt.contentType, tt.body)
			cfg := &oauth2.Config{ClientID: "id", ClientSecret: "secret", Endpoint: oauth2.Endpoint{TokenURL: url}}
			ours, err := cfg.PasswordCredentialsToken(ctx, "alice", "pw")
			if err != nil {
				t.Fatal(err)
			}
			xcfg := &x.Config{ClientID: "id", ClientSecret: "secret", Endpoint: x.Endpoint{TokenURL: url}}
			theirs, err := xcfg.PasswordCredentialsToken(ctx, "alice", "pw")
			if err != nil {
				t.Fatal(err)
			}
			// golang.org/x/oauth2 does not set ExpiresIn from a response;
			// both compute Expiry from their own clock.
			opts := cmp.Options{cmpopts.IgnoreFields(view{}, "ExpiresIn"), cmpopts.EquateApproxTime(time.Minute)}
			if diff := cmp.Diff(xviewOf(theirs, tt.keys), xviewOf(xoauth2.ToToken(ours), tt.keys), opts); diff != "" {
				t.Errorf("ToToken mismatch (-x/oauth2's +converted):\n%s", diff)
			}
			if diff := cmp.Diff(viewOf(ours, tt.keys), viewOf(xoauth2.FromToken(theirs, tt.keys...), tt.keys), opts); diff != "" {
				t.Errorf("FromToken mismatch (-oauthkit's +converted):\n%s", diff)
			}
		})
	}
}

func TestRoundTrip(t *testing.T) {
	expiry := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	var stored oauth2.Token
	if err := json.Unmarshal([]byte(`{"access_token":"at","token_type":"mac","refresh_token":"rt","expiry":"2030-01-02T03:04:05Z",`+
		`"expires_in":60,"scope":"a b","id_token":"idt","extra":{"user_id":"u1","n":42,"obj":{"k":[1,"v"]}}}`), &stored); err != nil {
		t.Fatal(err)
	}
	ours := []struct {
		name string
		tok  *oauth2.Token
		keys []string // its extra fields
	}{
		{"built by hand", &oauth2.Token{AccessToken: "at", RefreshToken: "rt", Expiry: expiry, ExpiresIn: 60, Scope: "a", IDToken: "idt"}, nil},
		{"access token only", &oauth2.Token{AccessToken: "at"}, nil},
		{"stored", &stored, []string{"user_id", "n", "obj"}},
		{"with extra", (&oauth2.Token{AccessToken: "at"}).WithExtra(map[string]any{"a": "b", "n": 1.5}), []string{"a", "n"}},
	}
	for _, tt := range ours {
		t.Run("oauthkit/"+tt.name, func(t *testing.T) {
			xt := xoauth2.ToToken(tt.tok)
			keys := append([]string{"scope", "id_token"}, tt.keys...)
			want := fieldsAsExtra(tt.tok, keys)
			if diff := cmp.Diff(want, xviewOf(xt, keys)); diff != "" {
				t.Errorf("ToToken mismatch (-want +got):\n%s", diff)
			}
			for k, want := range map[string]string{"access_token": tt.tok.AccessToken, "refresh_token": tt.tok.RefreshToken,
				"scope": tt.tok.Scope, "id_token": tt.tok.IDToken} {
				if got, _ := xt.Extra(k).(string); got != want {
					t.Errorf("ToToken(...).Extra(%q) = %q, want %q", k, got, want)
				}
			}
			if tt.tok.Extra("expires_in") == nil && tt.tok.ExpiresIn > 0 {
				// As a JSON response decodes into golang.org/x/oauth2's Extra.
				if got, want := xt.Extra("expires_in"), float64(tt.tok.ExpiresIn); got != want {
					t.Errorf("ToToken(...).Extra(\"expires_in\") = %#v, want %#v", got, want)
				}
			}
			back := xoauth2.FromToken(xt, tt.keys...)
			if diff := cmp.Diff(want, viewOf(back, keys)); diff != "" {
				t.Errorf("FromToken(ToToken(tok)) mismatch (-want +got):\n%s", diff)
			}
			if back.Scope != tt.tok.Scope || back.IDToken != tt.tok.IDToken {
				t.Errorf("FromToken(ToToken(tok)): Scope %q, IDToken %q; want %q, %q", back.Scope, back.IDToken, tt.tok.Scope, tt.tok.IDToken)
			}
		})
	}

	theirs := []struct {
		name string
		tok  *x.Token
		keys []string
	}{
		{"built by hand", &x.Token{AccessToken: "at", TokenType: "bearer", RefreshToken: "rt", Expiry: expiry, ExpiresIn: 60}, nil},
		{"json extra", (&x.Token{AccessToken: "at"}).WithExtra(map[string]any{"scope": "a b", "id_token": "idt", "n": 7.0, "o": map[string]any{"p": "q"}}),
			[]string{"n", "o"}},
		{"form extra", (&x.Token{AccessToken: "at"}).WithExtra(map[string][]string{"scope": {"a"}}), nil},
	}
	for _, tt := range theirs {
		t.Run("x/"+tt.name, func(t *testing.T) {
			keys := append([]string{"scope", "id_token"}, tt.keys...)
			want := xviewOf(tt.tok, keys)
			tok := xoauth2.FromToken(tt.tok, tt.keys...)
			if diff := cmp.Diff(want, viewOf(tok, keys)); diff != "" {
				t.Errorf("FromToken mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(want, xviewOf(xoauth2.ToToken(tok), keys)); diff != "" {
				t.Errorf("ToToken(FromToken(tok)) mismatch (-want +got):\n%s", diff)
			}
		})
	}

	if xoauth2.ToToken(nil) != nil || xoauth2.FromToken(nil) != nil {
		t.Error("a nil token does not convert to nil")
	}
}

// xsource is a golang.org/x/oauth2 TokenSource that returns tok and err
// and counts its calls.
type xsource struct {
	tok   *x.Token
	err   error
	calls int
}

func (s *xsource) Token() (*x.Token, error) { s.calls++; return s.tok, s.err }

func TestFromTokenSource(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	retrieve := &x.RetrieveError{ErrorCode: "invalid_grant"}
	tests := []struct {
		name      string
		ctx       context.Context
		src       *xsource
		wantErr   error
		wantCalls int
	}{
		{"token", context.Background(), &xsource{tok: &x.Token{AccessToken: "at"}}, nil, 1},
		{"cancelled context", cancelled, &xsource{tok: &x.Token{AccessToken: "at"}}, context.Canceled, 0},
		{"source error", context.Background(), &xsource{err: retrieve}, retrieve, 1},
		{"nil token", context.Background(), &xsource{}, oauth2.ErrNoToken, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := xoauth2.FromTokenSource(tt.src).Token(tt.ctx)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Token: %v, want %v", err, tt.wantErr)
			}
			if err == nil && tok.AccessToken != tt.src.tok.AccessToken {
				t.Errorf("AccessToken = %q, want %q", tok.AccessToken, tt.src.tok.AccessToken)
			}
			if tt.src.calls != tt.wantCalls {
				t.Errorf("src.Token called %d times, want %d", tt.src.calls, tt.wantCalls)
			}
		})
	}
}

// TestSourcesConvertOnce checks that a source converts each token once:
// the same token from the wrapped source gives the same converted token.
func TestSourcesConvertOnce(t *testing.T) {
	ctx := context.Background()
	xs := &xsource{tok: &x.Token{AccessToken: "one"}}
	from := xoauth2.FromTokenSource(xs)
	a, _ := from.Token(ctx)
	b, _ := from.Token(ctx)
	xs.tok = &x.Token{AccessToken: "two"}
	c, _ := from.Token(ctx)
	if a != b || c == b || c.AccessToken != "two" {
		t.Errorf("FromTokenSource: tokens %p %p %p (%q), want the first two the same and a new one for a new token", a, b, c, c.AccessToken)
	}

	s := (&oauth2.Config{}).NewSession(&oauth2.Token{AccessToken: "one"})
	to := xoauth2.ToTokenSource(ctx, s)
	d, _ := to.Token()
	e, _ := to.Token()
	s.SetToken(&oauth2.Token{AccessToken: "two"})
	f, _ := to.Token()
	if d != e || f == e || f.AccessToken != "two" {
		t.Errorf("ToTokenSource: tokens %p %p %p (%q), want the first two the same and a new one for a new token", d, e, f, f.AccessToken)
	}
}

type ctxKey struct{}

// ctxSource records the context it is called with.
type ctxSource struct{ got context.Context }

func (s *ctxSource) Token(ctx context.Context) (*oauth2.Token, error) {
	s.got = ctx
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &oauth2.Token{AccessToken: "at"}, nil
}

func TestToTokenSource(t *testing.T) {
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), ctxKey{}, "v"))
	src := &ctxSource{}
	ts := xoauth2.ToTokenSource(ctx, src)
	if tok, err := ts.Token(); err != nil || tok.AccessToken != "at" {
		t.Fatalf("Token() = %v, %v", tok, err)
	}
	if src.got.Value(ctxKey{}) != "v" {
		t.Errorf("the source got a context without the value")
	}
	cancel()
	if _, err := ts.Token(); !errors.Is(err, context.Canceled) {
		t.Errorf("Token() after cancel: %v, want context.Canceled", err)
	}

	// A Session with a valid token returns it, whatever the context says.
	s := (&oauth2.Config{}).NewSession(&oauth2.Token{AccessToken: "valid"})
	if tok, err := xoauth2.ToTokenSource(ctx, s).Token(); err != nil || tok.AccessToken != "valid" {
		t.Errorf("Token() of a Session with a cancelled context = %v, %v; want its token", tok, err)
	}

	if _, err := xoauth2.ToTokenSource(context.Background(), oauth2.StaticTokenSource(nil)).Token(); !errors.Is(err, oauth2.ErrNoToken) {
		t.Errorf("Token() of an empty source: %v, want oauth2.ErrNoToken", err)
	}
}

// TestUnwrap checks that a source converted twice is the original.
func TestUnwrap(t *testing.T) {
	xs := &xsource{tok: &x.Token{AccessToken: "at"}}
	if got := xoauth2.ToTokenSource(context.Background(), xoauth2.FromTokenSource(xs)); got != x.TokenSource(xs) {
		t.Errorf("ToTokenSource(FromTokenSource(src)) = %v, want src", got)
	}
	s := (&oauth2.Config{}).NewSession(nil)
	if got := xoauth2.FromTokenSource(xoauth2.ToTokenSource(context.Background(), s)); got != oauth2.TokenSource(s) {
		t.Errorf("FromTokenSource(ToTokenSource(src)) = %v, want src", got)
	}
}

// TestConcurrent sends many requests at once through an x/oauth2 client
// over a Session whose token has expired, and through an oauthkit client
// over an x/oauth2 source whose token has expired: each side refreshes
// once, and every request carries a valid token. Run it with -race.
func TestConcurrent(t *testing.T) {
	const n = 200
	srv := fakeprovider.NewServer()
	defer srv.Close()
	tokenURL, resource := srv.URL+fakeprovider.OAuth2TokenPath, srv.URL+fakeprovider.OAuth2ResourcePath
	ctx := context.Background()

	expired, refresh := srv.OAuth2.IssueToken("basic-client", -time.Minute)
	cfg := &oauth2.Config{ClientID: "basic-client", ClientSecret: "basic-secret", Endpoint: oauth2.Endpoint{TokenURL: tokenURL}}
	s := cfg.NewSession(&oauth2.Token{AccessToken: expired, RefreshToken: refresh, Expiry: time.Now().Add(-time.Minute)})
	viaX := x.NewClient(ctx, xoauth2.ToTokenSource(ctx, s))

	expired2, refresh2 := srv.OAuth2.IssueToken("basic-client", -time.Minute)
	xcfg := &x.Config{ClientID: "basic-client", ClientSecret: "basic-secret", Endpoint: x.Endpoint{TokenURL: tokenURL}}
	xsrc := xcfg.TokenSource(ctx, &x.Token{AccessToken: expired2, RefreshToken: refresh2, Expiry: time.Now().Add(-time.Minute)})
	viaOurs := oauth2.NewClient(xoauth2.FromTokenSource(xsrc), nil)

	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i := 0; i < n; i++ {
		for _, c := range []*http.Client{viaX, viaOurs} {
			wg.Add(1)
			go func(c *http.Client) {
				defer wg.Done()
				resp, err := c.Get(resource)
				if err != nil {
					errs <- err
					return
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					errs <- errors.New(resp.Status)
				}
			}(c)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := srv.OAuth2.Refreshes(); got != 2 {
		t.Errorf("the provider served %d refreshes, want 2 (one per client)", got)
	}
	if got := srv.OAuth2.ResourceRequests(); got != 2*n {
		t.Errorf("the resource served %d requests, want %d", got, 2*n)
	}
}

// TestFromTokenSourceErrors checks the errors of golang.org/x/oauth2's
// own refreshing source, against the fake provider: a refusal is an
// *oauth2.Error with its sentinel and a *RetrieveError, and its text
// holds neither the response body nor what was sent.
func TestFromTokenSourceErrors(t *testing.T) {
	srv := fakeprovider.NewServer()
	defer srv.Close()
	tokenURL := srv.URL + fakeprovider.OAuth2TokenPath
	ctx := context.Background()
	_, refresh := srv.OAuth2.IssueToken("basic-client", -time.Minute)
	tests := []struct {
		name, secret, refresh string
		want                  error
		status                int
	}{
		{"revoked refresh token", "basic-secret", "not-" + refresh, oauth2.ErrInvalidGrant, http.StatusBadRequest},
		{"wrong secret", "not-the-secret", refresh, oauth2.ErrInvalidClient, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			xcfg := &x.Config{ClientID: "basic-client", ClientSecret: tt.secret, Endpoint: x.Endpoint{TokenURL: tokenURL, AuthStyle: x.AuthStyleInHeader}}
			xsrc := xcfg.TokenSource(ctx, &x.Token{AccessToken: "expired", RefreshToken: tt.refresh, Expiry: time.Now().Add(-time.Minute)})
			_, err := xoauth2.FromTokenSource(xsrc).Token(ctx)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Token() error = %v, want %v", err, tt.want)
			}
			var oe *oauth2.Error
			if !errors.As(err, &oe) || oe.StatusCode != tt.status || oe.Endpoint != "token" {
				t.Errorf("*oauth2.Error = %+v, want StatusCode %d, Endpoint token", oe, tt.status)
			}
			var re *x.RetrieveError
			if !errors.As(err, &re) || re.Response == nil {
				t.Errorf("errors.As(*RetrieveError) = false or without Response: %v", err)
			}
			if msg := err.Error(); strings.Contains(msg, tt.refresh) || strings.Contains(msg, tt.secret) || strings.Contains(msg, "{") {
				t.Errorf("error text %q holds what was sent or the response body", msg)
			}
		})
	}
}

// A RetrieveError whose body echoes the refresh token keeps it out of the
// error's text.
func TestFromTokenSourceErrorText(t *testing.T) {
	re := &x.RetrieveError{
		Response:  &http.Response{StatusCode: 500, Status: "500 Internal Server Error"},
		Body:      []byte(`{"refresh_token_received":"rt-secret-value"}`),
		ErrorCode: "",
	}
	if !strings.Contains(re.Error(), "rt-secret-value") {
		t.Fatal("precondition: x/oauth2 quotes the body")
	}
	_, err := xoauth2.FromTokenSource(&xsource{err: re}).Token(context.Background())
	if strings.Contains(err.Error(), "rt-secret-value") {
		t.Errorf("error text %q holds the body", err)
	}
	var oe *oauth2.Error
	if !errors.As(err, &oe) || oe.StatusCode != 500 || !errors.Is(err, re) {
		t.Errorf("error = %#v, want an *oauth2.Error with status 500 wrapping the RetrieveError", err)
	}
}

// A source that returns a nil *RetrieveError as a non-nil error (a nil
// pointer in an error interface) gets it back as it is, as any other
// error, and FromTokenSource's Token does not panic on it.
func TestFromTokenSourceNilRetrieveError(t *testing.T) {
	var re *x.RetrieveError
	var err error
	func() {
		defer func() {
			if v := recover(); v != nil {
				t.Fatalf("Token() panicked: %v", v)
			}
		}()
		_, err = xoauth2.FromTokenSource(&xsource{err: re}).Token(context.Background())
	}()
	var got *x.RetrieveError
	if !errors.As(err, &got) || got != nil {
		t.Errorf("Token() error = %#v, want the nil *RetrieveError", err)
	}
}
