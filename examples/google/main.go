// Command google signs in to Google with offline access, so that it gets
// a refresh token, and keeps the token in a file: the session's
// OnTokenUpdate rewrites the file whenever the token is refreshed, and
// later runs start from the file without a browser.
//
// Create an OAuth client of type "Desktop app", then:
//
//	GOOGLE_CLIENT_ID=... GOOGLE_CLIENT_SECRET=... go run ./examples/google
//
// and open the printed URL. The token goes to google-token.json (-token),
// which holds a refresh token: keep it out of version control. With -fake
// it runs against the test provider (package oauth2test), whose user
// approves at once: no account, no browser.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/oauthkit/oauth/examples/internal/cli"
	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oauth2test"
)

const usage = `google signs in to Google with offline access (a refresh token), keeps
the token in a file that every refresh rewrites, and asks the userinfo
endpoint who signed in. Later runs start from the file, without a browser.

Environment:
  GOOGLE_CLIENT_ID      the "Desktop app" OAuth client's ID
  GOOGLE_CLIENT_SECRET  its secret

Usage:
  go run ./examples/google          # open the printed URL in a browser
  go run ./examples/google -fake    # against the test provider: no account, no browser;
                                    # signs in every run, writes google-fake-token.json
`

func main() { cli.Main(run) }

func run(ctx context.Context, args []string, stdout io.Writer) error {
	flags := cli.NewFlagSet(stdout, usage)
	tokenFile := flags.String("token", "", "`file` that keeps the token: google-token.json, or google-fake-token.json with -fake")
	fake := flags.Bool("fake", false, "run against a local test provider that approves at once")
	if err := flags.Parse(args); err != nil {
		return err
	}

	cfg := &oauth2.Config{
		ClientID:     os.Getenv("GOOGLE_CLIENT_ID"),
		ClientSecret: os.Getenv("GOOGLE_CLIENT_SECRET"),
		Endpoint:     oauth2.Google,
		Scopes:       []string{"openid", "email"},
		// Bounds the API calls too: the package bounds its own requests
		// to the provider (Config.Timeout), not those of Session.Client.
		HTTPClient: &http.Client{Timeout: 30 * time.Second},
	}
	apiURL := "https://openidconnect.googleapis.com/v1/userinfo"
	var srv *oauth2test.Server
	if *fake {
		srv = oauth2test.NewServer(nil)
		defer srv.Close()
		cfg.ClientID, cfg.ClientSecret, cfg.Endpoint = oauth2test.ClientID, oauth2test.ClientSecret, srv.Endpoint()
		apiURL = srv.UserInfoURL()
		if *tokenFile == "" {
			*tokenFile = "google-fake-token.json" // never overwrite a real token
		}
	}
	if *tokenFile == "" {
		*tokenFile = "google-token.json"
	}
	if cfg.ClientID == "" {
		return errors.New("set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET, or use -fake (see -h)")
	}
	path, err := filepath.Abs(*tokenFile)
	if err != nil {
		return err
	}

	var tok *oauth2.Token
	if !*fake { // the test provider forgets its tokens when it stops: -fake signs in every run
		if tok, err = loadToken(path); err != nil {
			return err
		}
	}
	if tok == nil {
		if tok, err = signIn(ctx, cfg, srv, stdout); err != nil {
			return err
		}
		if err := saveToken(path, tok); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "signed in; token saved to %s\n", path)
	} else {
		fmt.Fprintf(stdout, "token loaded from %s\n", path)
	}

	s := cfg.NewSession(tok) // refreshes the token before it expires
	s.OnTokenUpdate = func(ctx context.Context, t *oauth2.Token) error {
		if err := saveToken(path, t); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "new token (expires %s) saved to %s\n", t.Expiry.Format(time.TimeOnly), path)
		return nil
	}
	if err := get(ctx, s, apiURL, stdout); err != nil {
		return err
	}
	// What the session does by itself when the token is due; done here
	// to show that the refresh token works and the file is rewritten.
	if _, err := s.Refresh(ctx); err != nil {
		return err
	}
	return get(ctx, s, apiURL, stdout)
}

// signIn runs the code flow on a loopback redirect URI (RFC 8252 §7.3).
// With srv, the test provider's user approves at once.
func signIn(ctx context.Context, cfg *oauth2.Config, srv *oauth2test.Server, stdout io.Writer) (*oauth2.Token, error) {
	cb, err := cli.Listen("127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer cb.Close()
	cfg.RedirectURL = cb.URL
	// access_type=offline asks for a refresh token; prompt=consent makes
	// Google issue a new one even if the user consented before.
	login, err := cfg.NewLogin(ctx, oauth2.AccessTypeOffline, oauth2.ApprovalForce)
	if err != nil {
		return nil, err
	}
	if srv != nil {
		cb.Visit(srv.Authorize(nil, login.URL)) // the user approves; the browser comes back
	} else {
		fmt.Fprintf(stdout, "Open this URL in your browser:\n\n  %s\n\n", login.URL)
	}
	return cli.Wait(ctx, cb, func(r *http.Request) (*oauth2.Token, error) {
		tok, err := cfg.CompleteLogin(r.Context(), login, r) // checks the state, then exchanges the code
		if errors.Is(err, oauth2.ErrStateMismatch) || errors.Is(err, oauth2.ErrMalformedCallback) {
			return nil, cli.ErrStray // not the answer to this login: keep waiting
		}
		return tok, err
	})
}

// get calls the API with the session's client and prints the answer.
func get(ctx context.Context, s *oauth2.Session, apiURL string, stdout io.Writer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, apiURL, nil)
	if err != nil {
		return err
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := oauth2.CheckResponse(resp); err != nil {
		return err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s %s\n", resp.Status, body)
	return nil
}

// loadToken reads the token saved at name; nil if there is none.
func loadToken(name string) (*oauth2.Token, error) {
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var t oauth2.Token
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &t, nil
}

// saveToken writes the token atomically, readable only by the user: to a
// new file of mode 0600 beside name (os.CreateTemp picks a name no one can
// have prepared, as a file or a symlink), synced, then renamed over name.
// (Package oauth2/tokenstore's File does this, with a lock, for you.)
func saveToken(name string, t *oauth2.Token) error {
	data, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // after a failure; after the rename there is nothing to remove
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil { // on disk before it replaces the old token
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), name)
}
