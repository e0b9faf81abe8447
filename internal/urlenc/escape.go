package urlenc

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unsafe"
)

const upperhex = "0123456789ABCDEF"

// Unreserved reports whether c is an RFC 3986 §2.3 unreserved character,
// one that OAuth 1 percent-encoding leaves as it is: A-Z a-z 0-9 - . _ ~.
func Unreserved(c byte) bool { return unreserved[c] }

// unreserved is true at each unreserved byte. Escaping is on the signing
// path of every OAuth 1 request: a lookup in this table escapes a long
// token a quarter faster than one in a bitmask. It is a variable, in the
// data segment, where the Client program of .ci/binsize has room.
var unreserved = [256]bool{
	'-': true, '.': true, '_': true, '~': true,
	'0': true, '1': true, '2': true, '3': true, '4': true, '5': true, '6': true, '7': true, '8': true, '9': true,
	'A': true, 'B': true, 'C': true, 'D': true, 'E': true, 'F': true, 'G': true, 'H': true, 'I': true, 'J': true, 'K': true, 'L': true, 'M': true,
	'N': true, 'O': true, 'P': true, 'Q': true, 'R': true, 'S': true, 'T': true, 'U': true, 'V': true, 'W': true, 'X': true, 'Y': true, 'Z': true,
	'a': true, 'b': true, 'c': true, 'd': true, 'e': true, 'f': true, 'g': true, 'h': true, 'i': true, 'j': true, 'k': true, 'l': true, 'm': true,
	'n': true, 'o': true, 'p': true, 'q': true, 'r': true, 's': true, 't': true, 'u': true, 'v': true, 'w': true, 'x': true, 'y': true, 'z': true,
}

// AppendEscape appends the RFC 5849 §3.6 percent-encoding of s to dst and
// returns the extended slice: the unreserved characters pass unchanged, and
// every other byte of s becomes %XX with upper-case hex digits.
//
// It is not inlined: each inlined call grows a program's line tables, and
// oauth1's signing calls it from a dozen places (224 bytes of its Client
// program, which is at its size budget).
//
//go:noinline
func AppendEscape(dst []byte, s string) []byte {
	dst, _ = appendEscape(dst, s, false)
	return dst
}

// AppendEscapeBytes is [AppendEscape] for a byte slice, which it reads
// in place: b must not overlap the bytes appended to dst.
func AppendEscapeBytes(dst, b []byte) []byte {
	return AppendEscape(dst, unsafe.String(unsafe.SliceData(b), len(b)))
}

// AppendNormalized appends the RFC 5849 §3.6 percent-encoding of what the
// application/x-www-form-urlencoded text s decodes to ([FormUnescape]):
// the name or value of a query or form parameter as an OAuth 1 signature
// base string has it (§3.4.1.3.2), in one pass and without decoding into
// a string. A malformed escape is [ErrInvalidEscape]; dst then holds the
// encoding of the bytes before it.
func AppendNormalized(dst []byte, s string) ([]byte, error) {
	return appendEscape(dst, s, true)
}

// appendEscape is the one percent-encoding loop: runs of unreserved bytes
// are copied at once, any other byte is encoded. With form set, s is
// form-decoded first, byte by byte: '+' is a space and %XX its byte.
func appendEscape(dst []byte, s string, form bool) ([]byte, error) {
	for {
		i := 0
		for i < len(s) && Unreserved(s[i]) {
			i++
		}
		dst = append(dst, s[:i]...)
		if i == len(s) {
			return dst, nil
		}
		c := s[i]
		s = s[i+1:]
		if form && c == '+' {
			c = ' '
		} else if form && c == '%' {
			if len(s) < 2 || !ishex(s[0]) || !ishex(s[1]) {
				return dst, ErrInvalidEscape
			}
			c, s = unhex(s[0])<<4|unhex(s[1]), s[2:]
			if Unreserved(c) {
				dst = append(dst, c)
				continue
			}
		}
		dst = append(dst, '%', upperhex[c>>4], upperhex[c&15])
	}
}

// ErrInvalidEscape is wrapped by every error for malformed percent-encoding:
// a '%' not followed by two hexadecimal digits.
var ErrInvalidEscape = errors.New("urlenc: invalid percent-encoding")

// EscapeError reports malformed percent-encoding in an input. It wraps
// [ErrInvalidEscape].
type EscapeError struct {
	// Offset is the byte offset of the offending '%' in the text decoded:
	// the input of Unescape or FormUnescape, the name or the value that
	// holds it for ParseForm.
	Offset int
	// Escape is the malformed sequence, at most three bytes.
	Escape string
}

// Error describes the malformed escape and where it is.
func (e *EscapeError) Error() string {
	return fmt.Sprintf("urlenc: invalid percent-encoding %q at offset %d", e.Escape, e.Offset)
}

// Unwrap returns [ErrInvalidEscape].
func (e *EscapeError) Unwrap() error { return ErrInvalidEscape }

// Unescape decodes RFC 3986 percent-encoding. A '+' stays a '+'. Lower-case
// hex digits are accepted. A malformed escape is an [*EscapeError].
func Unescape(s string) (string, error) { return unescape(s, false) }

// FormUnescape decodes application/x-www-form-urlencoded text: as
// [Unescape], but a '+' is a space.
func FormUnescape(s string) (string, error) { return unescape(s, true) }

func unescape(s string, plusIsSpace bool) (string, error) {
	// net/url decodes once the escapes are known to be well formed; its
	// own error would not say where the bad one is.
	for i := strings.IndexByte(s, '%'); i >= 0 && i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		if i+2 >= len(s) || !ishex(s[i+1]) || !ishex(s[i+2]) {
			return "", &EscapeError{Offset: i, Escape: s[i:min(i+3, len(s))]}
		}
		i += 2
	}
	if plusIsSpace {
		return url.QueryUnescape(s)
	}
	return url.PathUnescape(s)
}

func ishex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// unhex returns the value of the hexadecimal digit c.
func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}
