package urlenc

import (
	"net/http"
	"strconv"
)

// TooLarge returns the error for what (a response body, a file) when it
// is longer than limit bytes. Its text says so, "<what> exceeds the limit
// of <limit> bytes", and it unwraps to an *http.MaxBytesError, the type
// callers test for, whose own text ("http: request body too large")
// speaks of a request.
func TooLarge(what string, limit int64) error {
	return &tooLargeError{what, &http.MaxBytesError{Limit: limit}}
}

type tooLargeError struct {
	what string
	err  *http.MaxBytesError
}

func (e *tooLargeError) Error() string {
	return e.what + " exceeds the limit of " + strconv.FormatInt(e.err.Limit, 10) + " bytes"
}

func (e *tooLargeError) Unwrap() error { return e.err }
