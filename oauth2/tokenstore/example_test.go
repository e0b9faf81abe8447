package tokenstore_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oauth2test"
	"github.com/oauthkit/oauth/oauth2/tokenstore"
)

// Two processes share one grant through a token file: what one refreshes,
// the other uses, with no refresh of its own.
func ExampleFile() {
	srv := oauth2test.NewServer(nil) // setup: a provider that rotates refresh tokens (in a test: NewServer(t))
	defer srv.Close()
	dir, err := os.MkdirTemp("", "tokenstore")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	cfg := &oauth2.Config{
		ClientID:     oauth2test.ClientID,
		ClientSecret: oauth2test.ClientSecret,
		Endpoint:     srv.Endpoint(),
	}
	path := filepath.Join(dir, "token.json")

	// After each login: the new grant's token replaces whatever the file
	// holds, an earlier login's token included, under the file's lock.
	// (Save(ctx, tok, "") would fail with oauth2.ErrStoreConflict once a
	// token is stored.)
	tok, err := cfg.PasswordCredentialsToken(ctx, oauth2test.Username, oauth2test.Password)
	if err != nil {
		log.Fatal(err)
	}
	if err := oauth2.ReplaceStoredToken(ctx, &tokenstore.File{Path: path}, tok); err != nil {
		log.Fatal(err)
	}

	// In each process: a session on the file.
	first := cfg.NewSession(nil)
	first.Store = &tokenstore.File{Path: path}
	second := cfg.NewSession(nil)
	second.Store = &tokenstore.File{Path: path}

	refreshed, err := first.Refresh(ctx) // under the lock, saved before it returns
	if err != nil {
		log.Fatal(err)
	}
	got, err := second.Token(ctx) // the stored token, at its first use
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("same token:", got.AccessToken == refreshed.AccessToken)
	fmt.Println("refreshes:", srv.Refreshes())
	// Output:
	// same token: true
	// refreshes: 1
}
