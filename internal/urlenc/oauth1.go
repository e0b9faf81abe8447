package urlenc

import "slices"

// AppendEscapeTwice appends Escape(Escape(s)) to dst: how a parameter name
// or value appears inside an OAuth 1 signature base string, whose
// normalized parameters are percent-encoded once more (RFC 5849 §3.4.1.1).
// It does not allocate when dst has room.
func AppendEscapeTwice(dst []byte, s string) []byte {
	// Room for the worst case is made once and bytes are stored by index:
	// per-byte appends dominate the cost of building a base string
	// otherwise.
	n := len(dst)
	dst = slices.Grow(dst, 5*len(s))
	out := dst[n : n+5*len(s)]
	w := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreservedTable[c] {
			out[w] = c
			w++
			continue
		}
		o := out[w : w+5 : w+5]
		o[0], o[1], o[2], o[3], o[4] = '%', '2', '5', upperhex[c>>4], upperhex[c&15]
		w += 5
	}
	return dst[:n+w]
}

// CompareParams orders two parameters as RFC 5849 §3.4.1.3.2 sorts them:
// by encoded name, then by encoded value. It is the order of SortOAuth.
func CompareParams(a, b Param) int {
	if c := CompareEscaped(a.Key, b.Key); c != 0 {
		return c
	}
	return CompareEscaped(a.Value, b.Value)
}
