package oidc

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"strconv"
	"strings"

	"github.com/oauthkit/oauth/internal/urlenc"
	"github.com/oauthkit/oauth/internal/urlenc/jsonobj"
	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/signer/jose"
)

// A TokenSource supplies the access token for a UserInfo request: it is
// package oauth2's TokenSource, which an *oauth2.Session is.
type TokenSource = oauth2.TokenSource

// UserInfo is a UserInfo response (OpenID Connect Core 1.0 §5.3.2): the
// claims about the end-user the access token may read. Subject and the
// [StandardClaims] are typed, the rest is read with [UserInfo.Claims].
// Profile, Email and EmailVerified are coreos/go-oidc's fields.
type UserInfo struct {
	// Subject is "sub", always present.
	Subject string
	StandardClaims

	claims []byte
}

// String describes u by its subject alone: the other claims are personal
// data, which u's fields and Claims give to a caller who asks.
func (u UserInfo) String() string {
	return "oidc.UserInfo{Subject:" + strconv.Quote(urlenc.Clip(u.Subject, maxQuoted)) + "}"
}

// Format implements fmt.Formatter: every verb prints String (quoted for
// %q), so that printing a UserInfo, or a value holding one, shows no
// claim but the subject (and not the response's bytes).
func (u UserInfo) Format(f fmt.State, verb rune) { urlenc.Format(f, verb, u.String()) }

// Claims unmarshals every claim of the response into v, with
// encoding/json.
func (u *UserInfo) Claims(v any) error {
	if u.claims == nil {
		return fmt.Errorf("oidc: UserInfo has no claims: it was not made by Provider.UserInfo")
	}
	return json.Unmarshal(u.claims, v)
}

// UserInfo asks p's UserInfo endpoint about the end-user of the access
// token src supplies (§5.3), and returns the claims. subject is the "sub"
// of the end-user's ID token: a response about anyone else fails with an
// error wrapping [ErrSubjectMismatch] (§5.3.4: its claims must not be
// used, a token of another user may have been substituted). Pass "" only
// when there is no ID token to compare with.
//
// When src is an *oauth2.Session, the request goes through an
// oauth2.Transport with the session as its Source, as the requests of
// Session.Client do, over p's HTTP client (Options.HTTPClient): the
// session's token is placed as Config.Placement says, seen by
// Hooks.ProtectedRequest and sent over plain http to a host that is not a
// loopback address only if both Config.InsecureAllowHTTP and
// Options.InsecureAllowHTTP allow it. A DPoP-bound token goes as
// "Authorization: DPoP" with a proof for the request (RFC 9449 §7.1), a
// server nonce challenge is answered with one resend (§9), and a token
// the server refuses as invalid_token is replaced and the request sent
// once more (see oauth2.Transport). The token of any other src is sent
// as a Bearer token in the Authorization header (RFC 6750 §2.1); a token
// whose type (oauth2.Token.Type) is not Bearer, such as a DPoP-bound one,
// is then refused, and nothing is sent: it would need a proof, which only
// a Session's key makes.
//
// Either way, redirects are followed only to the same origin (see
// Options.HTTPClient), the body is read through Options.MaxBodyBytes, and
// ctx bounds the request (and Options.Timeout, when ctx has no deadline),
// src's Token call and the wait for a refresh the session makes for it.
//
// A JSON response is read as a JSON object with a non-empty "sub". A
// signed response (Content-Type application/jwt) is verified as an ID
// token's signature is, with p's JWK Set and the algorithms of the
// metadata's userinfo_signing_alg_values_supported, and its "iss" must be
// p's issuer; its "aud" is not checked, since p does not know the client.
// An encrypted response is refused. Errors: oauth2.ErrNoEndpoint without
// a userinfo_endpoint; an *oauth2.Error with Endpoint "userinfo" for an
// error status (errors.Is(err, oauth2.ErrInvalidToken) for a token the
// server refuses), whose fields never hold the access token; a wrapped
// *http.MaxBytesError for a body over the limit; [ErrMalformedToken] for a
// response without a usable "sub".
func (p *Provider) UserInfo(ctx context.Context, src TokenSource, subject string) (*UserInfo, error) {
	tok, err := src.Token(ctx)
	if err != nil {
		return nil, fmt.Errorf("oidc: userinfo: getting the access token: %w", err)
	}
	if tok == nil || tok.AccessToken == "" {
		return nil, fmt.Errorf("oidc: userinfo: %w", oauth2.ErrNoToken)
	}
	sess, _ := src.(*oauth2.Session)
	// Type, not TokenType: a token with a DPoPJKT is DPoP-bound whatever
	// its TokenType says.
	if typ := tok.Type(); typ != "Bearer" && sess == nil {
		return nil, fmt.Errorf("oidc: userinfo: token type %s is not Bearer", quote(typ))
	}
	m, err := p.current(ctx)
	if err != nil {
		return nil, err
	}
	if m.UserInfoEndpoint == "" {
		return nil, fmt.Errorf("oidc: userinfo: %w: the metadata has no userinfo_endpoint", oauth2.ErrNoEndpoint)
	}
	r := request{endpoint: "userinfo", url: m.UserInfoEndpoint, accept: "application/json, application/jwt"}
	if sess != nil {
		// The session's Transport takes the token again when it sends:
		// the one it sends may be a renewed one.
		r.session = sess
	} else {
		r.bearer = tok.AccessToken
	}
	body, h, err := p.f.do(ctx, r)
	if err != nil {
		return nil, err
	}
	mediaType, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	if mediaType == "application/jwt" {
		if body, err = p.verifyUserInfoJWT(ctx, m, string(body)); err != nil {
			return nil, err
		}
	}
	u, err := parseUserInfo(body)
	if err != nil {
		return nil, err
	}
	if subject != "" && u.Subject != subject {
		return nil, fmt.Errorf("oidc: userinfo: %w: the response is about %s, not %s", ErrSubjectMismatch, quote(u.Subject), quote(subject))
	}
	return u, nil
}

// verifyUserInfoJWT checks a signed UserInfo response and returns its
// claims.
func (p *Provider) verifyUserInfoJWT(ctx context.Context, m *Metadata, raw string) ([]byte, error) {
	h, err := jose.ParseHeader(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("oidc: userinfo: %w: %w", ErrMalformedToken, err)
	}
	if algs := m.UserInfoSigningAlgValuesSupported; len(algs) > 0 && !contains(algs, h.Algorithm) {
		return nil, fmt.Errorf("oidc: userinfo: %w: %w: alg %s is not in userinfo_signing_alg_values_supported",
			ErrInvalidSignature, jose.ErrAlgorithmMismatch, quote(h.Algorithm))
	}
	payload, err := p.keys.VerifySignature(ctx, strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("oidc: userinfo: %w", err)
	}
	obj, err := jsonobj.Parse(payload)
	if err != nil {
		return nil, fmt.Errorf("oidc: userinfo: %w: claims: %w", ErrMalformedToken, err)
	}
	if iss, _, _ := getString(obj, "iss"); iss != p.issuer {
		return nil, fmt.Errorf("oidc: userinfo: %w: the signed response's iss is %s", ErrIssuerMismatch, quote(iss))
	}
	return payload, nil
}

// parseUserInfo reads a UserInfo response's claims: a JSON object without
// duplicate members, with a non-empty string "sub".
func parseUserInfo(body []byte) (*UserInfo, error) {
	obj, err := jsonobj.Parse(body)
	if err != nil {
		return nil, fmt.Errorf("oidc: userinfo: %w: %w", ErrMalformedToken, err)
	}
	sub, _, err := getString(obj, "sub")
	if err != nil || sub == "" {
		return nil, fmt.Errorf("oidc: userinfo: %w: no string \"sub\"", ErrMalformedToken)
	}
	return &UserInfo{Subject: sub, StandardClaims: standardClaims(obj), claims: body}, nil
}
