package signer_test

import (
	"crypto/rsa"
	"errors"
	"testing"

	"github.com/oauthkit/oauth/signer"
)

func TestRSA(t *testing.T) {
	k := keys(t).RSA
	tests := []struct {
		alg  *signer.RSA
		name string
	}{
		{signer.RSASHA1, "RSA-SHA1"},
		{signer.RSASHA256, "RSA-SHA256"},
		{signer.RSASHA512, "RSA-SHA512"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.alg.Name(); got != tt.name {
				t.Errorf("Name() = %q, want %q", got, tt.name)
			}
			msg := []byte("GET&http%3A%2F%2Fexample.com&a%3Db")
			sig, err := tt.alg.Sign(k, msg)
			if err != nil {
				t.Fatalf("Sign: %v", err)
			}
			again, _ := tt.alg.Sign(k, msg)
			if string(again) != string(sig) {
				t.Error("Sign is not deterministic")
			}
			if err := tt.alg.Verify(&k.PublicKey, msg, sig); err != nil {
				t.Errorf("Verify(Sign()) = %v", err)
			}
			if err := tt.alg.Verify(&k.PublicKey, msg[1:], sig); !errors.Is(err, signer.ErrVerification) {
				t.Errorf("Verify(tampered message) = %v, want ErrVerification", err)
			}
			if err := tt.alg.Verify(&k.PublicKey, msg, sig[1:]); !errors.Is(err, signer.ErrVerification) {
				t.Errorf("Verify(short signature) = %v, want ErrVerification", err)
			}
			if err := tt.alg.Verify(&k.PublicKey, msg, nil); !errors.Is(err, signer.ErrVerification) {
				t.Errorf("Verify(nil signature) = %v, want ErrVerification", err)
			}
			if _, err := tt.alg.Sign(nil, msg); !errors.Is(err, signer.ErrWrongKeyType) {
				t.Errorf("Sign(nil key) = %v, want ErrWrongKeyType", err)
			}
			if _, err := tt.alg.Sign(&rsa.PrivateKey{}, msg); !errors.Is(err, signer.ErrWrongKeyType) {
				t.Errorf("Sign(zero key) = %v, want ErrWrongKeyType", err)
			}
			if err := tt.alg.Verify(nil, msg, sig); !errors.Is(err, signer.ErrWrongKeyType) {
				t.Errorf("Verify(nil key) = %v, want ErrWrongKeyType", err)
			}
		})
	}
}
