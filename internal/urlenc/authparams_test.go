package urlenc

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseAuthParams(t *testing.T) {
	tests := []struct {
		name, header, scheme string
		want                 Params
		wantOK               bool
		wantErr              error
	}{
		{"oauth", `OAuth realm="Example", oauth_nonce="7d8f3e4a"`, "OAuth", Params{{"realm", "Example"}, {"oauth_nonce", "7d8f3e4a"}}, true, nil},
		{"case and spaces", "bearer  realm = \"a\\\"b\" ,error=invalid_token", "Bearer", Params{{"realm", `a"b`}, {"error", "invalid_token"}}, true, nil},
		{"scheme only", "Bearer", "Bearer", nil, true, nil},
		{"other scheme", `Basic realm="x"`, "Bearer", nil, false, nil},
		{"scheme prefix of a word", `Bearerx realm="x"`, "Bearer", nil, false, nil},
		{"empty", "", "Bearer", nil, false, nil},
		{"no value", `Bearer realm`, "Bearer", nil, true, ErrMalformedAuthParams},
		{"unterminated", `Bearer realm="x`, "Bearer", nil, true, ErrMalformedAuthParams},
		{"junk after value", `Bearer realm="x" y`, "Bearer", nil, true, ErrMalformedAuthParams},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := ParseAuthParams(tt.header, tt.scheme)
			if ok != tt.wantOK || !errors.Is(err, tt.wantErr) {
				t.Fatalf("ParseAuthParams(%q) ok = %v, err = %v; want %v, %v", tt.header, ok, err, tt.wantOK, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseAuthParams(%q) mismatch (-want +got):\n%s", tt.header, diff)
			}
		})
	}
}

// TestWWWAuthenticateVectors parses the RFC 6750 §3 challenges of
// oauth2.json back into the attributes they were made from.
func TestWWWAuthenticateVectors(t *testing.T) {
	n := 0
	for _, v := range loadOAuth2(t) {
		if v.Kind != "www_authenticate" {
			continue
		}
		n++
		t.Run(v.ID, func(t *testing.T) {
			p, ok, err := ParseAuthParams(v.Expected["header"], "Bearer")
			if !ok || err != nil {
				t.Fatalf("ParseAuthParams(%q) = %v, %v", v.Expected["header"], ok, err)
			}
			got := map[string]string{}
			for _, kv := range p {
				got[kv.Key] = kv.Value
			}
			if diff := cmp.Diff(v.Input, got); diff != "" {
				t.Errorf("attributes mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if n == 0 {
		t.Fatal("no www_authenticate vectors")
	}
}

func FuzzParseAuthParams(f *testing.F) {
	f.Add(`OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_signature="djosJKDKJSD8743243%2Fjdk33klY%3D"`)
	f.Add(`Bearer realm="example", error="invalid_token", error_description="The access token expired"`)
	f.Add(`Bearer a="\"\\", b=c,,d = "e"`)
	f.Fuzz(func(t *testing.T, h string) {
		p, ok, err := ParseAuthParams(h, "Bearer")
		if !ok || err != nil {
			return
		}
		// Writing the parameters back as quoted-strings parses to the same.
		out := "Bearer"
		for i, kv := range p {
			if i > 0 {
				out += ","
			}
			out += " " + kv.Key + "=\"" + quote(kv.Value) + "\""
		}
		again, ok, err := ParseAuthParams(out, "Bearer")
		if !ok || err != nil {
			t.Fatalf("ParseAuthParams(%q) = %v, %v (from %q)", out, ok, err, h)
		}
		if diff := cmp.Diff(p, again); diff != "" {
			t.Fatalf("round trip of %q mismatch (-first +second):\n%s", h, diff)
		}
	})
}

// quote backslash-escapes '"' and '\' for a quoted-string.
func quote(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b = append(b, '\\')
		}
		b = append(b, s[i])
	}
	return string(b)
}
