// Command clientcredentials gets a token with the client credentials grant
// (RFC 6749 §4.4) and calls an API with it, as a service would:
//
//	go run ./examples/clientcredentials -token-url https://as.example/token \
//		-client-id svc -client-secret "$SECRET" -scope "read write" -api https://api.example/v1/items
//
// The session gets its token on first use and runs the grant again when
// the token is due; -resource adds RFC 8707 resource indicators to every
// token request. With -fake it runs against a local fake provider, so it
// needs no account.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
)

func main() {
	tokenURL := flag.String("token-url", "", "token endpoint URL")
	clientID := flag.String("client-id", os.Getenv("OAUTH_CLIENT_ID"), "client ID")
	clientSecret := flag.String("client-secret", os.Getenv("OAUTH_CLIENT_SECRET"), "client secret")
	method := flag.String("auth", "client_secret_basic", "client_secret_basic, client_secret_post or auto")
	scope := flag.String("scope", "", "space-separated scopes")
	api := flag.String("api", "", "API URL to call with the token")
	resource := flag.String("resource", "", "space-separated resource indicators (RFC 8707) for the token")
	fake := flag.Bool("fake", false, "run against a local fake provider")
	flag.Parse()

	if *fake {
		srv := fakeprovider.NewServer()
		defer srv.Close()
		*tokenURL = srv.URL + fakeprovider.OAuth2TokenPath
		*clientID, *clientSecret, *method = "post-client", "post-secret", "auto"
		*api = srv.URL + fakeprovider.OAuth2ResourcePath
	}
	if *tokenURL == "" || *clientID == "" {
		log.Fatal("set -token-url and -client-id, or use -fake")
	}
	cfg := &oauth2.Config{
		ClientID:     *clientID,
		ClientSecret: *clientSecret,
		AuthMethod:   oauth2.AuthMethod(*method),
		Endpoint:     oauth2.Endpoint{TokenURL: *tokenURL},
		Scopes:       strings.Fields(*scope),
		HTTPClient:   &http.Client{Timeout: 30 * time.Second},
	}
	var opts []oauth2.Option
	for _, r := range strings.Fields(*resource) {
		opts = append(opts, oauth2.SetParam("resource", r))
	}
	ctx := context.Background()
	s := cfg.ClientCredentials(opts...) // no request yet
	tok, err := s.Token(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("got a %s token, scope %q, expires %s\n", tok.Type(), tok.Scope, tok.Expiry.Format(time.RFC3339))
	if *api == "" {
		return
	}
	resp, err := s.Client().Get(*api)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	fmt.Printf("%s\n%s\n", resp.Status, body)
}
