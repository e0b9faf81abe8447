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

// Challenge is one challenge of a WWW-Authenticate (or
// Proxy-Authenticate) header field (RFC 7235 §2.1, §4.1): an auth-scheme
// followed by either a token68 or a list of auth-params.
type Challenge struct {
	// Scheme is the auth-scheme as sent ("Bearer", "basic", ...); schemes
	// are case-insensitive, so compare it with strings.EqualFold.
	Scheme string
	// Token68 is the token68 of a challenge that carries one instead of
	// parameters; empty otherwise.
	Token68 string
	// Params are the auth-params in the order sent, their names as sent
	// and their values unquoted. Look one up with [Challenge.Param].
	Params Params
}

// Param returns the value of the first auth-param named name, matched
// case-insensitively as RFC 7235 §2.1 requires, or "" if there is none.
func (c Challenge) Param(name string) string {
	for _, kv := range c.Params {
		if strings.EqualFold(kv.Key, name) {
			return kv.Value
		}
	}
	return ""
}

// ParseChallenges parses the value of a WWW-Authenticate header field, a
// comma-separated list of challenges (RFC 7235 §4.1), such as
//
//	Basic realm="api", Bearer error="invalid_token", DPoP algs="ES256"
//
// A challenge is an auth-scheme, then, after whitespace, a token68 or
// auth-params (name=value, the value a token or a quoted-string with
// backslash escapes, optional whitespace around '='). A list element that
// is a token not followed by '=' starts a new challenge; one followed by
// '=' is a parameter of the current one. Empty list elements are skipped,
// and a missing comma between parameters is tolerated. Several header
// fields are parsed one at a time, each with its own call.
//
// On malformed input ParseChallenges returns the challenges before the
// malformed one, and an error wrapping [ErrMalformedAuthParams]. The
// parser runs in time linear in the length of header.
func ParseChallenges(header string) ([]Challenge, error) {
	var out []Challenge
	s := header
	for {
		s = strings.TrimLeft(s, " \t,")
		if s == "" {
			return out, nil
		}
		n := tokenLen(s)
		if n == 0 {
			return out, fmt.Errorf("%w: unexpected %q", ErrMalformedAuthParams, clip(s))
		}
		name := s[:n]
		rest := strings.TrimLeft(s[n:], " \t")
		if len(out) > 0 && rest != "" && rest[0] == '=' {
			// An auth-param of the current challenge.
			cur := &out[len(out)-1]
			if cur.Token68 != "" {
				return out[:len(out)-1], fmt.Errorf("%w: parameter %q after a token68", ErrMalformedAuthParams, clip(name))
			}
			val, after, err := paramValue(name, strings.TrimLeft(rest[1:], " \t"))
			if err != nil {
				return out[:len(out)-1], err
			}
			cur.Params = append(cur.Params, Param{Key: name, Value: val})
			s = after
			continue
		}
		// A new challenge: the scheme ends at whitespace, ',' or the end.
		if rest := s[n:]; rest != "" && rest[0] != ' ' && rest[0] != '\t' && rest[0] != ',' {
			return out, fmt.Errorf("%w: unexpected %q after scheme %q", ErrMalformedAuthParams, clip(rest), clip(name))
		}
		c := Challenge{Scheme: name}
		s = s[n:]
		if t, after, ok := token68(strings.TrimLeft(s, " \t")); ok && len(s) > 0 && s[0] != ',' {
			c.Token68, s = t, after
		}
		out = append(out, c)
	}
}

// paramValue reads the value of the auth-param name from s, which starts
// after '=' and its whitespace: a quoted-string or a token. It returns the
// value and the rest of s.
func paramValue(name, s string) (val, rest string, err error) {
	if s != "" && s[0] == '"' {
		var b strings.Builder
		for j := 1; j < len(s); j++ {
			switch c := s[j]; {
			case c == '\\' && j+1 < len(s):
				j++
				b.WriteByte(s[j])
			case c == '"':
				return b.String(), s[j+1:], nil
			default:
				b.WriteByte(c)
			}
		}
		return "", "", fmt.Errorf("%w: unterminated quoted value of %q", ErrMalformedAuthParams, clip(name))
	}
	n := tokenLen(s)
	if n == 0 {
		return "", "", fmt.Errorf("%w: parameter %q has no value", ErrMalformedAuthParams, clip(name))
	}
	return s[:n], s[n:], nil
}

// token68 reports whether s starts with a token68 (RFC 7235 §2.1) that is
// the whole of its list element (followed only by whitespace, then ',' or
// the end), and returns it and the rest of s.
func token68(s string) (tok, rest string, ok bool) {
	i := 0
	for i < len(s) && isToken68Char(s[i]) {
		i++
	}
	if i == 0 {
		return "", s, false
	}
	for i < len(s) && s[i] == '=' {
		i++
	}
	after := strings.TrimLeft(s[i:], " \t")
	if after != "" && after[0] != ',' {
		return "", s, false
	}
	return s[:i], after, true
}

// tokenLen returns the length of the token (RFC 7230 §3.2.6 tchars) at the
// start of s.
func tokenLen(s string) int {
	i := 0
	for i < len(s) && isTokenChar(s[i]) {
		i++
	}
	return i
}

func isTokenChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

func isToken68Char(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/'
}
