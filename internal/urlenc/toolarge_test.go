package urlenc

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
)

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
