package jose

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/oauthkit/oauth/signer"
)

// MarshalPrivate returns the private JWK of k.Key, the form
// [ParsePrivateJWK] reads back: for a *rsa.PrivateKey of two primes, "d",
// "dp", "dq", "e", "kty", "n", "p", "q" and "qi" (RFC 7518 §6.3.2); for a
// *ecdsa.PrivateKey on P-256, P-384 or P-521, "crv", "d", "kty", "x" and
// "y" (§6.2.2), "d" as long as the curve's order; for an
// ed25519.PrivateKey, "crv", "d" (the seed), "kty" and "x" (RFC 8037 §2);
// for a []byte secret, "k" and "kty" (§6.4); with "alg", "key_ops", "kid"
// and "use" when set, every member in lexicographic order, without
// whitespace. It is how a client saves the key it signs DPoP proofs (RFC
// 9449) or request objects with.
//
// The result holds the private key: store it as secret as the key itself
// (a file only its owner can read), never log it. MarshalJSON, String and
// Format never write private members; MarshalPrivate is the one method
// that does.
//
// A public key, a crypto.Signer that is not one of those types (a key in
// a KMS), an RSA key of more than two primes or outside 2048 to 8192 bits,
// an EC key on another curve, and an empty secret give an error wrapping
// [signer.ErrWrongKeyType]; an "alg" that does not fit the key one
// wrapping [ErrMalformedJWK]. No error contains key material.
func (k JWK) MarshalPrivate() ([]byte, error) {
	ms, kty, crv, err := privateMembers(k.Key)
	if err != nil {
		return nil, err
	}
	if err := checkJWKAlg(k.Algorithm, kty, crv); err != nil {
		return nil, err
	}
	return writeMembers(k.appendOptional(ms)), nil
}

// appendOptional appends the "alg", "kid", "use" and "key_ops" members of
// k, those that are set.
func (k JWK) appendOptional(ms []member) []member {
	for _, m := range []struct{ name, value string }{{"alg", k.Algorithm}, {"kid", k.KeyID}, {"use", k.Use}} {
		if m.value != "" {
			v, _ := json.Marshal(m.value) // a string always marshals
			ms = append(ms, member{m.name, v})
		}
	}
	if k.KeyOps != nil {
		v, _ := json.Marshal(k.KeyOps)
		ms = append(ms, member{"key_ops", v})
	}
	return ms
}

// privateMembers returns the members of the private JWK of key, its kty
// and its crv ("" for RSA and oct).
func privateMembers(key any) (ms []member, kty, crv string, err error) {
	str := func(b []byte) []byte { return []byte(`"` + b64.EncodeToString(b) + `"`) } // base64url needs no escaping
	switch k := key.(type) {
	case *ecdsa.PrivateKey:
		if k == nil {
			return nil, "", "", fmt.Errorf("jose: %w: jwk: nil ecdsa private key", signer.ErrWrongKeyType)
		}
		if ms, err = publicMembers(&k.PublicKey); err != nil {
			return nil, "", "", err
		}
		var c ecParams
		for _, alg := range []string{ES256, ES384, ES512} {
			if p, _ := ecParamsByAlg(alg); k.Curve == p.curve {
				c = p
			}
		}
		if !ecScalarFits(k.D, c.size) {
			return nil, "", "", fmt.Errorf("jose: %w: jwk: ecdsa private scalar out of range", signer.ErrWrongKeyType)
		}
		return append(ms, member{"d", str(k.D.FillBytes(make([]byte, c.size)))}), "EC", c.crv, nil
	case ed25519.PrivateKey:
		if len(k) != ed25519.PrivateKeySize {
			return nil, "", "", fmt.Errorf("jose: %w: jwk: ed25519 private key is %d bytes, want %d", signer.ErrWrongKeyType, len(k), ed25519.PrivateKeySize)
		}
		if ms, err = publicMembers(k.Public()); err != nil {
			return nil, "", "", err
		}
		return append(ms, member{"d", str(k.Seed())}), "OKP", "Ed25519", nil
	case *rsa.PrivateKey:
		if k == nil || k.D == nil {
			return nil, "", "", fmt.Errorf("jose: %w: jwk: nil rsa private key", signer.ErrWrongKeyType)
		}
		if len(k.Primes) != 2 || k.Primes[0] == nil || k.Primes[1] == nil {
			return nil, "", "", fmt.Errorf("jose: %w: jwk: rsa private key of %d primes, want 2", signer.ErrWrongKeyType, len(k.Primes))
		}
		if ms, err = publicMembers(&k.PublicKey); err != nil {
			return nil, "", "", err
		}
		// The CRT values from the primes (RFC 7518 §6.3.2.4 to §6.3.2.6),
		// computed here rather than by Precompute, which would modify the
		// caller's key.
		p, q := k.Primes[0], k.Primes[1]
		one := big.NewInt(1)
		dp := new(big.Int).Mod(k.D, new(big.Int).Sub(p, one))
		dq := new(big.Int).Mod(k.D, new(big.Int).Sub(q, one))
		qi := new(big.Int).ModInverse(q, p)
		if qi == nil {
			return nil, "", "", fmt.Errorf("jose: %w: jwk: rsa primes are not coprime", signer.ErrWrongKeyType)
		}
		for _, m := range []struct {
			name string
			v    *big.Int
		}{{"d", k.D}, {"p", p}, {"q", q}, {"dp", dp}, {"dq", dq}, {"qi", qi}} {
			ms = append(ms, member{m.name, str(m.v.Bytes())})
		}
		return ms, "RSA", "", nil
	case []byte:
		if len(k) == 0 {
			return nil, "", "", fmt.Errorf("jose: %w: jwk: empty secret", signer.ErrWrongKeyType)
		}
		return []member{{"k", str(k)}, {"kty", []byte(`"oct"`)}}, "oct", "", nil
	}
	return nil, "", "", fmt.Errorf("jose: %w: jwk: %T is not a private key this package can write", signer.ErrWrongKeyType, key)
}
