package signer

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

// ErrNoPEM is returned by the PEM parsers when the input holds no complete
// PEM block: it is empty, not PEM, or truncated before the END line or
// inside the base64 body.
var ErrNoPEM = errors.New("signer: pem: no PEM block found")

// ErrEncryptedPEM is returned, wrapped in a [*PEMError], for an encrypted
// private key: a legacy block with a "Proc-Type: 4,ENCRYPTED" header
// (RFC 1421) or an "ENCRYPTED PRIVATE KEY" block (PKCS #8). This package
// does not decrypt keys; decrypt it first, for example with
// "openssl pkcs8 -topk8 -nocrypt" or "openssl rsa".
var ErrEncryptedPEM = errors.New("signer: pem: key is encrypted and must be decrypted first")

// PEMError describes why a PEM block could not be used. Err, when set, is
// one of [ErrEncryptedPEM] or [ErrWrongKeyType], or the error from
// crypto/x509; test it with [errors.Is] or [errors.As].
type PEMError struct {
	Type   string // the block's type, such as "RSA PRIVATE KEY"
	Reason string // what went wrong, in lower case
	Err    error  // the underlying error, if any
}

// Error returns "signer: pem: " followed by the block type, the reason and
// the underlying error. It never includes key material.
func (e *PEMError) Error() string {
	var b strings.Builder
	b.WriteString("signer: pem: ")
	if e.Type != "" {
		fmt.Fprintf(&b, "%q block: ", truncate(e.Type))
	}
	sentinel := e.Err == ErrEncryptedPEM || e.Err == ErrWrongKeyType || e.Err == ErrNoPEM
	switch {
	case e.Reason != "":
		b.WriteString(e.Reason)
	case sentinel:
		// Say it once, without a second "signer: " prefix.
		msg := strings.TrimPrefix(e.Err.Error(), "signer: ")
		b.WriteString(strings.TrimPrefix(msg, "pem: "))
	}
	if e.Err != nil && !sentinel {
		if e.Reason != "" {
			b.WriteString(": ")
		}
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns e.Err.
func (e *PEMError) Unwrap() error { return e.Err }

// ParsePrivateKeyPEM parses the first PEM block of data as a private key and
// returns a *rsa.PrivateKey, a *ecdsa.PrivateKey or an ed25519.PrivateKey.
// "EC PARAMETERS" blocks, which openssl writes before an EC key, are
// skipped. The block may be:
//
//   - "RSA PRIVATE KEY": PKCS #1 (RFC 8017 Appendix A.1.2)
//   - "PRIVATE KEY": unencrypted PKCS #8 (RFC 5208) holding an RSA, ECDSA or
//     Ed25519 key
//   - "EC PRIVATE KEY": SEC 1 (RFC 5915)
//
// It returns [ErrNoPEM] when there is no block, and otherwise a [*PEMError]
// wrapping [ErrEncryptedPEM] for encrypted keys, [ErrWrongKeyType] for other
// block types and key kinds (X25519, public keys), or the crypto/x509
// parse error.
func ParsePrivateKeyPEM(data []byte) (crypto.Signer, error) {
	block, err := firstBlock(data)
	if err != nil {
		return nil, err
	}
	if err := checkEncrypted(block); err != nil {
		return nil, err
	}
	switch block.Type {
	case "RSA PRIVATE KEY":
		k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, &PEMError{Type: block.Type, Reason: "parse pkcs #1 private key", Err: err}
		}
		return k, nil
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, &PEMError{Type: block.Type, Reason: "parse pkcs #8 private key", Err: err}
		}
		switch k := k.(type) {
		case *rsa.PrivateKey:
			return k, nil
		case *ecdsa.PrivateKey:
			return k, nil
		case ed25519.PrivateKey:
			return k, nil
		default:
			return nil, &PEMError{Type: block.Type, Reason: fmt.Sprintf("unsupported private key type %T, want rsa, ecdsa or ed25519", k), Err: ErrWrongKeyType}
		}
	case "EC PRIVATE KEY":
		k, err := x509.ParseECPrivateKey(block.Bytes)
		if err != nil {
			return nil, &PEMError{Type: block.Type, Reason: "parse sec 1 ec private key", Err: err}
		}
		return k, nil
	case "PUBLIC KEY", "RSA PUBLIC KEY", "CERTIFICATE":
		return nil, &PEMError{Type: block.Type, Reason: "public key where a private key is expected", Err: ErrWrongKeyType}
	default:
		return nil, &PEMError{Type: block.Type, Reason: "unsupported block type for a private key", Err: ErrWrongKeyType}
	}
}

// ParsePublicKeyPEM parses the first PEM block of data as a public key and
// returns a *rsa.PublicKey, a *ecdsa.PublicKey or an ed25519.PublicKey. The
// block may be:
//
//   - "PUBLIC KEY": PKIX SubjectPublicKeyInfo (RFC 5280 §4.1)
//   - "RSA PUBLIC KEY": PKCS #1 (RFC 8017 Appendix A.1.1)
//   - "CERTIFICATE": an X.509 certificate, whose public key is returned; the
//     certificate itself is not verified
//
// Errors are as for [ParsePrivateKeyPEM]; a private key block gives a
// [*PEMError] wrapping [ErrWrongKeyType].
func ParsePublicKeyPEM(data []byte) (crypto.PublicKey, error) {
	block, err := firstBlock(data)
	if err != nil {
		return nil, err
	}
	var k any
	switch block.Type {
	case "PUBLIC KEY":
		if k, err = x509.ParsePKIXPublicKey(block.Bytes); err != nil {
			return nil, &PEMError{Type: block.Type, Reason: "parse pkix public key", Err: err}
		}
	case "RSA PUBLIC KEY":
		if k, err = x509.ParsePKCS1PublicKey(block.Bytes); err != nil {
			return nil, &PEMError{Type: block.Type, Reason: "parse pkcs #1 public key", Err: err}
		}
	case "CERTIFICATE":
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, &PEMError{Type: block.Type, Reason: "parse certificate", Err: err}
		}
		k = cert.PublicKey
	case "RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY":
		return nil, &PEMError{Type: block.Type, Reason: "private key where a public key is expected", Err: ErrWrongKeyType}
	default:
		return nil, &PEMError{Type: block.Type, Reason: "unsupported block type for a public key", Err: ErrWrongKeyType}
	}
	switch k := k.(type) {
	case *rsa.PublicKey:
		return k, nil
	case *ecdsa.PublicKey:
		return k, nil
	case ed25519.PublicKey:
		return k, nil
	default:
		return nil, &PEMError{Type: block.Type, Reason: fmt.Sprintf("unsupported public key type %T, want rsa, ecdsa or ed25519", k), Err: ErrWrongKeyType}
	}
}

// ParseRSAPrivateKeyPEM is [ParsePrivateKeyPEM] for callers that need an RSA
// key, such as [RSA.Sign]. Another kind of key gives a [*PEMError] wrapping
// [ErrWrongKeyType].
func ParseRSAPrivateKeyPEM(data []byte) (*rsa.PrivateKey, error) {
	k, err := ParsePrivateKeyPEM(data)
	if err != nil {
		return nil, err
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, &PEMError{Type: blockType(data), Reason: fmt.Sprintf("got %T, want *rsa.PrivateKey", k), Err: ErrWrongKeyType}
	}
	return rk, nil
}

// ParseRSAPublicKeyPEM is [ParsePublicKeyPEM] for callers that need an RSA
// key, such as [RSA.Verify]. Another kind of key gives a [*PEMError]
// wrapping [ErrWrongKeyType].
func ParseRSAPublicKeyPEM(data []byte) (*rsa.PublicKey, error) {
	k, err := ParsePublicKeyPEM(data)
	if err != nil {
		return nil, err
	}
	rk, ok := k.(*rsa.PublicKey)
	if !ok {
		return nil, &PEMError{Type: blockType(data), Reason: fmt.Sprintf("got %T, want *rsa.PublicKey", k), Err: ErrWrongKeyType}
	}
	return rk, nil
}

// firstBlock returns the first PEM block of data that is not "EC
// PARAMETERS", or ErrNoPEM.
func firstBlock(data []byte) (*pem.Block, error) {
	for {
		block, rest := pem.Decode(data)
		if block == nil {
			return nil, ErrNoPEM
		}
		if block.Type != "EC PARAMETERS" {
			return block, nil
		}
		data = rest
	}
}

// blockType returns the type of the block firstBlock finds, for messages.
func blockType(data []byte) string {
	if b, err := firstBlock(data); err == nil {
		return b.Type
	}
	return ""
}

// checkEncrypted refuses encrypted private keys, which x509 would otherwise
// report as a confusing ASN.1 error.
func checkEncrypted(block *pem.Block) error {
	if block.Type == "ENCRYPTED PRIVATE KEY" {
		return &PEMError{Type: block.Type, Reason: "pkcs #8 key is encrypted; decrypt it first", Err: ErrEncryptedPEM}
	}
	if strings.Contains(block.Headers["Proc-Type"], "ENCRYPTED") || block.Headers["DEK-Info"] != "" {
		return &PEMError{Type: block.Type, Reason: "key is encrypted (Proc-Type: 4,ENCRYPTED); decrypt it first", Err: ErrEncryptedPEM}
	}
	return nil
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
