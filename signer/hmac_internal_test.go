package signer

import (
	"bytes"
	"crypto/hmac"
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
			}
		}
	}
}
