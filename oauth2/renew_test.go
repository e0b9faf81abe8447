package oauth2_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
)

// The regression test of issue 10 §4: a service saves its client
// credentials token in OnTokenUpdate, restarts with
// s := cfg.ClientCredentials(); s.SetToken(saved), and keeps calling the
// API past the saved token's expiry: no call fails, and every new token
// is saved.
func TestClientCredentialsRestart(t *testing.T) {
	ctx := context.Background()
	srv := newProvider(t)
	clock := newTestClock()
	srv.OAuth2.Now = clock.now
	srv.OAuth2.AccessTokenTTL = 10 * time.Minute
	cfg := *clients(t, srv)["client_secret_post"]
	cfg.Now = clock.now

	var mu sync.Mutex
	var saved []byte // the service's token file
	save := func(_ context.Context, tok *oauth2.Token) error {
		b, err := json.Marshal(tok)
		mu.Lock()
		saved = b
		mu.Unlock()
		return err
	}
	load := func() *oauth2.Token {
		mu.Lock()
		defer mu.Unlock()
		var tok oauth2.Token
		if err := json.Unmarshal(saved, &tok); err != nil {
			t.Fatalf("saved token: %v", err)
		}
		return &tok
	}

	// The first run: one call, one token, saved.
	s := cfg.ClientCredentials()
	s.OnTokenUpdate = save
	if err := get(ctx, srv, s.Client()); err != nil {
		t.Fatal(err)
	}
	first := load()

	// The restart: a new session from the saved token, no grant yet.
	s = cfg.ClientCredentials()
	s.OnTokenUpdate = save
	if err := s.SetToken(first); err != nil {
		t.Fatal(err)
	}
	c := s.Client()
	issued := srv.OAuth2.TokensIssued()
	failures := 0
	for i := 0; i < 120; i++ { // a call a minute for two hours
		if err := get(ctx, srv, c); err != nil {
			failures++
			t.Logf("call %d: %v", i, err)
		}
		clock.add(time.Minute)
	}
	if failures != 0 {
		t.Errorf("%d of 120 calls failed", failures)
	}
	// 10-minute tokens renewed 10 s before they expire: one each 10 minutes.
	if n := srv.OAuth2.TokensIssued() - issued; n < 11 || n > 13 {
		t.Errorf("%d tokens issued in two hours of 10-minute tokens, want about 12", n)
	}
	if last := load(); last.AccessToken != s.CachedToken().AccessToken || last.AccessToken == first.AccessToken {
		t.Error("the renewed token was not saved")
	}
}

// A login completed from a form_post callback (OAuth 2.0 Form Post
// Response Mode) and one completed from a code and state a front end
// passed on, against the provider.
func TestCompleteLoginVariants(t *testing.T) {
	ctx := context.Background()
	srv := newProvider(t)
	cfg := clients(t, srv)["client_secret_basic"]
	// formPost starts a form_post login and returns it with the request
	// the browser then makes: it loads the provider's page, whose form
	// posts the response to the redirect URI.
	formPost := func(t *testing.T) (*oauth2.Login, func(contentType string) *http.Request) {
		t.Helper()
		l, err := cfg.NewLogin(context.Background(), oauth2.SetAuthURLParam("response_mode", "form_post"))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := srv.Client().Get(l.URL)
		if err != nil {
			t.Fatal(err)
		}
		action, form, err := fakeprovider.ReadFormPost(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		if err != nil || action != redirect {
			t.Fatalf("provider's page: form to %q, %v; want one posting to %q", action, err, redirect)
		}
		return l, func(contentType string) *http.Request {
			r := httptest.NewRequest("POST", action, strings.NewReader(form.Encode()))
			r.Header.Set("Content-Type", contentType)
			return r
		}
	}
	t.Run("form_post", func(t *testing.T) {
		l, post := formPost(t)
		tok, err := cfg.CompleteLogin(ctx, l, post("application/x-www-form-urlencoded"))
		if err != nil || !tok.Valid() {
			t.Fatalf("CompleteLogin = %v, %v", tok, err)
		}
		if _, err := cfg.CompleteLogin(ctx, l, post("text/plain")); !errors.Is(err, oauth2.ErrMalformedCallback) {
			t.Errorf("a POST that is not a form: err = %v, want ErrMalformedCallback", err)
		}
	})
	// The app, or a middleware, parsed the form before: the body is
	// consumed, and the response is in r.PostForm.
	t.Run("form_post already parsed", func(t *testing.T) {
		l, post := formPost(t)
		r := post("application/x-www-form-urlencoded")
		if err := r.ParseForm(); err != nil {
			t.Fatal(err)
		}
		tok, err := cfg.CompleteLogin(ctx, l, r)
		if err != nil || !tok.Valid() {
			t.Fatalf("CompleteLogin = %v, %v", tok, err)
		}
	})
	t.Run("form_post too large", func(t *testing.T) {
		small := *cfg
		small.MaxBodyBytes = 64
		l, err := small.NewLogin(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		body := "state=" + l.State + "&code=" + strings.Repeat("x", 100)
		r := httptest.NewRequest("POST", redirect, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		var mb *http.MaxBytesError
		if _, err := small.CompleteLogin(ctx, l, r); !errors.As(err, &mb) || mb.Limit != 64 {
			t.Errorf("err = %v, want a wrapped *http.MaxBytesError", err)
		}
	})
	t.Run("GET", func(t *testing.T) {
		l, cb := login(t, cfg)
		tok, err := cfg.CompleteLogin(ctx, l, httptest.NewRequest("GET", cb, nil))
		if err != nil || !tok.Valid() {
			t.Fatalf("CompleteLogin = %v, %v", tok, err)
		}
	})
	t.Run("code and state", func(t *testing.T) {
		l, cb := login(t, cfg)
		q := mustParse(t, cb).Query()
		if _, err := cfg.CompleteLoginCode(ctx, l, q.Get("code"), "forged"); !errors.Is(err, oauth2.ErrStateMismatch) {
			t.Errorf("forged state: err = %v, want ErrStateMismatch", err)
		}
		if _, err := cfg.CompleteLoginCode(ctx, l, "", q.Get("state")); !errors.Is(err, oauth2.ErrMissingCode) {
			t.Errorf("no code: err = %v, want ErrMissingCode", err)
		}
		tok, err := cfg.CompleteLoginCode(ctx, l, q.Get("code"), q.Get("state"))
		if err != nil || !tok.Valid() {
			t.Fatalf("CompleteLoginCode = %v, %v", tok, err)
		}
	})
}

func mustParse(t testing.TB, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// A Refresh with options while another refresh is under way waits for it,
// then runs its own with the options: both requests reach the provider.
func TestRefreshWithOptionsAfterAnother(t *testing.T) {
	srv := newProvider(t)
	cfg := *clients(t, srv)["client_secret_basic"]
	g := &gate{base: srv.Client().Transport, open: make(chan struct{})}
	var mu sync.Mutex
	var scopes []string
	cfg.HTTPClient = &http.Client{Transport: g}
	cfg.Hooks.TokenRequest = func(r *http.Request) error {
		b, _ := r.GetBody()
		body, _ := io.ReadAll(b)
		q, _ := url.ParseQuery(string(body))
		mu.Lock()
		scopes = append(scopes, q.Get("scope"))
		mu.Unlock()
		return nil
	}
	tok, err := cfg.PasswordCredentialsToken(context.Background(), "alice", "wonderland")
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	scopes = nil
	mu.Unlock()
	s := cfg.NewSession(tok)
	joins := make(chan struct{}, 4)
	oauth2.SetJoinHook(s, func() { joins <- struct{}{} })
	errs := make(chan error, 2)
	go func() { _, err := s.Refresh(context.Background()); errs <- err }()
	<-joins
	go func() {
		_, err := s.Refresh(context.Background(), oauth2.SetAuthURLParam("scope", "read"))
		errs <- err
	}()
	<-joins // it waits for the first
	close(g.open)
	for i := 0; i < 2; i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(scopes) != 2 || scopes[0] != "" || scopes[1] != "read" {
		t.Errorf("scopes of the refreshes = %q, want [\"\" \"read\"]", scopes)
	}
}
