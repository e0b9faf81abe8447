package fakeprovider

// Client authentication (RFC 6749 §2.3, RFC 7523 §2.2) and JWT assertion
// checks (RFC 7523 §3), shared by the token, device, revocation and
// introspection endpoints and by the jwt-bearer grant.

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
)

const oauth2AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// authenticateClient finds the client a request comes from and checks its
// credentials with the one method the client is registered for. Using no
// method, another method, or two at once fails (RFC 6749 §2.3).
func (o *OAuth2) authenticateClient(r *http.Request, form urlenc.Params) (*OAuth2Client, *oauth2Error) {
	authz := r.Header.Get("Authorization")
	usedBasic := len(authz) > 6 && strings.EqualFold(authz[:6], "Basic ")
	formID, hasFormID := form.Lookup("client_id")
	formSecret, hasSecret := form.Lookup("client_secret")
	assertion, hasAssertion := form.Lookup("client_assertion")

	var used []string
	if usedBasic {
		used = append(used, authSecretBasic)
	}
	if hasSecret {
		used = append(used, authSecretPost)
	}
	if hasAssertion {
		used = append(used, "client_assertion")
	}
	if len(used) > 1 {
		return nil, errInvalidRequest("more than one client authentication method used")
	}
	if authz != "" && !usedBasic {
		return nil, errInvalidClient("unsupported Authorization scheme", false)
	}

	switch {
	case usedBasic:
		c, id, secret := o.basicClient(authz[6:])
		if c == nil || c.AuthMethod != authSecretBasic || !oauth2Equal(secret, c.Secret) {
			return nil, errInvalidClient("client authentication failed", true)
		}
		if hasFormID && formID != id {
			return nil, errInvalidClient("client_id does not match the credentials", true)
		}
		return c, nil

	case hasSecret:
		c := o.Clients[formID]
		if c == nil || c.AuthMethod != authSecretPost || !oauth2Equal(formSecret, c.Secret) {
			return nil, errInvalidClient("client authentication failed", false)
		}
		return c, nil

	case hasAssertion:
		if form.Get("client_assertion_type") != oauth2AssertionType {
			return nil, errInvalidRequest("client_assertion_type must be " + oauth2AssertionType)
		}
		claims, c, err := o.verifyAssertion(r, assertion, true)
		if err != nil {
			return nil, errInvalidClient(err.Error(), false)
		}
		if claims.Sub != c.ID || (hasFormID && formID != c.ID) {
			return nil, errInvalidClient("assertion sub and client_id must be the client", false)
		}
		return c, nil

	case hasFormID:
		c := o.Clients[formID]
		if c == nil || c.AuthMethod != authNone {
			return nil, errInvalidClient("client authentication failed", false)
		}
		return c, nil
	}
	return nil, errInvalidClient("no client authentication", false)
}

// basicClient finds the client named by Basic credentials v, form-decoded
// (RFC 6749 §2.3.1) or, for clients with RawBasic, as they are.
func (o *OAuth2) basicClient(v string) (c *OAuth2Client, id, secret string) {
	if id, secret, ok := oauth2ParseBasic(v, false); ok {
		if c := o.Clients[id]; c != nil && !c.RawBasic {
			return c, id, secret
		}
	}
	if id, secret, ok := oauth2ParseBasic(v, true); ok {
		if c := o.Clients[id]; c != nil && c.RawBasic {
			return c, id, secret
		}
	}
	return nil, "", ""
}

// oauth2ParseBasic decodes a Basic credentials value. Unless raw, the
// identifier and secret are form-decoded (RFC 6749 §2.3.1).
func oauth2ParseBasic(v string, raw bool) (id, secret string, ok bool) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v))
	if err != nil {
		return "", "", false
	}
	id, secret, ok = strings.Cut(string(b), ":")
	if !ok || raw {
		return id, secret, ok
	}
	id, err1 := urlenc.FormUnescape(id)
	secret, err2 := urlenc.FormUnescape(secret)
	return id, secret, err1 == nil && err2 == nil
}

func oauth2Equal(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// oauth2Claims are the JWT claims RFC 7523 §3 requires.
type oauth2Claims struct {
	Iss string          `json:"iss"`
	Sub string          `json:"sub"`
	Aud json.RawMessage `json:"aud"`
	Exp *float64        `json:"exp"`
	Nbf *float64        `json:"nbf"`
	Jti string          `json:"jti"`
}

// assertionError is a failed assertion check; its text is safe to send.
type assertionError string

func (e assertionError) Error() string { return string(e) }

// verifyAssertion checks a JWT assertion (RFC 7523 §3) issued by a
// registered client: the signature with the client's key (HS256 with Secret
// for client_secret_jwt clients, the PublicKey otherwise, with any of the
// algorithms of [DPoPOptions] that fits it), aud naming this server (see
// oauth2AudienceOK) or its issuer (only the issuer, for client
// authentication with RequireIssuerAudience), exp in the future, nbf past, and a jti
// never seen before. For client authentication (auth true) iss must be a
// client registered for a JWT method; for the jwt-bearer grant any client
// with a key may issue it. The signature is checked with the provider's
// own JWS code (dpop_jws.go), not the library's.
func (o *OAuth2) verifyAssertion(r *http.Request, token string, auth bool) (*oauth2Claims, *OAuth2Client, error) {
	j, err := parseJWS(token)
	if err != nil {
		return nil, nil, assertionError("malformed assertion")
	}
	var claims oauth2Claims
	if json.Unmarshal(j.payload, &claims) != nil {
		return nil, nil, assertionError("malformed assertion")
	}
	c := o.Clients[claims.Iss]
	if c == nil {
		return nil, nil, assertionError("assertion issuer is not a registered client")
	}
	switch {
	case c.AuthMethod == authSecretJWT || (!auth && j.alg == "HS256" && c.Secret != ""):
		if j.alg != "HS256" {
			return nil, nil, assertionError("assertion must be signed with HS256")
		}
		if !verifyHS256([]byte(c.Secret), j.signingInput, j.sig) {
			return nil, nil, assertionError("assertion signature invalid")
		}
	case c.AuthMethod == authPrivateJWT || (!auth && c.PublicKey != nil):
		if c.PublicKey == nil {
			return nil, nil, assertionError("assertion must be signed with the client's private key")
		}
		if err := verifyJWS(j.alg, c.PublicKey, j.signingInput, j.sig); err != nil {
			if err == errJWSSignature {
				return nil, nil, assertionError("assertion signature invalid")
			}
			return nil, nil, assertionError("assertion algorithm does not fit the client's key")
		}
	default:
		return nil, nil, assertionError("client is not registered for JWT assertions")
	}
	if claims.Sub == "" {
		return nil, nil, assertionError("assertion has no sub")
	}
	if auth && o.RequireIssuerAudience {
		var aud string
		if json.Unmarshal(claims.Aud, &aud) != nil || aud != o.issuer(r) {
			return nil, nil, assertionError("assertion aud must be the issuer identifier")
		}
	} else if !oauth2AudienceOK(r, claims.Aud) && !audienceNames(claims.Aud, o.issuer(r)) {
		return nil, nil, assertionError("assertion aud does not name this server")
	}
	now := o.now()
	if claims.Exp == nil {
		return nil, nil, assertionError("assertion has no exp")
	}
	exp := time.Unix(int64(*claims.Exp), 0)
	if !now.Before(exp) {
		return nil, nil, assertionError("assertion expired")
	}
	if claims.Nbf != nil && now.Before(time.Unix(int64(*claims.Nbf), 0)) {
		return nil, nil, assertionError("assertion not yet valid")
	}
	if claims.Jti == "" {
		return nil, nil, assertionError("assertion has no jti")
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for j, e := range o.jtis {
		if !now.Before(e) {
			delete(o.jtis, j)
		}
	}
	key2 := claims.Iss + "\x00" + claims.Jti
	if _, seen := o.jtis[key2]; seen {
		return nil, nil, assertionError("assertion jti reused")
	}
	o.jtis[key2] = exp
	return &claims, c, nil
}

// oauth2AudienceOK reports whether aud (a string or an array of strings)
// names this server: the token endpoint URL (RFC 7523 §3), the URL of the
// endpoint the request was made to, or the issuer (the base URL).
func oauth2AudienceOK(r *http.Request, aud json.RawMessage) bool {
	base := oauth2BaseURL(r)
	accept := []string{base + OAuth2TokenPath, base + r.URL.Path, base, base + "/"}
	var list []string
	var one string
	if json.Unmarshal(aud, &one) == nil {
		list = []string{one}
	} else if json.Unmarshal(aud, &list) != nil {
		return false
	}
	for _, a := range list {
		for _, ok := range accept {
			if a == ok {
				return true
			}
		}
	}
	return false
}

// verifyHS256 reports whether sig is the HMAC-SHA256 of signingInput keyed
// with key (RFC 7518 §3.2), compared in constant time.
func verifyHS256(key []byte, signingInput string, sig []byte) bool {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(signingInput))
	return hmac.Equal(m.Sum(nil), sig)
}
