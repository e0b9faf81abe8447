package tokenstore_test

// Adversarial tests of session 20 (break2).

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/oauthkit/oauth/oauth2"
)

// MaxBytes of math.MaxInt64, the natural "no limit", reads the file
// whole: Load returns the saved token, and the compare-and-swap holds (a
// Save in place of "" after the first is refused).
func TestFileMaxBytesMaxInt64(t *testing.T) {
	ctx := context.Background()
	f := newFile(t)
	f.MaxBytes = math.MaxInt64
	v1, err := f.Save(ctx, testToken(1), "")
	if err != nil {
		t.Fatal(err)
	}
	tok, v, err := f.Load(ctx)
	if err != nil || tok == nil || v != v1 {
		t.Fatalf("Load() = %v, %q, %v; want the saved token at version %q", tok, v, err, v1)
	}
	if got, want := tokenJSON(t, tok), tokenJSON(t, testToken(1)); got != want {
		t.Errorf("Load() token = %s, want %s", got, want)
	}
	if _, err := f.Save(ctx, testToken(2), ""); !errors.Is(err, oauth2.ErrStoreConflict) {
		t.Errorf("second Save in place of \"\" = %v, want ErrStoreConflict", err)
	}
}
