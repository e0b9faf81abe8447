package tokenstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/tokenstore"
)

func testToken(n int) *oauth2.Token {
	return &oauth2.Token{
		AccessToken:  "at-" + string(rune('a'+n)),
		TokenType:    "Bearer",
		RefreshToken: "rt-" + string(rune('a'+n)),
		Expiry:       time.Date(2026, 1, 1, 0, 0, n, 0, time.UTC),
		Scope:        "read",
	}
}

// tokenJSON is a token's stored form, to compare tokens with.
func tokenJSON(t testing.TB, tok *oauth2.Token) string {
	t.Helper()
	b, err := json.Marshal(tok)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func newFile(t testing.TB) *tokenstore.File {
	t.Helper()
	return &tokenstore.File{Path: filepath.Join(t.TempDir(), "token.json")}
}

// A store's life: nothing stored, a first save, a save in place of the
// version read, and saves in place of a stale version refused.
func TestFileSaveLoad(t *testing.T) {
	ctx := context.Background()
	f := newFile(t)
	tok, ver, err := f.Load(ctx)
	if tok != nil || ver != "" || err != nil {
		t.Fatalf("Load of a missing file = %v, %q, %v; want nil, \"\", nil", tok, ver, err)
	}
	v1, err := f.Save(ctx, testToken(1), "")
	if err != nil || v1 == "" {
		t.Fatalf("first Save = %q, %v", v1, err)
	}
	got, ver, err := f.Load(ctx)
	if err != nil || ver != v1 {
		t.Fatalf("Load = %v, %q, %v; want the version Save returned, %q", got, ver, err, v1)
	}
	if diff := cmp.Diff(tokenJSON(t, testToken(1)), tokenJSON(t, got)); diff != "" {
		t.Errorf("loaded token (-want +got):\n%s", diff)
	}
	if _, err := f.Save(ctx, testToken(2), ""); !errors.Is(err, oauth2.ErrStoreConflict) {
		t.Errorf("Save in place of nothing over a stored token: %v, want ErrStoreConflict", err)
	}
	v2, err := f.Save(ctx, testToken(2), v1)
	if err != nil || v2 == v1 {
		t.Fatalf("Save in place of v1 = %q, %v", v2, err)
	}
	if _, err := f.Save(ctx, testToken(3), v1); !errors.Is(err, oauth2.ErrStoreConflict) {
		t.Errorf("Save in place of a stale version: %v, want ErrStoreConflict", err)
	}
	got, ver, _ = f.Load(ctx)
	if ver != v2 || got.AccessToken != testToken(2).AccessToken {
		t.Errorf("after a refused Save: %v, %q; want token 2, %q", got, ver, v2)
	}
	// Another File on the same path sees the same token and version.
	g := &tokenstore.File{Path: f.Path}
	if _, ver, _ := g.Load(ctx); ver != v2 {
		t.Errorf("another File: version %q, want %q", ver, v2)
	}
	// Only the token file and the lock file remain: no temporary file.
	ents, err := os.ReadDir(filepath.Dir(f.Path))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	if diff := cmp.Diff([]string{"token.json", "token.json.lock"}, names); diff != "" {
		t.Errorf("directory (-want +got):\n%s", diff)
	}
	if runtime.GOOS != "windows" {
		for _, n := range names {
			fi, err := os.Stat(filepath.Join(filepath.Dir(f.Path), n))
			if err != nil {
				t.Fatal(err)
			}
			if m := fi.Mode().Perm(); m&0o077 != 0 {
				t.Errorf("%s has mode %v, want no access for group or others", n, m)
			}
		}
	}
}

// The file holds a token's JSON, as a token saved by hand would: a file
// written by anyone loads, an edited one is a new version, and an empty
// one holds nothing.
func TestFileForeign(t *testing.T) {
	ctx := context.Background()
	f := newFile(t)
	// golang.org/x/oauth2's JSON form of a token.
	x := `{"access_token":"x-at","token_type":"Bearer","refresh_token":"x-rt","expiry":"2026-01-01T00:00:00Z"}`
	if err := os.WriteFile(f.Path, []byte(x), 0o600); err != nil {
		t.Fatal(err)
	}
	tok, v1, err := f.Load(ctx)
	if err != nil || tok.AccessToken != "x-at" || tok.RefreshToken != "x-rt" || v1 == "" {
		t.Fatalf("Load = %v, %q, %v", tok, v1, err)
	}
	if err := os.WriteFile(f.Path, []byte(x+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, v2, _ := f.Load(ctx); v2 == v1 {
		t.Errorf("an edited file kept its version")
	}
	if _, err := f.Save(ctx, testToken(1), v1); !errors.Is(err, oauth2.ErrStoreConflict) {
		t.Errorf("Save in place of the version before the edit: %v, want ErrStoreConflict", err)
	}
	if err := os.WriteFile(f.Path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if tok, ver, err := f.Load(ctx); tok != nil || ver != "" || err != nil {
		t.Errorf("Load of an empty file = %v, %q, %v; want nothing", tok, ver, err)
	}
	if _, err := f.Save(ctx, testToken(1), ""); err != nil {
		t.Errorf("Save over an empty file: %v", err)
	}
}

// A file that does not hold a token (not a token's JSON, or a token with
// neither access token nor refresh token) holds none: Load returns a nil
// token and the file's version, and a Save in place of that version
// replaces it. A token's JSON after a UTF-8 byte order mark loads. A file
// larger than MaxBytes fails to load, and a token too large to read back
// fails to save.
func TestFileBadContent(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		content string
		max     int64
		wantMax bool
		wantTok bool   // Load returns a token
		wantAT  string // its access token
	}{
		{name: "not JSON", content: "access_token=x"},
		{name: "JSON array", content: "[1,2]"},
		{name: "truncated", content: `{"access_token":"x`},
		{name: "null", content: "null"},
		{name: "empty object", content: "{}"},
		{name: "no credential", content: `{"token_type":"Bearer"}`},
		{name: "invalid UTF-8", content: "\xff\xfe"},
		{name: "BOM", content: "\ufeff" + `{"access_token":"x-at","refresh_token":"x-rt"}`, wantTok: true, wantAT: "x-at"},
		{name: "refresh token only", content: `{"refresh_token":"x-rt"}`, wantTok: true},
		{name: "too large", content: `{"access_token":"` + string(make([]byte, 100)) + `"}`, max: 64, wantMax: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFile(t)
			f.MaxBytes = tt.max
			if err := os.WriteFile(f.Path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			tok, ver, err := f.Load(ctx)
			if tt.wantMax {
				var mbe *http.MaxBytesError
				if !errors.As(err, &mbe) || tok != nil {
					t.Fatalf("Load = %v, %v; want a *http.MaxBytesError", tok, err)
				}
				return
			}
			if err != nil || ver == "" {
				t.Fatalf("Load = %v, %q, %v; want the file's version and no error", tok, ver, err)
			}
			if (tok != nil) != tt.wantTok || tok != nil && tok.AccessToken != tt.wantAT {
				t.Errorf("Load = %v; want a token %v, with access token %q", tok, tt.wantTok, tt.wantAT)
			}
			if _, err := f.Save(ctx, testToken(1), ""); !errors.Is(err, oauth2.ErrStoreConflict) {
				t.Errorf("Save in place of nothing: %v, want ErrStoreConflict", err)
			}
			if _, err := f.Save(ctx, testToken(1), ver); err != nil {
				t.Fatalf("Save in place of the loaded version: %v", err)
			}
			if got, _, err := f.Load(ctx); err != nil || got == nil || got.AccessToken != testToken(1).AccessToken {
				t.Errorf("Load after the Save = %v, %v; want token 1", got, err)
			}
		})
	}
	f := newFile(t)
	f.MaxBytes = 32
	var mbe *http.MaxBytesError
	if _, err := f.Save(ctx, testToken(1), ""); !errors.As(err, &mbe) || mbe.Limit != 32 {
		t.Errorf("Save of a token over MaxBytes: %v, want *http.MaxBytesError", err)
	}
}

// Of many Saves in place of one version, from as many Files on one path,
// exactly one succeeds.
func TestFileCompareAndSwap(t *testing.T) {
	const n = 16
	ctx := context.Background()
	path := newFile(t).Path
	v0, err := (&tokenstore.File{Path: path}).Save(ctx, testToken(0), "")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = (&tokenstore.File{Path: path}).Save(ctx, testToken(i+1), v0)
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, oauth2.ErrStoreConflict):
			t.Errorf("Save: %v, want nil or ErrStoreConflict", err)
		}
	}
	if won != 1 {
		t.Errorf("%d Saves won, want 1", won)
	}
}

// The lock is exclusive between Files on one path; a waiter gives up when
// its context ends and gets the lock once it is released; a Save of the
// File that holds the lock writes under it, while another File's Save
// waits for it.
func TestFileLock(t *testing.T) {
	ctx := context.Background()
	a := newFile(t)
	b := &tokenstore.File{Path: a.Path}
	unlockA, err := a.Lock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	done, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := b.Lock(done); !errors.Is(err, context.Canceled) {
		t.Fatalf("Lock while another File holds it: %v, want context.Canceled", err)
	}
	if _, err := b.Save(done, testToken(1), ""); !errors.Is(err, context.Canceled) {
		t.Fatalf("another File's Save while the lock is held: %v, want context.Canceled", err)
	}
	v1, err := a.Save(ctx, testToken(1), "") // the holder's Save
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan error)
	go func() {
		unlockB, err := b.Lock(ctx)
		if err == nil {
			_, err = b.Save(ctx, testToken(2), v1)
			unlockB()
		}
		got <- err
	}()
	unlockA()
	unlockA() // a second call does nothing
	if err := <-got; err != nil {
		t.Fatalf("Lock and Save after the release: %v", err)
	}
	if tok, _, _ := a.Load(ctx); tok.AccessToken != testToken(2).AccessToken {
		t.Errorf("stored %v, want token 2", tok)
	}
}
