package urlenc

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

const upperhex = "0123456789ABCDEF"

// Unreserved reports whether c is an RFC 3986 §2.3 unreserved character,
// one that OAuth 1 percent-encoding leaves as it is: A-Z a-z 0-9 - . _ ~.
func Unreserved(c byte) bool {
	return c < 128 && unreserved[c/64]>>(c%64)&1 == 1
}

// unreserved has bit c%64 of word c/64 set for each unreserved byte c: a
// lookup costs less than the comparisons, and escaping is on the signing
// path of every OAuth 1 request.
var unreserved = [2]uint64{
	1<<'-' | 1<<'.' | (1<<10-1)<<'0',
	(1<<26-1)<<('A'-64) | 1<<('_'-64) | (1<<26-1)<<('a'-64) | 1<<('~'-64),
}

// AppendEscape appends the RFC 5849 §3.6 percent-encoding of s to dst and
// returns the extended slice: the unreserved characters pass unchanged, and
// every other byte of s becomes %XX with upper-case hex digits. It does not
// allocate when dst has room for 3*len(s) more bytes.
func AppendEscape(dst []byte, s string) []byte {
	return appendEscape(dst, s, false)
}

// AppendEscapeBytes is [AppendEscape] for a byte slice.
func AppendEscapeBytes(dst, b []byte) []byte {
	return appendEscape(dst, b, false)
}

// AppendEscapeTwice appends the percent-encoding of the percent-encoding
// of s, without the one between: how a parameter's name and value appear
// in an OAuth 1 signature base string, whose normalized parameters are
// encoded once more (RFC 5849 §3.4.1.1). A byte that is not unreserved
// becomes %25XX. It does not allocate when dst has room for 5*len(s) more
// bytes.
func AppendEscapeTwice(dst []byte, s string) []byte {
	return appendEscape(dst, s, true)
}

// appendEscape is the one percent-encoding loop of OAuth 1: once, or
// twice (the '%' of each escape encoded again).
func appendEscape[T string | []byte](dst []byte, s T, twice bool) []byte {
	// Room for the worst case is made once and bytes are stored by index,
	// which costs less than an append, and its capacity check, per byte.
	n := len(dst)
	dst = slices.Grow(dst, 5*len(s))[:n+5*len(s)]
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case Unreserved(c):
			dst[n] = c
			n++
			continue
		case twice:
			dst[n], dst[n+1], dst[n+2] = '%', '2', '5'
			n += 3
		default:
			dst[n] = '%'
			n++
		}
		dst[n], dst[n+1] = upperhex[c>>4], upperhex[c&15]
		n += 2
	}
	return dst[:n]
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

// compareEncodedByte orders two different bytes by their RFC 5849 §3.6
// encodings: an unreserved byte encodes as itself, any other as "%XX";
// every unreserved byte sorts after '%', and upper-case hex sorts in
// numeric order.
func compareEncodedByte(ca, cb byte) int {
	ua, ub := Unreserved(ca), Unreserved(cb)
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
