package tokenstore_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/tokenstore"
)

// FuzzFileLoad loads whatever a token file may hold: Load never panics and
// never fails; a non-empty file has a non-empty version, in place of
// which a Save succeeds (a version that is not the file's is refused); a
// token it reads has an access token or a refresh token, and saved in
// place of the file loads back with the same JSON form.
func FuzzFileLoad(f *testing.F) {
	f.Add([]byte(`{"access_token":"x-at","token_type":"Bearer","refresh_token":"x-rt","expiry":"2026-01-01T00:00:00Z"}`))
	f.Add([]byte(`{"access_token":"a","extra":{"n":1,"s":"t","l":[1,2]},"expires_in":3600}`))
	f.Add([]byte(`{"access_token":"a","expiry":"not a time"}`))
	f.Add([]byte(`{"access_token":"a","refresh_token":"r","expires_in":3599.5,"expires_at":1767229200.5}`))
	f.Add([]byte(`{"refresh_token":"r","expires_in":"soon","extra":[1],"expiry":1767229200}`))
	f.Add([]byte(""))
	f.Add([]byte("null"))
	f.Add([]byte("\xff\xfe"))
	f.Add([]byte("\ufeff{\"refresh_token\":\"r\"}"))
	f.Add([]byte(`{"access_token":"x`))
	f.Add([]byte(`{}`))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, content []byte) {
		ctx := context.Background()
		path := filepath.Join(dir, "token.json")
		if err := os.WriteFile(path, content, 0o600); err != nil {
			t.Fatal(err)
		}
		file := &tokenstore.File{Path: path, MaxBytes: 1 << 16}
		tok, ver, err := file.Load(ctx)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if (ver == "") != (len(content) == 0) {
			t.Fatalf("Load of %d bytes: version %q", len(content), ver)
		}
		if tok == nil {
			if ver == "" {
				return
			}
			tok = &oauth2.Token{AccessToken: "at"}
		}
		if tok.AccessToken == "" && tok.RefreshToken == "" {
			t.Fatalf("Load = %v: a token with neither access token nor refresh token", tok)
		}
		if _, err := file.Save(ctx, tok, ver+"x"); !errors.Is(err, oauth2.ErrStoreConflict) {
			t.Fatalf("Save in place of another version: %v, want ErrStoreConflict", err)
		}
		v2, err := file.Save(ctx, tok, ver)
		if err != nil {
			t.Fatalf("Save of the loaded token: %v", err)
		}
		again, v3, err := file.Load(ctx)
		if err != nil || v3 != v2 {
			t.Fatalf("Load after Save = %q, %v; want version %q", v3, err, v2)
		}
		if a, b := tokenJSON(t, tok), tokenJSON(t, again); a != b {
			t.Fatalf("token changed through the file:\n%s\n%s", a, b)
		}
	})
}
