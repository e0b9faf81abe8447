package dpop_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth2/dpop"
	"github.com/oauthkit/oauth/signer/jose"
)

// FuzzProof: whatever the method, URI, token and nonce, a proof is a JWS
// that verifies with its header's key and whose claims hold them as
// encoding/json would write them.
func FuzzProof(f *testing.F) {
	v := loadVectors(f)
	for _, p := range v.RFC9449.Vectors {
		f.Add(p.Method, p.URI, p.AccessToken, "")
	}
	f.Add("GET", "https://a.example/\"quoted\"\\", "tok", "eyJ7S_zG.eyJH0-Z.HX4w-7v")
	f.Add("P\x00ST", "https://a.example/\xff\u2028<>&", "\xc3", "n\n")
	key, err := dpop.GenerateKey()
	if err != nil {
		f.Fatal(err)
	}
	ver := verifierOf(f, key)
	f.Fuzz(func(t *testing.T, method, uri, token, nonce string) {
		proof, err := key.Proof(method, uri, token, nonce, time.Unix(1562262616, 0))
		if err != nil {
			t.Fatal(err)
		}
		_, payload, err := jose.VerifyCompact(ver, proof)
		if err != nil {
			t.Fatalf("proof does not verify: %v", err)
		}
		var got map[string]any
		if err := json.Unmarshal(payload, &got); err != nil {
			t.Fatalf("claims %q: %v", payload, err)
		}
		want := func(s string) string { // as a JSON string round trip gives s
			b, _ := json.Marshal(s)
			var back string
			json.Unmarshal(b, &back)
			return back
		}
		if got["htm"] != want(method) || got["htu"] != want(uri) {
			t.Errorf("htm %q htu %q, want %q %q", got["htm"], got["htu"], want(method), want(uri))
		}
		if _, ok := got["ath"]; ok != (token != "") {
			t.Errorf("ath present %t for token %q", ok, token)
		}
		if n, ok := got["nonce"]; ok != (nonce != "") || ok && n != want(nonce) {
			t.Errorf("nonce %v, want %q", n, nonce)
		}
	})
}

// verifierOf returns the verifier of the public key a proof of k carries.
func verifierOf(tb testing.TB, k *dpop.Key) jose.Verifier {
	tb.Helper()
	p, err := k.Proof("GET", "https://a.example/", "", "", time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	h := decodeSegment(tb, strings.Split(p, ".")[0])
	raw, _ := json.Marshal(h["jwk"])
	jwk, err := jose.ParseJWK(raw)
	if err != nil {
		tb.Fatal(err)
	}
	v, err := jwk.Verifier(k.Alg())
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// FuzzParseKey: a saved key either parses into a Key that writes itself
// back to a key of the same algorithm and thumbprint and signs proofs its
// public key verifies, or fails; it never panics.
func FuzzParseKey(f *testing.F) {
	gen, err := dpop.GenerateKey()
	if err != nil {
		f.Fatal(err)
	}
	saved, err := gen.MarshalPrivateJWK()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(saved)
	// RFC 8037 Appendix A.1's Ed25519 private key.
	f.Add([]byte(`{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`))
	f.Add([]byte(`{"kty":"oct","k":"c2VjcmV0","alg":"HS256"}`))
	f.Add([]byte(`{"kty":"EC","crv":"P-256","alg":"EdDSA"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := dpop.ParseKey(data)
		if err != nil {
			if k != nil {
				t.Fatal("a key and an error")
			}
			return
		}
		again, err := k.MarshalPrivateJWK()
		if err != nil {
			t.Fatalf("MarshalPrivateJWK of a parsed key: %v", err)
		}
		back, err := dpop.ParseKey(again)
		if err != nil {
			t.Fatalf("ParseKey(MarshalPrivateJWK()): %v", err)
		}
		if back.Alg() != k.Alg() || back.Thumbprint() != k.Thumbprint() {
			t.Fatalf("round trip: %v, want %v", back, k)
		}
		proof, err := k.Proof("GET", "https://a.example/", "", "", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := jose.VerifyCompact(verifierOf(t, back), proof); err != nil {
			t.Fatalf("proof does not verify with the restored key: %v", err)
		}
	})
}
