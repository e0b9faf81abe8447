package urlenc

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestClipWords(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"one two three", 9, "one two ..."},
		{"one two three", 7, "one two..."},
		{"glued-SECRETxxxx", 8, "..."},
		{"a \xff b", 10, "a \uFFFD b"},
		{"ééééé", 3, "é..."},
		{"x ééé", 4, "x é..."},
	}
	for _, tt := range tests {
		if got := ClipWords(tt.s, tt.n); got != tt.want {
			t.Errorf("ClipWords(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}

// timeoutError is a timeout whose text quotes what a server sent.
type timeoutError struct{ msg string }

func (e timeoutError) Error() string        { return e.msg }
func (e timeoutError) Timeout() bool        { return true }
func (e timeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

// ScrubError scrubs and bounds the text of a send error, a *url.Error
// staying one, while errors.Is and Timeout still see the original.
func TestScrubError(t *testing.T) {
	const secret = "tok-123"
	inner := timeoutError{fmt.Sprintf("malformed response %q", secret+" "+strings.Repeat("x", 5000))}
	err := ScrubError(&url.Error{Op: "Get", URL: "https://api.example/?access_token=" + secret, Err: inner}, []string{secret}, 100)
	for _, f := range []string{"%v", "%+v", "%s", "%#v"} {
		if got := fmt.Sprintf(f, err); strings.Contains(got, secret) || len(got) > 300 {
			t.Errorf("Sprintf(%q) = %q, want it bounded and without the secret", f, got)
		}
	}
	var ue *url.Error
	if !errors.As(err, &ue) || !ue.Timeout() || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("ScrubError = %v, want a *url.Error that is a timeout and wraps context.DeadlineExceeded", err)
	}
	plain := errors.New("connection refused")
	if got := ScrubError(plain, []string{secret}, 100); got != plain {
		t.Errorf("ScrubError of a clean error = %v, want it unchanged", got)
	}
}

func TestTooLarge(t *testing.T) {
	err := fmt.Errorf("pkg: %w", TooLarge("response body", 1<<20))
	if got, want := err.Error(), "pkg: response body exceeds the limit of 1048576 bytes"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	var mb *http.MaxBytesError
	if !errors.As(err, &mb) || mb.Limit != 1<<20 {
		t.Errorf("errors.As(*http.MaxBytesError) = %v, %v; want Limit 1048576", mb, err)
	}
}
