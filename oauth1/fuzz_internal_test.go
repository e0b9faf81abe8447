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
// parses survives form encoding unchanged; a JSON response gives each key
// once, sorted, and every value not a JSON string as valid JSON text; a
// form response gives what urlenc.ParseForm gives.
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
			return
		}
		again, err := urlenc.ParseForm(p.Encode())
		if err != nil || !slices.Equal(p, again) {
			t.Fatalf("form round trip: %q -> %q (%v)", p, again, err)
		}
		mt, _, _ := mime.ParseMediaType(contentType)
		trimmed := bytes.TrimSpace(body)
		if mt == "application/json" || strings.HasSuffix(mt, "+json") || len(trimmed) > 0 && trimmed[0] == '{' {
			// The first JSON value, decoded as any: each non-null member
			// once, sorted by key, a string as it is, anything else as
			// JSON text of the same value.
			var m map[string]any
			dec := json.NewDecoder(bytes.NewReader(trimmed))
			dec.UseNumber()
			if err := dec.Decode(&m); err != nil {
				t.Fatalf("parseTokenResponse accepted %q, which does not decode: %v", trimmed, err)
			}
			n := 0
			for _, v := range m {
				if v != nil {
					n++
				}
			}
			if len(p) != n {
				t.Fatalf("%d members parsed, want %d: %q", len(p), n, p)
			}
			for i, kv := range p {
				if i > 0 && p[i-1].Key >= kv.Key {
					t.Fatalf("json keys not unique and sorted: %q", p)
				}
				want := m[kv.Key]
				if s, ok := want.(string); ok {
					if kv.Value != s {
						t.Fatalf("member %q = %q, want %q", kv.Key, kv.Value, s)
					}
					continue
				}
				var got any
				d := json.NewDecoder(strings.NewReader(kv.Value))
				d.UseNumber()
				if err := d.Decode(&got); err != nil || !cmp.Equal(want, got) {
					t.Fatalf("member %q = %q, want the JSON of %v (%v)", kv.Key, kv.Value, want, err)
				}
			}
			return
		}
		want, err := urlenc.ParseForm(string(trimmed))
		if err != nil || !slices.Equal(want, p) {
			t.Fatalf("form response %q parsed as %q, want %q (%v)", trimmed, p, want, err)
		}
	})
}
