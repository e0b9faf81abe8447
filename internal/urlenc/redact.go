package urlenc

import (
	"bytes"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// Redacted replaces a credential in text that [Redact] scrubs.
const Redacted = "[redacted]"

// Mask returns `""` for an empty s and "<redacted>" otherwise: how String
// methods print a credential, showing whether it is set but never what it
// is.
func Mask(s string) string {
	if s == "" {
		return `""`
	}
	return "<redacted>"
}

// Redact returns b with every whole occurrence of each non-empty secret
// replaced by [Redacted]. A secret is looked for as it is and in the forms
// a server echoing a request is likely to write it in: form-encoded,
// path-escaped, OAuth-percent-encoded (upper- or lower-case hex) and as the
// inside of a JSON string (with and without HTML escaping).
//
// An occurrence counts only when it is a whole token: the bytes on either
// side of it, if any, are not ASCII letters, digits, '-' or '_'; an escape
// just before it (%XX, %25XX, or a JSON \uXXXX, \n, \r, \t, \b, \f)
// counts as the separator it stands for, so that "token%3De" (a
// form-encoded "token=e") is scrubbed. A short secret such as "e"
// therefore never garbles the words around it, while an echoed
// "refresh_token=e&" or `"e"` is still scrubbed. Longer forms are replaced
// first, so that a secret containing another is replaced whole; and a
// secret that stands whole once its neighbour was replaced (a copy echoed
// back to back, or glued to another secret) is replaced too.
// b is not modified; when nothing is found b itself is returned.
func Redact(b []byte, secrets []string) []byte {
	var forms []string
	for _, s := range secrets {
		if s == "" {
			continue
		}
		forms = append(forms, s, url.QueryEscape(s), url.PathEscape(s),
			string(AppendEscape(nil, s)), lowerHex(string(AppendEscape(nil, s))),
			jsonEscape(s, true), jsonEscape(s, false))
	}
	slices.SortFunc(forms, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
	forms = slices.Compact(forms)
	out := b
	// A replacement can leave a secret that was glued to another whole
	// ("ab=cd" with secrets "ab=" and "cd"): repeat until nothing
	// changes, a bounded number of times; marks already made are left
	// alone (see inMark).
	for pass := 0; pass <= len(forms); pass++ {
		prev := out
		for _, f := range forms {
			out = replaceWhole(out, f)
		}
		if bytes.Equal(prev, out) {
			break
		}
	}
	return out
}

// RedactString is [Redact] for a string.
func RedactString(s string, secrets []string) string {
	b := Redact([]byte(s), secrets)
	return string(b)
}

// replaceWhole replaces every whole-token occurrence of f in b (see
// Redact), in one pass. It returns b itself when there is none.
//
// An occurrence is replaced when each of its sides either separates it
// from its neighbour (leftOK, rightOK) or touches another occurrence that
// is replaced: copies of a secret echoed back to back ("SSS") go
// together, in whichever direction the separators allow, while a secret
// glued to a word is left alone. Occurrences overlapping a mark already
// made are left alone too.
func replaceWhole(b []byte, f string) []byte {
	n := len(f)
	var occ []int // starts, left to right, not overlapping
	for i := 0; n > 0 && i <= len(b)-n; {
		j := bytes.Index(b[i:], []byte(f))
		if j < 0 {
			break
		}
		s := i + j
		if inMark(b, s, s+n) {
			i = s + 1
			continue
		}
		occ = append(occ, s)
		i = s + n
	}
	if len(occ) == 0 {
		return b
	}
	leftOK := func(s int) bool { return s == 0 || !wordByte(b[s-1]) || escapeEndsAt(b, s) }
	rightOK := func(e int) bool { return e == len(b) || !wordByte(b[e]) }
	repl := make([]bool, len(occ))
	update := func(k int) bool {
		if repl[k] {
			return false
		}
		s := occ[k]
		l := leftOK(s) || k > 0 && occ[k-1]+n == s && repl[k-1]
		r := rightOK(s+n) || k+1 < len(occ) && occ[k+1] == s+n && repl[k+1]
		repl[k] = l && r
		return repl[k]
	}
	// A sweep each way settles every run of touching occurrences; the
	// loop ends when a round changes nothing.
	for changed := true; changed; {
		changed = false
		for k := range occ {
			changed = update(k) || changed
		}
		for k := len(occ) - 1; k >= 0; k-- {
			changed = update(k) || changed
		}
	}
	var out []byte
	last := 0
	for k, s := range occ {
		if repl[k] {
			out = append(out, b[last:s]...)
			out = append(out, Redacted...)
			last = s + n
		}
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// wordByte reports whether c continues a token: a secret next to one is
// part of a longer word, not the secret itself.
func wordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}

// inMark reports whether b[start:end] overlaps a [Redacted] mark, which a
// later pass must leave alone.
func inMark(b []byte, start, end int) bool {
	lo, hi := max(0, start-len(Redacted)+1), min(len(b), end+len(Redacted)-1)
	i := bytes.Index(b[lo:hi], []byte(Redacted))
	return i >= 0
}

// escapeEndsAt reports whether b[:i] ends with a percent-escape (%XX, or
// %25XX encoded twice) or a JSON escape (\uXXXX, \n, \r, \t, \b, \f):
// whatever it encodes, the text after it starts a new token.
func escapeEndsAt(b []byte, i int) bool {
	switch {
	case i >= 3 && b[i-3] == '%' && ishex(b[i-2]) && ishex(b[i-1]):
		return true
	case i >= 5 && b[i-5] == '%' && b[i-4] == '2' && b[i-3] == '5' && ishex(b[i-2]) && ishex(b[i-1]):
		return true // %25XX: an escape encoded once more
	case i >= 6 && b[i-6] == '\\' && b[i-5] == 'u' && ishex(b[i-4]) && ishex(b[i-3]) && ishex(b[i-2]) && ishex(b[i-1]):
		return true
	case i >= 2 && b[i-2] == '\\' && strings.IndexByte("nrtbf", b[i-1]) >= 0:
		return true
	}
	return false
}

// lowerHex returns s with the hex digits of its %XX escapes in lower case.
func lowerHex(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			for k := i + 1; k <= i+2; k++ {
				if 'A' <= b[k] && b[k] <= 'F' {
					b[k] += 'a' - 'A'
				}
			}
			i += 2
		}
	}
	return string(b)
}

// AppendJSONString appends s to dst as a JSON string, escaped as
// encoding/json's Marshal escapes it: '"', '\\' and the control
// characters, U+2028 and U+2029, each byte of invalid UTF-8 as \ufffd, and
// with html '<', '>' and '&' (Marshal's HTML-safe form; an Encoder with
// SetEscapeHTML(false) leaves them).
func AppendJSONString(dst []byte, s string, html bool) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c == '\b':
				dst = append(dst, '\\', 'b')
			case c == '\f':
				dst = append(dst, '\\', 'f')
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c == '\t':
				dst = append(dst, '\\', 't')
			case c < 0x20 || html && (c == '<' || c == '>' || c == '&'):
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&15])
		default:
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return append(dst, '"')
}

// jsonEscape returns the inside of the JSON string encoding/json writes for
// s, with or without its HTML escaping of <, > and &.
func jsonEscape(s string, html bool) string {
	b := AppendJSONString(nil, s, html)
	return string(b[1 : len(b)-1])
}

// Clip bounds untrusted text before an error message or field holds it: s
// with invalid UTF-8 replaced by U+FFFD, cut to at most n bytes at a rune
// boundary, and "..." appended when it was cut.
func Clip(s string, n int) string { return cut(s, n, false) }

// cut is Clip, and with words ClipWords.
func cut(s string, n int, words bool) string {
	if len(s) <= n && utf8.ValidString(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= n {
		return s
	}
	end := n
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	if words && wordByte(s[end]) {
		for end > 0 && wordByte(s[end-1]) {
			end--
		}
	}
	return s[:end] + "..."
}
