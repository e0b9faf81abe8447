package signer

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"hash"
	"testing"
)

// TestHMACMatchesCryptoHMAC checks the hand-written RFC 2104 code against
// crypto/hmac for keys shorter than, equal to and longer than the block
// size of each hash, and for messages of several lengths.
func TestHMACMatchesCryptoHMAC(t *testing.T) {
	for _, a := range []*HMAC{HMACSHA1, HMACSHA256, HMACSHA512} {
		for _, keyLen := range []int{0, 1, 20, 63, 64, 65, 127, 128, 129, 300} {
			for _, msgLen := range []int{0, 1, 55, 56, 64, 300, 1000} {
				key := bytes.Repeat([]byte{byte(keyLen + 1)}, keyLen)
				msg := bytes.Repeat([]byte{byte(msgLen)}, msgLen)
				m := hmac.New(a.newHash, key)
				m.Write(msg)
				want := m.Sum(nil)
				if got := a.Sign(key, msg); !bytes.Equal(got, want) {
					t.Errorf("%s key %d msg %d: got %x, want %x", a.Name(), keyLen, msgLen, got, want)
				}
				k := a.NewKey(key)
				if k.inner == nil {
					t.Fatalf("%s: NewKey did not save the hash states", a.Name())
				}
				// Twice: a prepared key is used again and again.
				for range 2 {
					if got := k.AppendSign([]byte("x"), msg); !bytes.Equal(got[1:], want) || got[0] != 'x' {
						t.Errorf("%s NewKey key %d msg %d: got %x, want x%x", a.Name(), keyLen, msgLen, got, want)
					}
				}
			}
		}
	}
}

// opaqueHash hides the state-saving methods of the hash it wraps.
type opaqueHash struct{ hash.Hash }

// TestHMACKeyWithoutSavedState checks that an HMACKey of a hash that cannot
// save its state still gives the right MACs, from the copied key.
func TestHMACKeyWithoutSavedState(t *testing.T) {
	a := newHMAC("HMAC-SHA1", func() hash.Hash { return opaqueHash{sha1.New()} })
	key, msg := []byte("kd94hf93k423kf44&pfkkdhi9sl3r4s00"), []byte("GET&http%3A%2F%2Fphotos.example.net%2Fphotos")
	k := a.NewKey(key)
	if k.inner != nil {
		t.Fatal("NewKey saved a state the hash cannot save")
	}
	key[0] = 'X' // NewKey copied it
	m := hmac.New(sha1.New, []byte("kd94hf93k423kf44&pfkkdhi9sl3r4s00"))
	m.Write(msg)
	if got, want := k.AppendSign(nil, msg), m.Sum(nil); !bytes.Equal(got, want) {
		t.Errorf("got %x, want %x", got, want)
	}
}
