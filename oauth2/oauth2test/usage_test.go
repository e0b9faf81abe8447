package oauth2test_test

// This file is what a program's own tests look like: the code under test
// (App, a web app's sign-in) and its tests against oauth2test, with
// nothing but the public packages. A fresh module writes the same.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oauth2test"
)

// App is the code under test: it signs users in with a provider and asks
// the provider's API who they are.
type App struct {
	OAuth *oauth2.Config
	API   string // the URL that answers {"username": ...}
}

// Start begins a sign-in: the app keeps the login and sends the browser to
// its URL.
func (a *App) Start() (*oauth2.Login, error) { return a.OAuth.NewLogin(context.Background()) }

// Finish completes the sign-in from the callback request and returns the
// session and the user's name.
func (a *App) Finish(ctx context.Context, login *oauth2.Login, r *http.Request) (*oauth2.Session, string, error) {
	tok, err := a.OAuth.CompleteLogin(ctx, login, r)
	if err != nil {
		return nil, "", err
	}
	s := a.OAuth.NewSession(tok)
	name, err := a.WhoAmI(ctx, s)
	return s, name, err
}

// WhoAmI asks the API who the session's user is.
func (a *App) WhoAmI(ctx context.Context, s *oauth2.Session) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.API, nil)
	if err != nil {
		return "", err
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if err := oauth2.CheckResponse(resp); err != nil {
		return "", err
	}
	var me struct {
		Username string `json:"username"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&me); err != nil {
		return "", fmt.Errorf("app: reading the API's answer: %w", err)
	}
	return me.Username, nil
}

// newApp returns an App configured for srv.
func newApp(srv *oauth2test.Server) *App {
	return &App{
		OAuth: &oauth2.Config{
			ClientID:     oauth2test.ClientID,
			ClientSecret: oauth2test.ClientSecret,
			Endpoint:     srv.Endpoint(),
			RedirectURL:  "http://127.0.0.1/callback",
			Scopes:       []string{"profile"},
		},
		API: srv.ResourceURL(),
	}
}

func TestAppSignsUsersIn(t *testing.T) {
	srv := oauth2test.NewServer(t)
	srv.Users["bob"] = "builder"
	app := newApp(srv)
	for _, user := range []string{oauth2test.Username, "bob"} {
		t.Run(user, func(t *testing.T) {
			login, err := app.Start()
			if err != nil {
				t.Fatal(err)
			}
			callback := srv.AuthorizeAs(t, login.URL, user)
			r, err := http.NewRequest(http.MethodGet, callback, nil)
			if err != nil {
				t.Fatal(err)
			}
			_, got, err := app.Finish(context.Background(), login, r)
			if err != nil {
				t.Fatal(err)
			}
			if got != user {
				t.Errorf("signed in as %q, want %q", got, user)
			}
		})
	}
}

func TestAppDenied(t *testing.T) {
	srv := oauth2test.NewServer(t)
	srv.DenyAuthorization = true
	app := newApp(srv)
	login, err := app.Start()
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = app.Finish(context.Background(), login, srv.CallbackRequest(t, login.URL))
	if !errors.Is(err, oauth2.ErrAccessDenied) {
		t.Errorf("err = %v, want oauth2.ErrAccessDenied", err)
	}
	if n := srv.TokenRequests(); n != 0 {
		t.Errorf("%d token requests after a denial, want 0", n)
	}
}

// The app keeps working past the access token's expiry: the session
// refreshes it, once.
func TestAppRefreshes(t *testing.T) {
	var now atomic.Int64 // the provider's clock and the app's
	now.Store(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()) }
	srv := oauth2test.NewServer(t)
	srv.Now = clock
	app := newApp(srv)
	app.OAuth.Now = clock
	login, err := app.Start()
	if err != nil {
		t.Fatal(err)
	}
	s, _, err := app.Finish(context.Background(), login, srv.CallbackRequest(t, login.URL))
	if err != nil {
		t.Fatal(err)
	}
	now.Add(int64(2 * time.Hour)) // the one-hour token has expired
	if got, err := app.WhoAmI(context.Background(), s); err != nil || got != oauth2test.Username {
		t.Fatalf("WhoAmI after expiry = %q, %v; want %q", got, err, oauth2test.Username)
	}
	if n := srv.Refreshes(); n != 1 {
		t.Errorf("%d refreshes, want 1", n)
	}
}
