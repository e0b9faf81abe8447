package oauth1

import (
	"bytes"
	"encoding/base64"
	"net/url"
	"testing"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// pathEscapedSlow is what appendPathEscaped must equal: AppendEscape of
// the path as net/url escapes it, "/" when empty.
func pathEscapedSlow(u *url.URL) string {
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	return urlenc.Escape(p)
}

func TestAppendPathEscapedEveryByte(t *testing.T) {
	for c := 0; c < 256; c++ {
		for _, path := range []string{string([]byte{byte(c)}), "/a" + string([]byte{byte(c)}) + "b/"} {
			u := &url.URL{Path: path}
			if got, want := string(appendPathEscaped(nil, u)), pathEscapedSlow(u); got != want {
				t.Errorf("byte %#x: path %q: got %q, want %q", c, path, got, want)
			}
		}
	}
}

func TestAppendPathEscaped(t *testing.T) {
	for _, raw := range []string{
		"http://h", "http://h/", "http://h/*", "http://h/a%2Fb/c", "http://h/a b",
		"http://h/%7Euser/x!y'(z)*", "http://h/a;b,c=d@e:f$g&h+i", "http://h/caf%C3%A9",
		"http://h/a%20b", "http://h/%41", "http://h/a?q=1",
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := string(appendPathEscaped([]byte("x"), u)), "x"+pathEscapedSlow(u); got != want {
			t.Errorf("%s: got %q, want %q", raw, got, want)
		}
	}
}

func FuzzAppendPathEscaped(f *testing.F) {
	for _, s := range []string{"", "/", "*", "/a b/%2F", "/é/!*"} {
		f.Add(s, "")
	}
	f.Add("/a/b", "/a%2Fb")
	f.Fuzz(func(t *testing.T, path, rawPath string) {
		u := &url.URL{Path: path}
		if rawPath != "" {
			u.RawPath = rawPath
		}
		if got, want := string(appendPathEscaped(nil, u)), pathEscapedSlow(u); got != want {
			t.Fatalf("path %q raw %q: got %q, want %q", path, rawPath, got, want)
		}
	})
}

// base64EscapedSlow is what appendBase64Escaped must equal.
func base64EscapedSlow(b []byte) string {
	return urlenc.Escape(base64.StdEncoding.EncodeToString(b))
}

func TestAppendBase64Escaped(t *testing.T) {
	// Every length up to three SHA-512 blocks, and bytes that encode to
	// '+' (62) and '/' (63) in every position of a group.
	for n := 0; n <= 70; n++ {
		for _, fill := range []byte{0x00, 0xfb, 0xff, 0xbe, 0xef} {
			b := bytes.Repeat([]byte{fill}, n)
			for i := range b {
				b[i] ^= byte(i * 37)
			}
			if got, want := string(appendBase64Escaped([]byte("x"), b)), "x"+base64EscapedSlow(b); got != want {
				t.Fatalf("% x: got %s, want %s", b, got, want)
			}
		}
	}
}

func FuzzAppendBase64Escaped(f *testing.F) {
	f.Add([]byte{0xfb, 0xff, 0xbf})
	f.Add([]byte("hCtSmYh+iHYCEqBWrE7C7hYmtUk="))
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := string(appendBase64Escaped(nil, b)), base64EscapedSlow(b); got != want {
			t.Fatalf("% x: got %s, want %s", b, got, want)
		}
	})
}
