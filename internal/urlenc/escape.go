package urlenc

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

const upperhex = "0123456789ABCDEF"

// unreservedTable[c] is true for the RFC 3986 §2.3 unreserved characters.
var unreservedTable = func() (t [256]bool) {
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range "-._~" {
		t[c] = true
	}
	return t
}()

// Unreserved reports whether c is an RFC 3986 §2.3 unreserved character,
// one that OAuth 1 percent-encoding leaves as it is.
func Unreserved(c byte) bool { return unreservedTable[c] }

// EscapedLen returns the length of [Escape](s).
func EscapedLen(s string) int {
	n := len(s)
	for i := 0; i < len(s); i++ {
		if !unreservedTable[s[i]] {
			n += 2
		}
	}
	return n
}

// Escape percent-encodes s as RFC 5849 §3.6 requires. It returns s itself,
// without allocating, when nothing needs encoding.
func Escape(s string) string {
	n := EscapedLen(s)
	if n == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(n)
	for i := 0; i < len(s); i++ {
		if c := s[i]; unreservedTable[c] {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(upperhex[c>>4])
			b.WriteByte(upperhex[c&15])
		}
	}
	return b.String()
}

// AppendEscape appends the RFC 5849 §3.6 percent-encoding of s to dst and
// returns the extended slice. It does not allocate when dst has room for
// 3*len(s) more bytes.
func AppendEscape(dst []byte, s string) []byte {
	return appendEscape(dst, s)
}

// AppendEscapeBytes is [AppendEscape] for a byte slice.
func AppendEscapeBytes(dst, b []byte) []byte {
	return appendEscape(dst, b)
}

func appendEscape[T string | []byte](dst []byte, s T) []byte {
	// Room for the worst case is made once and bytes are stored by index:
	// a per-byte append costs a capacity check each, and escaping sits on
	// the signing path of every OAuth 1 request.
	n := len(dst)
	dst = slices.Grow(dst, 3*len(s))
	out := dst[n : n+3*len(s)]
	w := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreservedTable[c] {
			out[w] = c
			w++
			continue
		}
		o := out[w : w+3 : w+3]
		o[0], o[1], o[2] = '%', upperhex[c>>4], upperhex[c&15]
		w += 3
	}
	return dst[:n+w]
}

// ErrInvalidEscape is wrapped by every error for malformed percent-encoding:
// a '%' not followed by two hexadecimal digits.
var ErrInvalidEscape = errors.New("urlenc: invalid percent-encoding")

// EscapeError reports malformed percent-encoding in an input. It wraps
// [ErrInvalidEscape].
type EscapeError struct {
	// Offset is the byte offset of the offending '%' in the input.
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
	// Fast path: nothing to decode, no allocation.
	n := 0
	hasPlus := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '%':
			n++
			if i+2 >= len(s) || !ishex(s[i+1]) || !ishex(s[i+2]) {
				end := min(i+3, len(s))
				return "", &EscapeError{Offset: i, Escape: s[i:end]}
			}
			i += 2
		case '+':
			hasPlus = plusIsSpace
		}
	}
	if n == 0 && !hasPlus {
		return s, nil
	}
	var b strings.Builder
	b.Grow(len(s) - 2*n)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '%':
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
		case '+':
			if plusIsSpace {
				b.WriteByte(' ')
			} else {
				b.WriteByte('+')
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

func ishex(c byte) bool { return hexVal[c] <= 15 }

func unhex(c byte) byte { return hexVal[c] }

// compareEncodedByte orders two different bytes by their RFC 5849 §3.6
// encodings: an unreserved byte encodes as itself, any other as "%XX";
// every unreserved byte sorts after '%', and upper-case hex sorts in
// numeric order.
func compareEncodedByte(ca, cb byte) int {
	ua, ub := unreservedTable[ca], unreservedTable[cb]
	switch {
	case ua == ub && ca < cb:
		return -1
	case ua == ub:
		return 1
	case ua:
		return 1
	default:
		return -1
	}
}

// CompareEscaped compares Escape(a) and Escape(b) lexicographically, as
// strings.Compare would, without encoding either. RFC 5849 §3.4.1.3.2 sorts
// parameters by their encoded names and values.
func CompareEscaped(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		ca, cb := a[i], b[i]
		if ca == cb {
			continue
		}
		// The encodings agree up to here.
		return compareEncodedByte(ca, cb)
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}
