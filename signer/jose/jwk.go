package jose

import (
	"bytes"
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strconv"

	"github.com/oauthkit/oauth/internal/urlenc/jsonobj"
	"github.com/oauthkit/oauth/signer"
)

// MaxJWKSetSize is the largest input, in bytes, that [ParseJWKSet],
// [ParseJWK] and [ParsePrivateJWK] accept. A caller that reads a JWK Set
// from the network should read at most this much (with
// [net/http.MaxBytesReader], for example): real sets are a few kilobytes,
// and [MaxJWKSetKeys] keys of 8192 bits with certificate chains fit.
const MaxJWKSetSize = 1 << 20

// MaxJWKSetKeys is the largest number of keys [ParseJWKSet] accepts in a
// set.
const MaxJWKSetKeys = 100

// A JWK is a JSON Web Key (RFC 7517): a key and the members that describe
// it. [ParseJWK], [ParsePrivateJWK] and [ParseJWKSet] make JWKs from JSON;
// [PublicJWK] makes one from a key, to publish or to put in a JWS header
// (the "jwk" of a DPoP proof, RFC 9449 §4.2). A JWK may also be written as a
// struct literal.
//
// A JWK is safe for concurrent use by multiple goroutines as long as no one
// modifies it. String and Format, with every fmt verb, show the key type
// and the "kid", "alg" and "use" members, never the key.
type JWK struct {
	// Key is the key. A public JWK holds a *rsa.PublicKey, a
	// *ecdsa.PublicKey (on P-256, P-384 or P-521) or an
	// ed25519.PublicKey; a private one a *rsa.PrivateKey, a
	// *ecdsa.PrivateKey, an ed25519.PrivateKey, or the []byte of a
	// symmetric ("oct") key.
	Key any
	// KeyID is the "kid" member (RFC 7517 §4.5), or "".
	KeyID string
	// Algorithm is the "alg" member (RFC 7517 §4.4), or "": the one
	// algorithm the key is meant for. [JWK.Verifier] refuses another.
	Algorithm string
	// Use is the "use" member (RFC 7517 §4.2), such as "sig" or "enc", or
	// "".
	Use string
	// KeyOps is the "key_ops" member (RFC 7517 §4.3), such as
	// ["verify"], or nil when the JWK has none.
	KeyOps []string

	// members are the object's members as parsed, raw.
	members map[string]json.RawMessage
}

// A JWKSet is a parsed JWK Set (RFC 7517 §5). It is safe for concurrent use
// by multiple goroutines as long as no one modifies it.
type JWKSet struct {
	// Keys are the usable keys of the set, in the order of its "keys"
	// array.
	Keys []*JWK
	// Skipped has one error for each member of "keys" that was skipped,
	// wrapping [ErrUnsupportedJWK] (such as an unknown "kty" or "crv", or an
	// RSA key under 2048 bits) or [ErrMalformedJWK], and naming its index.
	Skipped []error
}

// ParseJWK parses a public JWK (RFC 7517 §4) of kty "RSA" (RFC 7518 §6.3.1),
// "EC" (RFC 7518 §6.2.1, on P-256, P-384 or P-521) or "OKP" (RFC 8037 §2,
// Ed25519 only). The returned JWK's Key is a *rsa.PublicKey, a
// *ecdsa.PublicKey or an ed25519.PublicKey.
//
// ParseJWK is strict where looseness could let two parsers read one key
// differently or let a key be something it does not say:
//
//   - The input must be one JSON object of at most [MaxJWKSetSize] bytes
//     with no duplicate member names (RFC 7517 §4 allows refusing them).
//   - Private members ("d", "p", "q", "dp", "dq", "qi", "oth", "k") are
//     refused, not ignored: a public JWK that carries a private key is a
//     mistake of its publisher. Use [ParsePrivateJWK] for private keys.
//   - Members of another key type (an RSA key with "crv" or "x") are
//     refused.
//   - An "alg" that this package implements must fit the key type and curve
//     ("ES256" needs an EC P-256 key); other "alg" values are kept.
//   - Binary members must be unpadded base64url (RFC 7515 §2). EC "x" and
//     "y" must be exactly as long as the curve's coordinates and must be a
//     point on the curve; Ed25519 "x" must be 32 bytes.
//   - An RSA "n" must be odd and of 2048 to 8192 bits; "e" must be an odd
//     number from 3 to 2³¹-1. Leading zero bytes in "n" and "e" are accepted,
//     as some providers send them (RFC 7518 §6.3.1.1 mentions it).
//
// Other members (such as "x5c", which is not checked against the key) are
// kept; [JWK.Members] returns them. Errors wrap [ErrUnsupportedJWK] for a
// kty, crv or key size this package does not accept, including a symmetric
// ("oct") key, and [ErrMalformedJWK] for everything else. No error contains
// key material.
func ParseJWK(data []byte) (*JWK, error) { return parseJWK(data, false) }

// ParsePrivateJWK parses a private JWK, such as the key a client signs DPoP
// proofs or request objects with. Its Key is a *rsa.PrivateKey (from "n",
// "e", "d", "p", "q", and "dp", "dq", "qi" if present, RFC 7518 §6.3.2), a
// *ecdsa.PrivateKey ("d", RFC 7518 §6.2.2), an ed25519.PrivateKey ("d", the
// seed, RFC 8037 §2) or, for kty "oct", the []byte secret ("k", RFC 7518
// §6.4).
//
// The rules of [ParseJWK] apply, except that private members are required
// and are checked against the public ones: the RSA key must validate and
// its "dp", "dq" and "qi" must be the ones its primes give, the EC or
// Ed25519 "d" must give the public key "x" (and "y"). RSA keys with more than
// two primes ("oth") are refused with [ErrUnsupportedJWK].
//
// The returned JWK holds the private key: it must be kept as secret as the
// input. Its String, Format and MarshalJSON never show private members.
func ParsePrivateJWK(data []byte) (*JWK, error) { return parseJWK(data, true) }

// ParseJWKSet parses a JWK Set (RFC 7517 §5): a JSON object of at most
// [MaxJWKSetSize] bytes whose "keys" member is an array of at most
// [MaxJWKSetKeys] public JWKs. Each key is parsed as by [ParseJWK]. A key
// that ParseJWK refuses is skipped, as RFC 7517 §5 asks for keys of unknown
// type or out-of-range values, and its error is kept in [JWKSet.Skipped]; a
// set with no usable key is not an error.
//
// Input that is not such an object, or holds too many keys, gives an error
// wrapping [ErrMalformedJWK].
func ParseJWKSet(data []byte) (*JWKSet, error) {
	if len(data) > MaxJWKSetSize {
		return nil, jwkErrorf(ErrMalformedJWK, "jwk set is %d bytes, more than %d", len(data), MaxJWKSetSize)
	}
	obj, err := jsonobj.Parse(data)
	if err != nil {
		return nil, jwkErrorf(ErrMalformedJWK, "jwk set: %v", err)
	}
	raw, ok := obj["keys"]
	if !ok {
		return nil, jwkErrorf(ErrMalformedJWK, "jwk set has no \"keys\" member")
	}
	var elems []json.RawMessage
	if len(raw) == 0 || raw[0] != '[' || json.Unmarshal(raw, &elems) != nil {
		return nil, jwkErrorf(ErrMalformedJWK, "jwk set \"keys\" is not an array")
	}
	if len(elems) > MaxJWKSetKeys {
		return nil, jwkErrorf(ErrMalformedJWK, "jwk set has %d keys, more than %d", len(elems), MaxJWKSetKeys)
	}
	set := &JWKSet{}
	for i, e := range elems {
		k, err := parseJWK(e, false)
		if err != nil {
			var je *jwkError
			if !errors.As(err, &je) { // cannot happen: parseJWK returns only jwkErrors
				je = &jwkError{ErrMalformedJWK, "invalid key"}
			}
			set.Skipped = append(set.Skipped, &jwkError{je.sentinel, "keys[" + strconv.Itoa(i) + "]: " + je.detail})
			continue
		}
		set.Keys = append(set.Keys, k)
	}
	return set, nil
}

// PublicJWK returns the public JWK of key, which may be a public key
// (*rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey), a private key, or
// anything with a Public() crypto.PublicKey method: a [crypto.Signer], or one
// of this package's asymmetric JWS signers. Its KeyID, Algorithm, Use and
// KeyOps are empty, so its JSON ([JWK.MarshalJSON]) has only the required
// members in lexicographic order, the form of RFC 7638 §3.2 that a DPoP
// proof's "jwk" header can carry.
//
// Keys that [ParseJWK] would refuse (RSA outside 2048 to 8192 bits, curves
// other than P-256, P-384 and P-521) and symmetric keys give an error
// wrapping [signer.ErrWrongKeyType].
func PublicJWK(key any) (*JWK, error) {
	pub, err := publicKeyOf(key)
	if err != nil {
		return nil, err
	}
	if _, err := publicMembers(pub); err != nil {
		return nil, err
	}
	return &JWK{Key: pub}, nil
}

// Kty returns the key type of k.Key for the "kty" member (RFC 7518 §6.1,
// RFC 8037 §2): "RSA", "EC", "OKP" or "oct", or "" for a key of no such
// type.
func (k JWK) Kty() string {
	switch k.Key.(type) {
	case *rsa.PublicKey, *rsa.PrivateKey:
		return "RSA"
	case *ecdsa.PublicKey, *ecdsa.PrivateKey:
		return "EC"
	case ed25519.PublicKey, ed25519.PrivateKey:
		return "OKP"
	case []byte:
		return "oct"
	}
	return ""
}

// Members returns every member of the JSON object k was parsed from, raw, in
// a new map, so that members this package does not interpret ("x5c",
// "x5t#S256", or a provider's own) can be read. For a JWK parsed by
// [ParsePrivateJWK] the map includes the private members. It returns nil for
// a JWK that no parser made.
func (k *JWK) Members() map[string]json.RawMessage {
	if k.members == nil {
		return nil
	}
	m := make(map[string]json.RawMessage, len(k.members))
	for name, v := range k.members {
		m[name] = append(json.RawMessage(nil), v...)
	}
	return m
}

// Verifier returns a [Verifier] for alg with k's key, after checking that
// the JWK allows it: if k.Algorithm is set it must be alg
// ([ErrAlgorithmMismatch]); if k.Use is set it must be "sig", and if k.KeyOps
// is set it must include "verify" ([signer.ErrWrongKeyType]). The key must then fit
// alg as for [NewVerifier]: a public JWK never gives an HMAC verifier, so
// a token whose header says "HS256" cannot be checked with an RSA public key
// used as an HMAC secret. The JWK of a private asymmetric key gives an error
// wrapping [signer.ErrWrongKeyType]: verify with its public JWK.
//
// A verifier for a key that a token names (by "kid") must still be made
// with the alg the caller expects for that key, not blindly with the
// token's own "alg".
func (k *JWK) Verifier(alg string) (Verifier, error) {
	if k.Algorithm != "" && k.Algorithm != alg {
		return nil, fmt.Errorf("%w: jwk alg %q, requested %q", ErrAlgorithmMismatch, truncate(k.Algorithm), truncate(alg))
	}
	if k.Use != "" && k.Use != "sig" {
		return nil, fmt.Errorf("jose: %w: jwk use is %q, not \"sig\"", signer.ErrWrongKeyType, truncate(k.Use))
	}
	if k.KeyOps != nil && !contains(k.KeyOps, "verify") {
		return nil, fmt.Errorf("jose: %w: jwk key_ops does not include \"verify\"", signer.ErrWrongKeyType)
	}
	return NewVerifier(alg, k.Key)
}

// Thumbprint returns the JWK Thumbprint of k's public key (RFC 7638): the
// unpadded base64url SHA-256 of the required public members in
// lexicographic order, as DPoP's "jkt" (RFC 9449 §6.1) uses. Other members
// do not change it. A symmetric or unsupported key gives an error wrapping
// [signer.ErrWrongKeyType].
func (k *JWK) Thumbprint() (string, error) {
	pub, err := publicKeyOf(k.Key)
	if err != nil {
		return "", err
	}
	ms, err := publicMembers(pub)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(writeMembers(ms))
	return b64.EncodeToString(sum[:]), nil
}

// MarshalJSON returns the public JWK of k.Key with its "alg", "key_ops",
// "kid" and "use" members when set, in lexicographic order and without
// whitespace. It never writes private members: the JWK of a private
// asymmetric key marshals as its public JWK, and a symmetric key is an
// error wrapping [signer.ErrWrongKeyType], as is a nil or unsupported key.
// Members that k was parsed with but does not interpret are not written.
func (k JWK) MarshalJSON() ([]byte, error) {
	pub, err := publicKeyOf(k.Key)
	if err != nil {
		return nil, err
	}
	ms, err := publicMembers(pub)
	if err != nil {
		return nil, err
	}
	return writeMembers(k.appendOptional(ms)), nil
}

// UnmarshalJSON parses data as [ParseJWK] does into k, so that a public JWK
// can be a field of a larger JSON document. JSON null leaves k unchanged.
func (k *JWK) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	p, err := ParseJWK(data)
	if err != nil {
		return err
	}
	*k = *p
	return nil
}

// String returns jose.JWK{Kty:"...",KeyID:"...",Algorithm:"...",Use:"..."}:
// never the key.
func (k JWK) String() string {
	return "jose.JWK{Kty:" + strconv.Quote(k.Kty()) + ",KeyID:" + strconv.Quote(truncate(k.KeyID)) +
		",Algorithm:" + strconv.Quote(truncate(k.Algorithm)) + ",Use:" + strconv.Quote(truncate(k.Use)) + "}"
}

// Format implements [fmt.Formatter]: %q prints String quoted, every other
// verb prints String, so no verb shows the key.
func (k JWK) Format(f fmt.State, verb rune) { formatString(f, verb, k.String()) }

// jwkError is every error of the JWK parsers: a sentinel and a detail that
// names members, never their values.
type jwkError struct {
	sentinel error // ErrMalformedJWK or ErrUnsupportedJWK
	detail   string
}

func (e *jwkError) Error() string { return e.sentinel.Error() + ": " + e.detail }
func (e *jwkError) Unwrap() error { return e.sentinel }

func jwkErrorf(sentinel error, format string, args ...any) error {
	return &jwkError{sentinel, fmt.Sprintf(format, args...)}
}

// jwkKeyMembers are the members that hold key material (RFC 7518 §6,
// RFC 8037 §2).
var jwkKeyMembers = [...]string{"crv", "d", "dp", "dq", "e", "k", "n", "oth", "p", "q", "qi", "x", "y"}

// jwkPublicMembers returns the public key members of kty.
func jwkPublicMembers(kty string) []string {
	switch kty {
	case "RSA":
		return []string{"n", "e"}
	case "EC":
		return []string{"crv", "x", "y"}
	case "OKP":
		return []string{"crv", "x"}
	}
	return nil
}

// jwkPrivateMembers returns the private key members of kty; the first is
// the one every private key has.
func jwkPrivateMembers(kty string) []string {
	switch kty {
	case "RSA":
		return []string{"d", "p", "q", "dp", "dq", "qi", "oth"}
	case "EC", "OKP":
		return []string{"d"}
	case "oct":
		return []string{"k"}
	}
	return nil
}

func parseJWK(data []byte, private bool) (*JWK, error) {
	if len(data) > MaxJWKSetSize {
		return nil, jwkErrorf(ErrMalformedJWK, "jwk is %d bytes, more than %d", len(data), MaxJWKSetSize)
	}
	obj, err := jsonobj.Parse(data)
	if err != nil {
		return nil, jwkErrorf(ErrMalformedJWK, "%v", err)
	}
	k := &JWK{members: obj}
	var kty string
	for _, m := range []struct {
		name string
		dst  *string
	}{{"kty", &kty}, {"kid", &k.KeyID}, {"alg", &k.Algorithm}, {"use", &k.Use}} {
		raw, ok := obj[m.name]
		if !ok {
			continue
		}
		if *m.dst, ok = jsonString(raw); !ok {
			return nil, jwkErrorf(ErrMalformedJWK, "member %q is not a string", m.name)
		}
	}
	if raw, ok := obj["key_ops"]; ok {
		if k.KeyOps, err = parseKeyOps(raw); err != nil {
			return nil, err
		}
	}
	switch kty {
	case "":
		return nil, jwkErrorf(ErrMalformedJWK, "no \"kty\" member")
	case "RSA", "EC", "OKP":
	case "oct":
		if !private {
			return nil, jwkErrorf(ErrUnsupportedJWK, "kty \"oct\" is a secret key, not a public jwk")
		}
	default:
		return nil, jwkErrorf(ErrUnsupportedJWK, "kty %q", truncate(kty))
	}
	if err := checkJWKMembers(obj, kty, private); err != nil {
		return nil, err
	}
	var crv string
	switch kty {
	case "RSA":
		k.Key, err = parseRSAJWK(obj, private)
	case "EC":
		crv, k.Key, err = parseECJWK(obj, private)
	case "OKP":
		crv, k.Key, err = parseOKPJWK(obj, private)
	case "oct":
		var secret []byte
		if secret, err = b64Member(obj, "k", MaxJWKSetSize); err == nil && len(secret) == 0 {
			err = jwkErrorf(ErrMalformedJWK, "member \"k\" is empty")
		}
		k.Key = secret
	}
	if err != nil {
		return nil, err
	}
	if err := checkJWKAlg(k.Algorithm, kty, crv); err != nil {
		return nil, err
	}
	return k, nil
}

// checkJWKMembers refuses key members that do not belong to kty, private
// members in a public JWK, and a private JWK without them.
func checkJWKMembers(obj map[string]json.RawMessage, kty string, private bool) error {
	for _, name := range jwkKeyMembers {
		if _, ok := obj[name]; !ok {
			continue
		}
		switch {
		case contains(jwkPublicMembers(kty), name):
		case contains(jwkPrivateMembers(kty), name):
			if !private {
				return jwkErrorf(ErrMalformedJWK, "private member %q in a public jwk", name)
			}
		default:
			return jwkErrorf(ErrMalformedJWK, "member %q does not belong to a %s key", name, kty)
		}
	}
	if private {
		if d := jwkPrivateMembers(kty)[0]; obj[d] == nil {
			return jwkErrorf(ErrMalformedJWK, "private %s jwk has no %q", kty, d)
		}
	}
	return nil
}

// checkJWKAlg refuses an "alg" of this package that does not fit the key
// type and curve. Other algorithms, such as those of JWE, are left alone.
func checkJWKAlg(alg, kty, crv string) error {
	var fits bool
	switch alg {
	case HS256, HS384, HS512:
		fits = kty == "oct"
	case RS256, RS384, RS512, PS256, PS384, PS512:
		fits = kty == "RSA"
	case ES256, ES384, ES512:
		c, _ := ecParamsByAlg(alg)
		fits = kty == "EC" && crv == c.crv
	case EdDSA:
		fits = kty == "OKP" && crv == "Ed25519"
	default:
		return nil
	}
	if !fits {
		what := kty
		if crv != "" {
			what += " " + crv
		}
		return jwkErrorf(ErrMalformedJWK, "alg %q does not fit a %s key", alg, what)
	}
	return nil
}

func parseKeyOps(raw json.RawMessage) ([]string, error) {
	var ops []string
	if len(raw) == 0 || raw[0] != '[' || json.Unmarshal(raw, &ops) != nil {
		return nil, jwkErrorf(ErrMalformedJWK, "member \"key_ops\" is not an array of strings")
	}
	for i, op := range ops {
		if contains(ops[:i], op) {
			return nil, jwkErrorf(ErrMalformedJWK, "member \"key_ops\" lists %q twice", truncate(op))
		}
	}
	if ops == nil {
		ops = []string{}
	}
	return ops, nil
}

// b64Member decodes the base64url string member name of obj, which must not
// decode to more than max bytes. The length is checked before decoding, so
// that a huge member costs nothing.
func b64Member(obj map[string]json.RawMessage, name string, max int) ([]byte, error) {
	raw, ok := obj[name]
	if !ok {
		return nil, jwkErrorf(ErrMalformedJWK, "no %q member", name)
	}
	s, ok := jsonString(raw)
	if !ok {
		return nil, jwkErrorf(ErrMalformedJWK, "member %q is not a string", name)
	}
	if len(s) > b64.EncodedLen(max) {
		return nil, jwkErrorf(ErrMalformedJWK, "member %q is longer than %d bytes", name, max)
	}
	b, err := b64.DecodeString(s)
	if err != nil {
		return nil, jwkErrorf(ErrMalformedJWK, "member %q is not unpadded base64url: %v", name, err)
	}
	return b, nil
}

// b64Int decodes the base64url unsigned big-endian integer member name
// (RFC 7518 §2, "Base64urlUInt") of at most max bytes, leading zeros
// included.
func b64Int(obj map[string]json.RawMessage, name string, max int) (*big.Int, error) {
	b, err := b64Member(obj, name, max)
	if err != nil {
		return nil, err
	}
	if len(b) == 0 {
		return nil, jwkErrorf(ErrMalformedJWK, "member %q is empty", name)
	}
	return new(big.Int).SetBytes(b), nil
}

func parseRSAJWK(obj map[string]json.RawMessage, private bool) (crypto.PublicKey, error) {
	// A few leading zero bytes are tolerated on top of the largest modulus.
	const maxBytes = maxRSABits/8 + 8
	if s, _ := jsonString(obj["n"]); len(s) > b64.EncodedLen(maxBytes) {
		return nil, jwkErrorf(ErrUnsupportedJWK, "rsa modulus is longer than %d bits", maxRSABits)
	}
	n, err := b64Int(obj, "n", maxBytes)
	if err != nil {
		return nil, err
	}
	if bits := n.BitLen(); bits < minRSABits || bits > maxRSABits {
		return nil, jwkErrorf(ErrUnsupportedJWK, "rsa modulus has %d bits, want %d to %d", bits, minRSABits, maxRSABits)
	}
	if n.Bit(0) == 0 {
		return nil, jwkErrorf(ErrMalformedJWK, "rsa modulus is even")
	}
	e, err := b64Int(obj, "e", 8)
	if err != nil {
		return nil, err
	}
	if !e.IsInt64() || e.Int64() < 3 || e.Int64() > 1<<31-1 || e.Bit(0) == 0 {
		return nil, jwkErrorf(ErrMalformedJWK, "rsa exponent is not an odd number from 3 to 2^31-1")
	}
	pub := rsa.PublicKey{N: n, E: int(e.Int64())}
	if !private {
		return &pub, nil
	}
	if _, ok := obj["oth"]; ok {
		return nil, jwkErrorf(ErrUnsupportedJWK, "rsa key with more than two primes (\"oth\")")
	}
	priv := &rsa.PrivateKey{PublicKey: pub}
	ints := map[string]*big.Int{}
	for _, name := range []string{"d", "p", "q", "dp", "dq", "qi"} {
		if _, ok := obj[name]; !ok {
			if name == "d" || name == "p" || name == "q" {
				return nil, jwkErrorf(ErrMalformedJWK, "private rsa jwk has no %q", name)
			}
			continue
		}
		if ints[name], err = b64Int(obj, name, maxBytes); err != nil {
			return nil, err
		}
	}
	priv.D = ints["d"]
	priv.Primes = []*big.Int{ints["p"], ints["q"]}
	if err := priv.Validate(); err != nil {
		return nil, jwkErrorf(ErrMalformedJWK, "rsa private key does not validate")
	}
	priv.Precompute()
	for name, got := range map[string]*big.Int{"dp": priv.Precomputed.Dp, "dq": priv.Precomputed.Dq, "qi": priv.Precomputed.Qinv} {
		if want := ints[name]; want != nil && (got == nil || want.Cmp(got) != 0) {
			return nil, jwkErrorf(ErrMalformedJWK, "member %q does not match the rsa primes", name)
		}
	}
	return priv, nil
}

func parseECJWK(obj map[string]json.RawMessage, private bool) (string, crypto.PublicKey, error) {
	crv, ok := jsonString(obj["crv"])
	if !ok {
		return "", nil, jwkErrorf(ErrMalformedJWK, "ec jwk has no string \"crv\"")
	}
	var c ecParams
	var ec ecdh.Curve
	switch crv {
	case "P-256":
		c, _ = ecParamsByAlg(ES256)
		ec = ecdh.P256()
	case "P-384":
		c, _ = ecParamsByAlg(ES384)
		ec = ecdh.P384()
	case "P-521":
		c, _ = ecParamsByAlg(ES512)
		ec = ecdh.P521()
	default:
		return "", nil, jwkErrorf(ErrUnsupportedJWK, "ec curve %q", truncate(crv))
	}
	point := make([]byte, 1, 1+2*c.size)
	point[0] = 4 // uncompressed (SEC 1 §2.3.3)
	for _, name := range []string{"x", "y"} {
		b, err := b64Member(obj, name, c.size)
		if err != nil {
			return "", nil, err
		}
		if len(b) != c.size {
			return "", nil, jwkErrorf(ErrMalformedJWK, "member %q is %d bytes, want %d for %s", name, len(b), c.size, crv)
		}
		point = append(point, b...)
	}
	if _, err := ec.NewPublicKey(point); err != nil {
		return "", nil, jwkErrorf(ErrMalformedJWK, "\"x\" and \"y\" are not a point on %s", crv)
	}
	pub := ecdsa.PublicKey{
		Curve: c.curve,
		X:     new(big.Int).SetBytes(point[1 : 1+c.size]),
		Y:     new(big.Int).SetBytes(point[1+c.size:]),
	}
	if !private {
		return crv, &pub, nil
	}
	d, err := b64Member(obj, "d", c.size)
	if err != nil {
		return "", nil, err
	}
	if len(d) != c.size {
		return "", nil, jwkErrorf(ErrMalformedJWK, "member \"d\" is %d bytes, want %d for %s", len(d), c.size, crv)
	}
	k, err := ec.NewPrivateKey(d)
	if err != nil || !bytes.Equal(k.PublicKey().Bytes(), point) {
		return "", nil, jwkErrorf(ErrMalformedJWK, "member \"d\" is not the private key of \"x\" and \"y\"")
	}
	return crv, &ecdsa.PrivateKey{PublicKey: pub, D: new(big.Int).SetBytes(d)}, nil
}

func parseOKPJWK(obj map[string]json.RawMessage, private bool) (string, crypto.PublicKey, error) {
	crv, ok := jsonString(obj["crv"])
	if !ok {
		return "", nil, jwkErrorf(ErrMalformedJWK, "okp jwk has no string \"crv\"")
	}
	if crv != "Ed25519" {
		return "", nil, jwkErrorf(ErrUnsupportedJWK, "okp curve %q", truncate(crv))
	}
	x, err := b64Member(obj, "x", ed25519.PublicKeySize)
	if err != nil {
		return "", nil, err
	}
	if len(x) != ed25519.PublicKeySize {
		return "", nil, jwkErrorf(ErrMalformedJWK, "member \"x\" is %d bytes, want %d for Ed25519", len(x), ed25519.PublicKeySize)
	}
	if !private {
		return crv, ed25519.PublicKey(x), nil
	}
	d, err := b64Member(obj, "d", ed25519.SeedSize)
	if err != nil {
		return "", nil, err
	}
	if len(d) != ed25519.SeedSize {
		return "", nil, jwkErrorf(ErrMalformedJWK, "member \"d\" is %d bytes, want %d for Ed25519", len(d), ed25519.SeedSize)
	}
	k := ed25519.NewKeyFromSeed(d)
	if !bytes.Equal(k[ed25519.SeedSize:], x) {
		return "", nil, jwkErrorf(ErrMalformedJWK, "member \"d\" is not the private key of \"x\"")
	}
	return crv, k, nil
}

// publicKeyOf returns the public key of key: key itself if it is one, else
// the public half of a private key or what its Public method returns.
func publicKeyOf(key any) (crypto.PublicKey, error) {
	switch k := key.(type) {
	case nil:
		return nil, fmt.Errorf("jose: %w: jwk: nil key", signer.ErrWrongKeyType)
	case *rsa.PrivateKey:
		if k == nil {
			return nil, fmt.Errorf("jose: %w: jwk: nil rsa private key", signer.ErrWrongKeyType)
		}
		return &k.PublicKey, nil
	case *ecdsa.PrivateKey:
		if k == nil {
			return nil, fmt.Errorf("jose: %w: jwk: nil ecdsa private key", signer.ErrWrongKeyType)
		}
		return &k.PublicKey, nil
	case ed25519.PrivateKey:
		if len(k) != ed25519.PrivateKeySize {
			return nil, fmt.Errorf("jose: %w: jwk: ed25519 private key is %d bytes, want %d", signer.ErrWrongKeyType, len(k), ed25519.PrivateKeySize)
		}
		return k.Public(), nil
	case *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey, []byte:
		return k, nil
	case interface{ Public() crypto.PublicKey }:
		return k.Public(), nil
	}
	return key, nil
}

// member is one JSON object member; value is JSON.
type member struct {
	name  string
	value []byte
}

// publicMembers returns the required members of the public JWK of pub
// (RFC 7638 §3.2), checked as ParseJWK checks them.
func publicMembers(pub crypto.PublicKey) ([]member, error) {
	str := func(s string) []byte { return []byte(`"` + s + `"`) } // s needs no escaping
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if err := checkRSAPublic("jwk", k); err != nil {
			return nil, err
		}
		e := big.NewInt(int64(k.E))
		return []member{{"e", str(b64.EncodeToString(e.Bytes()))}, {"kty", str("RSA")}, {"n", str(b64.EncodeToString(k.N.Bytes()))}}, nil
	case *ecdsa.PublicKey:
		var c ecParams
		for _, alg := range []string{ES256, ES384, ES512} {
			if p, _ := ecParamsByAlg(alg); k != nil && k.Curve == p.curve {
				c = p
			}
		}
		if c.alg == "" {
			return nil, fmt.Errorf("jose: %w: jwk: ecdsa key is not on P-256, P-384 or P-521", signer.ErrWrongKeyType)
		}
		if err := checkECDSAPublic(c, k); err != nil {
			return nil, err
		}
		x := b64.EncodeToString(k.X.FillBytes(make([]byte, c.size)))
		y := b64.EncodeToString(k.Y.FillBytes(make([]byte, c.size)))
		return []member{{"crv", str(c.crv)}, {"kty", str("EC")}, {"x", str(x)}, {"y", str(y)}}, nil
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("jose: %w: jwk: ed25519 public key is %d bytes, want %d", signer.ErrWrongKeyType, len(k), ed25519.PublicKeySize)
		}
		return []member{{"crv", str("Ed25519")}, {"kty", str("OKP")}, {"x", str(b64.EncodeToString(k))}}, nil
	case []byte:
		return nil, fmt.Errorf("jose: %w: jwk: a symmetric key has no public jwk", signer.ErrWrongKeyType)
	}
	return nil, fmt.Errorf("jose: %w: jwk: unsupported key type %T", signer.ErrWrongKeyType, pub)
}

// writeMembers returns the JSON object of ms, sorted by name, without
// whitespace.
func writeMembers(ms []member) []byte {
	sort.Slice(ms, func(i, j int) bool { return ms[i].name < ms[j].name })
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range ms {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + m.name + `":`)
		b.Write(m.value)
	}
	b.WriteByte('}')
	return b.Bytes()
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
