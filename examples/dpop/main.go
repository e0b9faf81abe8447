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
// runs against the test provider (package oauth2test), set to require all
// of the above, whose user approves at once: no account, no browser.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/oauthkit/oauth/examples/internal/cli"
	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/dpop"
	"github.com/oauthkit/oauth/oauth2/oauth2test"
	"github.com/oauthkit/oauth/oauth2/oidc"
	"github.com/oauthkit/oauth/oauth2/tokenstore"
	"github.com/oauthkit/oauth/signer"
	"github.com/oauthkit/oauth/signer/jose"
)

const usage = `dpop signs a user in as the AT Protocol (Bluesky) asks: a pushed
authorization request (PAR) with PKCE, DPoP-bound tokens and, with a client
key, private_key_jwt. It keeps the DPoP key and the token in a directory
(-dir), calls an API with the DPoP-bound token, and refreshes it.

Environment:
  OAUTH_ISSUER      the authorization server's issuer (its metadata is fetched)
  OAUTH_CLIENT_ID   the client's ID
  OAUTH_CLIENT_KEY  optional: a PEM file with the client's ES256 key (private_key_jwt)
  OAUTH_API         optional: an API URL to call with the token

Usage:
  go run ./examples/dpop -dir ~/.config/dpop-example   # open the printed URL in a browser
  go run ./examples/dpop -fake    # against the test provider: no account, no browser;
                                  # key and token in a temporary directory, removed at exit
`

func main() { cli.Main(run) }

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := cli.NewFlagSet(stdout, usage)
	addr := fs.String("addr", "127.0.0.1:8080", "address of the local callback server")
	dir := fs.String("dir", "dpop-state", "directory of the DPoP key (dpop-key.jwk) and the token (token.json)")
	fake := fs.Bool("fake", false, "run against a local test provider that approves at once")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
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
	var srv *oauth2test.Server
	if *fake {
		srv = oauth2test.NewServer(nil)
		defer srv.Close()
		srv.RequirePAR, srv.RequireDPoP, srv.RequireDPoPNonce, srv.RequireResourceDPoPNonce = true, true, true, true
		srv.RequireIssuerAudience = true // client assertions name the issuer, as the AT Protocol asks
		issuer, api, client.ClientID = srv.IssuerURL(), srv.ResourceURL(), oauth2test.KeyClientID
		s, err := jose.NewECDSASigner(jose.ES256, oauth2test.ClientKey())
		if err != nil {
			return err
		}
		client.Signer, *addr = s, "127.0.0.1:0"
		tmp, err := os.MkdirTemp("", "dpop-example")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		*dir = tmp
	}
	if issuer == "" || client.ClientID == "" {
		return errors.New("set OAUTH_ISSUER and OAUTH_CLIENT_ID (and OAUTH_CLIENT_KEY, OAUTH_API), or use -fake (see -h)")
	}
	if err := os.MkdirAll(*dir, 0o700); err != nil {
		return err
	}

	// The DPoP key: configuration, made once and loaded at every start.
	key, err := loadOrCreateKey(filepath.Join(*dir, "dpop-key.jwk"))
	if err != nil {
		return err
	}
	client.DPoP = key
	fmt.Fprintf(stdout, "DPoP key: %v\n", key)

	// Discovery: the endpoints, the issuer, whether PAR is required.
	p, err := oidc.NewProvider(ctx, issuer, nil)
	if err != nil {
		return err
	}
	cb, err := cli.Listen(*addr)
	if err != nil {
		return err
	}
	defer cb.Close()
	client.RedirectURL = cb.URL
	cfg, err := p.Metadata().Config(client)
	if err != nil {
		return err
	}
	// The AT Protocol wants the issuer, not the endpoint's URL, as the
	// audience of client assertions.
	cfg.Endpoint.AssertionAudience = cfg.Endpoint.Issuer

	// The token: state, in a token file beside the key.
	store := &tokenstore.File{Path: filepath.Join(*dir, "token.json")}
	saved, ver, err := store.Load(ctx)
	if err != nil {
		return err
	}
	if saved == nil {
		tok, err := signIn(ctx, cfg, cb, srv, stdout)
		if err != nil {
			return err
		}
		if _, err := store.Save(ctx, tok, ver); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "signed in: %v\n", tok)
	} else {
		fmt.Fprintf(stdout, "restored: %v\n", saved)
	}
	s := cfg.NewSession(nil)
	s.Store = store // takes the stored token, and saves every new one

	if api != "" {
		if err := call(ctx, s, api, stdout); err != nil {
			return err
		}
	}
	tok, err := s.Refresh(ctx) // with a proof of the same key
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "refreshed: %v\n", tok)
	if api != "" {
		return call(ctx, s, api, stdout)
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
// PKCE and DPoP; the callback comes to cb. With srv, the test provider's
// user approves at once.
func signIn(ctx context.Context, cfg *oauth2.Config, cb *cli.Callback, srv *oauth2test.Server, stdout io.Writer) (*oauth2.Token, error) {
	var opts []oauth2.Option
	if cfg.Endpoint.PushedAuthURL != "" {
		opts = append(opts, oauth2.PushedAuthorization)
	}
	login, err := cfg.NewLogin(ctx, opts...)
	if err != nil {
		return nil, err
	}
	if srv != nil {
		cb.Visit(srv.Authorize(nil, login.URL)) // the user approves; the browser comes back
	} else {
		fmt.Fprintf(stdout, "Open this URL in your browser (before %s):\n\n  %s\n\n", login.Expiry.Format(time.Kitchen), login.URL)
	}
	return cli.Wait(ctx, cb, func(r *http.Request) (*oauth2.Token, error) {
		tok, err := cfg.CompleteLogin(r.Context(), login, r) // state, iss, then the code with a DPoP proof
		if errors.Is(err, oauth2.ErrStateMismatch) || errors.Is(err, oauth2.ErrMalformedCallback) {
			return nil, cli.ErrStray // not the answer to this login: keep waiting
		}
		return tok, err
	})
}

// call GETs api with the session's client: Authorization: DPoP and a
// proof of its own.
func call(ctx context.Context, s *oauth2.Session, api string, stdout io.Writer) error {
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
	fmt.Fprintf(stdout, "API %s: token_type %v, jkt %v\n", resp.Status, body["token_type"], body["jkt"])
	return nil
}
