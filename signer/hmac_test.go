package signer_test

import (
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

// TestHMACAppendSignAllocs checks that AppendSign into a buffer with room
// costs no more allocations than crypto/hmac itself.
func TestHMACAppendSignAllocs(t *testing.T) {
	key, msg := []byte("kd94hf93k423kf44&pfkkdhi9sl3r4s00"), make([]byte, 300)
	for _, alg := range []*signer.HMAC{signer.HMACSHA1, signer.HMACSHA256, signer.HMACSHA512} {
		t.Run(alg.Name(), func(t *testing.T) {
			buf := make([]byte, 0, 64)
			newHash := map[string]func() hash.Hash{"HMAC-SHA1": sha1.New, "HMAC-SHA256": sha256.New, "HMAC-SHA512": sha512.New}[alg.Name()]
			floor := testing.AllocsPerRun(100, func() {
				h := hmac.New(newHash, key)
				h.Write(msg)
				buf = h.Sum(buf[:0])
			})
			got := testing.AllocsPerRun(100, func() {
				buf = alg.AppendSign(buf[:0], key, msg)
			})
			if got > floor {
				t.Errorf("AppendSign allocs = %v, crypto/hmac floor = %v", got, floor)
			}
			k := alg.NewKey(key)
			if got := testing.AllocsPerRun(100, func() { buf = k.AppendSign(buf[:0], msg) }); got != 0 {
				t.Errorf("HMACKey.AppendSign allocs = %v, want 0", got)
			}
		})
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
