package oauth1

import (
	"bytes"
	"encoding/json"
	"errors"
	"mime"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/oauthkit/oauth/internal/urlenc"
)

// FuzzParseTokenResponse: no panic; a failure wraps ErrBadRequest; what
// parses survives form encoding unchanged; a JSON response gives what
// encoding/json gives (see checkJSONMembers), and refuses only what
// encoding/json refuses or nests deeper than maxJSONDepth; a form response
// gives what urlenc.ParseForm gives.
func FuzzParseTokenResponse(f *testing.F) {
	var bodies []string
	data, err := os.ReadFile("../internal/testdata/vectors/oauth1.json")
	if err != nil {
		f.Fatal(err)
	}
	var vf struct {
		Vectors []struct {
			ResponseBody string `json:"response_body"`
		} `json:"vectors"`
	}
	if err := json.Unmarshal(data, &vf); err != nil {
		f.Fatal(err)
	}
	for _, v := range vf.Vectors {
		if v.ResponseBody != "" {
			bodies = append(bodies, v.ResponseBody)
		}
	}
	bodies = append(bodies,
		`{"oauth_token":"a","oauth_token_secret":"b","user_id":42,"admin":true,"x":null,"o":{"a":[1,"2"]}}`,
		`  {"oauth_token": "t\u00e9", "oauth_token": "dup"} trailing`,
		"oauth_problem=token_rejected&oauth_problem_advice=try+again",
		"a=%zz", "=&&=x&y", "{", "null", `{"a":`)
	for _, b := range bodies {
		for _, ct := range []string{"application/x-www-form-urlencoded", "application/json", "text/plain; charset=utf-8", "", "application/vnd.x+json"} {
			f.Add(ct, []byte(b))
		}
	}
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		p, err := parseTokenResponse(contentType, body)
		if err != nil {
			if !errors.Is(err, ErrBadRequest) {
				t.Fatalf("parseTokenResponse() error = %v, want ErrBadRequest", err)
			}
			trimmed := bytes.TrimSpace(body)
			var m map[string]json.RawMessage
			if len(trimmed) > 0 && trimmed[0] == '{' && json.Unmarshal(trimmed, &m) == nil && nesting(trimmed) <= maxJSONDepth {
				t.Fatalf("parseTokenResponse(%q) = %v, but encoding/json reads it", trimmed, err)
			}
			return
		}
		again, err := urlenc.ParseForm(p.Encode())
		if err != nil || !slices.Equal(p, again) {
			t.Fatalf("form round trip: %q -> %q (%v)", p, again, err)
		}
		mt, _, _ := mime.ParseMediaType(contentType)
		trimmed := bytes.TrimSpace(body)
		if mt == "application/json" || strings.HasSuffix(mt, "+json") || len(trimmed) > 0 && trimmed[0] == '{' {
			checkJSONMembers(t, trimmed, p)
			return
		}
		want, err := urlenc.ParseForm(string(trimmed))
		if err != nil || !slices.Equal(want, p) {
			t.Fatalf("form response %q parsed as %q, want %q (%v)", trimmed, p, want, err)
		}
	})
}

// checkJSONMembers fails unless p, what parseJSONObject read from data,
// is what encoding/json reads: the same names, each once, without the null
// members; a string member decoded as encoding/json decodes it; any other
// member as its JSON text.
func checkJSONMembers(t *testing.T, data []byte, p urlenc.Params) {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("parseJSONObject(%q) = %q, but encoding/json refuses it: %v", data, p, err)
	}
	want := map[string]string{}
	for k, raw := range m {
		switch {
		case string(raw) == "null":
		case raw[0] == '"':
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				t.Fatal(err)
			}
			want[k] = s
		default:
			want[k] = string(raw)
		}
	}
	got := map[string]string{}
	for _, kv := range p {
		if _, dup := got[kv.Key]; dup {
			t.Fatalf("parseJSONObject(%q): %q twice in %q", data, kv.Key, p)
		}
		got[kv.Key] = kv.Value
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("parseJSONObject(%q) mismatch with encoding/json (-want +got):\n%s", data, diff)
	}
}

// nesting returns how deep the arrays and objects of JSON text nest,
// counting brackets outside strings.
func nesting(data []byte) int {
	depth, most, inString := 0, 0, false
	for i := 0; i < len(data); i++ {
		switch c := data[i]; {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case inString:
		case c == '{' || c == '[':
			depth++
			most = max(most, depth)
		case c == '}' || c == ']':
			depth--
		}
	}
	return most
}

// pl returns the parameters of name, value, name, value, ...
func pl(kv ...string) urlenc.Params {
	var p urlenc.Params
	for i := 0; i+1 < len(kv); i += 2 {
		p.Add(kv[i], kv[i+1])
	}
	return p
}

// jsonCases are the cases of TestParseJSONObject, and seeds of
// FuzzParseJSONObject.
var jsonCases = []struct {
	name string
	in   string
	want urlenc.Params
	ok   bool
}{
	{"strings", `{"oauth_token":"a","oauth_token_secret":"b"}`, pl("oauth_token", "a", "oauth_token_secret", "b"), true},
	{"other values as text", ` {"n": -1.5e+3, "t": true, "f": false, "o": {"a": [1, "2"]}, "x": null} `,
		pl("n", "-1.5e+3", "t", "true", "f", "false", "o", `{"a": [1, "2"]}`), true},
	{"escapes", `{"s":"a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"}`, pl("s", "a\"\\/\b\f\n\r\té😀"), true},
	{"lone surrogates", `{"s":"\ud83d\u0041\ude00"}`, pl("s", "\uFFFDA\uFFFD"), true},
	{"invalid UTF-8", "{\"s\":\"a\xff\xfeb\"}", pl("s", "a\uFFFD\uFFFDb"), true},
	{"repeated name", `{"a":"1","b":"2","a":"3"}`, pl("a", "3", "b", "2"), true},
	{"repeated name, null last", `{"a":"1","b":"2","a":null}`, pl("b", "2"), true},
	{"string null", `{"a":"null"}`, pl("a", "null"), true},
	{"empty", `{}`, nil, true},
	{"trailing text", `{"a":"1"} x`, nil, false},
	{"two objects", `{}{}`, nil, false},
	{"array", `["a"]`, nil, false},
	{"unclosed", `{"a":"1"`, nil, false},
	{"trailing comma", `{"a":"1",}`, nil, false},
	{"control byte", "{\"a\":\"\x01\"}", nil, false},
	{"bad escape", `{"a":"\x"}`, nil, false},
	{"bad number", `{"a":01}`, nil, false},
	{"bare word", `{"a":yes}`, nil, false},
	{"too deep", `{"a":` + strings.Repeat("[", maxJSONDepth+1) + strings.Repeat("]", maxJSONDepth+1) + `}`, nil, false},
	{"deepest", `{"a":` + strings.Repeat("[", maxJSONDepth) + strings.Repeat("]", maxJSONDepth) + `}`,
		pl("a", strings.Repeat("[", maxJSONDepth)+strings.Repeat("]", maxJSONDepth)), true},
}

func TestParseJSONObject(t *testing.T) {
	for _, tt := range jsonCases {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseJSONObject([]byte(tt.in))
			if (err == nil) != tt.ok {
				t.Fatalf("parseJSONObject(%q) error = %v, want ok %v", tt.in, err, tt.ok)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parseJSONObject(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// FuzzParseJSONObject: parseJSONObject reads what encoding/json reads into
// a map, the same way (see checkJSONMembers), and refuses only what
// encoding/json refuses, a JSON null, or what nests deeper than
// maxJSONDepth.
func FuzzParseJSONObject(f *testing.F) {
	for _, tt := range jsonCases {
		f.Add([]byte(tt.in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := parseJSONObject(data)
		if err == nil {
			checkJSONMembers(t, data, p)
			return
		}
		var m map[string]json.RawMessage
		if json.Unmarshal(data, &m) == nil && m != nil && nesting(data) <= maxJSONDepth {
			t.Fatalf("parseJSONObject(%q) = %v, but encoding/json reads it", data, err)
		}
	})
}

// FuzzAppendEncodedAgain: on percent-encoded text, appendEncodedAgain
// appends what encoding it once more with urlenc.AppendEscape does.
func FuzzAppendEncodedAgain(f *testing.F) {
	for _, s := range []string{"", "abc", "a b", "%", "%%41", "Hello Ladies + Gentlemen, a signed OAuth request!", "é~"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		enc := urlenc.AppendEscape(nil, s)
		want := string(urlenc.AppendEscape([]byte("pre"), string(enc)))
		if got := string(appendEncodedAgain([]byte("pre"), enc)); got != want {
			t.Fatalf("appendEncodedAgain(pre, %q) = %q, want %q", enc, got, want)
		}
	})
}
