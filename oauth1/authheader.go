package oauth1

import (
	"fmt"
	"strings"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// parseAuthHeader parses an "OAuth" Authorization header (RFC 5849
// §3.5.1): the scheme, case-insensitive, then comma-separated name=value
// pairs where a value is a quoted-string (backslash escapes allowed) or a
// token; whitespace around ',' and '=' is ignored. Names and values other
// than realm are percent-decoded; realm is returned as given. ok is false
// when the header is not of the OAuth scheme at all.
func parseAuthHeader(h string) (realm string, hasRealm bool, params urlenc.Params, ok bool, err error) {
	h = strings.TrimLeft(h, " \t")
	if len(h) < 5 || !strings.EqualFold(h[:5], "OAuth") {
		return "", false, nil, false, nil
	}
	rest := h[5:]
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return "", false, nil, false, nil
	}
	for {
		rest = strings.TrimLeft(rest, " \t,")
		if rest == "" {
			return realm, hasRealm, params, true, nil
		}
		// name
		i := 0
		for i < len(rest) && rest[i] != '=' && rest[i] != ',' && rest[i] != ' ' && rest[i] != '\t' && rest[i] != '"' {
			i++
		}
		name := rest[:i]
		rest = strings.TrimLeft(rest[i:], " \t")
		if name == "" || rest == "" || rest[0] != '=' {
			return "", false, nil, true, fmt.Errorf("oauth1: authorization header: parameter %q has no value: %w", trimForErr(name), ErrBadRequest)
		}
		rest = strings.TrimLeft(rest[1:], " \t")
		var val string
		if rest != "" && rest[0] == '"' {
			var b strings.Builder
			j := 1
			closed := false
			for j < len(rest) {
				c := rest[j]
				if c == '\\' && j+1 < len(rest) {
					b.WriteByte(rest[j+1])
					j += 2
					continue
				}
				if c == '"' {
					closed = true
					j++
					break
				}
				b.WriteByte(c)
				j++
			}
			if !closed {
				return "", false, nil, true, fmt.Errorf("oauth1: authorization header: unterminated quoted value: %w", ErrBadRequest)
			}
			val = b.String()
			rest = rest[j:]
		} else {
			j := 0
			for j < len(rest) && rest[j] != ',' && rest[j] != ' ' && rest[j] != '\t' {
				j++
			}
			val = rest[:j]
			rest = rest[j:]
		}
		rest = strings.TrimLeft(rest, " \t")
		if rest != "" && rest[0] != ',' {
			return "", false, nil, true, fmt.Errorf("oauth1: authorization header: expected ',' after %q: %w", trimForErr(name), ErrBadRequest)
		}
		if name == "realm" {
			if hasRealm {
				return "", false, nil, true, fmt.Errorf("oauth1: authorization header: realm repeated: %w", ErrBadRequest)
			}
			realm, hasRealm = val, true
			continue
		}
		k, err := urlenc.Unescape(name)
		if err != nil {
			return "", false, nil, true, fmt.Errorf("oauth1: authorization header: %w: %w", ErrBadRequest, err)
		}
		v, err := urlenc.Unescape(val)
		if err != nil {
			return "", false, nil, true, fmt.Errorf("oauth1: authorization header: %w: %w", ErrBadRequest, err)
		}
		params = append(params, urlenc.Param{Key: k, Value: v})
	}
}

func trimForErr(s string) string {
	if len(s) > 40 {
		return s[:40]
	}
	return s
}
