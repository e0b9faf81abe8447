package oauth1

import (
	"fmt"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// parseAuthHeader parses an "OAuth" Authorization header (RFC 5849
// §3.5.1): the scheme, case-insensitive, then comma-separated name=value
// pairs where a value is a quoted-string (backslash escapes allowed) or a
// token; whitespace around ',' and '=' is ignored. Names and values other
// than realm are percent-decoded; realm is returned as given. ok is false
// when the header is not of the OAuth scheme at all.
func parseAuthHeader(h string) (realm string, hasRealm bool, params urlenc.Params, ok bool, err error) {
	raw, ok, err := urlenc.ParseAuthParams(h, "OAuth")
	if !ok {
		return "", false, nil, false, nil
	}
	if err != nil {
		return "", false, nil, true, fmt.Errorf("%w: authorization header: %w", ErrBadRequest, err)
	}
	for _, p := range raw {
		if p.Key == "realm" {
			if hasRealm {
				return "", false, nil, true, fmt.Errorf("oauth1: authorization header: realm repeated: %w", ErrBadRequest)
			}
			realm, hasRealm = p.Value, true
			continue
		}
		k, err := urlenc.Unescape(p.Key)
		if err != nil {
			return "", false, nil, true, fmt.Errorf("%w: authorization header: %w", ErrBadRequest, err)
		}
		v, err := urlenc.Unescape(p.Value)
		if err != nil {
			return "", false, nil, true, fmt.Errorf("%w: authorization header: %w", ErrBadRequest, err)
		}
		params = append(params, urlenc.Param{Key: k, Value: v})
	}
	return realm, hasRealm, params, true, nil
}
