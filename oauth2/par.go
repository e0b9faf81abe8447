package oauth2

// Pushed authorization requests (RFC 9126) and request objects (RFC
// 9101): how a login sends its authorization request other than as the
// query of the URL the user is sent to.

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// requestObjectLifetime is how long a request object a login signs is
// valid (its "exp" is "iat" plus this): the URL of a login that sends one
// by value must be used within it (Login.Expiry).
const requestObjectLifetime = 5 * time.Minute

// requestObjectClaims are the claims requestObject sets; parameters of
// the same names are left out of the object, and so are request and
// request_uri, which RFC 9101 §4 forbids in it.
var requestObjectClaims = []string{"iss", "aud", "iat", "nbf", "exp", "jti", "request", "request_uri"}

// requestObject returns the authorization request p as a request object
// (RFC 9101 §4) signed with Config.Signer at now: a JWT of type
// oauth-authz-req+jwt (§10.8) whose claims are the parameters, in their
// order, a key given more than once as the array of its values (as RFC
// 8707 §2 writes resource), with iss the client_id, aud the issuer
// (Endpoint.Issuer), iat and nbf now, exp requestObjectLifetime later,
// and a random jti; kid is Config.KeyID when set.
func (c *Config) requestObject(p urlenc.Params, now time.Time) (string, error) {
	if c.Signer == nil {
		return "", fmt.Errorf("oauth2: request object: %w", ErrNoSigner)
	}
	if c.Endpoint.Issuer == "" {
		return "", fmt.Errorf("oauth2: request object: %w: Endpoint.Issuer, its audience, is empty", ErrNoEndpoint)
	}
	alg := c.Signer.Alg()
	if alg == "none" {
		return "", errors.New("oauth2: request object: signer alg \"none\"")
	}
	jti, err := randomString(c.rand(), 16)
	if err != nil {
		return "", err
	}
	claims := urlenc.AppendJSONString([]byte(`{"iss":`), c.ClientID, true)
	claims = urlenc.AppendJSONString(append(claims, `,"aud":`...), c.Endpoint.Issuer, true)
	done := make(map[string]bool, len(p))
	for _, kv := range p {
		if done[kv.Key] || contains(requestObjectClaims, kv.Key) {
			continue
		}
		done[kv.Key] = true
		claims = urlenc.AppendJSONString(append(claims, ','), kv.Key, true)
		claims = append(claims, ':')
		vals := p.Values(kv.Key)
		if len(vals) == 1 {
			claims = urlenc.AppendJSONString(claims, vals[0], true)
			continue
		}
		claims = append(claims, '[')
		for i, v := range vals {
			if i > 0 {
				claims = append(claims, ',')
			}
			claims = urlenc.AppendJSONString(claims, v, true)
		}
		claims = append(claims, ']')
	}
	iat := now.Unix()
	claims = urlenc.AppendJSONString(append(claims, `,"jti":`...), jti, true)
	claims = strconv.AppendInt(append(claims, `,"iat":`...), iat, 10)
	claims = strconv.AppendInt(append(claims, `,"nbf":`...), iat, 10)
	claims = strconv.AppendInt(append(claims, `,"exp":`...), iat+int64(requestObjectLifetime/time.Second), 10)
	claims = append(claims, '}')
	header := append(urlenc.AppendJSONString([]byte(`{"alg":`), alg, true), `,"typ":"oauth-authz-req+jwt"`...)
	if c.KeyID != "" {
		header = urlenc.AppendJSONString(append(header, `,"kid":`...), c.KeyID, true)
	}
	header = append(header, '}')
	obj, err := signJWS(c.Signer, header, claims)
	if err != nil {
		return "", fmt.Errorf("oauth2: signing request object: %w", err)
	}
	return obj, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// pushAuthorization pushes the authorization request p to
// Endpoint.PushedAuthURL with client authentication, and a DPoP proof
// with Config.DPoP (RFC 9126 §2.1), and returns the request_uri the
// server gave and when it expires (zero when the server did not say),
// and the DPoP nonce the endpoint gave last ("" for none). An error
// response is an *Error with Endpoint "pushed authorization" (§2.3).
func (c *Config) pushAuthorization(ctx context.Context, p urlenc.Params) (uri string, exp time.Time, nonce string, err error) {
	const name = "pushed authorization"
	var nonces *dpopNonces
	if c.DPoP != nil {
		nonces = new(dpopNonces)
	}
	r, err := c.postForm(ctx, name, c.Endpoint.PushedAuthURL, p, false, nil, nonces)
	if err != nil {
		return "", time.Time{}, "", err
	}
	if nonces != nil {
		if u, err := url.Parse(c.Endpoint.PushedAuthURL); err == nil { // postForm parsed it
			origin, _ := dpopTarget(u)
			nonce = nonces.get(origin)
		}
	}
	uri, exp, err = parsePushResponse(r, c.now())
	return uri, exp, nonce, err
}

// loginNonces returns the DPoP nonce memory of the token request that
// completes a login whose push learned nonce (Login.DPoPNonce): it holds
// nonce for the token endpoint when that endpoint has the origin of the
// PAR endpoint (RFC 9449 §8: the nonce is the server's), and is empty
// otherwise. It is nil without Config.DPoP.
func (c *Config) loginNonces(nonce string) *dpopNonces {
	if c.DPoP == nil {
		return nil
	}
	n := new(dpopNonces)
	if !validNonce(nonce) {
		return n
	}
	par, err1 := url.Parse(c.Endpoint.PushedAuthURL)
	tok, err2 := url.Parse(c.Endpoint.TokenURL)
	if err1 != nil || err2 != nil || c.Endpoint.PushedAuthURL == "" {
		return n
	}
	if parOrigin, _ := dpopTarget(par); parOrigin != "" {
		if tokOrigin, _ := dpopTarget(tok); tokOrigin == parOrigin {
			n.set(tokOrigin, nonce)
		}
	}
	return n
}

// parsePushResponse reads r, the PAR endpoint's answer received at now
// (RFC 9126 §2.2, §2.3): the request_uri and its expiry, or an *Error.
func parsePushResponse(r *response, now time.Time) (string, time.Time, error) {
	const name = "pushed authorization"
	vals, _, derr := decodeResponse(r.contentType, r.body)
	if r.status/100 != 2 || derr == nil && vals["error"] != nil {
		if derr != nil {
			vals = nil
		}
		e := newError(name, r.status, vals, r.body, r.secrets)
		e.RetryAfter = retryAfter(r.header, now)
		return "", time.Time{}, e
	}
	if derr != nil {
		return "", time.Time{}, fmt.Errorf("oauth2: %s endpoint: cannot parse response: %w", name, derr)
	}
	uri, _ := vals["request_uri"].(string)
	if uri == "" {
		return "", time.Time{}, fmt.Errorf("oauth2: %s endpoint: response has no request_uri", name)
	}
	secs, err := expiresIn(vals["expires_in"])
	if err != nil {
		return "", time.Time{}, fmt.Errorf("oauth2: %s endpoint: %w", name, err)
	}
	var exp time.Time
	if secs > 0 {
		exp = now.Add(time.Duration(secs) * time.Second)
	}
	return uri, exp, nil
}
