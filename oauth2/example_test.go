package oauth2_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
)

// browser plays the user agent in the examples: it follows the authorization
// URL and returns where the server redirected it.
func browser(authURL string) string {
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(authURL)
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	return resp.Header.Get("Location")
}

func fakeEndpoint(srv *fakeprovider.Server) oauth2.Endpoint { return endpointOf(srv) }

// The authorization code flow with PKCE: build the URL, send the user there,
// exchange the code from the callback, call an API.
func ExampleSession_Exchange() {
	srv := fakeprovider.NewServer() // setup: a local provider
	defer srv.Close()

	cfg := &oauth2.Config{
		ClientID:     "basic-client",
		ClientSecret: "basic-secret",
		Endpoint:     fakeEndpoint(srv), // e.g. oauth2.GitHub
		RedirectURL:  "http://127.0.0.1:8080/callback",
		Scopes:       []string{"read"},
	}
	s := cfg.NewSession(nil)
	authURL, _, err := s.AuthorizationURL()
	if err != nil {
		log.Fatal(err)
	}
	callback := browser(authURL) // setup: the user approves; in a server, use r.URL.String()

	ctx := context.Background()
	tok, err := s.Exchange(ctx, callback)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("token type:", tok.Type(), "refreshable:", tok.RefreshToken != "")

	resp, err := s.Client().Get(srv.URL + "/oauth2/resource")
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	fmt.Println("api:", resp.Status)
	// Output:
	// token type: Bearer refreshable: true
	// api: 200 OK
}

// Service-to-service access with the client credentials grant. When the token
// expires, the session runs the grant again.
func ExampleSession_ClientCredentials() {
	srv := fakeprovider.NewServer()
	defer srv.Close()

	cfg := &oauth2.Config{
		ClientID:     "post-client",
		ClientSecret: "post-secret",
		AuthMethod:   oauth2.ClientSecretPost,
		Endpoint:     fakeEndpoint(srv),
		Scopes:       []string{"read"},
	}
	s := cfg.NewSession(nil)
	if _, err := s.ClientCredentials(context.Background()); err != nil {
		log.Fatal(err)
	}
	resp, err := s.Client().Get(srv.URL + "/oauth2/resource")
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	fmt.Println("api:", resp.Status)
	// Output:
	// api: 200 OK
}

// The device flow (RFC 8628) for a CLI or a TV: show the code, poll.
func ExampleSession_DeviceToken() {
	srv := fakeprovider.NewServer()
	defer srv.Close()
	srv.OAuth2.DeviceInterval = 1 // setup: poll every second

	cfg := &oauth2.Config{ClientID: "public-client", Endpoint: fakeEndpoint(srv), Scopes: []string{"read"}}
	s := cfg.NewSession(nil)
	ctx := context.Background()
	da, err := s.DeviceAuth(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("visit the verification URI and enter the code:", da.UserCode != "" && da.VerificationURI != "")
	srv.OAuth2.ApproveDevice(da.UserCode) // setup: the user approves

	tok, err := s.DeviceToken(ctx, da)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("authorized:", s.Authorized(), tok.Type())
	// Output:
	// visit the verification URI and enter the code: true
	// authorized: true Bearer
}

// Persist every new token, rotated refresh tokens included, before it is
// used. Here the stored token has expired, so the first request refreshes it.
func ExampleSession_OnTokenUpdate() {
	srv := fakeprovider.NewServer()
	defer srv.Close()
	access, refresh := srv.OAuth2.IssueToken("basic-client", -time.Minute) // setup: an expired token
	saved, _ := json.Marshal(&oauth2.Token{AccessToken: access, RefreshToken: refresh, Expiry: time.Now().Add(-time.Minute)})

	cfg := &oauth2.Config{ClientID: "basic-client", ClientSecret: "basic-secret", Endpoint: fakeEndpoint(srv)}
	var tok oauth2.Token
	if err := json.Unmarshal(saved, &tok); err != nil {
		log.Fatal(err)
	}
	s := cfg.NewSession(&tok)
	var store bytes.Buffer // e.g. a file or a database row
	s.OnTokenUpdate = func(ctx context.Context, t *oauth2.Token) error {
		store.Reset()
		return json.NewEncoder(&store).Encode(t)
	}

	resp, err := s.Client().Get(srv.URL + "/oauth2/resource")
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	var reloaded oauth2.Token
	if err := json.Unmarshal(store.Bytes(), &reloaded); err != nil {
		log.Fatal(err)
	}
	fmt.Println("api:", resp.Status)
	fmt.Println("saved a new refresh token:", reloaded.RefreshToken != "" && reloaded.RefreshToken != refresh)
	fmt.Println("saved expiry in the future:", reloaded.Expiry.After(time.Now()))
	// Output:
	// api: 200 OK
	// saved a new refresh token: true
	// saved expiry in the future: true
}

// A Slack-style server answers errors with HTTP 200 and {"ok":false,...}.
// The package already reports a 2xx carrying "error" as an *Error; this hook
// also turns ok:false into a 400 so that status-based logging sees a failure.
func ExampleHooks_slack() {
	srv := fakeprovider.NewServer()
	defer srv.Close()
	srv.OAuth2.ErrorWith200 = true // setup: behave like Slack

	cfg := &oauth2.Config{
		ClientID: "basic-client", ClientSecret: "basic-secret", Endpoint: fakeEndpoint(srv),
		Hooks: oauth2.Hooks{TokenResponse: func(resp *http.Response) error {
			body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
			if err != nil {
				return err
			}
			var slack struct {
				OK *bool `json:"ok"`
			}
			if json.Unmarshal(body, &slack) == nil && slack.OK != nil && !*slack.OK {
				resp.StatusCode = http.StatusBadRequest
			}
			resp.Body = io.NopCloser(bytes.NewReader(body))
			return nil
		}},
	}
	_, err := cfg.NewSession(nil).ClientCredentials(context.Background())
	var e *oauth2.Error
	if errors.As(err, &e) {
		fmt.Println(e.ErrorCode, e.StatusCode)
	}
	// Output:
	// invalid_auth 400
}

// A Facebook-style server answers text/plain "access_token=...&expires=..."
// with the lifetime under "expires". The hook renames it to expires_in and
// fixes the Content-Type.
func ExampleHooks_facebook() {
	fb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { // setup
		w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
		io.WriteString(w, "access_token=EAAB&expires=5183999")
	}))
	defer fb.Close()

	cfg := &oauth2.Config{
		ClientID: "app", ClientSecret: "secret", Endpoint: oauth2.Endpoint{TokenURL: fb.URL},
		Hooks: oauth2.Hooks{TokenResponse: func(resp *http.Response) error {
			body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
			if err != nil {
				return err
			}
			if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
				body = bytes.Replace(body, []byte("expires="), []byte("expires_in="), 1)
				resp.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			resp.Body = io.NopCloser(bytes.NewReader(body))
			return nil
		}},
	}
	tok, err := cfg.NewSession(nil).ClientCredentials(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tok.Type(), tok.ExpiresIn)
	// Output:
	// Bearer 5183999
}

// Fitbit reports errors as an "errors" array; the hook maps the first
// errorType to the RFC 6749 "error" member, so errors.Is works.
func ExampleHooks_fitbit() {
	fitbit := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { // setup
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(400)
		io.WriteString(w, `{"errors":[{"errorType":"invalid_grant","message":"Authorization code invalid"}],"success":false}`)
	}))
	defer fitbit.Close()

	cfg := &oauth2.Config{
		ClientID: "app", ClientSecret: "secret", Endpoint: oauth2.Endpoint{TokenURL: fitbit.URL},
		Hooks: oauth2.Hooks{TokenResponse: func(resp *http.Response) error {
			body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
			if err != nil {
				return err
			}
			var fb struct {
				Errors []struct {
					ErrorType string `json:"errorType"`
					Message   string `json:"message"`
				} `json:"errors"`
			}
			if json.Unmarshal(body, &fb) == nil && len(fb.Errors) > 0 {
				body, _ = json.Marshal(map[string]string{"error": fb.Errors[0].ErrorType, "error_description": fb.Errors[0].Message})
			}
			resp.Body = io.NopCloser(bytes.NewReader(body))
			return nil
		}},
	}
	_, err := cfg.NewSession(nil).Password(context.Background(), "user", "pass")
	fmt.Println(errors.Is(err, oauth2.ErrInvalidGrant))
	// Output:
	// true
}
