package urlenc

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestRedact(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		secrets []string
		want    string
	}{
		{"none", "invalid_grant", []string{"rt-123"}, "invalid_grant"},
		{"raw in form", "error=invalid_grant&refresh_token=rt-123&x=1", []string{"rt-123"},
			"error=invalid_grant&refresh_token=[redacted]&x=1"},
		{"json", `{"error":"bad","token":"a+b/c=="}`, []string{"a+b/c=="}, `{"error":"bad","token":"[redacted]"}`},
		{"form-escaped", "token=a%2Bb%2Fc%3D%3D&y", []string{"a+b/c=="}, "token=[redacted]&y"},
		{"form-escaped lower hex", "token=a%2bb%2fc%3d%3d&y", []string{"a+b/c=="}, "token=[redacted]&y"},
		{"space as plus", "p=a+b&q", []string{"a b"}, "p=[redacted]&q"},
		{"json html escape", `{"s":"x\u003cy"}`, []string{"x<y"}, `{"s":"[redacted]"}`},
		{"json quote escape", `{"s":"x\"y"}`, []string{`x"y`}, `{"s":"[redacted]"}`},
		{"short secret inside words", "client secret expired", []string{"e", "p"}, "client secret expired"},
		{"short secret whole", "secret=e&p", []string{"e", "p"}, "secret=[redacted]&[redacted]"},
		{"five copies back to back, separator first", "\x170\x170\x170\x170\x170", []string{"\x170"},
			"[redacted][redacted][redacted][redacted][redacted]"},
		{"copies back to back, separator last", "k:a=a=a=&", []string{"a="}, "k:[redacted][redacted][redacted]&"},
		{"copies back to back, glued on the right", "k:a=a=a=x", []string{"a="}, "k:a=a=a=x"},
		{"copies of a word back to back", "k:abab&", []string{"ab"}, "k:abab&"},
		{"prefix of a longer token", "abcdef abc", []string{"abc"}, "abcdef [redacted]"},
		{"suffix of a longer token", "xabc abc.", []string{"abc"}, "xabc [redacted]."},
		{"longer first", "k=abcdef", []string{"abc", "abcdef"}, "k=[redacted]"},
		{"repeated", "a:tok,b:tok", []string{"tok"}, "a:[redacted],b:[redacted]"},
		{"empty secret ignored", "x", []string{""}, "x"},
		{"whole input", "tok", []string{"tok"}, "[redacted]"},
		{"after an escape", "uri=https%3A%2F%2Fx%3Ft%3Dtok%26y", []string{"tok"}, "uri=https%3A%2F%2Fx%3Ft%3D[redacted]%26y"},
		{"after an escape, short", "m=a%20e%20b+e", []string{"e"}, "m=a%20[redacted]%20b+[redacted]"},
		{"glued secrets", "x ab=cd y", []string{"ab=", "cd"}, "x [redacted][redacted] y"},
		{"secret named like the mark", "redacted", []string{"redacted"}, "[redacted]"},
		{"after a percent word", "x%zztok", []string{"tok"}, "x%zztok"},
		{"bearer header echo", "Authorization: Bearer at.1-2", []string{"at.1-2"}, "Authorization: Bearer [redacted]"},
		{"after a percent-escape", "t%3De%26u%3dp", []string{"e", "p"}, "t%3D[redacted]%26u%3d[redacted]"},
		{"encoded header echo", "h=OAuth+sig%3D%22cs-1%2526ts-2%22", []string{"cs-1", "ts-2"}, "h=OAuth+sig%3D%22[redacted]%2526[redacted]%22"},
		{"after a json escape", `{"m":"a\u0026e\ne\te"}`, []string{"e"}, `{"m":"a\u0026[redacted]\n[redacted]\t[redacted]"}`},
		{"inside an escape", "%3e %e x%e", []string{"e"}, "%3e %[redacted] x%[redacted]"},
		{"back to back", "x=+ab+ab+ab&", []string{"+ab"}, "x=[redacted][redacted][redacted]&"},
		{"back to back, ending in a separator", "ab+ab+ab+ x", []string{"ab+"}, "[redacted][redacted][redacted] x"},
		{"back to back after a word", "xab+ab+", []string{"ab+"}, "xab+[redacted]"},
		{"back to back before a word", "+ab+abx", []string{"+ab"}, "[redacted]+abx"},
		{"back to back, word bytes at both ends", "abab ab", []string{"ab"}, "abab [redacted]"},
		{"overlapping", "a+a+a", []string{"a+a"}, "[redacted]+a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(Redact([]byte(tt.in), tt.secrets)); got != tt.want {
				t.Errorf("Redact(%q, %q) = %q, want %q", tt.in, tt.secrets, got, tt.want)
			}
		})
	}
}

// TestRedactEchoForms checks Redact against the encoders a server would use
// to echo a secret: encoding/json and net/url, not this package's own.
func TestRedactEchoForms(t *testing.T) {
	secrets := []string{"s3cr3t", "a b+c/d=", "x<y>&z", "ünï\u2028", "q\"\\\n\t"}
	for _, s := range secrets {
		j, _ := json.Marshal(map[string]string{"v": s})
		forms := []string{
			string(j),
			"v=" + url.QueryEscape(s) + "&",
			"/p/" + url.PathEscape(s) + "/",
			url.Values{"v": {s}}.Encode(),
		}
		for _, f := range forms {
			got := string(Redact([]byte(f), []string{s}))
			if !strings.Contains(got, Redacted) {
				t.Errorf("Redact(%q, %q) = %q: secret not redacted", f, s, got)
			}
		}
	}
}

func TestRedactUnchangedSharesInput(t *testing.T) {
	in := []byte("nothing here")
	if got := Redact(in, []string{"zz"}); &got[0] != &in[0] {
		t.Error("Redact copied an input it did not change")
	}
}

func TestClip(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"a longer string", 8, "a longer..."},
		{"héllo", 2, "h..."}, // never cuts inside é
		{"bad\xffutf8", 20, "bad\uFFFDutf8"},
		{"", 0, ""},
	}
	for _, tt := range tests {
		if got := Clip(tt.in, tt.n); got != tt.want {
			t.Errorf("Clip(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
		if got := Clip(tt.in, tt.n); !utf8.ValidString(got) {
			t.Errorf("Clip(%q, %d) = %q, not valid UTF-8", tt.in, tt.n, got)
		}
	}
}

func TestMask(t *testing.T) {
	if got := Mask(""); got != `""` {
		t.Errorf(`Mask("") = %q, want %q`, got, `""`)
	}
	if got := Mask("secret"); got != "<redacted>" {
		t.Errorf(`Mask("secret") = %q, want "<redacted>"`, got)
	}
}

func FuzzRedact(f *testing.F) {
	f.Add([]byte(`{"error":"x","refresh_token":"rt"}`), "rt")
	f.Add([]byte("a=e&b=p"), "e")
	f.Fuzz(func(t *testing.T, body []byte, secret string) {
		got := Redact(body, []string{secret})
		if secret == "" || strings.ContainsAny(secret, "[]") || strings.Contains(Redacted, secret) {
			return
		}
		// Every whole-token occurrence of the raw secret is gone.
		if again := replaceWhole(got, secret); string(again) != string(got) {
			t.Errorf("Redact(%q, %q) = %q still holds the secret as a token", body, secret, got)
		}
	})
}
