// Command dpop signs a user in the way the AT Protocol's OAuth profile
// (Bluesky) asks for, at any server that publishes its metadata: a pushed
// authorization request (RFC 9126) with PKCE, DPoP-bound tokens (RFC
// 9449), and private_key_jwt when the client has a key; then it calls an
// API with the DPoP-bound token and refreshes it.
//
// The DPoP key and the token are kept in a directory, the key as a
// private JWK (dpop-key.jwk) and the token in a token file
// (oauth2/tokenstore), both of mode 0600: the token is useless without
// the key, so the next run loads both and signs in again only when there
// is no token. Register a client with the redirect URI
// http://127.0.0.1:8080/callback, then:
//
//	OAUTH_ISSUER=https://auth.example OAUTH_CLIENT_ID=... \
//	OAUTH_CLIENT_KEY=client-key.pem OAUTH_API=https://api.example/me \
//	go run ./examples/dpop -dir ~/.config/dpop-example
//
// and open the printed URL. OAUTH_CLIENT_KEY (an ES256 key in PEM) is for
// a confidential client; without it the client is public. With -fake it
// runs against a local fake provider that requires all of the above and
// approves by itself, so it needs no account.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/dpop"
	"github.com/oauthkit/oauth/oauth2/oidc"
	"github.com/oauthkit/oauth/oauth2/tokenstore"
	"github.com/oauthkit/oauth/signer"
	"github.com/oauthkit/oauth/signer/jose"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address of the local callback server")
	dir := flag.String("dir", "dpop-state", "directory of the DPoP key and the token")
	fake := flag.Bool("fake", false, "run against a local fake provider")
	flag.Parse()
	if err := run(*addr, *dir, *fake); err != nil {
		log.Fatal(err)
	}
}

func run(addr, dir string, fake bool) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	issuer, api := os.Getenv("OAUTH_ISSUER"), os.Getenv("OAUTH_API")
	client := oauth2.Config{ClientID: os.Getenv("OAUTH_CLIENT_ID"), Scopes: []string{"atproto", "transition:generic"}}
	if path := os.Getenv("OAUTH_CLIENT_KEY"); path != "" {
		pem, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		key, err := signer.ParsePrivateKeyPEM(pem)
		if err != nil {
			return err
		}
		if client.Signer, err = jose.NewECDSASigner(jose.ES256, key); err != nil {
			return err
		}
	}
	if fake {
		srv := fakeprovider.NewServer()
		defer srv.Close()
		srv.OAuth2.RequirePAR = true
		srv.OAuth2.RequireDPoP = true
		srv.OAuth2.RequireDPoPNonce = true
		srv.OAuth2.RequireResourceDPoPNonce = true
		issuer, api = srv.URL+"/oauth2", srv.URL+fakeprovider.OAuth2ResourcePath
		client.ClientID = "pkjwt-client" // its key is the fake's test key
		s, err := jose.NewECDSASigner(jose.ES256, fakeprovider.OAuth2TestKey)
		if err != nil {
			return err
		}
		client.Signer = s
		addr = "127.0.0.1:0"
		tmp, err := os.MkdirTemp("", "dpop-example")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	if issuer == "" || client.ClientID == "" {
		return errors.New("set OAUTH_ISSUER and OAUTH_CLIENT_ID (and OAUTH_CLIENT_KEY, OAUTH_API), or use -fake")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}

	// The DPoP key: configuration, made once and loaded at every start.
	key, err := loadOrCreateKey(filepath.Join(dir, "dpop-key.jwk"))
	if err != nil {
		return err
	}
	client.DPoP = key
	fmt.Printf("DPoP key: %v\n", key)

	// Discovery: the endpoints, the issuer, whether PAR is required.
	p, err := oidc.NewProvider(ctx, issuer, nil)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	client.RedirectURL = "http://" + ln.Addr().String() + "/callback"
	cfg, err := p.Metadata().Config(client)
	if err != nil {
		return err
	}

	// The token: state, in a token file beside the key.
	store := &tokenstore.File{Path: filepath.Join(dir, "token.json")}
	saved, ver, err := store.Load(ctx)
	if err != nil {
		return err
	}
	if saved == nil {
		tok, err := signIn(ctx, cfg, ln, fake)
		if err != nil {
			return err
		}
		if _, err := store.Save(ctx, tok, ver); err != nil {
			return err
		}
		fmt.Printf("signed in: %v\n", tok)
	} else {
		fmt.Printf("restored: %v\n", saved)
	}
	s := cfg.NewSession(nil)
	s.Store = store // takes the stored token, and saves every new one

	if api != "" {
		if err := call(ctx, s, api); err != nil {
			return err
		}
	}
	tok, err := s.Refresh(ctx) // with a proof of the same key
	if err != nil {
		return err
	}
	fmt.Printf("refreshed: %v\n", tok)
	if api != "" {
		return call(ctx, s, api)
	}
	return nil
}

// loadOrCreateKey reads the DPoP key at path, or makes one and writes it
// there, readable by its owner only.
func loadOrCreateKey(path string) (*dpop.Key, error) {
	data, err := os.ReadFile(path)
	if err == nil {
		return dpop.ParseKey(data)
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	key, err := dpop.GenerateKey()
	if err != nil {
		return nil, err
	}
	jwk, err := key.MarshalPrivateJWK()
	if err != nil {
		return nil, err
	}
	return key, os.WriteFile(path, jwk, 0o600)
}

// signIn runs the login: pushed when the server has a PAR endpoint, with
// PKCE and DPoP; the callback comes to ln.
func signIn(ctx context.Context, cfg *oauth2.Config, ln net.Listener, fake bool) (*oauth2.Token, error) {
	var opts []oauth2.Option
	if cfg.Endpoint.PushedAuthURL != "" {
		opts = append(opts, oauth2.PushedAuthorization)
	}
	login, err := cfg.NewLogin(ctx, opts...)
	if err != nil {
		return nil, err
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
			http.Error(w, "unexpected callback", http.StatusBadRequest)
			return
		}
		if err != nil {
			http.Error(w, "sign-in failed", http.StatusBadRequest)
		} else {
			io.WriteString(w, "Signed in. You can close this window.\n")
		}
		once.Do(func() { done <- result{tok, err} })
	})
	go http.Serve(ln, mux)

	if fake {
		go func() { // the fake provider approves at once: play the browser
			if resp, err := http.Get(login.URL); err == nil {
				resp.Body.Close()
			}
		}()
	} else {
		fmt.Printf("Open this URL in your browser (before %s):\n\n  %s\n\n", login.Expiry.Format(time.Kitchen), login.URL)
	}
	select {
	case res := <-done:
		return res.tok, res.err
	case <-ctx.Done():
		return nil, errors.New("timed out waiting for the callback")
	}
}

// call GETs api with the session's client: Authorization: DPoP and a
// proof of its own.
func call(ctx context.Context, s *oauth2.Session, api string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, api, nil)
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
	var body map[string]any
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&body); err != nil {
		return err
	}
	fmt.Printf("API %s: token_type %v, jkt %v\n", resp.Status, body["token_type"], body["jkt"])
	return nil
}
