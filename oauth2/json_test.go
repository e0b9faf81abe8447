package oauth2

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// stdDecodeObject is what decodeJSONObject must match: encoding/json's
// Decoder with UseNumber, decoding the first value of body into a map.
func stdDecodeObject(body []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errNotObject
	}
	return m, nil
}

// jsonCases are inputs whose decoding RFC 8259 settles, with what
// encoding/json makes of them.
var jsonCases = []struct {
	name string
	in   string
	want map[string]any // nil: an error
}{
	{"empty object", `{}`, map[string]any{}},
	{"token response", ` {"access_token":"a","expires_in":3600,"scope":["x","y"],"ok":true,"no":false,"n":null} `,
		map[string]any{"access_token": "a", "expires_in": json.Number("3600"), "scope": []any{"x", "y"}, "ok": true, "no": false, "n": nil}},
	{"numbers", `{"a":-0,"b":1.5e+10,"c":0.25,"d":-12E-3,"e":1e999}`,
		map[string]any{"a": json.Number("-0"), "b": json.Number("1.5e+10"), "c": json.Number("0.25"), "d": json.Number("-12E-3"), "e": json.Number("1e999")}},
	{"nested", `{"o":{"p":[[],{},[1,{"q":"r"}]]}}`,
		map[string]any{"o": map[string]any{"p": []any{[]any{}, map[string]any{}, []any{json.Number("1"), map[string]any{"q": "r"}}}}}},
	{"escapes", `{"s":"\"\\\/\b\f\n\r\t\u0041\u00e9\ud83d\ude00"}`, map[string]any{"s": "\"\\/\b\f\n\r\tAé😀"}},
	{"lone surrogates", `{"s":"\ud800x\udc00\ud800\u0041"}`, map[string]any{"s": "\uFFFDx\uFFFD\uFFFDA"}},
	{"invalid utf-8", "{\"s\":\"a\xffb\xed\xa0\x80\"}", map[string]any{"s": "a\uFFFDb\uFFFD\uFFFD\uFFFD"}},
	{"duplicate names", `{"a":1,"a":{"b":2}}`, map[string]any{"a": map[string]any{"b": json.Number("2")}}},
	{"escaped name", `{"\u0061":1}`, map[string]any{"a": json.Number("1")}},
	{"trailing data ignored", `{"a":1} garbage`, map[string]any{"a": json.Number("1")}},
	{"second value ignored", `{"a":1}{"b":2}`, map[string]any{"a": json.Number("1")}},
	{"null", `null`, nil},
	{"empty", ``, nil},
	{"space only", " \n", nil},
	{"array", `[]`, nil},
	{"string", `"a"`, nil},
	{"number", `1`, nil},
	{"true", `true`, nil},
	{"unterminated object", `{"a":1`, nil},
	{"unterminated string", `{"a":"b`, nil},
	{"trailing comma", `{"a":1,}`, nil},
	{"trailing comma in array", `{"a":[1,]}`, nil},
	{"missing colon", `{"a" 1}`, nil},
	{"name not a string", `{a:1}`, nil},
	{"single quotes", `{'a':1}`, nil},
	{"leading zero", `{"a":01}`, nil},
	{"plus sign", `{"a":+1}`, nil},
	{"bare point", `{"a":1.}`, nil},
	{"bare exponent", `{"a":1e}`, nil},
	{"hex number", `{"a":0x10}`, nil},
	{"NaN", `{"a":NaN}`, nil},
	{"control character", "{\"a\":\"\x01\"}", nil},
	{"bad escape", `{"a":"\x41"}`, nil},
	{"quote escape", `{"a":"\'"}`, nil},
	{"short unicode escape", `{"a":"\u41"}`, nil},
	{"bad hex", `{"a":"\u00G1"}`, nil},
	{"misspelled literal", `{"a":tru}`, nil},
	{"literal glued", `{"a":truex}`, nil},
	{"number glued", `{"a":1x}`, nil},
	{"byte order mark", "\xef\xbb\xbf{}", nil},
}

func TestDecodeJSONObject(t *testing.T) {
	for _, tt := range jsonCases {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeJSONObject([]byte(tt.in))
			std, stdErr := stdDecodeObject([]byte(tt.in))
			if diff := cmp.Diff(tt.want, std); diff != "" || (stdErr == nil) != (tt.want != nil) {
				t.Fatalf("the case disagrees with encoding/json (%v) (-case +encoding/json):\n%s", stdErr, diff)
			}
			if tt.want == nil {
				if err == nil {
					t.Fatalf("decodeJSONObject(%q) = %v, want an error", tt.in, got)
				}
				if !errors.Is(err, errMalformedJSON) && !errors.Is(err, errNotObject) {
					t.Fatalf("decodeJSONObject(%q) error %v wraps neither errMalformedJSON nor errNotObject", tt.in, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("decodeJSONObject(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("decodeJSONObject(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// TestDecodeJSONObjectDepth checks that arrays and objects nest as deeply
// as encoding/json lets them, and no deeper.
func TestDecodeJSONObjectDepth(t *testing.T) {
	for _, tt := range []struct {
		name  string
		depth int // of the outer object included
		ok    bool
	}{
		{"deepest", maxJSONDepth, true},
		{"too deep", maxJSONDepth + 1, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			n := tt.depth - 1
			in := []byte(`{"a":` + strings.Repeat("[", n) + strings.Repeat("]", n) + `}`)
			if _, err := stdDecodeObject(in); (err == nil) != tt.ok {
				t.Fatalf("encoding/json: %v, want ok %v", err, tt.ok)
			}
			m, err := decodeJSONObject(in)
			if (err == nil) != tt.ok {
				t.Fatalf("decodeJSONObject: %v, want ok %v", err, tt.ok)
			}
			if err != nil {
				if !errors.Is(err, errMalformedJSON) {
					t.Fatalf("error %v does not wrap errMalformedJSON", err)
				}
				return
			}
			v := m["a"]
			for i := 0; i < n-1; i++ {
				a, ok := v.([]any)
				if !ok || len(a) != 1 {
					t.Fatalf("level %d: %T of %d elements", i, v, len(a))
				}
				v = a[0]
			}
			if a, ok := v.([]any); !ok || len(a) != 0 {
				t.Fatalf("innermost: %#v", v)
			}
		})
	}
}

// FuzzDecodeJSONObject checks decodeJSONObject against encoding/json on
// any input: both accept it with the same result, or both refuse it.
func FuzzDecodeJSONObject(f *testing.F) {
	for _, tt := range jsonCases {
		if len(tt.in) < 1000 {
			f.Add([]byte(tt.in))
		}
	}
	for _, kind := range []string{"token_response", "error_response"} {
		for _, v := range loadVectors(f, kind) {
			var in httpInput
			if err := json.Unmarshal(v.Input, &in); err != nil {
				f.Fatal(err)
			}
			f.Add([]byte(in.Body))
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := decodeJSONObject(body)
		want, stdErr := stdDecodeObject(body)
		if (err == nil) != (stdErr == nil) {
			t.Fatalf("decodeJSONObject(%q): error %v, encoding/json: %v", body, err, stdErr)
		}
		// reflect.DeepEqual, linear in the depth, decides; cmp.Diff, which
		// is not on deeply nested arrays, only explains.
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("decodeJSONObject(%q) mismatch (-encoding/json +got):\n%s", body, cmp.Diff(want, got))
		}
	})
}
