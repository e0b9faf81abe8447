package signer_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/oauthkit/oauth/signer"
)

// TestNoKeyInPrintedValues prints every type of the package with every fmt
// verb and through log/slog's handlers and checks that no secret or private
// key shows.
func TestNoKeyInPrintedValues(t *testing.T) {
	k := keys(t)
	secret := []byte("HMAC-CONSUMER-SECRET&TOKEN-SECRET")
	// An HMAC secret as fmt prints a []byte ([72 77 ...] and, with %#v,
	// 0x48, 0x4d, ...) and as text; the RSA key as fmt prints its numbers.
	secrets := []string{string(secret), strings.Trim(fmt.Sprint(secret[:8]), "[]"), strings.TrimSuffix(strings.TrimPrefix(fmt.Sprintf("%#v", secret[:8]), "[]byte{"), "}"),
		k.RSA.D.String()[:24], k.RSA.Primes[0].String()[:24]}
	tests := []struct {
		name, alg string
		v         any
	}{
		{"HMAC", "HMAC-SHA1", signer.HMACSHA1},
		{"RSA", "RSA-SHA256", signer.RSASHA256},
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
