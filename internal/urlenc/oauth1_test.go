package urlenc

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

// rfc3986 percent-encodes s with net/url: everything but the unreserved
// characters, a space as %20.
func rfc3986(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }

// TestCompareParams sorts with CompareParams and checks the order against
// sorting the encoded names, then the encoded values, with strings.Compare.
func TestCompareParams(t *testing.T) {
	p := Params{{"b", "1"}, {"a", "2"}, {"a", "1"}, {"a ", ""}, {"a", ""}, {"c@", ""}, {"c2", ""}, {"a-", "x"}, {"a", "~"}, {"a", "%"}}
	want := p.Clone()
	slices.SortFunc(want, func(x, y Param) int {
		if c := strings.Compare(escape(x.Key), escape(y.Key)); c != 0 {
			return c
		}
		return strings.Compare(escape(x.Value), escape(y.Value))
	})
	got := p.Clone()
	slices.SortFunc(got, CompareParams)
	if !slices.Equal(got, want) {
		t.Errorf("sorted with CompareParams = %v, want %v", got, want)
	}
}

func TestAppendEscapeTwice(t *testing.T) {
	for _, s := range []string{"", "abc", "a b", "=%3D", "r b", "æ", "a+b&c", "%", "abc%", "%%x", "Hello Ladies + Gentlemen, a signed OAuth request!"} {
		if got, want := string(AppendEscapeTwice([]byte("x"), s)), "x"+rfc3986(rfc3986(s)); got != want {
			t.Errorf("AppendEscapeTwice(x, %q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzAppendEscapeTwice(f *testing.F) {
	f.Add("Hello Ladies + Gentlemen")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(AppendEscapeTwice(nil, s)), rfc3986(rfc3986(s)); got != want {
			t.Fatalf("AppendEscapeTwice(%q) = %q, want %q", s, got, want)
		}
	})
}
