package signer_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"hash"
	"testing"

	"github.com/oauthkit/oauth/signer"
)

func TestHMACNameSize(t *testing.T) {
	tests := []struct {
		alg  *signer.HMAC
		name string
		size int
	}{
		{signer.HMACSHA1, "HMAC-SHA1", 20},
		{signer.HMACSHA256, "HMAC-SHA256", 32},
		{signer.HMACSHA512, "HMAC-SHA512", 64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.alg.Name(); got != tt.name {
				t.Errorf("Name() = %q, want %q", got, tt.name)
			}
			if got := tt.alg.Size(); got != tt.size {
				t.Errorf("Size() = %d, want %d", got, tt.size)
			}
			key, msg := []byte("cs&ts"), []byte("bs")
			if got := len(tt.alg.Sign(key, msg)); got != tt.size {
				t.Errorf("len(Sign()) = %d, want %d", got, tt.size)
			}
			// AppendSign appends after what dst holds.
			got := tt.alg.AppendSign([]byte("prefix"), key, msg)
			if string(got[:6]) != "prefix" || len(got) != 6+tt.size {
				t.Errorf("AppendSign(prefix) = %q, want prefix + %d bytes", got, tt.size)
			}
			if err := tt.alg.Verify(key, msg, got[6:]); err != nil {
				t.Errorf("Verify(AppendSign()) = %v", err)
			}
			for _, bad := range [][]byte{nil, {}, got[6 : 6+tt.size-1], got} {
				if err := tt.alg.Verify(key, msg, bad); !errors.Is(err, signer.ErrVerification) {
					t.Errorf("Verify(%d-byte signature) = %v, want ErrVerification", len(bad), err)
				}
			}
			if err := tt.alg.Verify([]byte("cs&tt"), msg, got[6:]); !errors.Is(err, signer.ErrVerification) {
				t.Errorf("Verify(wrong key) = %v, want ErrVerification", err)
			}
		})
	}
}

// TestHMACMatchesCryptoHMAC checks every way of signing against
// crypto/hmac, for keys shorter than, equal to and longer than the block
// size of each hash, and for messages of several lengths; a hash from New
// is used again after Reset, as a Transport does.
func TestHMACMatchesCryptoHMAC(t *testing.T) {
	hashes := map[string]func() hash.Hash{"HMAC-SHA1": sha1.New, "HMAC-SHA256": sha256.New, "HMAC-SHA512": sha512.New}
	for _, a := range []*signer.HMAC{signer.HMACSHA1, signer.HMACSHA256, signer.HMACSHA512} {
		for _, keyLen := range []int{0, 1, 20, 63, 64, 65, 127, 128, 129, 300} {
			key := bytes.Repeat([]byte{byte(keyLen + 1)}, keyLen)
			reused := a.New(key)
			for _, msgLen := range []int{0, 1, 55, 56, 64, 300, 1000} {
				msg := bytes.Repeat([]byte{byte(msgLen)}, msgLen)
				m := hmac.New(hashes[a.Name()], key)
				m.Write(msg)
				want := m.Sum(nil)
				if got := a.Sign(key, msg); !bytes.Equal(got, want) {
					t.Errorf("%s key %d msg %d: Sign = %x, want %x", a.Name(), keyLen, msgLen, got, want)
				}
				if got := a.AppendSign([]byte("x"), key, msg); !bytes.Equal(got[1:], want) || got[0] != 'x' {
					t.Errorf("%s key %d msg %d: AppendSign = %x, want x%x", a.Name(), keyLen, msgLen, got, want)
				}
				reused.Reset()
				reused.Write(msg)
				if got := reused.Sum(nil); !bytes.Equal(got, want) {
					t.Errorf("%s key %d msg %d: New, Reset = %x, want %x", a.Name(), keyLen, msgLen, got, want)
				}
			}
		}
	}
}

func TestPlaintext(t *testing.T) {
	if got := signer.Plaintext.Name(); got != "PLAINTEXT" {
		t.Errorf("Name() = %q, want %q", got, "PLAINTEXT")
	}
	tests := []struct {
		name    string
		key     string
		sig     string
		wantErr error
	}{
		{"match", "cs&ts", "cs&ts", nil},
		{"empty key and signature", "", "", nil},
		{"empty token secret", "cs&", "cs&", nil},
		{"different", "cs&ts", "cs&tt", signer.ErrVerification},
		{"prefix", "cs&ts", "cs&", signer.ErrVerification},
		{"longer", "cs&", "cs&ts", signer.ErrVerification},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(signer.Plaintext.Sign([]byte(tt.key), []byte("ignored"))); got != tt.key {
				t.Errorf("Sign(%q) = %q, want the key", tt.key, got)
			}
			if got := string(signer.Plaintext.AppendSign([]byte("x"), []byte(tt.key), nil)); got != "x"+tt.key {
				t.Errorf("AppendSign(x, %q) = %q, want %q", tt.key, got, "x"+tt.key)
			}
			err := signer.Plaintext.Verify([]byte(tt.key), []byte("ignored"), []byte(tt.sig))
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("Verify(%q, %q) = %v, want %v", tt.key, tt.sig, err, tt.wantErr)
			}
		})
	}
}
