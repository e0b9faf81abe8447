package urlenc

import (
	"net/url"
	"strings"
	"testing"
)

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "abc", "a b", "%", "+", "&=*", "\n", "\x7f", "\u0080", "、", "\xff\xfe", "=%3D"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := escape(s)
		if a := string(AppendEscape([]byte("pre"), s)); a != "pre"+e {
			t.Fatalf("AppendEscape(pre, %q) = %q, want %q", s, a, "pre"+e)
		}
		if a := string(AppendEscapeBytes([]byte("pre"), []byte(s))); a != "pre"+e {
			t.Fatalf("AppendEscapeBytes(pre, %q) = %q, want %q", s, a, "pre"+e)
		}
		// Independent decoder: net/url.
		back, err := url.PathUnescape(e)
		if err != nil || back != s {
			t.Fatalf("url.PathUnescape(escape(%q)) = %q, %v", s, back, err)
		}
		if back, err := Unescape(e); err != nil || back != s {
			t.Fatalf("Unescape(escape(%q)) = %q, %v", s, back, err)
		}
		for i := 0; i < len(e); i++ {
			c := e[i]
			if c != '%' && !Unreserved(c) {
				t.Fatalf("escape(%q) = %q contains %q", s, e, c)
			}
			if c == '%' && strings.ToUpper(e[i:i+3]) != e[i:i+3] {
				t.Fatalf("escape(%q) = %q has lower-case hex", s, e)
			}
		}
		if f := FormEscape(s); f != url.QueryEscape(s) {
			t.Fatalf("FormEscape(%q) = %q, url.QueryEscape = %q", s, f, url.QueryEscape(s))
		}
		if back, err := FormUnescape(FormEscape(s)); err != nil || back != s {
			t.Fatalf("FormUnescape(FormEscape(%q)) = %q, %v", s, back, err)
		}
	})
}

func FuzzUnescape(f *testing.F) {
	for _, s := range []string{"", "%", "%2", "%zz", "%41", "a+b", "%E3%80%81", "%e3%80%81"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Unescape(s)
		want, werr := url.PathUnescape(s)
		if (err == nil) != (werr == nil) {
			t.Fatalf("Unescape(%q) error = %v, url.PathUnescape error = %v", s, err, werr)
		}
		if err == nil && got != want {
			t.Fatalf("Unescape(%q) = %q, url.PathUnescape = %q", s, got, want)
		}
	})
}

func FuzzParseForm(f *testing.F) {
	for _, s := range []string{"", "a=b", "name", "a=x!y&a=x+y", "x!y=a&x=a", "b5=%3D%253D&a3=a&c%40=&a2=r%20b", "&&=&", "a=%", "c2&a3=2+q"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseForm(s)
		if err != nil {
			return
		}
		// Round trip: encoding and parsing again gives the same list.
		q, err := ParseForm(p.Encode())
		if err != nil {
			t.Fatalf("ParseForm(Encode(%v)): %v", p, err)
		}
		if len(p) != len(q) {
			// Encode writes "=" for an empty key, which ParseForm keeps;
			// lengths must still agree.
			t.Fatalf("round trip of %q: %d params, then %d", s, len(p), len(q))
		}
		for i := range p {
			if p[i] != q[i] {
				t.Fatalf("round trip of %q: %v, then %v", s, p[i], q[i])
			}
		}
	})
}

// escape is AppendEscape as a string.
func escape(s string) string { return string(AppendEscape(nil, s)) }
