package oauth1

import (
	"hash/maphash"
	"sync/atomic"

	"github.com/oauthkit/oauth/signer"
)

// An HMAC signature starts by hashing two blocks made from the key alone,
// the same two for every request signed with the same credentials. Sign
// keeps the prepared keys ([signer.HMACKey]) of credentials it has signed
// with more than once here, so that it hashes only the base string, and
// does not percent-encode the secrets again either.
//
// The cache has a fixed number of slots, each holding one set of
// credentials, found by a hash of the secrets; a hit compares the secrets
// themselves. Credentials are prepared and stored only when they miss in
// the same slot twice in a row: a process signing for a stream of
// different users pays a hash per request, never an allocation.
//
// It holds, like the Configs and Tokens it serves, secrets in memory: at
// most keySlots recently used pairs, each dropped when another pair takes
// its slot.

const keySlots = 64

type cachedKey struct {
	alg                         *signer.HMAC
	consumerSecret, tokenSecret string
	key                         *signer.HMACKey
}

type keySlot struct {
	entry atomic.Pointer[cachedKey]
	// missed is the hash of the last credentials that missed here.
	missed atomic.Uint64
}

var (
	keySeed  = maphash.MakeSeed()
	keyCache [keySlots]keySlot
)

// lookupKey returns the prepared key for the secrets, or nil. With nil,
// admit reports whether the caller should prepare the key and store it
// with storeKey in slot.
func lookupKey(alg *signer.HMAC, consumerSecret, tokenSecret string) (k *signer.HMACKey, slot *keySlot, admit bool) {
	// The token secret tells users apart; without one (two-legged), the
	// consumer secret. A hit compares both anyway.
	s := tokenSecret
	if s == "" {
		s = consumerSecret
	}
	h := maphash.String(keySeed, s)
	slot = &keyCache[h%keySlots]
	if e := slot.entry.Load(); e != nil && e.alg == alg &&
		e.tokenSecret == tokenSecret && e.consumerSecret == consumerSecret {
		return e.key, slot, false
	}
	return nil, slot, slot.missed.Swap(h) == h
}

// storeKey prepares key, the encoded secrets, and stores it in slot.
func storeKey(slot *keySlot, alg *signer.HMAC, consumerSecret, tokenSecret string, key []byte) *signer.HMACKey {
	k := alg.NewKey(key)
	slot.entry.Store(&cachedKey{alg: alg, consumerSecret: consumerSecret, tokenSecret: tokenSecret, key: k})
	return k
}
