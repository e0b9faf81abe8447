package fakeprovider

// ID tokens (OpenID Connect Core 1.0 §2, §3.1.3.6, §12.2) and the claims
// about the end-user that they and the UserInfo endpoint share.

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"time"
)

// oauth2IDToken is what the grant tells the ID token about the
// authentication it comes from.
type oauth2IDToken struct {
	clientID, username string
	authTime           time.Time
	nonce              string // the authorization request's, "" if none
	refresh            bool   // issued by a refresh grant
}

// wantsIDToken reports whether a token of scope for username comes with an
// ID token: the scope has openid and there is an end-user.
func wantsIDToken(username, scope string) bool {
	return username != "" && oauth2ScopeSubset("openid", scope)
}

// userClaims are the claims about username that ID tokens and UserInfo
// responses carry: name (the username with its first letter upper-cased),
// email (username@example.com) and email_verified (true).
func userClaims(username string) map[string]any {
	name := username
	if name != "" {
		name = strings.ToUpper(name[:1]) + name[1:]
	}
	return map[string]any{"name": name, "email": username + "@example.com", "email_verified": true}
}

// atHash is at_hash of OpenID Connect Core 1.0 §3.1.3.6 for the SHA-256
// algorithms (RS256, ES256): the left half of the SHA-256 hash of the ASCII
// access token, base64url-encoded.
func atHash(accessToken string) string {
	sum := sha256.Sum256([]byte(accessToken))
	return base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2])
}

// mintIDToken returns the signed ID token for it, issued with accessToken,
// with the attack switches applied.
func (o *OAuth2) mintIDToken(r *http.Request, it *oauth2IDToken, accessToken string) (string, error) {
	now := o.now()
	ttl := o.IDTokenTTL
	if ttl <= 0 {
		ttl = time.Hour
	}
	iat, exp := now, now.Add(ttl)
	if o.IDTokenExpired {
		iat, exp = now.Add(-2*time.Hour), now.Add(-time.Hour)
	}
	claims := userClaims(it.username)
	claims["iss"] = o.issuer(r)
	claims["sub"] = it.username
	claims["aud"] = it.clientID
	claims["iat"] = iat.Unix()
	claims["exp"] = exp.Unix()
	claims["auth_time"] = it.authTime.Unix()
	claims["at_hash"] = atHash(accessToken)
	if it.nonce != "" {
		claims["nonce"] = it.nonce
	}

	if o.IDTokenMultipleAudiences {
		claims["aud"] = []string{it.clientID, idTokenOtherAudience}
		claims["azp"] = it.clientID
	}
	if o.IDTokenWrongIssuer {
		claims["iss"] = WrongIssuer
	}
	if o.IDTokenWrongAudience {
		claims["aud"] = idTokenOtherAudience
	}
	if o.IDTokenOmitNonce {
		delete(claims, "nonce")
	}
	if o.IDTokenWrongNonce {
		claims["nonce"] = "fakeprovider-wrong-nonce"
	}
	if o.IDTokenBadAtHash {
		claims["at_hash"] = atHash(accessToken + "x")
	}
	if it.refresh && o.RefreshChangesSub {
		claims["sub"] = OtherSubject
	}

	ks := o.signingKeys()
	var (
		tok string
		err error
	)
	switch {
	case o.IDTokenAlgNone:
		tok, err = signCompactJWT("none", "", nil, claims)
	case o.IDTokenHS256PublicKey:
		tok, err = signCompactJWT("HS256", ks.rsaKid, ks.rsaPublicPEM(), claims)
	default:
		alg := o.IDTokenAlg
		if alg == "" {
			alg = "RS256"
		}
		key, kid := ks.signer(alg)
		tok, err = signCompactJWT(alg, kid, key, claims)
	}
	if err != nil {
		return "", err
	}
	o.idTokensIssued.Add(1)
	return tok, nil
}
