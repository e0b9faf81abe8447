package signer_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"testing"

	"github.com/oauthkit/oauth/signer"
)

// sink keeps benchmark results alive so the compiler cannot drop the work.
var sink []byte

// benchMessage is a signature base string of typical size.
var benchMessage = func() []byte {
	m := make([]byte, 300)
	for i := range m {
		m[i] = "abcdefghijklmnopqrstuvwxyz%26%3D"[i%32]
	}
	return m
}()

func BenchmarkHMACSHA1(b *testing.B) {
	key := []byte("kd94hf93k423kf44&pfkkdhi9sl3r4s00")
	buf := make([]byte, 0, signer.HMACSHA1.Size())
	b.ReportAllocs()
	b.SetBytes(int64(len(benchMessage)))
	for i := 0; i < b.N; i++ {
		buf = signer.HMACSHA1.AppendSign(buf[:0], key, benchMessage)
	}
	sink = buf
}

// BenchmarkHMACSHA1Reset is BenchmarkHMACSHA1 with one hash from New,
// Reset before each message, as an oauth1 Transport signs.
func BenchmarkHMACSHA1Reset(b *testing.B) {
	m := signer.HMACSHA1.New([]byte("kd94hf93k423kf44&pfkkdhi9sl3r4s00"))
	buf := make([]byte, 0, signer.HMACSHA1.Size())
	b.ReportAllocs()
	b.SetBytes(int64(len(benchMessage)))
	for i := 0; i < b.N; i++ {
		m.Reset()
		m.Write(benchMessage)
		buf = m.Sum(buf[:0])
	}
	sink = buf
}

func BenchmarkRSASHA1(b *testing.B) {
	vectorKey, err := signer.ParseRSAPrivateKeyPEM([]byte(rsaVectorPEM(b)))
	if err != nil {
		b.Fatal(err)
	}
	key2048, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatal(err)
	}
	for _, k := range []struct {
		name string
		key  *rsa.PrivateKey
	}{{"1024-vector", vectorKey}, {"2048", key2048}} {
		b.Run(k.name+"/signer", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				sig, err := signer.RSASHA1.Sign(k.key, benchMessage)
				if err != nil {
					b.Fatal(err)
				}
				sink = sig
			}
		})
		// The floor: hashing and crypto/rsa with nothing around them.
		b.Run(k.name+"/rsa.SignPKCS1v15", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				d := sha1.Sum(benchMessage)
				sig, err := rsa.SignPKCS1v15(nil, k.key, crypto.SHA1, d[:])
				if err != nil {
					b.Fatal(err)
				}
				sink = sig
			}
		})
	}
}

// rsaVectorPEM returns the 1024-bit RSA key of the oauthlib vectors.
func rsaVectorPEM(tb testing.TB) string {
	tb.Helper()
	for _, v := range loadOAuth1Vectors(tb) {
		if v.ID == "oauthlib-rsa-sha1" {
			return v.RSAPrivateKeyPEM
		}
	}
	tb.Fatal("vector oauthlib-rsa-sha1 not found")
	return ""
}
