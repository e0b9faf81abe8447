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

// FuzzFileLoad loads whatever a token file may hold: Load never panics; a
// file it reads a token from has a non-empty version, and that token
// saved in place of it loads back with the same JSON form; a version
// that is not the file's is refused.
func FuzzFileLoad(f *testing.F) {
	f.Add([]byte(`{"access_token":"x-at","token_type":"Bearer","refresh_token":"x-rt","expiry":"2026-01-01T00:00:00Z"}`))
	f.Add([]byte(`{"access_token":"a","extra":{"n":1,"s":"t","l":[1,2]},"expires_in":3600}`))
	f.Add([]byte(`{"access_token":"a","expiry":"not a time"}`))
	f.Add([]byte(""))
	f.Add([]byte("null"))
	f.Add([]byte("\xff\xfe"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, content []byte) {
		ctx := context.Background()
		path := filepath.Join(dir, "token.json")
		if err := os.WriteFile(path, content, 0o600); err != nil {
			t.Fatal(err)
		}
		file := &tokenstore.File{Path: path, MaxBytes: 1 << 16}
		tok, ver, err := file.Load(ctx)
		if err != nil || tok == nil {
			if ver != "" {
				t.Fatalf("Load = %v, %q, %v: a version without a token", tok, ver, err)
			}
			return
		}
		if ver == "" {
			t.Fatal("a token without a version")
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
