package jose_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/oauthkit/oauth/signer/jose"
)

// TestCompactRefusesLineBreaks checks that a compact JWS whose parts hold
// a line break, which RFC 7515 §2 excludes from BASE64URL ("without the
// inclusion of any line breaks, whitespace, or other additional
// characters"), is refused, even where encoding/base64 would skip it: a
// token that verifies must be the one the signer made, byte for byte, or
// one signed token has many spellings, and a replay cache or deny list
// keyed by the token misses them. The published tokens of RFC 7515, RFC
// 7520 and RFC 8037 are cut with "\n" and "\r" in each of their parts.
func TestCompactRefusesLineBreaks(t *testing.T) {
	for _, v := range loadJWSVectors(t) {
		_, pub := jwkKeys(t, v.JWK)
		ver, err := jose.NewVerifier(v.Alg, pub)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := jose.VerifyCompact(ver, v.Compact); err != nil {
			t.Fatalf("%s: VerifyCompact(published token) error = %v", v.Name, err)
		}
		h, rest, _ := strings.Cut(v.Compact, ".")
		p, s, _ := strings.Cut(rest, ".")
		tests := []struct {
			name     string
			token    string
			inHeader bool
		}{
			{"LF after the signature", v.Compact + "\n", false},
			{"CRLF after the signature", v.Compact + "\r\n", false},
			{"LF inside the signature", h + "." + p + "." + s[:4] + "\n" + s[4:], false},
			{"CR inside the signature", h + "." + p + "." + s[:4] + "\r" + s[4:], false},
			{"LF inside the payload", h + "." + p[:4] + "\n" + p[4:] + "." + s, false},
			{"LF inside the header", h[:4] + "\n" + h[4:] + "." + p + "." + s, true},
			{"CRLF before the header", "\r\n" + v.Compact, true},
		}
		for _, tt := range tests {
			t.Run(v.Name+"/"+tt.name, func(t *testing.T) {
				hdr, payload, err := jose.VerifyCompact(ver, tt.token)
				if !errors.Is(err, jose.ErrMalformedJWS) || hdr != nil || payload != nil {
					t.Errorf("VerifyCompact() = %q, %q, %v; want jose.ErrMalformedJWS", hdr, payload, err)
				}
				if !tt.inHeader {
					return
				}
				if got, err := jose.ParseHeader(tt.token); !errors.Is(err, jose.ErrMalformedJWS) {
					t.Errorf("ParseHeader() = %+v, %v; want jose.ErrMalformedJWS", got, err)
				}
			})
		}
	}
}

// FuzzVerifyCompactExact: a token that verifies is exactly the encoding of
// what it decodes to, every part re-encoding to itself, so that no two
// spellings of one signed token both verify. Seeded with the published
// tokens and copies of them with line breaks and padding.
func FuzzVerifyCompactExact(f *testing.F) {
	var verifiers []jose.Verifier
	for _, v := range loadJWSVectors(f) {
		_, pub := jwkKeys(f, v.JWK)
		ver, err := jose.NewVerifier(v.Alg, pub)
		if err != nil {
			f.Fatal(err)
		}
		verifiers = append(verifiers, ver)
		f.Add(v.Compact)
		f.Add(v.Compact + "\n")
		f.Add(v.Compact[:10] + "\r\n" + v.Compact[10:])
		f.Add(v.Compact + "==")
	}
	enc := base64.RawURLEncoding
	f.Fuzz(func(t *testing.T, token string) {
		for _, v := range verifiers {
			h, p, err := jose.VerifyCompact(v, token)
			if err != nil {
				continue
			}
			s := token[strings.LastIndexByte(token, '.')+1:]
			sig, err := enc.DecodeString(s)
			if err != nil {
				t.Fatalf("VerifyCompact(%s) accepted %q, whose signature part does not decode: %v", v.Alg(), token, err)
			}
			if want := enc.EncodeToString(h) + "." + enc.EncodeToString(p) + "." + enc.EncodeToString(sig); token != want {
				t.Fatalf("VerifyCompact(%s) accepted %q, which is not the encoding %q of its parts", v.Alg(), token, want)
			}
		}
	})
}
