package oauth_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/oauthkit/oauth/oauth1"
	"github.com/oauthkit/oauth/oauth2"
)

// The README's quick starts, kept compiling here. They talk to real
// providers, so they have no Output and are compiled, not run.
// TestREADMESnippets fails if the README and these bodies drift apart.

// askUser shows prompt and reads a line from standard input.
func askUser(prompt string) string {
	fmt.Print(prompt)
	line, _ := bufio.NewReader(os.Stdin).ReadString('\n')
	return strings.TrimSpace(line)
}

// saveToken stands for the application's token storage.
func saveToken(tok *oauth2.Token) error { return nil }

func Example_oauth1Twitter() {
	cfg := &oauth1.Config{
		ConsumerKey:    os.Getenv("TWITTER_CONSUMER_KEY"),
		ConsumerSecret: os.Getenv("TWITTER_CONSUMER_SECRET"),
		CallbackURL:    "oob", // PIN flow; or your https:// callback URL
		Endpoint:       oauth1.Twitter,
	}
	ctx := context.Background()
	requestToken, err := cfg.RequestToken(ctx)
	if err != nil {
		log.Fatal(err)
	}
	authURL, err := cfg.AuthorizationURL(requestToken, nil)
	if err != nil {
		log.Fatal(err)
	}
	pin := askUser("Open " + authURL + " and enter the PIN: ")
	accessToken, err := cfg.AccessToken(ctx, requestToken, pin)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("signed in as", accessToken.Extra("screen_name"))

	// Every request through this client is signed (HMAC-SHA1, Authorization header).
	client := cfg.Client(accessToken)
	resp, err := client.Get("https://api.twitter.com/1.1/account/verify_credentials.json")
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
}

func Example_oauth2GitHub() {
	cfg := &oauth2.Config{
		ClientID:     os.Getenv("GITHUB_CLIENT_ID"),
		ClientSecret: os.Getenv("GITHUB_CLIENT_SECRET"),
		Endpoint:     oauth2.GitHub,
		RedirectURL:  "http://127.0.0.1:8080/callback",
		Scopes:       []string{"read:user"},
	}
	session := cfg.NewSession(nil) // or a saved *oauth2.Token
	session.OnTokenUpdate = func(ctx context.Context, tok *oauth2.Token) error {
		return saveToken(tok) // every new token, rotated refresh tokens included, before it is used
	}
	authURL, _, err := session.AuthorizationURL() // state and a PKCE S256 challenge, kept in the session
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("Open", authURL)

	http.HandleFunc("/callback", func(w http.ResponseWriter, r *http.Request) {
		// Checks state (constant time), then exchanges the code with the PKCE verifier.
		if _, err := session.Exchange(r.Context(), r.URL.String()); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		resp, err := session.Client().Get("https://api.github.com/user") // refreshes when needed
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		io.Copy(w, resp.Body)
	})
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", nil))
}

func Example_oauth2ClientCredentials() {
	ctx := context.Background()
	cfg := &oauth2.Config{
		ClientID:     os.Getenv("CLIENT_ID"),
		ClientSecret: os.Getenv("CLIENT_SECRET"),
		Endpoint:     oauth2.Endpoint{TokenURL: "https://auth.example.com/oauth2/token"},
		Scopes:       []string{"reports:read"},
	}
	session := cfg.NewSession(nil)
	if _, err := session.ClientCredentials(ctx); err != nil {
		log.Fatal(err)
	}
	// When the token expires, the session runs the grant again, once.
	resp, err := session.Client().Get("https://api.example.com/reports")
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
}

// TestREADMESnippets checks that every Go block of README.md appears, line
// for line (indentation aside), in this file, where the compiler checks it.
func TestREADMESnippets(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	self, err := os.ReadFile("readme_test.go")
	if err != nil {
		t.Fatal(err)
	}
	trimLines := func(s string) []string {
		var out []string
		for _, l := range strings.Split(s, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, l)
			}
		}
		return out
	}
	code := "\n" + strings.Join(trimLines(string(self)), "\n") + "\n"
	blocks := strings.Split(string(readme), "```go\n")[1:]
	if len(blocks) < 3 {
		t.Fatalf("README has %d Go blocks, want the 3 quick starts", len(blocks))
	}
	for i, b := range blocks {
		body, _, ok := strings.Cut(b, "```")
		if !ok {
			t.Fatalf("README Go block %d is not closed", i+1)
		}
		snippet := "\n" + strings.Join(trimLines(body), "\n") + "\n"
		if !strings.Contains(code, snippet) {
			t.Errorf("README Go block %d is not mirrored in readme_test.go:\n%s", i+1, body)
		}
	}
}
