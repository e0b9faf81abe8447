// Command oidc signs a user in with OpenID Connect at any provider that
// publishes a discovery document (Google, Microsoft, Okta, Auth0, Keycloak,
// ...), with a local callback server, then prints who signed in.
//
// Register a client with the redirect URI http://127.0.0.1:8080/callback,
// then:
//
//	OIDC_ISSUER=https://accounts.google.com OIDC_CLIENT_ID=... OIDC_CLIENT_SECRET=... go run ./examples/oidc
//
// and open the printed URL. With -fake it runs against a local fake
// provider and approves by itself, so it needs no account.
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
	"github.com/oauthkit/oauth/oauth2/oidc"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address of the local callback server")
	fake := flag.Bool("fake", false, "run against a local fake provider")
	flag.Parse()

	issuer := os.Getenv("OIDC_ISSUER")
	client := oauth2.Config{
		ClientID:     os.Getenv("OIDC_CLIENT_ID"),
		ClientSecret: os.Getenv("OIDC_CLIENT_SECRET"),
		Scopes:       []string{oidc.ScopeOpenID, "email", "profile"},
	}
	if *fake {
		srv := fakeprovider.NewServer()
		defer srv.Close()
		issuer = srv.URL + "/oauth2"
		client.ClientID, client.ClientSecret = "public-client", ""
		*addr = "127.0.0.1:0"
	}
	if issuer == "" || client.ClientID == "" {
		log.Fatal("set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, or use -fake")
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	client.RedirectURL = "http://" + ln.Addr().String() + "/callback"

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	// Discovery: the endpoints, the issuer (checked byte for byte) and
	// what the provider supports.
	p, err := oidc.NewProvider(ctx, issuer, nil)
	if err != nil {
		log.Fatal(err)
	}
	cfg, err := p.Metadata().Config(client)
	if err != nil {
		log.Fatal(err)
	}
	verifier := p.Verifier(&oidc.Config{ClientID: cfg.ClientID})

	// The pending login: state, PKCE verifier, nonce and issuer.
	login, err := cfg.NewLogin(ctx)
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
		tok, err := cfg.CompleteLogin(r.Context(), login, r) // state, iss, then the code
		if errors.Is(err, oauth2.ErrStateMismatch) {
			// Not the answer to our request: refuse it and keep waiting.
			http.Error(w, "unexpected callback", http.StatusBadRequest)
			return
		}
		if err != nil {
			http.Error(w, "sign-in failed", http.StatusBadRequest)
		} else {
			io.WriteString(w, "Signed in. You can close this window.\n")
		}
		once.Do(func() { done <- result{tok, err} }) // the login completes once
	})
	go http.Serve(ln, mux)

	if *fake {
		go func() { // the fake provider approves at once: play the browser
			resp, err := http.Get(login.URL)
			if err == nil {
				resp.Body.Close()
			}
		}()
	} else {
		fmt.Println("Open this URL in your browser:\n\n  " + login.URL + "\n")
	}

	var res result
	select {
	case res = <-done:
	case <-ctx.Done():
		res.err = errors.New("timed out waiting for the callback")
	}
	if res.err != nil {
		log.Fatal(res.err)
	}

	// Who signed in: the ID token, checked against the login.
	idToken, err := verifier.VerifyLogin(ctx, res.tok, login)
	if err != nil {
		log.Fatal(err)
	}
	s := cfg.NewSession(res.tok)
	s.VerifyToken = verifier.CheckRefreshes(idToken) // the ID tokens of refreshes, too
	fmt.Printf("signed in: %s at %s, email %q (verified %t)\n", idToken.Subject, idToken.Issuer, idToken.Email, idToken.EmailVerified)

	if p.Metadata().UserInfoEndpoint != "" {
		info, err := p.UserInfo(ctx, s, idToken.Subject)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("userinfo: name %q\n", info.Name)
	}
}
