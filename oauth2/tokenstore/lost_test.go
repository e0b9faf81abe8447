package tokenstore_test

// "Nothing is lost": a token file that holds a usable grant loads, even
// when a tool other than this package wrote it; one that cannot be read
// fails loudly, never as "no token", which a new login would overwrite.

import (
	"context"
	"os"
	"runtime"
	"testing"
)

// Token files that other tools write hold a grant in fields whose types
// differ from this package's: Load returns the grant, not "no token".
func TestLostForeignTokenFile(t *testing.T) {
	for _, tc := range []struct{ name, body string }{
		// requests-oauthlib and Authlib save expires_in as the float the
		// server sent, or as the seconds left.
		{"float expires_in", `{"access_token":"at","refresh_token":"rt","token_type":"Bearer","expires_in":3599.5,"expires_at":1767229200.5}`},
		{"string expires_in", `{"access_token":"at","refresh_token":"rt","expires_in":"3600"}`},
		{"bad expires_in", `{"access_token":"at","refresh_token":"rt","expires_in":"soon"}`},
		{"extra not an object", `{"access_token":"at","refresh_token":"rt","extra":[1]}`},
		{"expiry not a time", `{"access_token":"at","refresh_token":"rt","expiry":"tomorrow"}`},
		{"expiry a number", `{"access_token":"at","refresh_token":"rt","expiry":1767229200}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFile(t)
			if err := os.WriteFile(f.Path, []byte(tc.body), 0o600); err != nil {
				t.Fatal(err)
			}
			tok, ver, err := f.Load(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if tok == nil || tok.AccessToken != "at" || tok.RefreshToken != "rt" {
				t.Fatalf("Load() = %v, %q; want the file's grant", tok, ver)
			}
		})
	}
}

// A token file that cannot be read fails Load with an error.
func TestLostUnreadableTokenFile(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("permissions do not deny reading here")
	}
	f := newFile(t)
	if _, err := f.Save(context.Background(), testToken(1), ""); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(f.Path, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(f.Path, 0o600) })
	if tok, _, err := f.Load(context.Background()); err == nil {
		t.Fatalf("Load of an unreadable file = %v, nil; want an error", tok)
	}
}
