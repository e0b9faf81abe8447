package jsonobj

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want map[string]json.RawMessage // nil: an error
	}{
		{"object", `{"a":1,"b":"x","c":{"d":[1,2]}}`, map[string]json.RawMessage{"a": json.RawMessage(`1`), "b": json.RawMessage(`"x"`), "c": json.RawMessage(`{"d":[1,2]}`)}},
		{"empty object", ` {} `, map[string]json.RawMessage{}},
		{"names kept exactly", `{"a":1,"A":2,"\u0061b":3}`, map[string]json.RawMessage{"a": json.RawMessage(`1`), "A": json.RawMessage(`2`), "ab": json.RawMessage(`3`)}},
		{"duplicate", `{"a":1,"a":1}`, nil},
		{"duplicate after unescaping", `{"a":1,"\u0061":2}`, nil},
		{"array", `[{"a":1}]`, nil},
		{"string", `"a"`, nil},
		{"null", `null`, nil},
		{"empty", ``, nil},
		{"truncated", `{"a":`, nil},
		{"unclosed", `{"a":1`, nil},
		{"trailing object", `{"a":1}{}`, nil},
		{"trailing garbage", `{"a":1} x`, nil},
		{"invalid", `{"a":tru}`, nil},
		{"name not a string", `{1:2}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse([]byte(tt.in))
			if tt.want == nil {
				if err == nil || got != nil {
					t.Fatalf("Parse(%q) = %v, %v; want an error", tt.in, got, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q) error = %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// TestParseErrorsQuoteNoInput checks that errors never carry the values
// of the input, and a duplicate name only bounded.
func TestParseErrorsQuoteNoInput(t *testing.T) {
	const secret = "s3cr3t-value"
	long := strings.Repeat("é", 100)
	for _, in := range []string{
		`{"k":"` + secret + `","k":"` + secret + `"}`,
		`{"k":"` + secret + `"` + secret,
		`{"k":"` + secret + `"} ` + secret,
		`{"k":` + secret + `}`,
		`{"` + long + `":1,"` + long + `":1}`,
	} {
		_, err := Parse([]byte(in))
		if err == nil {
			t.Fatalf("Parse(%q) accepted", in)
		}
		if msg := err.Error(); strings.Contains(msg, secret) || len(msg) > 100 {
			t.Errorf("Parse(%q) error %q quotes the input", in, msg)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`{"a":1}`, `{"a":1,"a":2}`, `{}`, `[]`, `{"a":{"b":[null,true,"x"]}}`, `{"\u00e9":1} `} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		obj, err := Parse(data)
		if err != nil {
			if obj != nil {
				t.Fatal("a result with an error")
			}
			return
		}
		// What Parse accepts, encoding/json reads as the same object.
		var m map[string]json.RawMessage
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("encoding/json refuses what Parse accepts: %v", err)
		}
		if len(m) != len(obj) {
			t.Fatalf("encoding/json reads %d members, Parse %d", len(m), len(obj))
		}
		for k, v := range obj {
			if !json.Valid(v) {
				t.Fatalf("member %q is not valid json", k)
			}
		}
	})
}
