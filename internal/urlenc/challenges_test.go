package urlenc

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseChallenges(t *testing.T) {
	tests := []struct {
		name    string
		header  string
		want    []Challenge
		wantErr error
	}{
		{"one bearer", `Bearer realm="example", error="invalid_token"`,
			[]Challenge{{Scheme: "Bearer", Params: Params{{"realm", "example"}, {"error", "invalid_token"}}}}, nil},
		{"basic then bearer", `Basic realm="api", Bearer error="invalid_token"`,
			[]Challenge{{Scheme: "Basic", Params: Params{{"realm", "api"}}}, {Scheme: "Bearer", Params: Params{{"error", "invalid_token"}}}}, nil},
		{"bearer then dpop", `Bearer error="invalid_token", DPoP algs="ES256"`,
			[]Challenge{{Scheme: "Bearer", Params: Params{{"error", "invalid_token"}}}, {Scheme: "DPoP", Params: Params{{"algs", "ES256"}}}}, nil},
		// RFC 7235 §4.1's example: two challenges, the second with a token68-like
		// scheme-only first element, parameters separated by ", ".
		{"rfc 7235 4.1", `Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple"`,
			[]Challenge{{Scheme: "Newauth", Params: Params{{"realm", "apps"}, {"type", "1"}, {"title", `Login to "apps"`}}},
				{Scheme: "Basic", Params: Params{{"realm", "simple"}}}}, nil},
		{"scheme only, then another", `Negotiate, Bearer`, []Challenge{{Scheme: "Negotiate"}, {Scheme: "Bearer"}}, nil},
		{"token68", `Negotiate a87421000492aa874209af8bc028==, Bearer realm="x"`,
			[]Challenge{{Scheme: "Negotiate", Token68: "a87421000492aa874209af8bc028=="}, {Scheme: "Bearer", Params: Params{{"realm", "x"}}}}, nil},
		{"token68 with slash", `Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ/+`, []Challenge{{Scheme: "Basic", Token68: "QWxhZGRpbjpvcGVuIHNlc2FtZQ/+"}}, nil},
		{"whitespace and empty elements", " ,bearer  realm = \"a\\\"b\" ,, error=invalid_token ,",
			[]Challenge{{Scheme: "bearer", Params: Params{{"realm", `a"b`}, {"error", "invalid_token"}}}}, nil},
		{"missing comma tolerated", `Bearer error="invalid_token" DPoP algs="ES256"`,
			[]Challenge{{Scheme: "Bearer", Params: Params{{"error", "invalid_token"}}}, {Scheme: "DPoP", Params: Params{{"algs", "ES256"}}}}, nil},
		{"empty", "", nil, nil},
		{"unterminated", `Basic realm="a", Bearer error="x`, []Challenge{{Scheme: "Basic", Params: Params{{"realm", "a"}}}}, ErrMalformedAuthParams},
		{"param without scheme", `realm="x"`, nil, ErrMalformedAuthParams},
		{"no value", `Bearer realm="x", error=, Basic`, nil, ErrMalformedAuthParams},
		{"token68 that looks like a parameter", `Bearer error=, Basic`, []Challenge{{Scheme: "Bearer", Token68: "error="}, {Scheme: "Basic"}}, nil},
		{"param after token68", `Basic abc, realm="x"`, nil, ErrMalformedAuthParams},
		{"junk", `Bearer "x"`, []Challenge{{Scheme: "Bearer"}}, ErrMalformedAuthParams},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseChallenges(tt.header)
			if !errors.Is(err, tt.wantErr) || (err != nil) != (tt.wantErr != nil) {
				t.Fatalf("ParseChallenges(%q) err = %v, want %v", tt.header, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("ParseChallenges(%q) mismatch (-want +got):\n%s", tt.header, diff)
			}
		})
	}
}

func TestChallengeParam(t *testing.T) {
	c := Challenge{Scheme: "Bearer", Params: Params{{"Error", "invalid_token"}, {"error", "second"}}}
	if got := c.Param("ERROR"); got != "invalid_token" {
		t.Errorf("Param(%q) = %q, want %q", "ERROR", got, "invalid_token")
	}
	if got := c.Param("scope"); got != "" {
		t.Errorf("Param(%q) = %q, want %q", "scope", got, "")
	}
}

// formatChallenges writes challenges back in a canonical form: every value
// a quoted-string.
func formatChallenges(cs []Challenge) string {
	var b strings.Builder
	for i, c := range cs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.Scheme)
		if c.Token68 != "" {
			b.WriteString(" " + c.Token68)
		}
		for j, kv := range c.Params {
			if j == 0 {
				b.WriteString(" ")
			} else {
				b.WriteString(", ")
			}
			b.WriteString(kv.Key + `="` + quote(kv.Value) + `"`)
		}
	}
	return b.String()
}

func FuzzParseChallenges(f *testing.F) {
	for _, v := range loadOAuth2(f) {
		if v.Kind == "www_authenticate" {
			f.Add(v.Expected["header"])
		}
	}
	f.Add(`Basic realm="api", Bearer error="invalid_token"`)
	f.Add(`Bearer error="invalid_token", DPoP algs="ES256"`)
	f.Add(`Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple"`)
	f.Add(`Negotiate a87421000492aa874209af8bc028==, Bearer`)
	f.Add(` ,bearer  realm = "a\"b" ,, error=invalid_token ,`)
	f.Fuzz(func(t *testing.T, h string) {
		cs, err := ParseChallenges(h)
		if err != nil && !errors.Is(err, ErrMalformedAuthParams) {
			t.Fatalf("ParseChallenges(%q) err = %v, not ErrMalformedAuthParams", h, err)
		}
		for _, c := range cs {
			if c.Scheme == "" || tokenLen(c.Scheme) != len(c.Scheme) {
				t.Fatalf("ParseChallenges(%q): scheme %q is not a token", h, c.Scheme)
			}
			if c.Token68 != "" && len(c.Params) > 0 {
				t.Fatalf("ParseChallenges(%q): token68 and params in %+v", h, c)
			}
			for _, kv := range c.Params {
				if kv.Key == "" || tokenLen(kv.Key) != len(kv.Key) {
					t.Fatalf("ParseChallenges(%q): parameter name %q is not a token", h, kv.Key)
				}
			}
		}
		// Whatever parsed, written back canonically, parses to the same.
		out := formatChallenges(cs)
		again, err := ParseChallenges(out)
		if err != nil {
			t.Fatalf("ParseChallenges(%q) = %v (canonical form of %q)", out, err, h)
		}
		if diff := cmp.Diff(cs, again, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("round trip of %q mismatch (-first +second):\n%s", h, diff)
		}
	})
}
