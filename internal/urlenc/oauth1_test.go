package urlenc

import (
	"slices"
	"testing"
)

func TestAppendEscapeTwice(t *testing.T) {
	for _, s := range []string{"", "abc", "a b", "=%3D", "r b", "æ", "a+b&c", "%", "abc%", "%%x", "Hello Ladies + Gentlemen, a signed OAuth request!"} {
		if got, want := string(AppendEscapeTwice(nil, s)), Escape(Escape(s)); got != want {
			t.Errorf("AppendEscapeTwice(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestCompareParams(t *testing.T) {
	p := Params{{"b", "1"}, {"a", "2"}, {"a", "1"}, {"a ", ""}, {"a", ""}, {"c@", ""}, {"c2", ""}}
	want := p.Clone()
	SortOAuth(want)
	got := p.Clone()
	slices.SortFunc(got, CompareParams)
	if !slices.Equal(got, want) {
		t.Errorf("sorted with CompareParams = %v, want %v", got, want)
	}
}

func FuzzAppendEscapeTwice(f *testing.F) {
	f.Add("Hello Ladies + Gentlemen")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(AppendEscapeTwice(nil, s)), Escape(Escape(s)); got != want {
			t.Fatalf("AppendEscapeTwice(%q) = %q, want %q", s, got, want)
		}
	})
}
