package urlenc

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// vectorDir is the project's unchanged copy of ../shared/vectors.
const vectorDir = "../testdata/vectors"

// vector is the subset of an oauth1.json vector these tests read.
type vector struct {
	ID         string            `json:"id"`
	Kind       string            `json:"kind"`
	Input      string            `json:"input"`
	URL        string            `json:"url"`
	HTTPMethod string            `json:"http_method"`
	Expected   map[string]string `json:"expected"`
}

func loadVectors(t testing.TB, kind string) []vector {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(vectorDir, "oauth1.json"))
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Vectors []json.RawMessage `json:"vectors"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	var out []vector
	for _, raw := range file.Vectors {
		var v vector
		// Fields this test does not read may have other types; decode
		// leniently by ignoring type errors on unread fields.
		var probe struct {
			Kind string `json:"kind"`
		}
		if err := json.Unmarshal(raw, &probe); err != nil {
			t.Fatal(err)
		}
		if probe.Kind != kind {
			continue
		}
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("vector %s: %v", raw[:min(len(raw), 60)], err)
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		t.Fatalf("no %q vectors in %s", kind, vectorDir)
	}
	return out
}

// TestVectorCopyUnchanged fails when the project's copy of the shared
// vectors drifts from ../shared/vectors (when that directory exists, as it
// does for developers and CI).
func TestVectorCopyUnchanged(t *testing.T) {
	shared := filepath.Join("..", "..", "..", "shared", "vectors")
	if _, err := os.Stat(shared); err != nil {
		t.Skipf("no shared vectors beside the checkout (%v)", err)
	}
	for _, name := range []string{"oauth1.json", "oauth2.json"} {
		want, err := os.ReadFile(filepath.Join(shared, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(vectorDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(want, got) {
			t.Errorf("%s: the project's copy differs from ../shared/vectors/%s; copy it again, unchanged", name, name)
		}
	}
}

func TestPercentEncodingVectors(t *testing.T) {
	for _, v := range loadVectors(t, "percent_encoding") {
		t.Run(v.ID, func(t *testing.T) {
			want := v.Expected["encoded"]
			if got := string(AppendEscape([]byte("x"), v.Input)); got != "x"+want {
				t.Errorf("AppendEscape(x, %q) = %q, want %q", v.Input, got, "x"+want)
			}
			if got := string(AppendEscapeBytes([]byte("x"), []byte(v.Input))); got != "x"+want {
				t.Errorf("AppendEscapeBytes(x, %q) = %q, want %q", v.Input, got, "x"+want)
			}
			back, err := Unescape(want)
			if err != nil || back != v.Input {
				t.Errorf("Unescape(%q) = %q, %v, want %q", want, back, err, v.Input)
			}
		})
	}
}
