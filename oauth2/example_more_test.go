package oauth2_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oauth2test"
)

// GrantSession runs a grant this package has no method of its own for
// (an extension grant, RFC 6749 §4.5): params is called for every token
// the session obtains, and the session renews its token as
// ClientCredentials does. Here, to be runnable, the grant is the password
// grant of a service account.
func ExampleConfig_GrantSession() {
	srv := oauth2test.NewServer(nil) // setup (in a test: NewServer(t))
	defer srv.Close()

	cfg := &oauth2.Config{ClientID: oauth2test.ClientID, ClientSecret: oauth2test.ClientSecret, Endpoint: srv.Endpoint()}
	s := cfg.GrantSession("password", func(ctx context.Context) (url.Values, error) {
		return url.Values{"username": {oauth2test.Username}, "password": {oauth2test.Password}}, nil
	})
	resp, err := s.Client().Get(srv.ResourceURL()) // the first token, on first use
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var me oauth2test.Echo // what the provider saw
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&me); err != nil {
		log.Fatal(err)
	}
	fmt.Println("api:", resp.Status, "for", me.Username)
	fmt.Println("grant_type:", srv.LastTokenRequest().Get("grant_type"))
	// Output:
	// api: 200 OK for alice
	// grant_type: password
}

// A backend for a single-page or mobile app completes the login with the
// code and state the front end received on its redirect and passed on.
func ExampleConfig_CompleteLoginCode() {
	srv := oauth2test.NewServer(nil) // setup
	defer srv.Close()

	cfg := &oauth2.Config{ClientID: oauth2test.PublicClientID, Endpoint: srv.Endpoint(),
		RedirectURL: "http://127.0.0.1:8080/callback"}
	ctx := context.Background()
	login, err := cfg.NewLogin(ctx) // kept by the backend; login.URL goes to the front end
	if err != nil {
		log.Fatal(err)
	}
	u, _ := url.Parse(srv.Authorize(nil, login.URL)) // setup: the front end's redirect
	code, state := u.Query().Get("code"), u.Query().Get("state")

	tok, err := cfg.CompleteLoginCode(ctx, login, code, state)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tok.Type(), tok.Valid())
	// Output:
	// Bearer true
}

// RevokeToken revokes any token (RFC 7009), such as one read back from
// storage, without a Session; IntrospectToken asks about any token
// (RFC 7662).
func ExampleConfig_RevokeToken() {
	srv := oauth2test.NewServer(nil) // setup
	defer srv.Close()
	access, refresh := srv.IssueToken(oauth2test.ClientID, time.Hour) // setup: a saved token

	cfg := &oauth2.Config{ClientID: oauth2test.ClientID, ClientSecret: oauth2test.ClientSecret, Endpoint: srv.Endpoint()}
	ctx := context.Background()
	if err := cfg.RevokeToken(ctx, refresh, oauth2.HintRefreshToken); err != nil {
		log.Fatal(err)
	}
	info, err := cfg.IntrospectToken(ctx, access, oauth2.HintAccessToken)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("access token active:", info.Active) // the grant ended with its refresh token
	// Output:
	// access token active: false
}

// A service that restarts: it saves every token its session obtains and,
// at its next start, restores the saved one instead of asking for a new
// one. A client credentials session renews the restored token when it is
// due, by running its grant again.
func ExampleSession_SetToken() {
	srv := oauth2test.NewServer(nil) // setup
	defer srv.Close()
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "token.json") // setup: where the service keeps its token

	cfg := &oauth2.Config{ClientID: oauth2test.ClientID, ClientSecret: oauth2test.ClientSecret,
		Endpoint: srv.Endpoint(), Scopes: []string{"read"}}
	// start runs at every start of the service.
	start := func() *oauth2.Session {
		s := cfg.ClientCredentials()
		s.OnTokenUpdate = func(ctx context.Context, tok *oauth2.Token) error {
			b, err := json.Marshal(tok) // the JSON form keeps the token: store it where only the service reads
			if err != nil {
				return err
			}
			return os.WriteFile(path, b, 0o600)
		}
		if b, err := os.ReadFile(path); err == nil {
			var saved oauth2.Token
			if err := json.Unmarshal(b, &saved); err != nil {
				log.Fatal(err)
			}
			if err := s.SetToken(&saved); err != nil {
				log.Fatal(err)
			}
		} else if !errors.Is(err, os.ErrNotExist) {
			log.Fatal(err)
		}
		return s
	}

	for run := 1; run <= 2; run++ { // the service runs, stops, and runs again
		resp, err := start().Client().Get(srv.ResourceURL())
		if err != nil {
			log.Fatal(err)
		}
		resp.Body.Close()
		fmt.Println("run", run, resp.Status, "tokens issued so far:", srv.TokensIssued())
	}
	// Output:
	// run 1 200 OK tokens issued so far: 1
	// run 2 200 OK tokens issued so far: 1
}
