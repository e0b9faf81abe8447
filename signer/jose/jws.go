package jose

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/oauthkit/oauth/internal/urlenc/jsonobj"
	"github.com/oauthkit/oauth/signer"
)

// JWS algorithm names ("alg" header values) of RFC 7518 §3.1 and RFC 8037
// §3.1 that this package implements. "none" is not one of them.
const (
	HS256 = "HS256" // HMAC with SHA-256 (RFC 7518 §3.2)
	HS384 = "HS384" // HMAC with SHA-384 (RFC 7518 §3.2)
	HS512 = "HS512" // HMAC with SHA-512 (RFC 7518 §3.2)
	RS256 = "RS256" // RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3)
	RS384 = "RS384" // RSASSA-PKCS1-v1_5 with SHA-384 (RFC 7518 §3.3)
	RS512 = "RS512" // RSASSA-PKCS1-v1_5 with SHA-512 (RFC 7518 §3.3)
	PS256 = "PS256" // RSASSA-PSS with SHA-256, MGF1 with SHA-256, 32-byte salt (RFC 7518 §3.5)
	PS384 = "PS384" // RSASSA-PSS with SHA-384, MGF1 with SHA-384, 48-byte salt (RFC 7518 §3.5)
	PS512 = "PS512" // RSASSA-PSS with SHA-512, MGF1 with SHA-512, 64-byte salt (RFC 7518 §3.5)
	ES256 = "ES256" // ECDSA on P-256 with SHA-256 (RFC 7518 §3.4)
	ES384 = "ES384" // ECDSA on P-384 with SHA-384 (RFC 7518 §3.4)
	ES512 = "ES512" // ECDSA on P-521 with SHA-512 (RFC 7518 §3.4)
	EdDSA = "EdDSA" // Ed25519 (RFC 8037 §3.1); Ed448 is not supported
)

// b64 is the JWS base64url encoding: URL alphabet, no padding (RFC 7515 §2).
// Strict decoding refuses non-zero trailing bits, so each value has exactly
// one encoding.
var b64 = base64.RawURLEncoding.Strict()

// A Signer makes JWS signatures (RFC 7515) with one algorithm and one
// key, as OAuth 2 client assertions (RFC 7523) and DPoP proofs (RFC 9449)
// need. [SignCompact] turns one into a compact serialization.
//
// This package's signers are made by [NewSigner], which accepts every
// algorithm, or by the constructor of one algorithm family
// ([NewHMAC], [NewRSASigner], [NewPSSSigner],
// [NewECDSASigner], [NewEd25519Signer]), which links only that
// family's code into a program. Any other implementation works with
// [SignCompact] too. The asymmetric signers also have a
// Public() crypto.PublicKey method, for [PublicJWK].
//
// Implementations must be safe for concurrent use by multiple goroutines;
// this package's are.
type Signer interface {
	// Alg returns the algorithm name for the JWS header's "alg", such as
	// "RS256".
	Alg() string
	// Sign returns the raw JWS signature of signingInput, which is
	// ASCII(BASE64URL(header) || '.' || BASE64URL(payload)) (RFC 7515
	// §5.1), in the form RFC 7518 gives for the algorithm (R || S for
	// ECDSA, not ASN.1).
	Sign(signingInput []byte) ([]byte, error)
}

// A Verifier checks JWS signatures (RFC 7515) made with one algorithm and
// one key. [VerifyCompact] checks a compact serialization with one.
//
// This package's verifiers are made by [NewVerifier], [JWK.Verifier],
// or the constructor of one algorithm family ([NewHMAC],
// [NewRSAVerifier], [NewPSSVerifier], [NewECDSAVerifier],
// [NewEd25519Verifier]).
//
// Implementations must be safe for concurrent use by multiple goroutines;
// this package's are.
type Verifier interface {
	// Alg returns the algorithm name the verifier accepts in a JWS
	// header's "alg", such as "ES256".
	Alg() string
	// Verify returns nil if sig is a valid raw JWS signature of
	// signingInput, and an error wrapping [signer.ErrVerification] otherwise.
	Verify(signingInput, sig []byte) error
}

// NewSigner returns a signer for alg with key:
//
//   - [HS256], [HS384], [HS512]: a non-empty []byte secret, as for
//     [NewHMAC].
//   - [RS256], [RS384], [RS512]: a [crypto.Signer] with an RSA public key,
//     as for [NewRSASigner].
//   - [PS256], [PS384], [PS512]: the same, as for [NewPSSSigner].
//   - [ES256], [ES384], [ES512]: a [crypto.Signer] with an ECDSA public key
//     on P-256, P-384 or P-521 respectively, as for [NewECDSASigner].
//   - [EdDSA]: a [crypto.Signer] with an Ed25519 public key, as for
//     [NewEd25519Signer].
//
// *rsa.PrivateKey, *ecdsa.PrivateKey and ed25519.PrivateKey are
// crypto.Signers; so are keys kept in a KMS or HSM behind that interface.
//
// NewSigner links every algorithm into a program; a program that uses one
// family should call its constructor instead. An unknown alg (including
// "none") gives an error wrapping [signer.ErrUnsupportedAlgorithm]; a key that does
// not fit alg gives an error wrapping [signer.ErrWrongKeyType]. Keys must not be
// modified after the call.
func NewSigner(alg string, key any) (Signer, error) {
	switch alg {
	case HS256, HS384, HS512:
		secret, ok := key.([]byte)
		if !ok {
			return nil, wrongKey(alg, "a []byte secret", key)
		}
		s, err := NewHMAC(alg, secret)
		if err != nil {
			return nil, err
		}
		return s, nil
	}
	var cs crypto.Signer
	switch alg {
	case RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA:
		var ok bool
		if cs, ok = key.(crypto.Signer); !ok {
			return nil, wrongKey(alg, "a crypto.Signer", key)
		}
	default:
		return nil, unsupportedAlg(alg)
	}
	// Each case converts its own concrete type, so that a nil pointer is
	// never returned as a non-nil Signer.
	switch alg {
	case RS256, RS384, RS512:
		s, err := NewRSASigner(alg, cs)
		if err != nil {
			return nil, err
		}
		return s, nil
	case PS256, PS384, PS512:
		s, err := NewPSSSigner(alg, cs)
		if err != nil {
			return nil, err
		}
		return s, nil
	case ES256, ES384, ES512:
		s, err := NewECDSASigner(alg, cs)
		if err != nil {
			return nil, err
		}
		return s, nil
	default: // EdDSA
		s, err := NewEd25519Signer(cs)
		if err != nil {
			return nil, err
		}
		return s, nil
	}
}

// NewVerifier returns a verifier for alg with key:
//
//   - [HS256], [HS384], [HS512]: the non-empty []byte secret, as for
//     [NewHMAC].
//   - [RS256], [RS384], [RS512], [PS256], [PS384], [PS512]: a
//     *rsa.PublicKey of 2048 to 8192 bits.
//   - [ES256], [ES384], [ES512]: a *ecdsa.PublicKey on P-256, P-384 or
//     P-521 respectively.
//   - [EdDSA]: an ed25519.PublicKey (32 bytes).
//
// Only public keys are accepted for the asymmetric algorithms, and only a
// []byte for HMAC, so a public key can never serve as an HMAC secret (the
// "RS256 to HS256" key confusion). To verify with a key from a JWK Set, use
// [JWK.Verifier], which checks the JWK's "alg", "use" and "key_ops" too.
//
// NewVerifier links every algorithm into a program. An unknown alg
// (including "none") gives an error wrapping [signer.ErrUnsupportedAlgorithm]; a
// key that does not fit alg gives an error wrapping [signer.ErrWrongKeyType]. Keys
// must not be modified after the call.
func NewVerifier(alg string, key any) (Verifier, error) {
	switch alg {
	case HS256, HS384, HS512:
		secret, ok := key.([]byte)
		if !ok {
			return nil, wrongKey(alg, "a []byte secret", key)
		}
		v, err := NewHMAC(alg, secret)
		if err != nil {
			return nil, err
		}
		return v, nil
	case RS256, RS384, RS512, PS256, PS384, PS512:
		pub, ok := key.(*rsa.PublicKey)
		if !ok {
			return nil, wrongKey(alg, "a *rsa.PublicKey", key)
		}
		if alg[0] == 'R' {
			v, err := NewRSAVerifier(alg, pub)
			if err != nil {
				return nil, err
			}
			return v, nil
		}
		v, err := NewPSSVerifier(alg, pub)
		if err != nil {
			return nil, err
		}
		return v, nil
	case ES256, ES384, ES512:
		pub, ok := key.(*ecdsa.PublicKey)
		if !ok {
			return nil, wrongKey(alg, "a *ecdsa.PublicKey", key)
		}
		v, err := NewECDSAVerifier(alg, pub)
		if err != nil {
			return nil, err
		}
		return v, nil
	case EdDSA:
		pub, ok := key.(ed25519.PublicKey)
		if !ok {
			return nil, wrongKey(alg, "an ed25519.PublicKey", key)
		}
		v, err := NewEd25519Verifier(pub)
		if err != nil {
			return nil, err
		}
		return v, nil
	default:
		return nil, unsupportedAlg(alg)
	}
}

// SignCompact returns the JWS compact serialization (RFC 7515 §7.1)
// BASE64URL(header).BASE64URL(payload).BASE64URL(signature), without
// padding, signed by s.
//
// header and payload are the exact bytes to encode, normally JSON; they are
// not re-marshalled. header must be a JSON object without duplicate members
// or "crit", or SignCompact returns an error wrapping [ErrMalformedJWS]. Its
// "alg" must be s.Alg(), and neither may be "none", or SignCompact returns an
// error wrapping [ErrAlgorithmMismatch]: a token that names another
// algorithm than the one that signed it would never verify. A nil s gives an
// error wrapping [signer.ErrWrongKeyType]; errors from s.Sign are returned wrapped.
//
// SignCompact is a function rather than a method so that every Signer,
// this package's or another, gets the same checks and encoding.
func SignCompact(s Signer, header, payload []byte) (string, error) {
	if s == nil {
		return "", fmt.Errorf("jose: %w: nil Signer", signer.ErrWrongKeyType)
	}
	alg, err := headerAlg(header)
	if err != nil {
		return "", err
	}
	if sa := s.Alg(); alg != sa || alg == "none" {
		return "", fmt.Errorf("%w: header alg %q, signer alg %q", ErrAlgorithmMismatch, truncate(alg), truncate(sa))
	}
	n := b64.EncodedLen(len(header)) + 1 + b64.EncodedLen(len(payload))
	buf := make([]byte, 0, n+1+b64.EncodedLen(512)) // room for signatures up to RSA-4096
	buf = b64.AppendEncode(buf, header)
	buf = append(buf, '.')
	buf = b64.AppendEncode(buf, payload)
	sig, err := s.Sign(buf)
	if err != nil {
		return "", fmt.Errorf("jose: signing jws: %w", err)
	}
	buf = append(buf, '.')
	buf = b64.AppendEncode(buf, sig)
	return string(buf), nil
}

// VerifyCompact checks a JWS compact serialization (RFC 7515 §7.1) with v
// and returns its decoded header and payload. It checks, in order: that the
// token has three base64url parts (without padding, whitespace or line
// breaks, RFC 7515 §2) and a header that is a JSON object without
// duplicate members or "crit" ([ErrMalformedJWS]), that the header's "alg"
// is v.Alg() ([ErrAlgorithmMismatch]; "none" never matches), and the
// signature ([signer.ErrVerification]). The token's "alg" never chooses the
// algorithm: v does. On error header and payload are nil. A nil v gives an
// error wrapping [signer.ErrWrongKeyType].
//
// VerifyCompact checks no claims: "exp", "aud" and the rest are the caller's
// to check in payload. It is a function rather than a method so that every
// Verifier gets the same checks.
func VerifyCompact(v Verifier, token string) (header, payload []byte, err error) {
	if v == nil {
		return nil, nil, fmt.Errorf("jose: %w: nil Verifier", signer.ErrWrongKeyType)
	}
	h, p, s, err := splitCompact(token)
	if err != nil {
		return nil, nil, err
	}
	header, err = b64.DecodeString(h)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: header: %w", ErrMalformedJWS, err)
	}
	alg, err := headerAlg(header)
	if err != nil {
		return nil, nil, err
	}
	if va := v.Alg(); alg != va || alg == "none" {
		return nil, nil, fmt.Errorf("%w: token alg %q, verifier alg %q", ErrAlgorithmMismatch, truncate(alg), truncate(va))
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

// splitCompact returns the three parts of the compact serialization
// token, or an error wrapping ErrMalformedJWS when it has another number
// of parts or a line break: BASE64URL has none (RFC 7515 §2), and
// encoding/base64 would skip it, giving one token many spellings.
func splitCompact(token string) (h, p, s string, err error) {
	h, rest, ok1 := strings.Cut(token, ".")
	p, s, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || strings.Contains(s, ".") {
		return "", "", "", fmt.Errorf("%w: compact serialization needs 3 parts, got %d", ErrMalformedJWS, strings.Count(token, ".")+1)
	}
	if i := strings.IndexAny(token, "\r\n"); i >= 0 {
		return "", "", "", fmt.Errorf("%w: line break at byte %d", ErrMalformedJWS, i)
	}
	return h, p, s, nil
}

// headerAlg returns the "alg" of a JOSE header. The header must be a JSON
// object without duplicate members and without "crit"; a missing "alg" is
// an ErrAlgorithmMismatch, one that is not a string an ErrMalformedJWS.
// Member names are matched exactly, as RFC 7515 §4 requires, not
// case-insensitively as encoding/json does for struct fields.
func headerAlg(header []byte) (string, error) {
	_, alg, err := headerObject(header)
	return alg, err
}

// headerObject parses a JOSE header as headerAlg describes and returns its
// members and its "alg".
func headerObject(header []byte) (map[string]json.RawMessage, string, error) {
	obj, err := jsonobj.Parse(header)
	if err != nil {
		return nil, "", fmt.Errorf("%w: header: %w", ErrMalformedJWS, err)
	}
	if _, ok := obj["crit"]; ok {
		return nil, "", fmt.Errorf("%w: header lists critical extensions", ErrMalformedJWS)
	}
	raw, ok := obj["alg"]
	if !ok {
		return nil, "", fmt.Errorf("%w: header has no alg", ErrAlgorithmMismatch)
	}
	alg, ok := jsonString(raw)
	if !ok {
		return nil, "", fmt.Errorf("%w: header alg is not a string", ErrMalformedJWS)
	}
	return obj, alg, nil
}

// jwsName is embedded in every Signer and Verifier of this package:
// it holds the algorithm and prints it, and nothing else, so that no
// printing of a signer shows its key.
type jwsName struct {
	typ string // the embedding type's name, such as "RSASigner"
	alg string
}

// Alg returns the algorithm name, such as "RS256", for the JWS header's
// "alg".
func (n jwsName) Alg() string { return n.alg }

// String returns jose.Type{Alg:"..."}: the type and the algorithm, never
// the key.
func (n jwsName) String() string {
	typ := n.typ
	if typ == "" {
		typ = "JWS"
	}
	return "jose." + typ + "{Alg:" + strconv.Quote(n.alg) + "}"
}

// Format implements [fmt.Formatter]: %q prints String quoted, every other
// verb prints String, so no verb shows the key.
func (n jwsName) Format(f fmt.State, verb rune) { formatString(f, verb, n.String()) }

// formatString writes s for any verb, quoted for %q.
func formatString(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		s = strconv.Quote(s)
	}
	io.WriteString(f, s)
}

// errZeroValue is the error of a Sign or Verify method called on a value
// that no constructor made.
func errZeroValue(typ string) error {
	return fmt.Errorf("jose: %w: zero %s: use its constructor", signer.ErrWrongKeyType, typ)
}

func wrongKey(alg, want string, key any) error {
	return fmt.Errorf("jose: %w: %s needs %s, got %T", signer.ErrWrongKeyType, alg, want, key)
}

func unsupportedAlg(alg string) error {
	return fmt.Errorf("jose: %w: jws algorithm %q", signer.ErrUnsupportedAlgorithm, truncate(alg))
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
