package urlenc

import (
	"slices"
	"testing"
)

func TestAppendEscapeTwice(t *testing.T) {
	for _, s := range []string{"", "abc", "a b", "=%3D", "r b", "æ", "a+b&c"} {
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
