package urlenc

import (
	"slices"
	"strings"
)

// This file lets an OAuth 1 signer put query and form-body parameters into
// a signature base string straight from the form-encoded text they arrive
// in. The base string needs each name and value decoded, percent-encoded
// (RFC 5849 §3.6), sorted by that encoding, and encoded once more
// (§3.4.1.1). Decoding first costs an allocation for every value with an
// escape in it, and a pass over it; transcoding does neither.

// A RawParam is a parameter as it appears in form-encoded text: the name
// and the value are still encoded ('+' for a space, %XX for a byte). The
// functions taking one rely on its escapes being well formed, as
// [AppendSplitForm] checks.
type RawParam struct {
	Key   string
	Value string
}

// AppendSplitForm is [AppendParseForm] without the decoding: it splits s
// into pairs the same way, appends them to p still encoded, and fails on
// the same malformed escape, with the same [*EscapeError].
func AppendSplitForm(p []RawParam, s string) ([]RawParam, error) {
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		if err := checkEscapes(k); err != nil {
			return p, err
		}
		if err := checkEscapes(v); err != nil {
			return p, err
		}
		p = append(p, RawParam{k, v})
	}
	return p, nil
}

// checkEscapes returns the error [FormUnescape] would give for s.
func checkEscapes(s string) error {
	// IndexByte finds the first '%' fast in text that has none, the common
	// case; from there a plain loop beats calling it again per escape.
	i := strings.IndexByte(s, '%')
	if i < 0 {
		return nil
	}
	for ; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		if i+2 >= len(s) || hexVal[s[i+1]]|hexVal[s[i+2]] > 15 {
			return &EscapeError{Offset: i, Escape: s[i:min(i+3, len(s))]}
		}
		i += 2
	}
	return nil
}

// hexVal[c] is the value of the hexadecimal digit c, or 0xff for a byte
// that is not one.
var hexVal = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for c := 0; c < 10; c++ {
		t['0'+c] = byte(c)
	}
	for c := 0; c < 6; c++ {
		t['a'+c] = byte(10 + c)
		t['A'+c] = byte(10 + c)
	}
	return t
}()

// formByteAt returns the byte that form-decoding s gives at i, and how
// many bytes of s encode it. The escape at i, if any, must be well formed.
func formByteAt(s string, i int) (byte, int) {
	switch c := s[i]; c {
	case '+':
		return ' ', 1
	case '%':
		return hexVal[s[i+1]]<<4 | hexVal[s[i+2]], 3
	default:
		return c, 1
	}
}

// AppendEscapeTwiceForm appends AppendEscapeTwice of the form-decoded s:
// AppendEscapeTwice(dst, FormUnescape(s)), without the intermediate
// string. The escapes in s must be well formed.
func AppendEscapeTwiceForm(dst []byte, s string) []byte {
	// As in AppendEscapeTwice, room for the worst case is made once: a
	// byte of s gives at most five, "%XX" at most five for three.
	n := len(dst)
	dst = slices.Grow(dst, 5*len(s))
	out := dst[n : n+5*len(s)]
	w := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreservedTable[c] { // the common case first: neither '+' nor '%'
			out[w] = c
			w++
			continue
		}
		switch c {
		case '+':
			c = ' '
		case '%':
			c = hexVal[s[i+1]]<<4 | hexVal[s[i+2]]
			i += 2
			if unreservedTable[c] {
				out[w] = c
				w++
				continue
			}
		}
		o := out[w : w+5 : w+5]
		o[0], o[1], o[2], o[3], o[4] = '%', '2', '5', upperhex[c>>4], upperhex[c&15]
		w += 5
	}
	return dst[:n+w]
}

// CompareRawParams orders two raw parameters as [CompareParams] orders
// their decoded forms.
func CompareRawParams(a, b RawParam) int {
	if c := compareForm(a.Key, b.Key, true); c != 0 {
		return c
	}
	return compareForm(a.Value, b.Value, true)
}

// CompareRawParam orders a raw parameter against a decoded one, as
// [CompareParams] orders a's decoded form and b.
func CompareRawParam(a RawParam, b Param) int {
	if c := compareForm(a.Key, b.Key, false); c != 0 {
		return c
	}
	return compareForm(a.Value, b.Value, false)
}

// compareForm is [CompareEscaped] of the form-decoded a and of b, itself
// form-decoded when bRaw is set, decoding a byte at a time as it goes.
func compareForm(a, b string, bRaw bool) int {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ca, wa := formByteAt(a, i)
		cb, wb := b[j], 1
		if bRaw {
			cb, wb = formByteAt(b, j)
		}
		if ca != cb {
			return compareEncodedByte(ca, cb)
		}
		i += wa
		j += wb
	}
	// Whatever is left of either decodes to at least one byte.
	switch {
	case i < len(a):
		return 1
	case j < len(b):
		return -1
	}
	return 0
}
