package urlenc

import (
	"errors"
	"slices"
	"testing"
)

// decodeRaw form-decodes raw parameters the old way, one string each.
func decodeRaw(t *testing.T, raw []RawParam) Params {
	t.Helper()
	p := make(Params, len(raw))
	for i, r := range raw {
		var err error
		if p[i].Key, err = FormUnescape(r.Key); err != nil {
			t.Fatalf("FormUnescape(%q) after AppendSplitForm: %v", r.Key, err)
		}
		if p[i].Value, err = FormUnescape(r.Value); err != nil {
			t.Fatalf("FormUnescape(%q) after AppendSplitForm: %v", r.Value, err)
		}
	}
	return p
}

// normalizeRaw builds the escaped normalized parameter string of raw and
// dec together the way an OAuth 1 signer does with this file: raw sorted
// with CompareRawParams, dec sorted, the two merged.
func normalizeRaw(raw []RawParam, dec Params) []byte {
	raw = slices.Clone(raw)
	dec = dec.Clone()
	slices.SortFunc(raw, CompareRawParams)
	SortOAuth(dec)
	var dst []byte
	for len(raw) > 0 || len(dec) > 0 {
		if len(dst) > 0 {
			dst = append(dst, "%26"...)
		}
		if len(dec) == 0 || len(raw) > 0 && CompareRawParam(raw[0], dec[0]) <= 0 {
			dst = AppendEscapeTwiceForm(dst, raw[0].Key)
			dst = append(dst, "%3D"...)
			dst = AppendEscapeTwiceForm(dst, raw[0].Value)
			raw = raw[1:]
		} else {
			dst = AppendEscapeTwice(dst, dec[0].Key)
			dst = append(dst, "%3D"...)
			dst = AppendEscapeTwice(dst, dec[0].Value)
			dec = dec[1:]
		}
	}
	return dst
}

func TestTranscodeRFC5849(t *testing.T) {
	// RFC 5849 §3.4.1.3: the query and body of the example request,
	// merged with its protocol parameters.
	raw, err := AppendSplitForm(nil, "b5=%3D%253D&a3=a&c%40=&a2=r%20b")
	if err != nil {
		t.Fatal(err)
	}
	if raw, err = AppendSplitForm(raw, "c2&a3=2+q"); err != nil {
		t.Fatal(err)
	}
	proto := Params{
		{"oauth_consumer_key", "9djdj82h48djs9d2"}, {"oauth_token", "kkk9d7dh3k39sjv7"},
		{"oauth_signature_method", "HMAC-SHA1"}, {"oauth_timestamp", "137131201"},
		{"oauth_nonce", "7d8f3e4a"},
	}
	const want = "a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7"
	if got := string(normalizeRaw(raw, proto)); got != want {
		t.Errorf("normalized\n got %s\nwant %s", got, want)
	}
}

func TestAppendEscapeTwiceForm(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"abc-._~", "abc-._~"},
		{"a+b", "a%2520b"},
		{"%41%7e%7E", "A~~"},
		{"%2B%25", "%252B%2525"},
		{"Hello%20Ladies%20%2B%20Gentlemen%2C", "Hello%2520Ladies%2520%252B%2520Gentlemen%252C"},
		{"é!", "%25C3%25A9%2521"},
	}
	for _, tt := range tests {
		if got := string(AppendEscapeTwiceForm([]byte("x"), tt.in)); got != "x"+tt.want {
			t.Errorf("AppendEscapeTwiceForm(x, %q) = %q, want %q", tt.in, got, "x"+tt.want)
		}
	}
	buf := make([]byte, 0, 256)
	if n := testing.AllocsPerRun(100, func() { sinkBytes = AppendEscapeTwiceForm(buf[:0], "a+b%20c%2C") }); n != 0 {
		t.Errorf("AppendEscapeTwiceForm with room allocated %v times, want 0", n)
	}
}

func TestCompareRawParams(t *testing.T) {
	tests := []struct {
		a, b string // raw keys
		want int
	}{
		{"a", "a", 0},
		{"a", "%61", 0},
		{"a+b", "a%20b", 0},
		{"a", "ab", -1},
		{"a%62", "a", 1},
		{"a%20", "a-", -1}, // "%20" < "-"
		{"a%7E", "a.", 1},  // '~' is unreserved and after '.'
		{"%FF", "%00", 1},
		{"z", "%00", 1}, // an unreserved byte sorts after any escape
		{"+", "%2B", -1},
	}
	for _, tt := range tests {
		got := CompareRawParams(RawParam{Key: tt.a}, RawParam{Key: tt.b})
		if got != tt.want {
			t.Errorf("CompareRawParams(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if back := CompareRawParams(RawParam{Key: tt.b}, RawParam{Key: tt.a}); back != -tt.want {
			t.Errorf("CompareRawParams(%q, %q) = %d, want %d", tt.b, tt.a, back, -tt.want)
		}
		// Values break ties between equal keys.
		if got := CompareRawParams(RawParam{"k", tt.a}, RawParam{"%6B", tt.b}); got != tt.want {
			t.Errorf("CompareRawParams on values %q, %q = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestAppendSplitFormErrors(t *testing.T) {
	for _, s := range []string{"a=%", "a=%2", "%zz=b", "ok=1&b%4=2", "a=b%G0", "a=1&&c=%%41", "a=%41%4"} {
		_, want := AppendParseForm(nil, s)
		_, got := AppendSplitForm(nil, s)
		var ge, we *EscapeError
		if !errors.As(got, &ge) || !errors.As(want, &we) || *ge != *we {
			t.Errorf("AppendSplitForm(%q) error = %v, AppendParseForm error = %v", s, got, want)
		}
		if !errors.Is(got, ErrInvalidEscape) {
			t.Errorf("AppendSplitForm(%q) error %v does not wrap ErrInvalidEscape", s, got)
		}
	}
}

// FuzzTranscode checks the transcoding path against the decode-then-escape
// one on arbitrary form text: the same split, the same errors, the same
// order and the same double-escaped output. s plays the query or body, t
// (decoded) the protocol parameters merged in.
func FuzzTranscode(f *testing.F) {
	for _, s := range [][2]string{
		{"b5=%3D%253D&a3=a&c%40=&a2=r%20b&c2&a3=2+q", "oauth_token=kkk9d7dh3k39sjv7&oauth_nonce=7d8f3e4a"},
		{"include_entities=true&status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21", "oauth_version=1.0"},
		{"a=%", ""}, {"%zz", "a"}, {"a+b=c&a%20b=c&a%20b=%63", "a b=c"},
		{"&&=&", "="}, {"x!y=a&x=a&x%7E=1&x~=%31", "x=a&x%21y=a"},
		{"%E3%80%81=%e3%80%81", "\u3001=1"}, {"a=%41%4", ""},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, s, t2 string) {
		dec, derr := AppendParseForm(nil, s)
		raw, rerr := AppendSplitForm(nil, s)
		if (derr == nil) != (rerr == nil) || derr != nil && derr.Error() != rerr.Error() {
			t.Fatalf("AppendSplitForm(%q) error = %v, AppendParseForm error = %v", s, rerr, derr)
		}
		if len(raw) != len(dec) {
			t.Fatalf("AppendSplitForm(%q): %d params, AppendParseForm: %d", s, len(raw), len(dec))
		}
		if derr != nil {
			// The pairs before the error are kept by both.
			if !slices.Equal(decodeRaw(t, raw), dec) {
				t.Fatalf("AppendSplitForm(%q) before the error: %q, want %q", s, raw, dec)
			}
			return
		}
		if got := decodeRaw(t, raw); !slices.Equal(got, dec) {
			t.Fatalf("AppendSplitForm(%q) decodes to %q, AppendParseForm gives %q", s, got, dec)
		}
		for i := range raw {
			for _, x := range []struct{ raw, dec string }{{raw[i].Key, dec[i].Key}, {raw[i].Value, dec[i].Value}} {
				got := AppendEscapeTwiceForm([]byte("x"), x.raw)
				if want := AppendEscapeTwice([]byte("x"), x.dec); string(got) != string(want) {
					t.Fatalf("AppendEscapeTwiceForm(%q) = %q, AppendEscapeTwice(%q) = %q", x.raw, got, x.dec, want)
				}
			}
			for j := range raw {
				want := CompareParams(dec[i], dec[j])
				if got := CompareRawParams(raw[i], raw[j]); got != want {
					t.Fatalf("CompareRawParams(%q, %q) = %d, CompareParams(%q, %q) = %d", raw[i], raw[j], got, dec[i], dec[j], want)
				}
				if got := CompareRawParam(raw[i], dec[j]); got != want {
					t.Fatalf("CompareRawParam(%q, %q) = %d, CompareParams = %d", raw[i], dec[j], got, want)
				}
			}
		}
		proto, err := ParseForm(t2)
		if err != nil {
			proto = nil
		}
		for _, r := range raw {
			for _, p := range proto {
				want := CompareParams(Param{mustUnescape(t, r.Key), mustUnescape(t, r.Value)}, p)
				if got := CompareRawParam(r, p); got != want {
					t.Fatalf("CompareRawParam(%q, %q) = %d, CompareParams = %d", r, p, got, want)
				}
			}
		}
		all := append(dec.Clone(), proto...)
		want := AppendNormalizedEscaped(nil, all)
		if got := normalizeRaw(raw, proto); string(got) != string(want) {
			t.Fatalf("transcoded normalized string of %q + %q\n got %q\nwant %q", s, t2, got, want)
		}
	})
}

func mustUnescape(t *testing.T, s string) string {
	t.Helper()
	u, err := FormUnescape(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
