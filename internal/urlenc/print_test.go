package urlenc

import (
	"fmt"
	"testing"
)

// formatted prints s through Format with every verb a caller may use.
type formatted string

func (v formatted) Format(f fmt.State, verb rune) { Format(f, verb, string(v)) }

func TestFormat(t *testing.T) {
	tests := []struct {
		verb string
		want string
	}{
		{"%v", `a "b"`},
		{"%+v", `a "b"`},
		{"%#v", `a "b"`},
		{"%s", `a "b"`},
		{"%x", `a "b"`},
		{"%d", `a "b"`},
		{"%q", `"a \"b\""`},
	}
	for _, tt := range tests {
		if got := fmt.Sprintf(tt.verb, formatted(`a "b"`)); got != tt.want {
			t.Errorf("Sprintf(%q) = %q, want %q", tt.verb, got, tt.want)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	tests := []struct {
		host string
		want bool
	}{
		{"localhost", true},
		{"LocalHost", true},
		{"127.0.0.1", true},
		{"127.1.2.3", true},
		{"::1", true},
		{"[::1]", false}, // a Hostname has no brackets
		{"", false},
		{"localhost.example.com", false},
		{"128.0.0.1", false},
		{"::2", false},
		{"example.com", false},
	}
	for _, tt := range tests {
		if got := IsLoopback(tt.host); got != tt.want {
			t.Errorf("IsLoopback(%q) = %v, want %v", tt.host, got, tt.want)
		}
	}
}
