package urlenc

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

// rfc3986 percent-encodes s with net/url: everything but the unreserved
// characters, a space as %20.
func rfc3986(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }

// normalized is what AppendNormalized must append, from net/url alone: the
// form-decoded s (url.QueryUnescape), encoded as RFC 5849 §3.6 says.
func normalized(s string) (string, error) {
	d, err := url.QueryUnescape(s)
	if err != nil {
		return "", err
	}
	return rfc3986(d), nil
}

func TestAppendNormalized(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  error
	}{
		{"", "", nil},
		{"abc-._~", "abc-._~", nil},
		{"a+b", "a%20b", nil},
		{"a%20b", "a%20b", nil},
		{"%41%7e%2d", "A~-", nil},
		{"%2b%2B+", "%2B%2B%20", nil},
		{"%e3%80%81", "%E3%80%81", nil},
		{"Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21", "Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21", nil},
		{"r b!*'()", "r%20b%21%2A%27%28%29", nil},
		{"\xff=&", "%FF%3D%26", nil},
		{"a%", "a", ErrInvalidEscape},
		{"a%2", "a", ErrInvalidEscape},
		{"ab%zz", "ab", ErrInvalidEscape},
		{"%4", "", ErrInvalidEscape},
	}
	for _, tt := range tests {
		got, err := AppendNormalized([]byte("x"), tt.in)
		if string(got) != "x"+tt.want || !errors.Is(err, tt.wantErr) {
			t.Errorf("AppendNormalized(x, %q) = %q, %v; want %q, %v", tt.in, got, err, "x"+tt.want, tt.wantErr)
		}
	}
}

// FuzzAppendNormalized: AppendNormalized appends what url.QueryUnescape
// then RFC 3986 encoding give, and fails where url.QueryUnescape does.
func FuzzAppendNormalized(f *testing.F) {
	for _, s := range []string{"", "a+b", "%41%7e", "%zz", "a%", "Hello%20Ladies%20%2B%20Gentlemen", "é=%E2%82%AC", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := AppendNormalized([]byte("pre"), s)
		want, werr := normalized(s)
		if (err == nil) != (werr == nil) {
			t.Fatalf("AppendNormalized(%q) error = %v, url.QueryUnescape error = %v", s, err, werr)
		}
		if err != nil {
			if !errors.Is(err, ErrInvalidEscape) {
				t.Fatalf("AppendNormalized(%q) error = %v, want ErrInvalidEscape", s, err)
			}
			return
		}
		if string(got) != "pre"+want {
			t.Fatalf("AppendNormalized(pre, %q) = %q, want %q", s, got, "pre"+want)
		}
	})
}
