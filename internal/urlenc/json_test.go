package urlenc

import (
	"bytes"
	"encoding/json"
	"testing"
)

// stdJSONString is s as encoding/json writes it, HTML-safe as Marshal does
// or not, as an Encoder with SetEscapeHTML(false) does.
func stdJSONString(t testing.TB, s string, html bool) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(html)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}

func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"", "plain", `"\`, "\x00\x01\b\f\n\r\t\x1f\x7f", "<a&b>", "é😀", "\u2028\u2029", "a\xffb\xed\xa0\x80", "\xe2\x80"} {
		for _, html := range []bool{true, false} {
			want := stdJSONString(t, s, html)
			if got := AppendJSONString([]byte("x"), s, html); string(got) != "x"+want {
				t.Errorf("AppendJSONString(%q, %q, %t) = %s, want x%s (encoding/json)", "x", s, html, got, want)
			}
		}
	}
}

// FuzzAppendJSONString checks AppendJSONString against encoding/json.
func FuzzAppendJSONString(f *testing.F) {
	f.Add("a\"<\u2028\xff\x00\b", true)
	f.Add("a\"<\u2028\xff\x00\b", false)
	f.Fuzz(func(t *testing.T, s string, html bool) {
		want := stdJSONString(t, s, html)
		if got := AppendJSONString(nil, s, html); string(got) != want {
			t.Fatalf("AppendJSONString(%q, %t) = %s, want %s (encoding/json)", s, html, got, want)
		}
	})
}
