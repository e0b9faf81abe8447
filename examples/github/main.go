// Command github runs the OAuth 2 authorization code flow (with PKCE) against
// GitHub using a local callback server, then prints the authenticated user.
//
// Register an OAuth app with the callback URL http://127.0.0.1:8080/callback,
// then:
//
//	GITHUB_CLIENT_ID=... GITHUB_CLIENT_SECRET=... go run ./examples/github
//
// and open the printed URL. With -fake it runs against a local fake provider
// and approves by itself, so it needs no account.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address of the local callback server")
	fake := flag.Bool("fake", false, "run against a local fake provider")
	flag.Parse()

	cfg := &oauth2.Config{
		ClientID:     os.Getenv("GITHUB_CLIENT_ID"),
		ClientSecret: os.Getenv("GITHUB_CLIENT_SECRET"),
		Endpoint:     oauth2.GitHub,
		Scopes:       []string{"read:user"},
	}
	apiURL := "https://api.github.com/user"
	if *fake {
		srv := fakeprovider.NewServer()
		defer srv.Close()
		cfg.ClientID, cfg.ClientSecret = "basic-client", "basic-secret"
		cfg.Endpoint = oauth2.Endpoint{AuthURL: srv.URL + fakeprovider.OAuth2AuthorizePath, TokenURL: srv.URL + fakeprovider.OAuth2TokenPath}
		apiURL = srv.URL + fakeprovider.OAuth2ResourcePath
		*addr = "127.0.0.1:0"
	}
	if cfg.ClientID == "" {
		log.Fatal("set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET, or use -fake")
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	cfg.RedirectURL = "http://" + ln.Addr().String() + "/callback"

	// The pending login: state and PKCE verifier, checked on the callback.
	login, err := cfg.NewLogin(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	type result struct {
		tok *oauth2.Token
		err error
	}
	done := make(chan result, 1)
	var once sync.Once
	mux := http.NewServeMux()
	mux.HandleFunc("/callback", func(w http.ResponseWriter, r *http.Request) {
		tok, err := cfg.CompleteLogin(r.Context(), login, r)
		if errors.Is(err, oauth2.ErrStateMismatch) {
			// Not the answer to our request (a stray or forged
			// callback): refuse it and keep waiting.
			http.Error(w, "unexpected callback", http.StatusBadRequest)
			return
		}
		if err != nil {
			http.Error(w, "authorization failed", http.StatusBadRequest)
		} else {
			io.WriteString(w, "Authorized. You can close this window.\n")
		}
		once.Do(func() { done <- result{tok, err} }) // the login completes once
	})
	go http.Serve(ln, mux)

	authURL := login.URL
	if *fake {
		go func() { // the fake provider approves at once: play the browser
			resp, err := http.Get(authURL)
			if err == nil {
				resp.Body.Close()
			}
		}()
	} else {
		fmt.Println("Open this URL in your browser:\n\n  " + authURL + "\n")
	}

	var res result
	select {
	case res = <-done:
	case <-time.After(5 * time.Minute):
		res.err = errors.New("timed out waiting for the callback")
	}
	if res.err != nil {
		log.Fatal(res.err)
	}
	s := cfg.NewSession(res.tok) // refreshes the token when needed

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", apiURL, nil)
	resp, err := s.Client().Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	fmt.Printf("%s\n%s\n", resp.Status, body)
}
