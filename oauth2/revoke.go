package oauth2

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// TokenKind names one of the session's tokens, and is the token_type_hint of
// revocation and introspection requests (RFC 7009 §2.1, RFC 7662 §2.1).
type TokenKind string

const (
	// AccessToken is the access token ("access_token").
	AccessToken TokenKind = "access_token"
	// RefreshToken is the refresh token ("refresh_token").
	RefreshToken TokenKind = "refresh_token"
)

func (s *Session) tokenOf(kind TokenKind) (string, error) {
	st := s.cur.Load()
	if st == nil {
		return "", ErrNoToken
	}
	switch kind {
	case AccessToken:
		return st.tok.AccessToken, nil
	case RefreshToken:
		// The live one: after a refresh whose token OnTokenUpdate
		// refused, the server may already have revoked the one in use.
		if st.pending != nil && st.pending.RefreshToken != "" {
			return st.pending.RefreshToken, nil
		}
		if st.tok.RefreshToken == "" {
			return "", ErrNoRefreshToken
		}
		return st.tok.RefreshToken, nil
	}
	return "", fmt.Errorf("oauth2: unknown token kind %q", clip(string(kind), 64))
}

// Revoke revokes the session's access or refresh token at
// Endpoint.RevocationURL (RFC 7009) with the matching token_type_hint: the
// access token in use, or the live refresh token (that of a token
// OnTokenUpdate refused, if there is one; see Session.OnTokenUpdate). The
// session keeps its token: the server decides what a revoked refresh token
// takes with it. An error response is an *Error (503 carries RetryAfter).
func (s *Session) Revoke(ctx context.Context, kind TokenKind) error {
	tok, err := s.tokenOf(kind)
	if err != nil {
		return err
	}
	return s.RevokeToken(ctx, tok, kind)
}

// RevokeToken revokes any token at Endpoint.RevocationURL (RFC 7009 §2.1);
// hint may be empty. RFC 7009 answers 200 for unknown tokens too.
func (s *Session) RevokeToken(ctx context.Context, token string, hint TokenKind) error {
	p := urlenc.Params{{Key: "token", Value: token}}
	if hint != "" {
		p.Add("token_type_hint", string(hint))
	}
	r, err := s.postForm(ctx, "revocation", s.cfg.Endpoint.RevocationURL, p, false)
	if err != nil {
		return err
	}
	if r.status == 200 {
		return nil
	}
	return s.endpointError("revocation", r)
}

func (s *Session) endpointError(name string, r *response) error {
	vals, _ := decodeResponse(r.contentType, r.body) // nil if it does not decode
	e := newError(name, r.status, vals, r.body, r.secrets)
	e.RetryAfter = retryAfter(r.header, s.cfg.now())
	return e
}

// Introspection is a token introspection response (RFC 7662 §2.2). Only
// Active is required; the other fields are zero when absent.
type Introspection struct {
	Active    bool
	Scope     []string // the space-separated scope, split
	ClientID  string
	Username  string
	TokenType string
	Exp       time.Time
	Iat       time.Time
	Nbf       time.Time
	Sub       string
	Aud       []string // a single audience is a one-element slice
	Iss       string
	Jti       string
	// Extra holds the other members of the response.
	Extra map[string]any
}

// Introspect asks Endpoint.IntrospectionURL about the session's access or
// refresh token (RFC 7662), chosen as Revoke chooses it. An inactive token
// is not an error: Active is false.
func (s *Session) Introspect(ctx context.Context, kind TokenKind) (*Introspection, error) {
	tok, err := s.tokenOf(kind)
	if err != nil {
		return nil, err
	}
	return s.IntrospectToken(ctx, tok, kind)
}

// IntrospectToken asks Endpoint.IntrospectionURL about any token (RFC 7662
// §2.1); hint may be empty.
func (s *Session) IntrospectToken(ctx context.Context, token string, hint TokenKind) (*Introspection, error) {
	p := urlenc.Params{{Key: "token", Value: token}}
	if hint != "" {
		p.Add("token_type_hint", string(hint))
	}
	r, err := s.postForm(ctx, "introspection", s.cfg.Endpoint.IntrospectionURL, p, false)
	if err != nil {
		return nil, err
	}
	if r.status != 200 {
		return nil, s.endpointError("introspection", r)
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
