package oauth2

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// TokenTypeHint is the token_type_hint of a revocation or introspection
// request (RFC 7009 §2.1, RFC 7662 §2.1): which kind of token is sent, to
// help the server find it.
type TokenTypeHint string

const (
	// HintAccessToken says the token is an access token.
	HintAccessToken TokenTypeHint = "access_token"
	// HintRefreshToken says the token is a refresh token.
	HintRefreshToken TokenTypeHint = "refresh_token"
)

// RevokeToken revokes token at Endpoint.RevocationURL (RFC 7009 §2.1)
// with client authentication; hint may be empty. A server answers 200 for
// an unknown token too (RFC 7009 §2.2). An error response is an *Error,
// whose RetryAfter holds a 503's Retry-After. ctx bounds the request.
func (c *Config) RevokeToken(ctx context.Context, token string, hint TokenTypeHint) error {
	return c.revoke(ctx, token, hint, nil)
}

func (c *Config) revoke(ctx context.Context, token string, hint TokenTypeHint, detect *atomic.Int32) error {
	r, err := c.postForm(ctx, "revocation", c.Endpoint.RevocationURL, hintParams(token, hint), false, detect, nil)
	if err != nil {
		return err
	}
	if r.status == 200 {
		return nil
	}
	return c.endpointError("revocation", r)
}

func hintParams(token string, hint TokenTypeHint) urlenc.Params {
	p := urlenc.Params{{Key: "token", Value: token}}
	if hint != "" {
		p.Add("token_type_hint", string(hint))
	}
	return p
}

// Introspection is a token introspection response (RFC 7662 §2.2). Only
// Active is required; the other fields are zero when absent or not of
// their type.
type Introspection struct {
	// Active reports whether the token is valid now.
	Active bool
	// Scope is the space-separated scope, split.
	Scope []string
	// ClientID is the client the token was issued to.
	ClientID string
	// Username names the resource owner who authorized the token.
	Username string
	// TokenType is the token's type, such as "Bearer".
	TokenType string
	// Exp, Iat and Nbf are the expiry, issue and not-before times, in UTC.
	Exp, Iat, Nbf time.Time
	// Sub is the token's subject.
	Sub string
	// Aud is the token's audience; a single audience is a one-element
	// slice.
	Aud []string
	// Iss is the token's issuer.
	Iss string
	// Jti is the token's identifier.
	Jti string
	// Extra holds the other members of the response, as encoding/json
	// decodes them with UseNumber.
	Extra map[string]any
}

// IntrospectToken asks Endpoint.IntrospectionURL about token (RFC 7662
// §2.1) with client authentication; hint may be empty. An inactive token
// is not an error: Active is false. An error response is an *Error. ctx
// bounds the request.
func (c *Config) IntrospectToken(ctx context.Context, token string, hint TokenTypeHint) (*Introspection, error) {
	return c.introspect(ctx, token, hint, nil)
}

func (c *Config) introspect(ctx context.Context, token string, hint TokenTypeHint, detect *atomic.Int32) (*Introspection, error) {
	r, err := c.postForm(ctx, "introspection", c.Endpoint.IntrospectionURL, hintParams(token, hint), false, detect, nil)
	if err != nil {
		return nil, err
	}
	if r.status != 200 {
		return nil, c.endpointError("introspection", r)
	}
	return parseIntrospection(r.body)
}

// parseIntrospection parses an RFC 7662 §2.2 response body.
func parseIntrospection(body []byte) (*Introspection, error) {
	m, err := decodeJSONObject(body)
	if err != nil {
		return nil, fmt.Errorf("oauth2: introspection endpoint: cannot parse response: %w", err)
	}
	active, ok := m["active"].(bool)
	if !ok {
		return nil, errors.New("oauth2: introspection endpoint: response has no boolean active")
	}
	in := &Introspection{Active: active, Extra: map[string]any{}}
	for k, v := range m {
		switch k {
		case "active":
		case "scope":
			in.Scope = strings.Fields(str(v))
		case "client_id":
			in.ClientID = str(v)
		case "username":
			in.Username = str(v)
		case "token_type":
			in.TokenType = str(v)
		case "sub":
			in.Sub = str(v)
		case "iss":
			in.Iss = str(v)
		case "jti":
			in.Jti = str(v)
		case "exp", "iat", "nbf":
			var t time.Time
			if n, ok := v.(json.Number); ok {
				if f, err := n.Float64(); err == nil {
					t = time.Unix(int64(f), 0).UTC()
				}
			}
			switch k {
			case "exp":
				in.Exp = t
			case "iat":
				in.Iat = t
			default:
				in.Nbf = t
			}
		case "aud":
			switch a := v.(type) {
			case string:
				in.Aud = []string{a}
			case []any:
				for _, x := range a {
					in.Aud = append(in.Aud, str(x))
				}
			}
		default:
			in.Extra[k] = v
		}
	}
	return in, nil
}
