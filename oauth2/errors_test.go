package oauth2

import (
	"errors"
	"fmt"
	"testing"
)

// TestAsError checks asError against errors.As on the error trees the
// package and its hooks produce.
func TestAsError(t *testing.T) {
	e1, e2 := &Error{ErrorCode: "one"}, &Error{ErrorCode: "two"}
	other := errors.New("other")
	tests := []struct {
		name string
		err  error
	}{
		{"nil", nil},
		{"other", other},
		{"direct", e1},
		{"wrapped", fmt.Errorf("a: %w", e1)},
		{"wrapped twice", fmt.Errorf("b: %w", fmt.Errorf("a: %w", e1))},
		{"wrapped by %v", fmt.Errorf("a: %v", e1)},
		{"joined", errors.Join(other, e1, e2)},
		{"joined deep", errors.Join(other, fmt.Errorf("x: %w", errors.Join(other, e2)), e1)},
		{"multiple %w", fmt.Errorf("%w %w", other, e2)},
		{"joined without", errors.Join(other, other)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want *Error
			errors.As(tt.err, &want)
			if got := asError(tt.err); got != want {
				t.Errorf("asError(%v) = %p, want %p (errors.As)", tt.err, got, want)
			}
		})
	}
}
