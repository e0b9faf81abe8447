package fakeprovider

import (
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzOAuth1ParseAuthorization checks that a header parses as OAuth only
// when it says so, and that what parses writes back out as a header that
// parses to the same pairs.
func FuzzOAuth1ParseAuthorization(f *testing.F) {
	for _, v := range o1Vectors(f, "signature") {
		if h := v.Headers["Authorization"]; h != "" {
			f.Add(h)
		}
		if h := v.Expected.AuthorizationHeader; h != "" {
			f.Add(h)
		}
	}
	f.Add(`OAuth realm="Photos \"R\" Us", x="a\\b"`)
	f.Add("oauth a=\"1\",b=\"2\"\t,\tc = \"3\"")
	f.Add(`OAuth a="b\`)
	f.Fuzz(func(t *testing.T, h string) {
		pairs, ok, err := o1ParseAuthorization(h)
		scheme, _, _ := strings.Cut(h, " ")
		if ok != strings.EqualFold(scheme, "OAuth") {
			t.Fatalf("o1ParseAuthorization(%q) ok = %v for scheme %q", h, ok, scheme)
		}
		if !ok || err != nil {
			if pairs != nil {
				t.Fatalf("o1ParseAuthorization(%q) = %q with ok %v, error %v", h, pairs, ok, err)
			}
			return
		}
		quote := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
		var parts []string
		for _, p := range pairs {
			parts = append(parts, p.name+`="`+quote.Replace(p.value)+`"`)
		}
		again := "OAuth " + strings.Join(parts, ", ")
		got, ok, err := o1ParseAuthorization(again)
		if !ok || err != nil {
			t.Fatalf("o1ParseAuthorization(%q) = ok %v, error %v, written back from %q", again, ok, err, h)
		}
		if diff := cmp.Diff(pairs, got, cmp.AllowUnexported(o1Param{})); diff != "" {
			t.Fatalf("pairs of %q written back as %q differ (-first +again):\n%s", h, again, diff)
		}
	})
}

// FuzzOAuth1ParseForm checks that what parses, encoded again with
// o1Encode, parses to the same pairs.
func FuzzOAuth1ParseForm(f *testing.F) {
	for _, v := range o1Vectors(f, "signature", "signature_base_string", "parameter_normalization") {
		if u, err := url.Parse(v.URL); err == nil {
			f.Add(u.RawQuery)
		}
		if v.Body != nil {
			f.Add(*v.Body)
		}
		if v.Input != "" {
			f.Add(v.Input)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		params, err := o1ParseForm(s)
		if err != nil {
			return
		}
		var pairs []string
		for _, p := range params {
			pairs = append(pairs, o1Encode(p.name)+"="+o1Encode(p.value))
		}
		again := strings.Join(pairs, "&")
		got, err := o1ParseForm(again)
		if err != nil {
			t.Fatalf("o1ParseForm(%q) error = %v, encoded back from %q", again, err, s)
		}
		if diff := cmp.Diff(params, got, cmp.AllowUnexported(o1Param{})); diff != "" {
			t.Fatalf("pairs of %q encoded back as %q differ (-first +again):\n%s", s, again, diff)
		}
	})
}
