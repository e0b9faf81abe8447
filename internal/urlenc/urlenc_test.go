package urlenc

import (
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEscapeEveryByte(t *testing.T) {
	// Independent oracle: url.PathEscape leaves more characters alone, but
	// after it, re-encoding exactly the non-unreserved ASCII gives RFC 3986.
	for c := 0; c < 256; c++ {
		s := string([]byte{byte(c)})
		got := escape(s)
		isUnreserved := 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
		want := s
		if !isUnreserved {
			want = "%" + string("0123456789ABCDEF"[c>>4]) + string("0123456789ABCDEF"[c&15])
		}
		if got != want {
			t.Errorf("escape(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestEscapeNoAllocWithRoom(t *testing.T) {
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() { sinkBytes = AppendEscape(buf[:0], "a b&c=d/é") }); n != 0 {
		t.Errorf("AppendEscape with room allocated %v times, want 0", n)
	}
}

var sinkBytes []byte

func TestUnescapeErrors(t *testing.T) {
	tests := []struct {
		in         string
		wantOffset int
	}{
		{"%", 0},
		{"ab%4", 2},
		{"%zz", 0},
		{"ok%2", 2},
		{"a%G0", 1},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := Unescape(tt.in)
			var ee *EscapeError
			if !errors.As(err, &ee) || !errors.Is(err, ErrInvalidEscape) {
				t.Fatalf("Unescape(%q) error = %v, want *EscapeError wrapping ErrInvalidEscape", tt.in, err)
			}
			if ee.Offset != tt.wantOffset {
				t.Errorf("Unescape(%q) offset = %d, want %d", tt.in, ee.Offset, tt.wantOffset)
			}
			if _, err := ParseForm("a=" + tt.in); !errors.Is(err, ErrInvalidEscape) {
				t.Errorf("ParseForm(a=%q) error = %v, want ErrInvalidEscape", tt.in, err)
			}
		})
	}
}

func TestUnescapePlus(t *testing.T) {
	if got, _ := Unescape("a+b%20c"); got != "a+b c" {
		t.Errorf("Unescape(a+b%%20c) = %q, want %q", got, "a+b c")
	}
	if got, _ := FormUnescape("a+b%2Bc"); got != "a b+c" {
		t.Errorf("FormUnescape(a+b%%2Bc) = %q, want %q", got, "a b+c")
	}
}

func TestParseForm(t *testing.T) {
	tests := []struct {
		in   string
		want Params
	}{
		{"", nil},
		{"a=1&a=2&b=", Params{{"a", "1"}, {"a", "2"}, {"b", ""}}},
		{"a&&b=x+y&=v", Params{{"a", ""}, {"b", "x y"}, {"", "v"}}},
		{"c%40=%3D%253D", Params{{"c@", "=%3D"}}},
		{"k=a=b", Params{{"k", "a=b"}}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseForm(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseForm(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			// Independent check against net/url where it applies.
			uv, err := url.ParseQuery(tt.in)
			if err == nil {
				for _, kv := range got {
					if !uv.Has(kv.Key) {
						t.Errorf("url.ParseQuery(%q) lacks key %q", tt.in, kv.Key)
					}
				}
			}
		})
	}
}

func TestParamsEditing(t *testing.T) {
	var p Params
	p.Add("a", "1")
	p.Add("b", "2")
	p.Add("a", "3")
	p.Add("c", "")
	if got := p.Values("a"); !cmp.Equal(got, []string{"1", "3"}) {
		t.Errorf("Values(a) = %q, want [1 3]", got)
	}
	if !p.Has("c") || p.Get("c") != "" || p.Count("a") != 2 {
		t.Errorf("Has/Get/Count wrong on %v", p)
	}
	p.Set("a", "9")
	if diff := cmp.Diff(Params{{"a", "9"}, {"b", "2"}, {"c", ""}}, p); diff != "" {
		t.Errorf("after Set (-want +got):\n%s", diff)
	}
	p.Del("b")
	p.Set("d", "4")
	if diff := cmp.Diff(Params{{"a", "9"}, {"c", ""}, {"d", "4"}}, p); diff != "" {
		t.Errorf("after Del/Set (-want +got):\n%s", diff)
	}
	q := p.Clone()
	q[0].Value = "changed"
	if p[0].Value != "9" {
		t.Error("Clone shares storage")
	}
}

func TestFormEncodingVectors(t *testing.T) {
	vs := loadOAuth2(t)
	n := 0
	for _, v := range vs {
		switch v.Kind {
		case "form_encoding":
			n++
			t.Run(v.ID, func(t *testing.T) {
				in, want := v.Input["value"], v.Expected["encoded"]
				if got := FormEscape(in); got != want {
					t.Errorf("FormEscape(%q) = %q, want %q", in, got, want)
				}
				if got := url.QueryEscape(in); got != FormEscape(in) {
					t.Errorf("FormEscape(%q) = %q, url.QueryEscape = %q", in, FormEscape(in), got)
				}
				if back, err := FormUnescape(want); err != nil || back != in {
					t.Errorf("FormUnescape(%q) = %q, %v", want, back, err)
				}
			})
		case "basic_auth":
			n++
			t.Run(v.ID, func(t *testing.T) {
				id, secret := v.Input["client_id"], v.Input["client_secret"]
				if v.Input["encoding"] == "raw" {
					if got, want := RawBasicAuth(id, secret), v.Expected["authorization"]; got != want {
						t.Errorf("RawBasicAuth(%q, %q) = %q, want %q", id, secret, got, want)
					}
					return
				}
				// The vectors give the strict HTML 4.01 form and, where it
				// differs, the url.QueryEscape form that BasicAuth sends
				// (see BasicAuth); a decoding server reads both the same.
				want := v.Expected["authorization"]
				if q, ok := v.Expected["equivalent_go_queryescape"]; ok {
					want = q
				}
				got := BasicAuth(id, secret)
				if got != want {
					t.Errorf("BasicAuth(%q, %q) = %q, want %q", id, secret, got, want)
				}
				for _, h := range []string{got, v.Expected["authorization"]} {
					u, p := decodeBasic(t, h)
					if u != id || p != secret {
						t.Errorf("%q decodes to %q:%q, want %q:%q", h, u, p, id, secret)
					}
				}
			})
		}
	}
	if n < 6 {
		t.Errorf("ran %d form/basic vectors, want at least 6", n)
	}
}

func TestRedirectResponseVectors(t *testing.T) {
	n := 0
	for _, v := range loadOAuth2(t) {
		if v.Kind != "redirect_response" {
			continue
		}
		n++
		t.Run(v.ID, func(t *testing.T) {
			var exp struct {
				Component string            `json:"component"`
				Params    map[string]string `json:"params"`
			}
			if err := v.decodeExpected(&exp); err != nil {
				t.Fatal(err)
			}
			c := Query
			if exp.Component == "fragment" {
				c = Fragment
			}
			p, err := ParseURLParams(v.Input["url"], c)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, kv := range p {
				got[kv.Key] = kv.Value
			}
			if diff := cmp.Diff(exp.Params, got); diff != "" {
				t.Errorf("ParseURLParams(%q) mismatch (-want +got):\n%s", v.Input["url"], diff)
			}
		})
	}
	if n == 0 {
		t.Fatal("no redirect_response vectors")
	}
}

func TestAuthorizationRequestVectors(t *testing.T) {
	for _, v := range loadOAuth2(t) {
		if v.Kind != "authorization_request" {
			continue
		}
		t.Run(v.ID, func(t *testing.T) {
			var exp struct {
				Params map[string]string `json:"params"`
			}
			if err := v.decodeExpected(&exp); err != nil {
				t.Fatal(err)
			}
			var p Params
			for _, k := range []string{"response_type", "client_id", "state", "redirect_uri"} {
				p.Add(k, v.Input[k])
			}
			u, err := AddParams(v.Input["authorization_endpoint"], p)
			if err != nil {
				t.Fatal(err)
			}
			// Decode with net/url, an independent parser.
			pu, err := url.Parse(u)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for k, vs := range pu.Query() {
				got[k] = vs[0]
			}
			if diff := cmp.Diff(exp.Params, got); diff != "" {
				t.Errorf("AddParams mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAddParams(t *testing.T) {
	p := Params{{"client_id", "a b"}, {"state", "x&y"}}
	tests := []struct{ in, want string }{
		{"https://as.example/authorize", "https://as.example/authorize?client_id=a+b&state=x%26y"},
		{"https://as.example/authorize?tenant=1", "https://as.example/authorize?tenant=1&client_id=a+b&state=x%26y"},
		{"https://as.example/authorize?", "https://as.example/authorize?client_id=a+b&state=x%26y"},
		{"https://as.example/a?x=%2F&y=#frag%20ment", "https://as.example/a?x=%2F&y=&client_id=a+b&state=x%26y#frag%20ment"},
	}
	for _, tt := range tests {
		got, err := AddParams(tt.in, p)
		if err != nil || got != tt.want {
			t.Errorf("AddParams(%q) = %q, %v, want %q", tt.in, got, err, tt.want)
		}
	}
	if _, err := AddParams("http://[::1", p); err == nil {
		t.Error("AddParams(bad url) succeeded")
	}
	if _, err := ParseURLParams("", Query); !errors.Is(err, ErrNoURL) {
		t.Errorf("ParseURLParams(\"\") error = %v, want ErrNoURL", err)
	}
}

// decodeBasic reads a Basic header the way an RFC 6749 §2.3.1 server does:
// Base64, split at the first ':', form-decode each part.
func decodeBasic(t *testing.T, h string) (user, pass string) {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(h, "Basic "))
	if err != nil {
		t.Fatalf("%q: %v", h, err)
	}
	u, p, _ := strings.Cut(string(raw), ":")
	if user, err = url.QueryUnescape(u); err != nil {
		t.Fatal(err)
	}
	if pass, err = url.QueryUnescape(p); err != nil {
		t.Fatal(err)
	}
	return user, pass
}
