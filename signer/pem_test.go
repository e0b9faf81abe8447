package signer_test

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/oauthkit/oauth/signer"
)

// pubEqualer and privEqualer are what the standard library's key types
// implement.
type (
	pubEqualer  interface{ Equal(crypto.PublicKey) bool }
	privEqualer interface{ Equal(crypto.PrivateKey) bool }
)

func TestParsePrivateKeyPEM(t *testing.T) {
	k := keys(t)
	tests := []struct {
		name string
		pem  []byte
		want crypto.Signer
	}{
		{"PKCS #1 RSA", k.PEM["pkcs1-rsa"], k.RSA},
		{"PKCS #8 RSA", k.PEM["pkcs8-rsa"], k.RSA},
		{"PKCS #8 EC", k.PEM["pkcs8-ec"], k.EC},
		{"PKCS #8 Ed25519", k.PEM["pkcs8-ed25519"], k.Ed25519},
		{"SEC 1 EC", k.PEM["sec1-ec"], k.EC},
		{"SEC 1 EC after EC PARAMETERS", k.PEM["sec1-ec-with-params"], k.EC},
		{"SEC 1 P-384", k.PEM["sec1-ec384"], k.EC384},
		{"text around the block", append(append([]byte("comment\n"), k.PEM["pkcs1-rsa"]...), "trailer\n"...), k.RSA},
		{"first of two blocks", append(append([]byte{}, k.PEM["pkcs8-ec"]...), k.PEM["pkcs1-rsa"]...), k.EC},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := signer.ParsePrivateKeyPEM(tt.pem)
			if err != nil {
				t.Fatalf("ParsePrivateKeyPEM() error = %v", err)
			}
			if reflect.TypeOf(got) != reflect.TypeOf(tt.want) {
				t.Fatalf("ParsePrivateKeyPEM() = %T, want %T", got, tt.want)
			}
			if !got.(privEqualer).Equal(tt.want) {
				t.Error("ParsePrivateKeyPEM() returned another key")
			}
		})
	}
}

func TestParsePublicKeyPEM(t *testing.T) {
	k := keys(t)
	tests := []struct {
		name string
		pem  []byte
		want crypto.PublicKey
	}{
		{"PKIX RSA", k.PEM["pkix-rsa"], &k.RSA.PublicKey},
		{"PKIX EC", k.PEM["pkix-ec"], &k.EC.PublicKey},
		{"PKIX Ed25519", k.PEM["pkix-ed25519"], k.Ed25519.Public()},
		{"PKCS #1 RSA PUBLIC KEY", k.PEM["pkcs1-rsa-public"], &k.RSA.PublicKey},
		{"certificate RSA", k.PEM["cert-rsa"], &k.RSA.PublicKey},
		{"certificate EC", k.PEM["cert-ec"], &k.EC.PublicKey},
		{"certificate Ed25519", k.PEM["cert-ed25519"], k.Ed25519.Public()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := signer.ParsePublicKeyPEM(tt.pem)
			if err != nil {
				t.Fatalf("ParsePublicKeyPEM() error = %v", err)
			}
			if reflect.TypeOf(got) != reflect.TypeOf(tt.want) {
				t.Fatalf("ParsePublicKeyPEM() = %T, want %T", got, tt.want)
			}
			if !got.(pubEqualer).Equal(tt.want) {
				t.Error("ParsePublicKeyPEM() returned another key")
			}
		})
	}
}

// pemOf encodes a block with the given type, headers and body.
func pemOf(typ string, headers map[string]string, body []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Headers: headers, Bytes: body})
}

func TestParsePEMErrors(t *testing.T) {
	k := keys(t)
	x25519, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	x25519PKCS8, err := x509.MarshalPKCS8PrivateKey(x25519)
	if err != nil {
		t.Fatal(err)
	}
	x25519PKIX, err := x509.MarshalPKIXPublicKey(x25519.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	rsaPEM := string(k.PEM["pkcs1-rsa"])
	legacy := pemOf("RSA PRIVATE KEY", map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-128-CBC,00112233445566778899AABBCCDDEEFF"}, make([]byte, 64))
	pkcs8Enc := pemOf("ENCRYPTED PRIVATE KEY", nil, make([]byte, 64))
	rsaBody := strings.Split(rsaPEM, "\n")

	tests := []struct {
		name       string
		parse      string // "private", "public", "rsa-private", "rsa-public"
		pem        []byte
		wantErr    error // sentinel, or nil to only require a *PEMError
		wantPEMErr bool
	}{
		{"empty private", "private", nil, signer.ErrNoPEM, false},
		{"empty public", "public", []byte{}, signer.ErrNoPEM, false},
		{"garbage", "private", []byte("not a pem file at all"), signer.ErrNoPEM, false},
		{"binary garbage", "public", []byte{0, 1, 2, 0xff, '-', '-'}, signer.ErrNoPEM, false},
		{"DER instead of PEM", "private", x509.MarshalPKCS1PrivateKey(k.RSA), signer.ErrNoPEM, false},
		{"no END line", "private", []byte(rsaPEM[:len(rsaPEM)/2]), signer.ErrNoPEM, false},
		{"bad base64", "private", []byte("-----BEGIN RSA PRIVATE KEY-----\n!!!!\n-----END RSA PRIVATE KEY-----\n"), signer.ErrNoPEM, false},
		{"truncated body", "private", []byte(rsaBody[0] + "\n" + strings.Join(rsaBody[1:4], "\n") + "\n" + rsaBody[len(rsaBody)-2] + "\n"), nil, true},
		{"garbage body", "private", pemOf("PRIVATE KEY", nil, []byte("garbage")), nil, true},
		{"garbage certificate", "public", pemOf("CERTIFICATE", nil, []byte{0x30, 0x03, 1, 2, 3}), nil, true},
		{"garbage EC key", "private", pemOf("EC PRIVATE KEY", nil, []byte{0x30}), nil, true},
		{"garbage RSA public", "public", pemOf("RSA PUBLIC KEY", nil, []byte{0x30}), nil, true},
		{"PKCS #1 in PRIVATE KEY block", "private", pemOf("PRIVATE KEY", nil, x509.MarshalPKCS1PrivateKey(k.RSA)), nil, true},
		{"legacy encrypted", "private", legacy, signer.ErrEncryptedPEM, true},
		{"legacy encrypted via RSA helper", "rsa-private", legacy, signer.ErrEncryptedPEM, true},
		{"ENCRYPTED PRIVATE KEY", "private", pkcs8Enc, signer.ErrEncryptedPEM, true},
		{"ENCRYPTED PRIVATE KEY as public", "public", pkcs8Enc, signer.ErrWrongKeyType, true},
		{"public key as private", "private", k.PEM["pkix-rsa"], signer.ErrWrongKeyType, true},
		{"certificate as private", "private", k.PEM["cert-rsa"], signer.ErrWrongKeyType, true},
		{"private key as public", "public", k.PEM["pkcs1-rsa"], signer.ErrWrongKeyType, true},
		{"unknown block type", "private", pemOf("OPENSSH PRIVATE KEY", nil, []byte("x")), signer.ErrWrongKeyType, true},
		{"unknown public block type", "public", pemOf("X509 CRL", nil, []byte("x")), signer.ErrWrongKeyType, true},
		{"X25519 private", "private", pemOf("PRIVATE KEY", nil, x25519PKCS8), signer.ErrWrongKeyType, true},
		{"X25519 public", "public", pemOf("PUBLIC KEY", nil, x25519PKIX), signer.ErrWrongKeyType, true},
		{"EC key as RSA", "rsa-private", k.PEM["sec1-ec"], signer.ErrWrongKeyType, true},
		{"Ed25519 key as RSA", "rsa-private", k.PEM["pkcs8-ed25519"], signer.ErrWrongKeyType, true},
		{"EC public as RSA", "rsa-public", k.PEM["pkix-ec"], signer.ErrWrongKeyType, true},
		{"Ed25519 certificate as RSA", "rsa-public", k.PEM["cert-ed25519"], signer.ErrWrongKeyType, true},
		{"empty as RSA public", "rsa-public", nil, signer.ErrNoPEM, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var key any
			var err error
			switch tt.parse {
			case "private":
				key, err = signer.ParsePrivateKeyPEM(tt.pem)
			case "public":
				key, err = signer.ParsePublicKeyPEM(tt.pem)
			case "rsa-private":
				var rk *rsa.PrivateKey
				rk, err = signer.ParseRSAPrivateKeyPEM(tt.pem)
				if rk != nil {
					key = rk
				}
			case "rsa-public":
				var rk *rsa.PublicKey
				rk, err = signer.ParseRSAPublicKeyPEM(tt.pem)
				if rk != nil {
					key = rk
				}
			}
			if err == nil {
				t.Fatalf("parse %s: got %T, want an error", tt.parse, key)
			}
			if key != nil {
				t.Errorf("parse %s: got key %T with error %v", tt.parse, key, err)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error = %v, want %v", err, tt.wantErr)
			}
			var pe *signer.PEMError
			if got := errors.As(err, &pe); got != tt.wantPEMErr {
				t.Errorf("errors.As(%v, *PEMError) = %v, want %v", err, got, tt.wantPEMErr)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "signer: pem: ") || strings.HasSuffix(msg, ".") || strings.Contains(msg, "signer: pem: signer:") {
				t.Errorf("error message %q: want one \"signer: pem: \" prefix and no trailing dot", msg)
			}
		})
	}
}

func TestPEMErrorMessage(t *testing.T) {
	tests := []struct {
		err  *signer.PEMError
		want string
	}{
		{&signer.PEMError{Type: "PRIVATE KEY", Reason: "parse pkcs #8 private key", Err: errors.New("x509: boom")}, `signer: pem: "PRIVATE KEY" block: parse pkcs #8 private key: x509: boom`},
		{&signer.PEMError{Type: "ENCRYPTED PRIVATE KEY", Err: signer.ErrEncryptedPEM}, `signer: pem: "ENCRYPTED PRIVATE KEY" block: key is encrypted and must be decrypted first`},
		{&signer.PEMError{Reason: "odd"}, `signer: pem: odd`},
		{&signer.PEMError{Err: signer.ErrWrongKeyType}, `signer: pem: wrong key type`},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

// checkParsedKey fails unless exactly one of key and err is nil (a typed nil
// pointer inside the interface counts as nil).
func checkParsedKey(t *testing.T, fn string, key any, err error) {
	t.Helper()
	isNil := key == nil
	if !isNil {
		switch v := reflect.ValueOf(key); v.Kind() {
		case reflect.Pointer, reflect.Slice:
			isNil = v.IsNil() || (v.Kind() == reflect.Slice && v.Len() == 0)
		}
	}
	if err == nil && isNil {
		t.Fatalf("%s returned neither a key nor an error", fn)
	}
	if err != nil && !isNil {
		t.Fatalf("%s returned a key (%T) and an error %v", fn, key, err)
	}
}

// FuzzParsePEM feeds arbitrary bytes to every parser: none may panic, and
// each returns a usable non-nil key or an error, never both or neither.
func FuzzParsePEM(f *testing.F) {
	for _, v := range loadOAuth1Vectors(f) {
		for _, s := range []string{v.RSAPrivateKeyPEM, v.RSAPublicKeyPEM, v.RSACertificatePEM} {
			if s != "" {
				f.Add([]byte(s))
				f.Add([]byte(s[:len(s)/2]))
			}
		}
	}
	for _, s := range keys(f).PEM {
		f.Add(s)
	}
	f.Add([]byte(""))
	f.Add([]byte("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n"))
	f.Add([]byte("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nAAAA\n-----END RSA PRIVATE KEY-----\n"))
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n"))
	f.Add([]byte{0x30, 0x82, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		priv, err := signer.ParsePrivateKeyPEM(data)
		checkParsedKey(t, "ParsePrivateKeyPEM", priv, err)
		if err == nil {
			switch k := priv.(type) {
			case *rsa.PrivateKey, *ecdsa.PrivateKey:
			case ed25519.PrivateKey:
				if len(k) != ed25519.PrivateKeySize {
					t.Fatalf("ed25519 key of %d bytes", len(k))
				}
			default:
				t.Fatalf("ParsePrivateKeyPEM returned %T", priv)
			}
			if priv.Public() == nil {
				t.Fatal("private key without a public key")
			}
		}
		pub, err := signer.ParsePublicKeyPEM(data)
		checkParsedKey(t, "ParsePublicKeyPEM", pub, err)
		rpriv, err := signer.ParseRSAPrivateKeyPEM(data)
		if (rpriv == nil) == (err == nil) {
			t.Fatalf("ParseRSAPrivateKeyPEM = %v, %v", rpriv != nil, err)
		}
		rpub, err := signer.ParseRSAPublicKeyPEM(data)
		if (rpub == nil) == (err == nil) {
			t.Fatalf("ParseRSAPublicKeyPEM = %v, %v", rpub != nil, err)
		}
	})
}
