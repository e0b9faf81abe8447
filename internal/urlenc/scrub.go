package urlenc

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// ClipWords is [Clip] for text that may hold secrets [Redact] left alone
// because they were glued to other text: a cut never falls inside a word
// (a run of the bytes Redact counts as continuing a token), which would
// make such a secret stand alone; text whose first word is longer than n
// is cut to "..." alone.
func ClipWords(s string, n int) string { return cut(s, n, true) }

// ScrubError returns err, the error of sending a request that carried
// secrets, with its text scrubbed of them ([Redact]) and bounded to n
// bytes ([ClipWords]): net/http's errors quote what the server sent, such
// as a malformed status line (whole, up to megabytes), in which a hostile
// server can echo the credentials it received. An error whose text needs
// no change is returned as it is. A *url.Error stays one, with its URL
// and the text of its Err scrubbed; errors.Is still sees through the
// scrubbed text, so that errors.Is(err, context.DeadlineExceeded) holds,
// and so does a Timeout method.
func ScrubError(err error, secrets []string, n int) error {
	if ue, ok := err.(*url.Error); ok {
		inner := ue.Err
		if inner != nil {
			inner = ScrubError(inner, secrets, n)
		}
		u := ClipWords(RedactString(ue.URL, secrets), n)
		if u == ue.URL && inner == ue.Err {
			return err
		}
		return &url.Error{Op: ue.Op, URL: u, Err: inner}
	}
	msg := err.Error()
	if clean := ClipWords(RedactString(msg, secrets), n); clean != msg {
		return &scrubbedError{msg: clean, err: err}
	}
	return err
}

// scrubbedError is an error whose text was scrubbed of credentials and
// bounded. It does not unwrap, which would hand the original text to
// whoever prints the chain; errors.Is asks the original.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }

// Is reports whether the original error is target or wraps it.
func (e *scrubbedError) Is(target error) bool { return errors.Is(e.err, target) }

// Timeout reports whether the original error is a timeout, as
// *url.Error.Timeout asks.
func (e *scrubbedError) Timeout() bool {
	t, ok := e.err.(interface{ Timeout() bool })
	return ok && t.Timeout()
}

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
	return fmt.Sprintf("%s exceeds the limit of %d bytes", e.what, e.err.Limit)
}

func (e *tooLargeError) Unwrap() error { return e.err }
