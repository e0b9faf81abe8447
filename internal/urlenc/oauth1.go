package urlenc

// AppendEscapeTwice appends Escape(Escape(s)) to dst: how a parameter name
// or value appears inside an OAuth 1 signature base string, whose
// normalized parameters are percent-encoded once more (RFC 5849 §3.4.1.1).
// It does not allocate when dst has room.
func AppendEscapeTwice(dst []byte, s string) []byte {
	// Runs of unreserved bytes are copied in one append: parameter names
	// and most values are mostly unreserved, and per-byte appends dominate
	// the cost of building a base string otherwise.
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && unreservedTable[s[j]] {
			j++
		}
		dst = append(dst, s[i:j]...)
		if j == len(s) {
			break
		}
		c := s[j]
		dst = append(dst, '%', '2', '5', upperhex[c>>4], upperhex[c&15])
		i = j + 1
	}
	return dst
}

// CompareParams orders two parameters as RFC 5849 §3.4.1.3.2 sorts them:
// by encoded name, then by encoded value. It is the order of SortOAuth.
func CompareParams(a, b Param) int {
	if c := CompareEscaped(a.Key, b.Key); c != 0 {
		return c
	}
	return CompareEscaped(a.Value, b.Value)
}
