package oauth1

import (
	"hash/maphash"
	"strings"
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
// credentials (method, consumer secret, token secret), found by a hash of
// all three; a hit compares them exactly. Credentials are prepared and
// stored only when they sign twice in a row as far as their slot can
// tell: with no other credentials missing or hitting there in between.
// A process signing for a stream of different users pays a hash per
// request, never an allocation, and two credentials in use at once that
// share a slot do not push each other out in turn.
//
// It holds secrets, as the Configs and Tokens it serves do: copies of the
// secrets of at most keySlots credentials, each until others take its
// slot. Config.NoKeyCache keeps a Config's credentials out of it.

const keySlots = 64

type cachedKey struct {
	alg                         *signer.HMAC
	consumerSecret, tokenSecret string
	key                         *signer.HMACKey
}

type keySlot struct {
	entry atomic.Pointer[cachedKey]
	// missed is the hash of the credentials that missed here last, with
	// no hit since; 0 after a hit.
	missed atomic.Uint64
	// Slots are written by concurrent misses: one per cache line.
	_ [64 - 16]byte
}

var (
	keySeed  = maphash.MakeSeed()
	keyCache [keySlots]keySlot
)

// lookupKey returns the prepared key for the credentials, or nil. With
// nil, admit reports whether the caller should prepare the key and store
// it with storeKey in slot.
func lookupKey(alg *signer.HMAC, consumerSecret, tokenSecret string) (k *signer.HMACKey, slot *keySlot, admit bool) {
	h := keyHash(alg, consumerSecret, tokenSecret)
	slot = &keyCache[h%keySlots]
	if e := slot.entry.Load(); e != nil && e.alg == alg &&
		e.tokenSecret == tokenSecret && e.consumerSecret == consumerSecret {
		// A hit breaks any run of misses by other credentials here, so
		// that they cannot take the slot while these are in use. The
		// shared word is written only when there is a run to break.
		if slot.missed.Load() != 0 {
			slot.missed.Store(0)
		}
		return e.key, slot, false
	}
	// A plain load first: a miss that will not be admitted writes the
	// shared slot only when the credentials missing there change.
	switch slot.missed.Load() {
	case h:
		return nil, slot, true
	default:
		slot.missed.Store(h)
		return nil, slot, false
	}
}

// keyHash hashes the credentials. Two hashes of strings are cheaper than
// one of the three written to a maphash.Hash; the method's size tells the
// HMACs apart. It is never 0, which marks a slot's missed word as clear.
func keyHash(alg *signer.HMAC, consumerSecret, tokenSecret string) uint64 {
	h := maphash.String(keySeed, tokenSecret)*0x9e3779b97f4a7c15 ^
		maphash.String(keySeed, consumerSecret) ^ uint64(alg.Size())
	return h | 1<<63
}

// storeKey prepares key, the encoded secrets, and stores it in slot. The
// secrets are copied: the cache must not depend on the caller's strings,
// whatever their memory becomes.
func storeKey(slot *keySlot, alg *signer.HMAC, consumerSecret, tokenSecret string, key []byte) *signer.HMACKey {
	k := alg.NewKey(key)
	slot.entry.Store(&cachedKey{alg: alg, consumerSecret: strings.Clone(consumerSecret),
		tokenSecret: strings.Clone(tokenSecret), key: k})
	return k
}
