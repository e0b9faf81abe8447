package signer

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"strconv"
	"strings"
)

// JWS algorithm names ("alg" header values) of RFC 7518 §3.1 and RFC 8037
// §3.1 that [NewJWSSigner] and [NewJWSVerifier] accept.
const (
	HS256 = "HS256" // HMAC with SHA-256 (RFC 7518 §3.2)
	RS256 = "RS256" // RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3)
	PS256 = "PS256" // RSASSA-PSS with SHA-256, MGF1 with SHA-256, 32-byte salt (RFC 7518 §3.5)
	ES256 = "ES256" // ECDSA on P-256 with SHA-256 (RFC 7518 §3.4)
	EdDSA = "EdDSA" // Ed25519 (RFC 8037 §3.1); Ed448 is not supported
)

// b64 is the JWS base64url encoding: URL alphabet, no padding (RFC 7515 §2).
// Strict decoding refuses non-zero trailing bits, so each value has exactly
// one encoding.
var b64 = base64.RawURLEncoding.Strict()

// pssOptions are the RSASSA-PSS parameters RFC 7518 §3.5 fixes: the salt is
// as long as the hash.
var pssOptions = &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: crypto.SHA256}

// JWSSigner makes JWS signatures (RFC 7515) with one algorithm and one
// private key, as OAuth 2 client assertions (RFC 7523) and DPoP proofs
// (RFC 9449) need. Create one with [NewJWSSigner]; the zero value is not
// usable. A JWSSigner is safe for concurrent use by multiple goroutines.
//
// String, Format, GoString and LogValue show only the algorithm, never the
// key.
type JWSSigner struct {
	alg string
	key any // []byte, *rsa.PrivateKey, *ecdsa.PrivateKey or ed25519.PrivateKey, checked by NewJWSSigner
}

// NewJWSSigner returns a signer for alg with key:
//
//   - [HS256]: a non-empty []byte secret. RFC 7518 §3.2 asks for at least 32
//     bytes, but shorter secrets are accepted because providers issue shorter
//     client secrets for client_secret_jwt. The secret is copied.
//   - [RS256], [PS256]: a *rsa.PrivateKey. The size is not checked here;
//     crypto/rsa refuses keys too small for the operation when signing.
//   - [ES256]: a *ecdsa.PrivateKey on P-256.
//   - [EdDSA]: an ed25519.PrivateKey (64 bytes).
//
// An unknown alg (including "none") gives an error wrapping
// [ErrUnsupportedAlgorithm]; a nil key, a key of another type, or one on the
// wrong curve gives an error wrapping [ErrWrongKeyType]. Keys must not be
// modified after the call.
func NewJWSSigner(alg string, key any) (*JWSSigner, error) {
	switch alg {
	case HS256:
		k, ok := key.([]byte)
		if !ok {
			return nil, wrongKey(alg, "a []byte secret", key)
		}
		if len(k) == 0 {
			return nil, fmt.Errorf("%w: %s: empty secret", ErrWrongKeyType, alg)
		}
		return &JWSSigner{alg: alg, key: append([]byte(nil), k...)}, nil
	case RS256, PS256:
		k, ok := key.(*rsa.PrivateKey)
		if !ok {
			return nil, wrongKey(alg, "a *rsa.PrivateKey", key)
		}
		if k == nil || k.N == nil || k.D == nil {
			return nil, fmt.Errorf("%w: %s: nil rsa private key", ErrWrongKeyType, alg)
		}
		return &JWSSigner{alg: alg, key: k}, nil
	case ES256:
		k, ok := key.(*ecdsa.PrivateKey)
		if !ok {
			return nil, wrongKey(alg, "a *ecdsa.PrivateKey", key)
		}
		if k == nil || k.D == nil {
			return nil, fmt.Errorf("%w: %s: nil ecdsa private key", ErrWrongKeyType, alg)
		}
		if err := checkP256(alg, k.Curve); err != nil {
			return nil, err
		}
		return &JWSSigner{alg: alg, key: k}, nil
	case EdDSA:
		k, ok := key.(ed25519.PrivateKey)
		if !ok {
			return nil, wrongKey(alg, "an ed25519.PrivateKey", key)
		}
		if len(k) != ed25519.PrivateKeySize {
			return nil, fmt.Errorf("%w: %s: ed25519 private key is %d bytes, want %d", ErrWrongKeyType, alg, len(k), ed25519.PrivateKeySize)
		}
		return &JWSSigner{alg: alg, key: k}, nil
	default:
		return nil, unsupportedAlg(alg)
	}
}

// Alg returns the signer's algorithm name, such as "RS256", for the JWS
// header's "alg".
func (s *JWSSigner) Alg() string { return s.alg }

// String returns signer.JWSSigner{Alg:"..."}: the algorithm, not the key.
func (s JWSSigner) String() string { return `signer.JWSSigner{Alg:` + strconv.Quote(s.alg) + `}` }

// GoString returns String, so %#v does not show the key either.
func (s JWSSigner) GoString() string { return s.String() }

// Format implements fmt.Formatter: %q prints String quoted, every other
// verb prints String, so no verb shows the key.
func (s JWSSigner) Format(f fmt.State, verb rune) { formatString(f, verb, s.String()) }

// LogValue implements slog.LogValuer: the algorithm only.
func (s JWSSigner) LogValue() slog.Value { return slog.GroupValue(slog.String("alg", s.alg)) }

// Sign returns the raw JWS signature of signingInput, which is
// ASCII(BASE64URL(header) || '.' || BASE64URL(payload)) (RFC 7515 §5.1).
// An ES256 signature is the 64-byte R || S form of RFC 7518 §3.4, not ASN.1.
// PS256 and ES256 signatures are randomized; the others are deterministic.
func (s *JWSSigner) Sign(signingInput []byte) ([]byte, error) {
	switch k := s.key.(type) {
	case []byte:
		h := hmac.New(sha256.New, k)
		h.Write(signingInput)
		return h.Sum(make([]byte, 0, sha256.Size)), nil
	case *rsa.PrivateKey:
		d := sha256.Sum256(signingInput)
		var sig []byte
		var err error
		if s.alg == PS256 {
			sig, err = rsa.SignPSS(rand.Reader, k, crypto.SHA256, d[:], pssOptions)
		} else {
			sig, err = rsa.SignPKCS1v15(nil, k, crypto.SHA256, d[:])
		}
		if err != nil {
			return nil, fmt.Errorf("signer: %s: %w", s.alg, err)
		}
		return sig, nil
	case *ecdsa.PrivateKey:
		d := sha256.Sum256(signingInput)
		r, ss, err := ecdsa.Sign(rand.Reader, k, d[:])
		if err != nil {
			return nil, fmt.Errorf("signer: %s: %w", s.alg, err)
		}
		sig := make([]byte, 64)
		r.FillBytes(sig[:32])
		ss.FillBytes(sig[32:])
		return sig, nil
	case ed25519.PrivateKey:
		return ed25519.Sign(k, signingInput), nil
	default:
		return nil, fmt.Errorf("%w: JWSSigner not created by NewJWSSigner", ErrUnsupportedAlgorithm)
	}
}

// SignCompact returns the JWS compact serialization (RFC 7515 §7.1)
// BASE64URL(header).BASE64URL(payload).BASE64URL(signature), without
// padding. header and payload are the exact bytes to encode, normally JSON;
// they are not re-marshalled. header must be a JSON object whose "alg" is
// [JWSSigner.Alg], or SignCompact returns an error wrapping
// [ErrAlgorithmMismatch] (or [ErrMalformedJWS] if it is not a JSON object):
// a token that names another algorithm than the one that signed it would
// never verify.
func (s *JWSSigner) SignCompact(header, payload []byte) (string, error) {
	alg, err := headerAlg(header)
	if err != nil {
		return "", err
	}
	if alg != s.alg {
		return "", fmt.Errorf("%w: header alg %q, signer alg %q", ErrAlgorithmMismatch, truncate(alg), s.alg)
	}
	n := b64.EncodedLen(len(header)) + 1 + b64.EncodedLen(len(payload))
	buf := make([]byte, 0, n+1+b64.EncodedLen(512)) // room for signatures up to RSA-4096
	buf = b64.AppendEncode(buf, header)
	buf = append(buf, '.')
	buf = b64.AppendEncode(buf, payload)
	sig, err := s.Sign(buf)
	if err != nil {
		return "", err
	}
	buf = append(buf, '.')
	buf = b64.AppendEncode(buf, sig)
	return string(buf), nil
}

// JWSVerifier checks JWS signatures (RFC 7515) made with one algorithm and
// the private key matching its public key. Create one with
// [NewJWSVerifier]; the zero value is not usable. A JWSVerifier is safe for
// concurrent use by multiple goroutines.
//
// String, Format, GoString and LogValue show only the algorithm, never the
// key (an HS256 key is a secret).
type JWSVerifier struct {
	alg string
	key any // []byte, *rsa.PublicKey, *ecdsa.PublicKey or ed25519.PublicKey, checked by NewJWSVerifier
}

// NewJWSVerifier returns a verifier for alg with key:
//
//   - [HS256]: the non-empty []byte secret (copied).
//   - [RS256], [PS256]: a *rsa.PublicKey.
//   - [ES256]: a *ecdsa.PublicKey on P-256.
//   - [EdDSA]: an ed25519.PublicKey (32 bytes).
//
// Errors wrap [ErrUnsupportedAlgorithm] or [ErrWrongKeyType] as for
// [NewJWSSigner]. Keys must not be modified after the call.
func NewJWSVerifier(alg string, key any) (*JWSVerifier, error) {
	switch alg {
	case HS256:
		k, ok := key.([]byte)
		if !ok {
			return nil, wrongKey(alg, "a []byte secret", key)
		}
		if len(k) == 0 {
			return nil, fmt.Errorf("%w: %s: empty secret", ErrWrongKeyType, alg)
		}
		return &JWSVerifier{alg: alg, key: append([]byte(nil), k...)}, nil
	case RS256, PS256:
		k, ok := key.(*rsa.PublicKey)
		if !ok {
			return nil, wrongKey(alg, "a *rsa.PublicKey", key)
		}
		if k == nil || k.N == nil {
			return nil, fmt.Errorf("%w: %s: nil rsa public key", ErrWrongKeyType, alg)
		}
		return &JWSVerifier{alg: alg, key: k}, nil
	case ES256:
		k, ok := key.(*ecdsa.PublicKey)
		if !ok {
			return nil, wrongKey(alg, "a *ecdsa.PublicKey", key)
		}
		if k == nil || k.X == nil || k.Y == nil {
			return nil, fmt.Errorf("%w: %s: nil ecdsa public key", ErrWrongKeyType, alg)
		}
		if err := checkP256(alg, k.Curve); err != nil {
			return nil, err
		}
		return &JWSVerifier{alg: alg, key: k}, nil
	case EdDSA:
		k, ok := key.(ed25519.PublicKey)
		if !ok {
			return nil, wrongKey(alg, "an ed25519.PublicKey", key)
		}
		if len(k) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("%w: %s: ed25519 public key is %d bytes, want %d", ErrWrongKeyType, alg, len(k), ed25519.PublicKeySize)
		}
		return &JWSVerifier{alg: alg, key: k}, nil
	default:
		return nil, unsupportedAlg(alg)
	}
}

// Alg returns the verifier's algorithm name, such as "ES256".
func (v *JWSVerifier) Alg() string { return v.alg }

// String returns signer.JWSVerifier{Alg:"..."}: the algorithm, not the key.
func (v JWSVerifier) String() string { return `signer.JWSVerifier{Alg:` + strconv.Quote(v.alg) + `}` }

// GoString returns String, so %#v does not show the key either.
func (v JWSVerifier) GoString() string { return v.String() }

// Format implements fmt.Formatter: %q prints String quoted, every other
// verb prints String, so no verb shows the key.
func (v JWSVerifier) Format(f fmt.State, verb rune) { formatString(f, verb, v.String()) }

// LogValue implements slog.LogValuer: the algorithm only.
func (v JWSVerifier) LogValue() slog.Value { return slog.GroupValue(slog.String("alg", v.alg)) }

// formatString writes s for any verb, quoted for %q.
func formatString(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		s = strconv.Quote(s)
	}
	io.WriteString(f, s)
}

// Verify returns nil if sig is a valid raw JWS signature of signingInput
// and [ErrVerification] otherwise. The HS256 comparison takes constant time.
// An ES256 signature must be the 64-byte R || S form (RFC 7518 §3.4).
func (v *JWSVerifier) Verify(signingInput, sig []byte) error {
	switch k := v.key.(type) {
	case []byte:
		h := hmac.New(sha256.New, k)
		h.Write(signingInput)
		var buf [sha256.Size]byte
		if !hmac.Equal(h.Sum(buf[:0]), sig) {
			return ErrVerification
		}
		return nil
	case *rsa.PublicKey:
		d := sha256.Sum256(signingInput)
		if v.alg == PS256 {
			return rsaVerifyErr(v.alg, rsa.VerifyPSS(k, crypto.SHA256, d[:], sig, pssOptions))
		}
		return rsaVerifyErr(v.alg, rsa.VerifyPKCS1v15(k, crypto.SHA256, d[:], sig))
	case *ecdsa.PublicKey:
		if len(sig) != 64 {
			return ErrVerification
		}
		d := sha256.Sum256(signingInput)
		r := new(big.Int).SetBytes(sig[:32])
		s := new(big.Int).SetBytes(sig[32:])
		if !ecdsa.Verify(k, d[:], r, s) {
			return ErrVerification
		}
		return nil
	case ed25519.PublicKey:
		if !ed25519.Verify(k, signingInput, sig) {
			return ErrVerification
		}
		return nil
	default:
		return fmt.Errorf("%w: JWSVerifier not created by NewJWSVerifier", ErrUnsupportedAlgorithm)
	}
}

// VerifyCompact checks a JWS compact serialization (RFC 7515 §7.1) and
// returns its decoded header and payload. It checks, in order: that the
// token has three base64url parts and a JSON object header without "crit"
// ([ErrMalformedJWS]), that the header's "alg" is [JWSVerifier.Alg]
// ([ErrAlgorithmMismatch]; "none" never matches), and the signature
// ([ErrVerification]). On error header and payload are nil.
//
// VerifyCompact checks no claims: "exp", "aud" and the rest are the caller's
// to check in payload.
func (v *JWSVerifier) VerifyCompact(token string) (header, payload []byte, err error) {
	h, rest, ok1 := strings.Cut(token, ".")
	p, s, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || strings.Contains(s, ".") {
		return nil, nil, fmt.Errorf("%w: compact serialization needs 3 parts, got %d", ErrMalformedJWS, strings.Count(token, ".")+1)
	}
	header, err = b64.DecodeString(h)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: header: %w", ErrMalformedJWS, err)
	}
	alg, err := headerAlg(header)
	if err != nil {
		return nil, nil, err
	}
	if alg != v.alg {
		return nil, nil, fmt.Errorf("%w: token alg %q, verifier alg %q", ErrAlgorithmMismatch, truncate(alg), v.alg)
	}
	payload, err = b64.DecodeString(p)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: payload: %w", ErrMalformedJWS, err)
	}
	sig, err := b64.DecodeString(s)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: signature: %w", ErrMalformedJWS, err)
	}
	if err := v.Verify([]byte(token[:len(h)+1+len(p)]), sig); err != nil {
		return nil, nil, err
	}
	return header, payload, nil
}

// headerAlg returns the "alg" of a JOSE header. The header must be a JSON
// object without "crit"; a missing "alg" is returned as "".
func headerAlg(header []byte) (string, error) {
	var h struct {
		Alg  *string         `json:"alg"`
		Crit json.RawMessage `json:"crit"`
	}
	if err := json.Unmarshal(header, &h); err != nil {
		return "", fmt.Errorf("%w: header is not a json object: %w", ErrMalformedJWS, err)
	}
	if h.Crit != nil {
		return "", fmt.Errorf("%w: header lists critical extensions", ErrMalformedJWS)
	}
	if h.Alg == nil {
		return "", fmt.Errorf("%w: header has no alg", ErrAlgorithmMismatch)
	}
	return *h.Alg, nil
}

// checkP256 reports an error unless c is P-256.
func checkP256(alg string, c elliptic.Curve) error {
	if c == nil {
		return fmt.Errorf("%w: %s: ecdsa key has no curve", ErrWrongKeyType, alg)
	}
	if c != elliptic.P256() {
		name := "an unknown curve"
		if p := c.Params(); p != nil && p.Name != "" {
			name = p.Name
		}
		return fmt.Errorf("%w: %s needs a P-256 key, got %s", ErrWrongKeyType, alg, name)
	}
	return nil
}

func wrongKey(alg, want string, key any) error {
	return fmt.Errorf("%w: %s needs %s, got %T", ErrWrongKeyType, alg, want, key)
}

func unsupportedAlg(alg string) error {
	return fmt.Errorf("%w: jws algorithm %q", ErrUnsupportedAlgorithm, truncate(alg))
}

// truncate bounds an externally supplied string before it goes into an
// error message.
func truncate(s string) string {
	const limit = 64
	if len(s) > limit {
		return s[:limit] + "..."
	}
	return s
}
