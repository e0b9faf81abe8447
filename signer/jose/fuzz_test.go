package jose_test

import (
	"crypto"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/oauthkit/oauth/signer"
	"github.com/oauthkit/oauth/signer/jose"
)

// jwkSeeds are the published JWKs, public and private, and hostile
// variants of them.
func jwkSeeds(tb testing.TB) [][]byte {
	tb.Helper()
	var seeds [][]byte
	for _, v := range loadJWKVectors(tb) {
		seeds = append(seeds, v.JWK)
	}
	for _, v := range loadJWSVectors(tb) {
		seeds = append(seeds, mustJSON(tb, v.JWK))
	}
	seeds = append(seeds,
		[]byte(`{"kty":"OKP","kty":"RSA","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`),
		[]byte(`{"kty":"EC","crv":"P-256","x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","y":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}`),
		[]byte(`{"kty":"RSA","n":"AQAB","e":"AQAB","crv":"P-256"}`),
		[]byte(`{"kty":"oct","k":""}`),
		[]byte(`{"keys":[]}`),
		[]byte(`[]`),
	)
	return seeds
}

// checkJWKRoundTrip checks that a parsed JWK re-exports to JSON that
// parses to an equal key with the same members.
func checkJWKRoundTrip(t *testing.T, k *jose.JWK) {
	t.Helper()
	if k == nil || k.Key == nil {
		t.Fatalf("parsed JWK %v has no key", k)
	}
	if k.Kty() == "oct" {
		if b, ok := k.Key.([]byte); !ok || len(b) == 0 {
			t.Fatalf("oct JWK key = %T of length %d", k.Key, len(b))
		}
		return
	}
	b, err := json.Marshal(k)
	if err != nil {
		t.Fatalf("json.Marshal(parsed JWK) = %v", err)
	}
	back, err := jose.ParseJWK(b)
	if err != nil {
		t.Fatalf("ParseJWK(json.Marshal(parsed JWK)) = %v for %s", err, b)
	}
	pub := k.Key
	if s, ok := pub.(crypto.Signer); ok {
		pub = s.Public()
	}
	if !keyEqual(pub, back.Key) {
		t.Fatalf("re-exported JWK %s parses to another key", b)
	}
	type meta struct {
		KeyID, Algorithm, Use string
		KeyOps                []string
	}
	if diff := cmp.Diff(meta{k.KeyID, k.Algorithm, k.Use, k.KeyOps}, meta{back.KeyID, back.Algorithm, back.Use, back.KeyOps}); diff != "" {
		t.Fatalf("re-exported JWK members mismatch (-want +got):\n%s", diff)
	}
	t1, err1 := k.Thumbprint()
	t2, err2 := back.Thumbprint()
	if err1 != nil || err2 != nil || t1 != t2 {
		t.Fatalf("thumbprints %q, %v and %q, %v differ", t1, err1, t2, err2)
	}
}

func isJWKError(err error) bool {
	return errors.Is(err, jose.ErrMalformedJWK) || errors.Is(err, jose.ErrUnsupportedJWK)
}

func FuzzParseJWK(f *testing.F) {
	for _, s := range jwkSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, parse := range []func([]byte) (*jose.JWK, error){jose.ParseJWK, jose.ParsePrivateJWK} {
			k, err := parse(data)
			if err != nil {
				if !isJWKError(err) || k != nil {
					t.Fatalf("parse = %v, %v; want a JWK error and no JWK", k, err)
				}
				if len(err.Error()) > 300 {
					t.Fatalf("error message of %d bytes", len(err.Error()))
				}
				continue
			}
			checkJWKRoundTrip(t, k)
		}
	})
}

func FuzzParseJWKSet(f *testing.F) {
	var keys []string
	for _, s := range jwkSeeds(f) {
		f.Add(s)
		if len(s) > 0 && s[0] == '{' {
			keys = append(keys, string(s))
		}
	}
	f.Add([]byte(`{"keys":[` + strings.Join(keys, ",") + `]}`))
	f.Add([]byte(`{"keys":[1,null,"x",[],{}]}`))
	f.Add([]byte(`{"keys":[],"keys":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := jose.ParseJWKSet(data)
		if err != nil {
			if !errors.Is(err, jose.ErrMalformedJWK) || set != nil {
				t.Fatalf("ParseJWKSet = %v, %v; want ErrMalformedJWK and no set", set, err)
			}
			return
		}
		if n := len(set.Keys) + len(set.Skipped); n > jose.MaxJWKSetKeys {
			t.Fatalf("set of %d keys", n)
		}
		for _, err := range set.Skipped {
			if !isJWKError(err) {
				t.Fatalf("Skipped error %v is not a JWK error", err)
			}
		}
		for _, k := range set.Keys {
			if strings.Contains(string(mustJSON(t, k)), `"d"`) {
				t.Fatalf("a key of a public set has a private member")
			}
			checkJWKRoundTrip(t, k)
		}
	})
}

func FuzzVerifyCompact(f *testing.F) {
	var verifiers []jose.Verifier
	for _, v := range loadJWSVectors(f) {
		_, pub := jwkKeys(f, v.JWK)
		ver, err := jose.NewVerifier(v.Alg, pub)
		if err != nil {
			f.Fatal(err)
		}
		verifiers = append(verifiers, ver)
		f.Add(v.Compact)
		parts := strings.Split(v.Compact, ".")
		f.Add(parts[0] + "." + parts[1] + ".")
		f.Add(base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none"}`)) + "." + parts[1] + ".")
		f.Add(v.Compact + "\n")
		f.Add(v.Compact[:10] + "\r\n" + v.Compact[10:])
		f.Add(v.Compact + "==")
	}
	f.Add("a.b.c.d.e")
	f.Add("")
	f.Fuzz(func(t *testing.T, token string) {
		for _, v := range verifiers {
			h, p, err := jose.VerifyCompact(v, token)
			if err != nil {
				if !errors.Is(err, jose.ErrMalformedJWS) && !errors.Is(err, jose.ErrAlgorithmMismatch) && !errors.Is(err, signer.ErrVerification) {
					t.Fatalf("VerifyCompact(%s) error = %v, not a JWS error", v.Alg(), err)
				}
				if h != nil || p != nil {
					t.Fatalf("VerifyCompact(%s) returned a header or payload with error %v", v.Alg(), err)
				}
				continue
			}
			// Only a genuine token verifies, in one spelling: its parts,
			// the signature's too, re-encode to the token exactly.
			enc := base64.RawURLEncoding
			sig, err := enc.DecodeString(token[strings.LastIndexByte(token, '.')+1:])
			if err != nil {
				t.Fatalf("VerifyCompact(%s) accepted %q, whose signature part does not decode: %v", v.Alg(), token, err)
			}
			if want := enc.EncodeToString(h) + "." + enc.EncodeToString(p) + "." + enc.EncodeToString(sig); token != want {
				t.Fatalf("VerifyCompact(%s) accepted %q, which is not the encoding %q of its parts", v.Alg(), token, want)
			}
			var hdr map[string]any
			if json.Unmarshal(h, &hdr) != nil || hdr["alg"] != v.Alg() {
				t.Fatalf("VerifyCompact(%s) accepted header %s", v.Alg(), h)
			}
		}
	})
}
