package urlenc

// CompareParams orders two parameters as RFC 5849 §3.4.1.3.2 sorts them:
// by encoded name, then by encoded value.
func CompareParams(a, b Param) int {
	if c := CompareEscaped(a.Key, b.Key); c != 0 {
		return c
	}
	return CompareEscaped(a.Value, b.Value)
}
