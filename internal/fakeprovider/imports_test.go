package fakeprovider

import (
	"go/build"
	"strings"
	"testing"
)

// The provider checks what clients send with its own code: it imports no
// package of the library but internal/urlenc (DESIGN.md), so that a
// mistake in the library's signer or JOSE cannot hide on both sides.
func TestImportsNoLibraryPackage(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		if strings.HasPrefix(imp, "github.com/oauthkit/oauth/") && imp != "github.com/oauthkit/oauth/internal/urlenc" {
			t.Errorf("fakeprovider imports %s", imp)
		}
	}
}
