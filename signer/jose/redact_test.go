package jose_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/oauthkit/oauth/signer/jose"
)

// TestNoKeyInPrintedValues prints every JWS and JWK type with every fmt
// verb and through log/slog's handlers and checks that no secret or private
// key shows.
func TestNoKeyInPrintedValues(t *testing.T) {
	jk := testJWSKeys(t)
	secret := []byte("HS256-CLIENT-SECRET-0123456789ab")
	// An HMAC secret as fmt prints a []byte ([72 83 ...] and, with %#v,
	// 0x48, 0x53, ...) and as text; a
	// private key as fmt prints its big.Int numbers, and its bytes in hex
	// and base64url (as a JWK holds them).
	secrets := []string{string(secret), strings.Trim(fmt.Sprint(secret[:8]), "[]"), strings.TrimSuffix(strings.TrimPrefix(fmt.Sprintf("%#v", secret[:8]), "[]byte{"), "}"),
		jk.RSA.D.String()[:24], jk.RSA.Primes[0].String()[:24], jk.EC256.D.String()[:24], jk.EC521.D.String()[:24],
		strings.Trim(fmt.Sprint([]byte(jk.Ed25519[:8])), "[]"), fmt.Sprintf("%x", []byte(jk.Ed25519[:8])),
		base64.RawURLEncoding.EncodeToString(jk.RSA.D.Bytes())[:24], base64.RawURLEncoding.EncodeToString(jk.Ed25519.Seed())[:24]}

	mustSigner := func(alg string, key any) jose.Signer {
		s, err := jose.NewSigner(alg, key)
		if err != nil {
			t.Fatalf("NewSigner(%s): %v", alg, err)
		}
		return s
	}
	hs, err := jose.NewHMAC(jose.HS256, secret)
	if err != nil {
		t.Fatal(err)
	}
	rs, _ := jose.NewRSASigner(jose.RS256, jk.RSA)
	privJWK := func(key any) *jose.JWK { return &jose.JWK{Key: key, KeyID: "kid-1"} }
	octJWK, err := jose.ParsePrivateJWK([]byte(`{"kty":"oct","k":"` + base64.RawURLEncoding.EncodeToString(secret) + `"}`))
	if err != nil {
		t.Fatal(err)
	}
	type holder struct{ S jose.HMAC }
	tests := []struct {
		name, alg string
		v         any
	}{
		{"*HMAC", "HS256", hs},
		{"HMAC", "HS256", *hs},
		{"struct holding an HMAC", "HS256", holder{*hs}},
		{"struct holding a Signer", "HS256", struct{ S jose.Signer }{hs}},
		{"*RSASigner", "RS256", rs},
		{"RSASigner", "RS256", *rs},
		{"PS384 signer", "PS384", mustSigner(jose.PS384, jk.RSA)},
		{"ES256 signer", "ES256", mustSigner(jose.ES256, jk.EC256)},
		{"ES512 signer", "ES512", mustSigner(jose.ES512, jk.EC521)},
		{"EdDSA signer", "EdDSA", mustSigner(jose.EdDSA, jk.Ed25519)},
		{"private RSA JWK", "RSA", privJWK(jk.RSA)},
		{"private EC JWK", "EC", *privJWK(jk.EC521)},
		{"private Ed25519 JWK", "OKP", privJWK(jk.Ed25519)},
		{"oct JWK", "oct", octJWK},
		{"oct JWK value", "oct", *octJWK},
		{"JWK set", "OKP", &jose.JWKSet{Keys: []*jose.JWK{privJWK(jk.Ed25519)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkPrinted(t, tt.v, tt.alg, secrets) })
	}
}

// checkPrinted prints v with every fmt verb, through log/slog's text and
// JSON handlers and, if it has one, through its MarshalJSON method, and
// checks that none of secrets shows. A value with a Format method must
// print exactly its String with every verb (quoted for %q), and slog's text
// handler must print what Format gives for %+v: no LogValue or GoString
// stands in its way.
func checkPrinted(t *testing.T, v any, alg string, secrets []string) {
	t.Helper()
	forms := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3s", "%-8v"} {
		forms[verb] = fmt.Sprintf(verb, v)
	}
	noTime := &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey && len(groups) == 0 {
			return slog.Attr{}
		}
		return a
	}}
	var jb, tb, want bytes.Buffer
	slog.New(slog.NewJSONHandler(&jb, noTime)).Info("m", "v", v)
	slog.New(slog.NewTextHandler(&tb, noTime)).Info("m", "v", v)
	slog.New(slog.NewTextHandler(&want, noTime)).Info("m", "v", fmt.Sprintf("%+v", v))
	forms["slog json"], forms["slog text"] = jb.String(), tb.String()
	if got := tb.String(); got != want.String() {
		t.Errorf("slog text handler printed %s, want Format's %s", got, want.String())
	}
	if m, ok := v.(json.Marshaler); ok {
		b, _ := m.MarshalJSON()
		forms["MarshalJSON"] = string(b)
	}
	for how, got := range forms {
		for _, s := range secrets {
			if strings.Contains(got, s) {
				t.Errorf("printed with %s, shows a secret: %s", how, got)
			}
		}
	}
	if !strings.Contains(forms["%v"], alg) {
		t.Errorf("Sprintf(%%v) = %s, want it to name %s", forms["%v"], alg)
	}
	if f, ok := v.(interface {
		fmt.Formatter
		fmt.Stringer
	}); ok {
		s := f.String()
		for verb, got := range forms {
			want := s
			if verb == "%q" {
				want = strconv.Quote(s)
			}
			if strings.HasPrefix(verb, "%") && got != want {
				t.Errorf("Sprintf(%s) = %s, want %s", verb, got, want)
			}
		}
	}
	for _, m := range []string{"GoString", "LogValue"} {
		if _, ok := reflect.TypeOf(v).MethodByName(m); ok {
			t.Errorf("%T has a %s method: Format and String are how values print", v, m)
		}
	}
}
