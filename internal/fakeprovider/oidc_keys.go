package fakeprovider

// The OpenID provider's signing keys: key sets that rotate, the JWK Set
// that publishes them (RFC 7517 §5), and compact JWS signing of ID tokens
// (RFC 7515 §3.1, RFC 7518 §3.2-3.4), with the standard library only.

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"strconv"
)

// oidcKeySet is one generation of ID token signing keys: an RS256 key and
// an ES256 key. Each key's kid is its RFC 7638 thumbprint.
type oidcKeySet struct {
	rsa           *rsa.PrivateKey
	ec            *ecdsa.PrivateKey
	rsaKid, ecKid string
	rsaJWK, ecJWK map[string]string // the public JWKs, with kid, alg and use
	published     bool              // listed in the JWKS
}

// oidcFixedKeys is the first key set of every provider, from the fixed
// keys of oidc_testkeys.go. Each provider takes a copy (published is the
// copy's own); the keys and JWK maps are never modified, so copies share
// them.
var oidcFixedKeys = mustFixedKeySet()

func mustFixedKeySet() *oidcKeySet {
	parse := func(s string) crypto.PrivateKey {
		b, _ := pem.Decode([]byte(s))
		if b == nil {
			panic("fakeprovider: no PEM block in a fixed OIDC key")
		}
		k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
		if err != nil {
			panic("fakeprovider: parsing a fixed OIDC key: " + err.Error())
		}
		return k
	}
	rk, ok1 := parse(oidcRSAKeyPEM).(*rsa.PrivateKey)
	ek, ok2 := parse(oidcECKeyPEM).(*ecdsa.PrivateKey)
	if !ok1 || !ok2 {
		panic("fakeprovider: fixed OIDC keys of the wrong type")
	}
	return newOIDCKeySet(rk, ek)
}

// generateOIDCKeySet returns a key set of fresh keys. Like oauth2Random it
// panics if crypto/rand fails.
func generateOIDCKeySet() *oidcKeySet {
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic("fakeprovider: generating an RSA key: " + err.Error())
	}
	ek, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic("fakeprovider: generating an EC key: " + err.Error())
	}
	return newOIDCKeySet(rk, ek)
}

func newOIDCKeySet(rk *rsa.PrivateKey, ek *ecdsa.PrivateKey) *oidcKeySet {
	ks := &oidcKeySet{rsa: rk, ec: ek, published: true}
	// RSA: n and e as unsigned big-endian integers, no leading zero octets
	// (RFC 7518 §6.3.1).
	n := b64e(rk.N.Bytes())
	e := b64e(big.NewInt(int64(rk.E)).Bytes())
	ks.rsaKid = jwkThumbprint([][2]string{{"e", e}, {"kty", "RSA"}, {"n", n}})
	ks.rsaJWK = map[string]string{"kty": "RSA", "n": n, "e": e, "kid": ks.rsaKid, "alg": "RS256", "use": "sig"}
	// EC: x and y, each the full 32 octets of P-256 (RFC 7518 §6.2.1.2),
	// from the uncompressed point 0x04 || x || y.
	pub, err := ek.PublicKey.ECDH()
	if err != nil {
		panic("fakeprovider: EC key not on its curve: " + err.Error())
	}
	pt := pub.Bytes()
	x, y := b64e(pt[1:33]), b64e(pt[33:65])
	ks.ecKid = jwkThumbprint([][2]string{{"crv", "P-256"}, {"kty", "EC"}, {"x", x}, {"y", y}})
	ks.ecJWK = map[string]string{"kty": "EC", "crv": "P-256", "x": x, "y": y, "kid": ks.ecKid, "alg": "ES256", "use": "sig"}
	return ks
}

func b64e(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// signer returns the key and kid of the set for alg, "RS256" or "ES256".
func (ks *oidcKeySet) signer(alg string) (key any, kid string) {
	if alg == "ES256" {
		return ks.ec, ks.ecKid
	}
	return ks.rsa, ks.rsaKid
}

// rsaPublicPEM is the PEM text of the set's RSA public key in its
// SubjectPublicKeyInfo form ("-----BEGIN PUBLIC KEY-----", trailing
// newline included), as pem.EncodeToMemory writes it: the HMAC key of the
// key-confusion attack.
func (ks *oidcKeySet) rsaPublicPEM() []byte {
	der, err := x509.MarshalPKIXPublicKey(&ks.rsa.PublicKey)
	if err != nil {
		panic("fakeprovider: encoding an RSA public key: " + err.Error())
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// RotateKeys adds a new key set of fresh RS256 and ES256 keys (their kids
// the keys' RFC 7638 thumbprints) to the JWKS and signs every later ID
// token with it. The previous keys stay in the JWKS unless DropRotatedKeys
// is set. A client that cached the JWKS meets an unknown kid in the next ID
// token and must fetch the JWKS again. It takes the time of generating a
// 2048-bit RSA key, and is safe for concurrent use.
func (o *OAuth2) RotateKeys() {
	ks := generateOIDCKeySet()
	o.keyMu.Lock()
	defer o.keyMu.Unlock()
	if o.DropRotatedKeys {
		for _, old := range o.keySets {
			old.published = false
		}
	}
	o.keySets = append(o.keySets, ks)
}

// signingKeys returns the key set ID tokens are signed with now, applying
// IDTokenUnknownKidOnce: the first ID token it signs for gets a new key set
// that the JWKS lists only from the next fetch on.
func (o *OAuth2) signingKeys() *oidcKeySet {
	o.keyMu.Lock()
	defer o.keyMu.Unlock()
	if o.IDTokenUnknownKid {
		if o.unknownKeys == nil {
			o.unknownKeys = generateOIDCKeySet()
			o.unknownKeys.published = false
		}
		return o.unknownKeys
	}
	if o.IDTokenUnknownKidOnce && !o.unknownOnceDone {
		ks := generateOIDCKeySet()
		ks.published = false
		o.keySets = append(o.keySets, ks)
		o.heldBack = ks
		o.unknownOnceDone = true
	}
	return o.keySets[len(o.keySets)-1]
}

// jwks returns the JWK Set document: the public keys of every published
// key set, newest first. A key set held back by IDTokenUnknownKidOnce is
// published by this call.
func (o *OAuth2) jwks() map[string]any {
	o.keyMu.Lock()
	defer o.keyMu.Unlock()
	if ks := o.heldBack; ks != nil {
		// The rotation IDTokenUnknownKidOnce started becomes visible.
		if o.DropRotatedKeys {
			for _, old := range o.keySets {
				old.published = false
			}
		}
		ks.published = true
		o.heldBack = nil
	}
	keys := []map[string]string{}
	for i := len(o.keySets) - 1; i >= 0; i-- {
		if ks := o.keySets[i]; ks.published {
			keys = append(keys, ks.rsaJWK, ks.ecJWK)
		}
	}
	return map[string]any{"keys": keys}
}

// signCompactJWT returns the compact JWS of claims with header parameters kid and
// typ "JWT": alg "RS256" (RSASSA-PKCS1-v1_5 with SHA-256), "ES256" (ECDSA
// P-256 with SHA-256, R || S), "HS256" (HMAC-SHA-256 keyed with the []byte
// key) or "none" (an empty signature, RFC 7519 §6.1).
func signCompactJWT(alg, kid string, key any, claims map[string]any) (string, error) {
	h := map[string]string{"alg": alg, "typ": "JWT"}
	if kid != "" {
		h["kid"] = kid
	}
	hb, err := json.Marshal(h)
	if err != nil {
		return "", err
	}
	pb, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	input := b64e(hb) + "." + b64e(pb)
	digest := sha256.Sum256([]byte(input))
	var sig []byte
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if alg != "RS256" {
			return "", fmt.Errorf("fakeprovider: cannot sign %s with an RSA key", alg)
		}
		sig, err = rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, digest[:])
	case *ecdsa.PrivateKey:
		if alg != "ES256" {
			return "", fmt.Errorf("fakeprovider: cannot sign %s with an EC key", alg)
		}
		var r, s *big.Int
		r, s, err = ecdsa.Sign(rand.Reader, k, digest[:])
		if err == nil {
			sig = make([]byte, 64)
			r.FillBytes(sig[:32])
			s.FillBytes(sig[32:])
		}
	case []byte:
		if alg != "HS256" {
			return "", fmt.Errorf("fakeprovider: cannot sign %s with a secret", alg)
		}
		m := hmac.New(sha256.New, k)
		m.Write([]byte(input))
		sig = m.Sum(nil)
	case nil:
		if alg != "none" {
			return "", fmt.Errorf("fakeprovider: no key for %s", alg)
		}
	default:
		return "", fmt.Errorf("fakeprovider: unsupported key type %T", key)
	}
	if err != nil {
		return "", fmt.Errorf("fakeprovider: signing: %w", err)
	}
	return input + "." + b64e(sig), nil
}

// maxAgeHeader is the Cache-Control value of the discovery documents and
// the JWKS.
func (o *OAuth2) maxAgeHeader() string {
	switch {
	case o.MetadataMaxAge < 0:
		return "no-cache"
	case o.MetadataMaxAge == 0:
		return "public, max-age=3600"
	}
	return "public, max-age=" + strconv.FormatInt(int64(o.MetadataMaxAge.Seconds()), 10)
}
