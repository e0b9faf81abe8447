package oidc

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"time"

	"github.com/oauthkit/oauth/signer"
	"github.com/oauthkit/oauth/signer/jose"
)

// A KeySet checks the signatures of JWTs made with asymmetric keys
// (coreos/go-oidc's interface). [RemoteKeySet] and [StaticKeySet]
// implement it; an [IDTokenVerifier] calls it after checking the token's
// "alg" against the algorithms it accepts, and never for "none" or an HMAC
// algorithm.
type KeySet interface {
	// VerifySignature checks the signature of the compact JWS jwt and
	// returns its payload. It fails with an error wrapping
	// [ErrInvalidSignature] when a key fits the token but the signature
	// does not verify, [ErrUnknownKey] when no key fits, and
	// [ErrMalformedToken] when jwt is not a compact JWS.
	VerifySignature(ctx context.Context, jwt string) (payload []byte, err error)
}

// asymmetricAlgs are the JWS algorithms a KeySet verifies.
var asymmetricAlgs = []string{
	jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512,
	jose.ES256, jose.ES384, jose.ES512, jose.EdDSA,
}

// RemoteKeySet is a KeySet that fetches a JWK Set (RFC 7517 §5) from a
// URL, such as a provider's jwks_uri, and keeps it for the lifetime its
// Cache-Control allows (see [MinCacheAge]). A token is checked with the
// keys whose "kid" is the token's (every key, when the token has no kid)
// and that fit its "alg": the key type and curve of the algorithm, the
// JWK's own "alg" if it has one, "use" "sig" and "key_ops" "verify" if it
// has them. A public key is never used as an HMAC secret.
//
// When no key fits, the set is fetched again at once, so that a key the
// provider rotated in is found, but at most once per
// Options.RefetchInterval (10 seconds by default): tokens naming unknown
// keys, however many, cannot make it fetch more often. Such a token is
// refused with [ErrUnknownKey] without a fetch while the interval runs.
// A set that fails to refresh on schedule is used as it was for
// [MinCacheAge] more. While no set could be fetched at all, a failed
// fetch is not tried again before RefetchInterval has passed: meanwhile
// verifications fail with its error.
//
// Create one with [NewRemoteKeySet], or get a provider's from
// [Provider.KeySet]. A RemoteKeySet is safe for concurrent use by multiple
// goroutines: concurrent fetches are one fetch, and no lock is held while
// fetching.
type RemoteKeySet struct {
	f     *fetcher
	cache cache[*jose.JWKSet]
}

// NewRemoteKeySet returns a RemoteKeySet for the JWK Set at jwksURL, which
// it fetches when first needed. opts may be nil. The URL must be https,
// or http on a loopback host, unless opts.InsecureAllowHTTP; otherwise
// every verification fails with an error wrapping
// oauth2.ErrInsecureTransport.
func NewRemoteKeySet(jwksURL string, opts *Options) *RemoteKeySet {
	return newRemoteKeySet(newFetcher(opts), func(context.Context) (string, error) { return jwksURL, nil })
}

func newRemoteKeySet(f *fetcher, jwksURL func(context.Context) (string, error)) *RemoteKeySet {
	r := &RemoteKeySet{f: f}
	r.cache.f = f
	r.cache.fetch = func(ctx context.Context) (*jose.JWKSet, time.Duration, error) {
		u, err := jwksURL(ctx)
		if err != nil {
			return nil, 0, err
		}
		body, h, err := f.do(ctx, request{endpoint: "jwks", url: u, accept: "application/jwk-set+json, application/json"})
		if err != nil {
			return nil, 0, err
		}
		set, err := jose.ParseJWKSet(body)
		if err != nil {
			return nil, 0, fmt.Errorf("oidc: jwks: %w", err)
		}
		return set, cacheAge(h), nil
	}
	return r
}

// VerifySignature implements [KeySet]. It fetches the JWK Set if it has
// none or its copy has expired, and once more, within the rate limit,
// when no key fits the token. ctx bounds this caller's wait; a fetch runs
// detached, bounded by Options.Timeout. Errors of the fetch are returned
// as they are (an *oauth2.Error for an error status, a wrapped
// *http.MaxBytesError, jose.ErrMalformedJWK for a set that does not
// parse).
func (r *RemoteKeySet) VerifySignature(ctx context.Context, jwt string) ([]byte, error) {
	h, err := asymmetricHeader(jwt)
	if err != nil {
		return nil, err
	}
	set, gen, fresh, err := r.cache.get(ctx, true)
	if err != nil {
		return nil, err
	}
	payload, err := verifyWithJWKs(set, h, jwt)
	if !errors.Is(err, ErrUnknownKey) || fresh {
		return payload, err
	}
	set2, gen2, ferr := r.cache.refetch(ctx, gen)
	switch {
	case ferr != nil:
		return nil, fmt.Errorf("%w; fetching the jwk set again: %w", err, ferr)
	case gen2 == gen:
		return nil, err // rate-limited: no newer set
	}
	return verifyWithJWKs(set2, h, jwt)
}

// asymmetricHeader reads jwt's header and refuses an algorithm that is not
// one of asymmetricAlgs.
func asymmetricHeader(jwt string) (jose.Header, error) {
	h, err := jose.ParseHeader(jwt)
	if err != nil {
		return h, fmt.Errorf("%w: %w", ErrMalformedToken, err)
	}
	if !contains(asymmetricAlgs, h.Algorithm) {
		return h, fmt.Errorf("%w: %w: alg %s is not a public-key algorithm", ErrInvalidSignature, jose.ErrAlgorithmMismatch, quote(h.Algorithm))
	}
	return h, nil
}

// verifyWithJWKs checks jwt with the keys of set that h names and that fit
// h's algorithm.
func verifyWithJWKs(set *jose.JWKSet, h jose.Header, jwt string) ([]byte, error) {
	var verifiers []jose.Verifier
	if set != nil {
		for _, k := range set.Keys {
			if h.KeyID != "" && k.KeyID != h.KeyID {
				continue
			}
			if v, err := k.Verifier(h.Algorithm); err == nil {
				verifiers = append(verifiers, v)
			}
		}
	}
	return verifyWith(verifiers, h, jwt)
}

// verifyWith returns the payload of jwt if one of vs verifies it.
func verifyWith(vs []jose.Verifier, h jose.Header, jwt string) ([]byte, error) {
	if len(vs) == 0 {
		if h.KeyID == "" {
			return nil, fmt.Errorf("%w: no key fits alg %s", ErrUnknownKey, quote(h.Algorithm))
		}
		return nil, fmt.Errorf("%w: no key with kid %s fits alg %s", ErrUnknownKey, quote(h.KeyID), quote(h.Algorithm))
	}
	var err error
	for _, v := range vs {
		var payload []byte
		if _, payload, err = jose.VerifyCompact(v, jwt); err == nil {
			return payload, nil
		}
	}
	return nil, signatureError(err)
}

// signatureError maps an error of jose.VerifyCompact to this package's.
func signatureError(err error) error {
	switch {
	case errors.Is(err, signer.ErrVerification), errors.Is(err, jose.ErrAlgorithmMismatch):
		return fmt.Errorf("%w: %w", ErrInvalidSignature, err)
	case errors.Is(err, jose.ErrMalformedJWS):
		return fmt.Errorf("%w: %w", ErrMalformedToken, err)
	}
	return fmt.Errorf("%w: %w", ErrInvalidSignature, err)
}

// StaticKeySet is a KeySet of fixed public keys (coreos/go-oidc's type),
// for a provider that publishes no JWK Set or for tests. A token is
// checked with every key that fits its "alg", whatever its "kid". It is
// safe for concurrent use as long as PublicKeys is not modified.
type StaticKeySet struct {
	// PublicKeys are *rsa.PublicKey, *ecdsa.PublicKey or
	// ed25519.PublicKey values.
	PublicKeys []crypto.PublicKey
}

// VerifySignature implements [KeySet].
func (s *StaticKeySet) VerifySignature(_ context.Context, jwt string) ([]byte, error) {
	h, err := asymmetricHeader(jwt)
	if err != nil {
		return nil, err
	}
	var vs []jose.Verifier
	for _, k := range s.PublicKeys {
		if v, err := jose.NewVerifier(h.Algorithm, k); err == nil {
			vs = append(vs, v)
		}
	}
	h.KeyID = "" // not used to choose: the message says so
	return verifyWith(vs, h, jwt)
}
