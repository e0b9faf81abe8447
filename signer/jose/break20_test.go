package jose_test

import (
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
