package urlenc

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// vector2 is the subset of an oauth2.json vector these tests read: string
// inputs and the raw expected object.
type vector2 struct {
	ID          string
	Kind        string
	Input       map[string]string
	Expected    map[string]string
	rawExpected json.RawMessage
}

func (v vector2) decodeExpected(dst any) error { return json.Unmarshal(v.rawExpected, dst) }

func loadOAuth2(t testing.TB) []vector2 {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(vectorDir, "oauth2.json"))
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Vectors []struct {
			ID       string                     `json:"id"`
			Kind     string                     `json:"kind"`
			Input    map[string]json.RawMessage `json:"input"`
			Expected json.RawMessage            `json:"expected"`
		} `json:"vectors"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	strs := func(m map[string]json.RawMessage) map[string]string {
		out := map[string]string{}
		for k, raw := range m {
			var s string
			if json.Unmarshal(raw, &s) == nil {
				out[k] = s
			}
		}
		return out
	}
	var out []vector2
	for _, v := range file.Vectors {
		var exp map[string]json.RawMessage
		_ = json.Unmarshal(v.Expected, &exp)
		out = append(out, vector2{ID: v.ID, Kind: v.Kind, Input: strs(v.Input), Expected: strs(exp), rawExpected: v.Expected})
	}
	return out
}
