// Command google runs the authorization code flow against Google with
// offline access, so that it gets a refresh token, and keeps the token in a
// file: the session's OnTokenUpdate rewrites the file whenever the token is
// refreshed, and later runs start from it without a browser.
//
// Create an OAuth client of type "Desktop app", then:
//
//	GOOGLE_CLIENT_ID=... GOOGLE_CLIENT_SECRET=... go run ./examples/google -token token.json
//
// With -fake it runs against a local fake provider with 5-second tokens and
// shows the refresh, so it needs no account.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
)

func main() {
	tokenFile := flag.String("token", "google-token.json", "file that keeps the token")
	fake := flag.Bool("fake", false, "run against a local fake provider")
	flag.Parse()

	cfg := &oauth2.Config{
		ClientID:     os.Getenv("GOOGLE_CLIENT_ID"),
		ClientSecret: os.Getenv("GOOGLE_CLIENT_SECRET"),
		Endpoint:     oauth2.Google,
		Scopes:       []string{"openid", "email"},
	}
	apiURL := "https://openidconnect.googleapis.com/v1/userinfo"
	if *fake {
		srv := fakeprovider.NewServer()
		defer srv.Close()
		srv.OAuth2.AccessTokenTTL = 5 * time.Second
		cfg.ClientID, cfg.ClientSecret = "basic-client", "basic-secret"
		cfg.Endpoint = oauth2.Endpoint{AuthURL: srv.URL + fakeprovider.OAuth2AuthorizePath, TokenURL: srv.URL + fakeprovider.OAuth2TokenPath}
		apiURL = srv.URL + fakeprovider.OAuth2ResourcePath
		*tokenFile = filepath.Join(os.TempDir(), "oauthkit-google-fake-token.json")
		os.Remove(*tokenFile)
	}
	if cfg.ClientID == "" {
		log.Fatal("set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET, or use -fake")
	}

	// A loopback redirect (RFC 8252 §7.3) on a free port, used if no token
	// was saved.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	cfg.RedirectURL = "http://" + ln.Addr().String() + "/callback"

	tok, err := loadToken(*tokenFile)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		log.Fatal(err)
	}
	if tok == nil {
		if tok, err = login(cfg, ln, *fake); err != nil {
			log.Fatal(err)
		}
		if err := saveToken(*tokenFile, tok); err != nil {
			log.Fatal(err)
		}
	}
	s := cfg.NewSession(tok)
	s.OnTokenUpdate = func(ctx context.Context, t *oauth2.Token) error {
		fmt.Println("saving new token, expires", t.Expiry.Format(time.TimeOnly))
		return saveToken(*tokenFile, t)
	}

	calls := 1
	if *fake {
		calls = 3 // show a refresh: the fake issues 5-second tokens
	}
	for i := 0; i < calls; i++ {
		if i > 0 {
			time.Sleep(3 * time.Second)
		}
		resp, err := s.Client().Get(apiURL)
		if err != nil {
			log.Fatal(err)
		}
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		fmt.Printf("%s %s\n", resp.Status, body)
	}
}

// login runs the code flow, receiving the callback on ln.
func login(cfg *oauth2.Config, ln net.Listener, fake bool) (*oauth2.Token, error) {
	// access_type=offline asks for a refresh token; prompt=consent makes
	// Google issue a new one even if the user consented before.
	l, err := cfg.NewLogin(context.Background(), oauth2.AccessTypeOffline, oauth2.ApprovalForce)
	if err != nil {
		return nil, err
	}
	type result struct {
		tok *oauth2.Token
		err error
	}
	done := make(chan result, 1)
	var once sync.Once
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, err := cfg.CompleteLogin(r.Context(), l, r)
		if errors.Is(err, oauth2.ErrStateMismatch) {
			http.Error(w, "unexpected callback", http.StatusBadRequest)
			return
		}
		if err != nil {
			http.Error(w, "authorization failed", http.StatusBadRequest)
		} else {
			io.WriteString(w, "Authorized. You can close this window.\n")
		}
		once.Do(func() { done <- result{tok, err} })
	}))
	if fake {
		go func() {
			if resp, err := http.Get(l.URL); err == nil {
				resp.Body.Close()
			}
		}()
	} else {
		fmt.Println("Open this URL in your browser:\n\n  " + l.URL + "\n")
	}
	select {
	case res := <-done:
		return res.tok, res.err
	case <-time.After(5 * time.Minute):
		return nil, errors.New("timed out waiting for the callback")
	}
}

func loadToken(name string) (*oauth2.Token, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var t oauth2.Token
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &t, nil
}

// saveToken writes the token atomically, readable only by the user.
func saveToken(name string, t *oauth2.Token) error {
	data, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return err
	}
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}
