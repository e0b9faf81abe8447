package oauth2

import (
	"encoding/json"
	"testing"
)

func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"", "plain", `"\`, "\x00\x01\b\f\n\r\t\x1f\x7f", "<a&b>", "é😀", "\u2028\u2029", "a\xffb\xed\xa0\x80", "\xe2\x80"} {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("appendJSONString(%q) = %s, want %s (encoding/json)", s, got, want)
		}
	}
}

// FuzzAppendJSONString checks appendJSONString against json.Marshal.
func FuzzAppendJSONString(f *testing.F) {
	f.Add("a\"<\u2028\xff\x00\b")
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Fatalf("appendJSONString(%q) = %s, want %s (encoding/json)", s, got, want)
		}
	})
}
