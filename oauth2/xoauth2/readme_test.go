package xoauth2_test

import (
	"os"
	"strings"
	"testing"
)

// TestREADMESnippets checks that the code of the root README's section on
// this module is code of the Examples, which the compiler keeps true: each
// of its lines is a line of example_test.go.
func TestREADMESnippets(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	examples, err := os.ReadFile("example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	lines := map[string]bool{}
	for _, l := range strings.Split(string(examples), "\n") {
		lines[strings.TrimSpace(l)] = true
	}
	const heading = "**Using code written for golang.org/x/oauth2**"
	_, section, ok := strings.Cut(string(readme), heading)
	if !ok {
		t.Fatalf("README has no %q section", heading)
	}
	section, _, _ = strings.Cut(section, "\n#")
	blocks := strings.Split(section, "```\n")
	if len(blocks) < 5 {
		t.Fatalf("README's section has %d code blocks, want 2", (len(blocks)-1)/2)
	}
	for i := 1; i < len(blocks); i += 2 { // the insides of the fences
		for _, l := range strings.Split(blocks[i], "\n") {
			if l = strings.TrimSpace(l); l != "" && !lines[l] {
				t.Errorf("README line %q is in no Example", l)
			}
		}
	}
}
