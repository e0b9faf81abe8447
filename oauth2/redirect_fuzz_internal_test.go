package oauth2

import (
	"strings"
	"testing"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// FuzzWithoutLocationParam checks the cleaning of a redirect's Location
// (a URL reference a server wrote) against what the Transport relies on:
// no parameter named access_token is left in its query, in any spelling
// whose form-decoding is that name; the other parameters, the part before
// the query and the fragment are kept byte for byte; a reference of a
// query alone stays one; and a Location without access_token comes back
// as it was.
func FuzzWithoutLocationParam(f *testing.F) {
	for _, s := range []string{
		"https://api.example.com/things/?page=2&access_token=AT",
		"/things/?access_token=AT&page=2#top",
		"?access_token=AT",
		"?access_token=AT#frag",
		"//evil.example/x?access%5Ftoken=AT&access_token=AT2&a=b",
		"https://a b/?access_token=AT",
		"/x?a=1&&access_token&b=%zz",
		"/x#?access_token=AT",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, loc string) {
		got, ok := withoutLocationParam(loc, "access_token")
		if !ok {
			if got != loc {
				t.Fatalf("withoutLocationParam(%q) = %q, false; want it unchanged", loc, got)
			}
			return
		}
		rest, frag, hasFrag := strings.Cut(loc, "#")
		before, query, _ := strings.Cut(rest, "?")
		gotRest, gotFrag, gotHasFrag := strings.Cut(got, "#")
		if gotHasFrag != hasFrag || gotFrag != frag {
			t.Fatalf("withoutLocationParam(%q) = %q: fragment changed", loc, got)
		}
		gotBefore, gotQuery, gotHasQuery := strings.Cut(gotRest, "?")
		if gotBefore != before {
			t.Fatalf("withoutLocationParam(%q) = %q: the part before the query changed", loc, got)
		}
		if before == "" && !gotHasQuery {
			t.Fatalf("withoutLocationParam(%q) = %q: a reference of a query alone lost its '?'", loc, got)
		}
		var kept []string
		for _, pair := range strings.Split(query, "&") {
			k, _, _ := strings.Cut(pair, "=")
			if dk, err := urlenc.FormUnescape(k); k != "access_token" && (err != nil || dk != "access_token") {
				kept = append(kept, pair)
			}
		}
		if want := strings.Join(kept, "&"); gotQuery != want {
			t.Fatalf("withoutLocationParam(%q) = %q: query %q, want %q", loc, got, gotQuery, want)
		}
	})
}
