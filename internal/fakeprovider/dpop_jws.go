package fakeprovider

// The JOSE the provider needs to check what clients send: compact JWS
// parsing and signature verification (RFC 7515 §5.2, RFC 7518 §3), public
// JWK parsing (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2) and JWK thumbprints
// (RFC 7638 §3). It is written here with the standard library on purpose,
// apart from the library's signer: a client checked by its own verifier
// cannot catch a mistake both share.

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"errors"
	"hash"
	"math/big"
	"strings"
)

// b64 decodes base64url without padding and refuses non-zero trailing bits,
// so every value has exactly one encoding (RFC 7515 §2).
var b64 = base64.RawURLEncoding.Strict()

// joseError is a failed JOSE check; its text is safe to send to the client.
type joseError string

func (e joseError) Error() string { return string(e) }

// errJWSSignature is a signature that does not verify with a key that fits
// its algorithm.
var errJWSSignature = joseError("JWS signature invalid")

// jws is a compact JWS split into its parts (RFC 7515 §7.1).
type jws struct {
	header       map[string]json.RawMessage
	alg          string
	payload      []byte
	signingInput string // ASCII(BASE64URL(header) || '.' || BASE64URL(payload))
	sig          []byte
}

// parseJWS splits a compact JWS of exactly three base64url parts and
// decodes its header, which must be a JSON object with a string "alg" and
// no "crit" (no extension is understood, RFC 7515 §4.1.11).
func parseJWS(s string) (*jws, error) {
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return nil, joseError("not a compact JWS of three parts")
	}
	hb, err1 := b64.DecodeString(parts[0])
	payload, err2 := b64.DecodeString(parts[1])
	sig, err3 := b64.DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil {
		return nil, joseError("JWS part is not base64url without padding")
	}
	var header map[string]json.RawMessage
	if json.Unmarshal(hb, &header) != nil || header == nil {
		return nil, joseError("JWS header is not a JSON object")
	}
	var alg string
	if json.Unmarshal(header["alg"], &alg) != nil || alg == "" {
		return nil, joseError("JWS header has no alg")
	}
	if _, ok := header["crit"]; ok {
		return nil, joseError("JWS header has crit")
	}
	return &jws{header: header, alg: alg, payload: payload, signingInput: parts[0] + "." + parts[1], sig: sig}, nil
}

// headerString returns the string header parameter name and whether it is
// present as a string.
func (j *jws) headerString(name string) (string, bool) {
	var s string
	raw, ok := j.header[name]
	if !ok || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// jwsAlg is one asymmetric JWS algorithm of RFC 7518 §3 or RFC 8037 §3.1.
type jwsAlg struct {
	kind  string // "RSA" (PKCS #1 v1.5), "PSS", "EC" or "OKP"
	hash  crypto.Hash
	newH  func() hash.Hash
	curve string // for EC: the curve the algorithm requires
}

// jwsAlgs are the algorithms the provider verifies. HMAC algorithms and
// "none" are not among them: a proof or request object must be signed with
// a private key.
var jwsAlgs = map[string]jwsAlg{
	"RS256": {"RSA", crypto.SHA256, sha256.New, ""},
	"RS384": {"RSA", crypto.SHA384, sha512.New384, ""},
	"RS512": {"RSA", crypto.SHA512, sha512.New, ""},
	"PS256": {"PSS", crypto.SHA256, sha256.New, ""},
	"PS384": {"PSS", crypto.SHA384, sha512.New384, ""},
	"PS512": {"PSS", crypto.SHA512, sha512.New, ""},
	"ES256": {"EC", crypto.SHA256, sha256.New, "P-256"},
	"ES384": {"EC", crypto.SHA384, sha512.New384, "P-384"},
	"ES512": {"EC", crypto.SHA512, sha512.New, "P-521"},
	"EdDSA": {"OKP", 0, nil, ""},
}

// jwsAlgNames lists jwsAlgs in a fixed order, for metadata and challenges.
var jwsAlgNames = []string{"ES256", "ES384", "ES512", "EdDSA", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512"}

// verifyJWS checks sig over signingInput with alg and key. key must be the
// type alg needs: *rsa.PublicKey for RS*/PS*, *ecdsa.PublicKey on alg's
// curve for ES*, ed25519.PublicKey for EdDSA.
func verifyJWS(alg string, key crypto.PublicKey, signingInput string, sig []byte) error {
	a, ok := jwsAlgs[alg]
	if !ok {
		return joseError("JWS algorithm not accepted")
	}
	var digest []byte
	if a.newH != nil {
		h := a.newH()
		h.Write([]byte(signingInput))
		digest = h.Sum(nil)
	}
	bad := errJWSSignature
	switch a.kind {
	case "RSA", "PSS":
		k, ok := key.(*rsa.PublicKey)
		if !ok {
			return joseError("JWS algorithm does not fit the key")
		}
		var err error
		if a.kind == "RSA" {
			err = rsa.VerifyPKCS1v15(k, a.hash, digest, sig)
		} else {
			// RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash.
			err = rsa.VerifyPSS(k, a.hash, digest, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: a.hash})
		}
		if err != nil {
			return bad
		}
	case "EC":
		k, ok := key.(*ecdsa.PublicKey)
		if !ok || k.Curve == nil || k.Curve.Params().Name != a.curve {
			return joseError("JWS algorithm does not fit the key")
		}
		// RFC 7518 §3.4: R and S, each as long as the curve's order, concatenated.
		size := (k.Curve.Params().BitSize + 7) / 8
		if len(sig) != 2*size {
			return bad
		}
		r := new(big.Int).SetBytes(sig[:size])
		s := new(big.Int).SetBytes(sig[size:])
		if !ecdsa.Verify(k, digest, r, s) {
			return bad
		}
	case "OKP":
		k, ok := key.(ed25519.PublicKey)
		if !ok || len(k) != ed25519.PublicKeySize {
			return joseError("JWS algorithm does not fit the key")
		}
		if !ed25519.Verify(k, []byte(signingInput), sig) {
			return bad
		}
	}
	return nil
}

// publicJWK is a parsed public JWK.
type publicJWK struct {
	key crypto.PublicKey
	// thumbprint is the key's RFC 7638 SHA-256 thumbprint, base64url.
	thumbprint string
}

// jwkPrivateMembers are the JWK members that hold private key material
// (RFC 7518 §6.3.2, §6.4; RFC 8037 §2).
var jwkPrivateMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

// jwkCurves are the EC curves of RFC 7518 §6.2.1.1: the curve, the length
// of a coordinate, and the curve's object identifier (RFC 5480 §2.1.1.1).
var jwkCurves = map[string]struct {
	curve elliptic.Curve
	size  int
	oid   asn1.ObjectIdentifier
}{
	"P-256": {elliptic.P256(), 32, asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}},
	"P-384": {elliptic.P384(), 48, asn1.ObjectIdentifier{1, 3, 132, 0, 34}},
	"P-521": {elliptic.P521(), 66, asn1.ObjectIdentifier{1, 3, 132, 0, 35}},
}

// parsePublicJWK parses a JWK holding a public key: RSA (n, e; at least
// 2048 bits), EC (crv P-256, P-384 or P-521, x and y of the curve's full
// length, on the curve) or OKP (crv Ed25519, x). A JWK with a private
// member, an unknown kty or a malformed member is refused. Every member is
// checked for its canonical encoding (no leading zero octets in n and e),
// so that the thumbprint computed from the members is the key's.
func parsePublicJWK(raw json.RawMessage) (*publicJWK, error) {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil || m == nil {
		return nil, joseError("jwk is not a JSON object")
	}
	for _, name := range jwkPrivateMembers {
		if _, ok := m[name]; ok {
			return nil, joseError("jwk holds a private key")
		}
	}
	str := func(name string) (string, []byte, error) {
		var s string
		if json.Unmarshal(m[name], &s) != nil || s == "" {
			return "", nil, joseError("jwk member " + name + " missing or not a string")
		}
		b, err := b64.DecodeString(s)
		if err != nil {
			return "", nil, joseError("jwk member " + name + " is not base64url")
		}
		return s, b, nil
	}
	var kty, crv string
	if json.Unmarshal(m["kty"], &kty) != nil {
		return nil, joseError("jwk has no kty")
	}
	switch kty {
	case "RSA":
		n, nb, err := str("n")
		if err != nil {
			return nil, err
		}
		e, eb, err := str("e")
		if err != nil {
			return nil, err
		}
		if nb[0] == 0 || eb[0] == 0 || len(eb) > 4 {
			return nil, joseError("jwk RSA member not in its minimal form")
		}
		k := &rsa.PublicKey{N: new(big.Int).SetBytes(nb), E: int(new(big.Int).SetBytes(eb).Int64())}
		if k.N.BitLen() < 2048 || k.E < 3 || k.E%2 == 0 {
			return nil, joseError("jwk RSA key too small or with a bad exponent")
		}
		// RFC 7638 §3.2: the required members in lexicographic order.
		return &publicJWK{key: k, thumbprint: jwkThumbprint([][2]string{{"e", e}, {"kty", "RSA"}, {"n", n}})}, nil
	case "EC":
		if json.Unmarshal(m["crv"], &crv) != nil {
			return nil, joseError("jwk has no crv")
		}
		c, ok := jwkCurves[crv]
		if !ok {
			return nil, joseError("jwk curve not supported")
		}
		x, xb, err := str("x")
		if err != nil {
			return nil, err
		}
		y, yb, err := str("y")
		if err != nil {
			return nil, err
		}
		if len(xb) != c.size || len(yb) != c.size {
			return nil, joseError("jwk EC coordinate not the curve's full length")
		}
		k, err := ecPublicKey(c.oid, append(append([]byte{4}, xb...), yb...))
		if err != nil {
			return nil, err
		}
		return &publicJWK{key: k, thumbprint: jwkThumbprint([][2]string{{"crv", crv}, {"kty", "EC"}, {"x", x}, {"y", y}})}, nil
	case "OKP":
		if json.Unmarshal(m["crv"], &crv) != nil || crv != "Ed25519" {
			return nil, joseError("jwk OKP curve not Ed25519")
		}
		x, xb, err := str("x")
		if err != nil {
			return nil, err
		}
		if len(xb) != ed25519.PublicKeySize {
			return nil, joseError("jwk Ed25519 key not 32 bytes")
		}
		return &publicJWK{key: ed25519.PublicKey(xb), thumbprint: jwkThumbprint([][2]string{{"crv", crv}, {"kty", "OKP"}, {"x", x}})}, nil
	}
	return nil, joseError("jwk kty not supported")
}

// ecPublicKey builds an ECDSA public key from an uncompressed point (SEC 1
// §2.3.3) through its SubjectPublicKeyInfo, which crypto/x509 checks is on
// the curve.
func ecPublicKey(curve asn1.ObjectIdentifier, point []byte) (*ecdsa.PublicKey, error) {
	params, err := asn1.Marshal(curve)
	if err != nil {
		return nil, err
	}
	der, err := asn1.Marshal(struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}{
		Algorithm: pkix.AlgorithmIdentifier{
			Algorithm:  asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}, // id-ecPublicKey
			Parameters: asn1.RawValue{FullBytes: params},
		},
		PublicKey: asn1.BitString{Bytes: point, BitLength: 8 * len(point)},
	})
	if err != nil {
		return nil, err
	}
	k, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, joseError("jwk EC point not on the curve")
	}
	ec, ok := k.(*ecdsa.PublicKey)
	if !ok {
		return nil, errors.New("fakeprovider: EC key parsed as another type")
	}
	return ec, nil
}

// jwkThumbprint is RFC 7638 §3.1: the JSON object of the required members,
// given in lexicographic order, without whitespace, hashed with SHA-256 and
// base64url-encoded. The values are base64url text or curve and key type
// names, none of which needs escaping in JSON (§3.3).
func jwkThumbprint(members [][2]string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, kv := range members {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + kv[0] + `":"` + kv[1] + `"`)
	}
	b.WriteByte('}')
	sum := sha256.Sum256([]byte(b.String()))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
