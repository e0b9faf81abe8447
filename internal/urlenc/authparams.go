package urlenc

import (
	"errors"
	"fmt"
	"strings"
)

// ErrMalformedAuthParams is wrapped by the errors of [ParseAuthParams].
var ErrMalformedAuthParams = errors.New("urlenc: malformed auth-params")

// ParseAuthParams parses an Authorization or WWW-Authenticate header value
// of the given scheme (RFC 7235 §2.1; "OAuth" in RFC 5849 §3.5.1, "Bearer"
// in RFC 6750 §3): the scheme, matched case-insensitively, then
// comma-separated name=value pairs whose value is a token or a
// quoted-string (backslash escapes allowed), with optional whitespace around
// ',' and '='. Values are unquoted but not otherwise decoded. ok is false
// when the header is not of that scheme; err (wrapping
// [ErrMalformedAuthParams]) when it is, but does not parse.
func ParseAuthParams(header, scheme string) (params Params, ok bool, err error) {
	h := strings.TrimLeft(header, " \t")
	if len(h) < len(scheme) || !strings.EqualFold(h[:len(scheme)], scheme) {
		return nil, false, nil
	}
	rest := h[len(scheme):]
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return nil, false, nil
	}
	for {
		rest = strings.TrimLeft(rest, " \t,")
		if rest == "" {
			return params, true, nil
		}
		i := 0
		for i < len(rest) && rest[i] != '=' && rest[i] != ',' && rest[i] != ' ' && rest[i] != '\t' && rest[i] != '"' {
			i++
		}
		name := rest[:i]
		rest = strings.TrimLeft(rest[i:], " \t")
		if name == "" || rest == "" || rest[0] != '=' {
			return nil, true, fmt.Errorf("%w: parameter %q has no value", ErrMalformedAuthParams, clip(name))
		}
		rest = strings.TrimLeft(rest[1:], " \t")
		var val string
		if rest != "" && rest[0] == '"' {
			var b strings.Builder
			j, closed := 1, false
			for j < len(rest) {
				c := rest[j]
				if c == '\\' && j+1 < len(rest) {
					b.WriteByte(rest[j+1])
					j += 2
					continue
				}
				j++
				if c == '"' {
					closed = true
					break
				}
				b.WriteByte(c)
			}
			if !closed {
				return nil, true, fmt.Errorf("%w: unterminated quoted value of %q", ErrMalformedAuthParams, clip(name))
			}
			val, rest = b.String(), rest[j:]
		} else {
			j := 0
			for j < len(rest) && rest[j] != ',' && rest[j] != ' ' && rest[j] != '\t' {
				j++
			}
			val, rest = rest[:j], rest[j:]
		}
		rest = strings.TrimLeft(rest, " \t")
		if rest != "" && rest[0] != ',' {
			return nil, true, fmt.Errorf("%w: expected ',' after %q", ErrMalformedAuthParams, clip(name))
		}
		params = append(params, Param{Key: name, Value: val})
	}
}

// clip shortens an untrusted value quoted in an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40]
	}
	return s
}
