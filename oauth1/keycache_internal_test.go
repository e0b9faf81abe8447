package oauth1

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/oauthkit/oauth/signer"
)

// TestKeyCacheSlotHeldByOthers checks that a slot holding other
// credentials (as a hash collision leaves it) is a miss, and that
// credentials are admitted only on their second miss in a row.
func TestKeyCacheSlotHeldByOthers(t *testing.T) {
	alg := signer.HMACSHA1
	_, slot, _ := lookupKey(alg, "cs", "ts-collide")
	// Start from an empty slot, whatever ran before.
	slot.entry.Store(nil)
	slot.missed.Store(0)
	if k, _, admit := lookupKey(alg, "cs", "ts-collide"); k != nil || admit {
		t.Fatalf("empty slot: got key %v, admit %v; want a miss, not admitted", k, admit)
	}
	for _, e := range []*cachedKey{
		{alg: alg, consumerSecret: "cs", tokenSecret: "ts-other", key: alg.NewKey([]byte("cs&ts-other"))},
		{alg: alg, consumerSecret: "cs-other", tokenSecret: "ts-collide", key: alg.NewKey([]byte("cs-other&ts-collide"))},
		{alg: signer.HMACSHA256, consumerSecret: "cs", tokenSecret: "ts-collide", key: signer.HMACSHA256.NewKey([]byte("cs&ts-collide"))},
	} {
		slot.entry.Store(e)
		slot.missed.Store(0)
		if k, _, admit := lookupKey(alg, "cs", "ts-collide"); k != nil || admit {
			t.Errorf("slot holding %s/%s/%s: got key %v, admit %v; want a miss, not admitted", e.alg.Name(), e.consumerSecret, e.tokenSecret, k, admit)
		}
		if _, _, admit := lookupKey(alg, "cs", "ts-collide"); !admit {
			t.Errorf("second miss in a row not admitted")
		}
	}
	want := storeKey(slot, alg, "cs", "ts-collide", []byte("cs&ts-collide"))
	if k, _, _ := lookupKey(alg, "cs", "ts-collide"); k != want {
		t.Errorf("after storeKey: got %v, want the stored key", k)
	}
}

// TestNoKeyCache checks that Config.NoKeyCache keeps a Config's secrets
// out of the key cache, which the same signing without it fills.
func TestNoKeyCache(t *testing.T) {
	held := func(secret string) bool {
		for i := range keyCache {
			if e := keyCache[i].entry.Load(); e != nil && (e.consumerSecret == secret || e.tokenSecret == secret) {
				return true
			}
		}
		return false
	}
	for _, noCache := range []bool{true, false} {
		cfg := &Config{ConsumerKey: "ck", ConsumerSecret: fmt.Sprintf("nocache-cs-%v", noCache), NoKeyCache: noCache}
		tok := &Token{Token: "t", Secret: fmt.Sprintf("nocache-ts-%v", noCache)}
		for range 3 {
			req, _ := http.NewRequest("GET", "https://api.example.com/x", nil)
			if err := cfg.Sign(req, tok); err != nil {
				t.Fatal(err)
			}
		}
		if got := held(cfg.ConsumerSecret) || held(tok.Secret); got == noCache {
			t.Errorf("NoKeyCache %v: secrets in the key cache = %v", noCache, got)
		}
	}
}

type countingReader struct{ reads, next int }

func (r *countingReader) Read(p []byte) (int, error) {
	r.reads++
	for i := range p {
		r.next++
		p[i] = byte(r.next)
	}
	return len(p), nil
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("no entropy") }

// TestTakeRandom checks the read-ahead of nonce bytes: one read of
// crypto/rand per eight nonces, every byte handed out once and cleared
// from the buffer, and a failed read handing out nothing.
func TestTakeRandom(t *testing.T) {
	orig := rand.Reader
	defer func() { rand.Reader = orig }()
	r := &countingReader{}
	rand.Reader = r
	s := scratchPool.New().(*scratch)
	var seen []byte
	for i := 0; i < 20; i++ {
		var b [nonceBytes]byte
		if err := s.takeRandom(b[:]); err != nil {
			t.Fatal(err)
		}
		seen = append(seen, b[:]...)
	}
	if r.reads != 3 { // 20 nonces: 8 + 8 + 4
		t.Errorf("%d reads for 20 nonces, want 3", r.reads)
	}
	for i, c := range seen {
		if want := byte(i + 1); c != want {
			t.Fatalf("byte %d = %d, want %d: bytes reused or skipped", i, c, want)
		}
	}
	if !bytes.Equal(s.random[:s.used], make([]byte, s.used)) {
		t.Error("bytes handed out are still in the buffer")
	}
	rand.Reader = failingReader{}
	s = scratchPool.New().(*scratch)
	var b [nonceBytes]byte
	if err := s.takeRandom(b[:]); err == nil {
		t.Fatal("takeRandom with a failing crypto/rand: no error")
	}
	if s.used != len(s.random) {
		t.Errorf("after a failed read, %d bytes are left to take", len(s.random)-s.used)
	}
}

// TestKeyCacheResidentKeepsSlot signs with two credentials that share a
// slot, the first in use and cached, the second coming in between each of
// its signings (X X Y X Y X ...): a hit of X must break Y's run of misses,
// so that Y never pushes X out, and X is never prepared again.
func TestKeyCacheResidentKeepsSlot(t *testing.T) {
	alg := signer.HMACSHA1
	const cs = "resident-cs"
	// Two token secrets whose credentials fall in one slot.
	bySlot := map[uint64]string{}
	var x, y string
	for i := 0; x == ""; i++ {
		ts := fmt.Sprintf("resident-ts-%d", i)
		n := keyHash(alg, cs, ts) % keySlots
		if other, ok := bySlot[n]; ok {
			x, y = other, ts
		}
		bySlot[n] = ts
	}
	_, slot, _ := lookupKey(alg, cs, x)
	slot.entry.Store(nil)
	slot.missed.Store(0)
	cfg := &Config{ConsumerKey: "ck", ConsumerSecret: cs}
	sign := func(ts string) {
		req, _ := http.NewRequest("GET", "https://api.example.com/x", nil)
		if err := cfg.Sign(req, &Token{Token: "t", Secret: ts}); err != nil {
			t.Fatal(err)
		}
	}
	sign(x)
	sign(x)
	e := slot.entry.Load()
	if e == nil || e.tokenSecret != x {
		t.Fatalf("after two signings in a row, the slot holds %v, want the credentials", e)
	}
	for range 50 {
		sign(y)
		sign(x)
	}
	if got := slot.entry.Load(); got != e {
		t.Errorf("the slot's entry was replaced (now for %q): interleaved credentials took it", got.tokenSecret)
	}
}
