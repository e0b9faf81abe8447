package oauth1_test

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/oauthkit/oauth/oauth1"
)

// printedForms returns v as every fmt verb and slog handler prints it.
// Without slog, only the fmt verbs.
func printedForms(tb testing.TB, v any, withSlog bool) map[string]string {
	tb.Helper()
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		out[verb] = fmt.Sprintf(verb, v)
	}
	if !withSlog {
		return out
	}
	var jb, tb2 bytes.Buffer
	slog.New(slog.NewJSONHandler(&jb, nil)).Info("m", "v", v)
	slog.New(slog.NewTextHandler(&tb2, nil)).Info("m", "v", v)
	out["slog json"] = jb.String()
	out["slog text"] = tb2.String()
	return out
}

// checkRedacted fails if any printed form of v contains one of secrets.
func checkRedacted(t *testing.T, name string, v any, withSlog bool, secrets ...string) {
	t.Helper()
	for how, s := range printedForms(t, v, withSlog) {
		for _, secret := range secrets {
			if strings.Contains(s, secret) {
				t.Errorf("%s printed with %s shows a secret: %s", name, how, s)
			}
		}
	}
}

func TestNoSecretInPrintedValues(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	// The private exponent and primes as fmt prints a big.Int; a prefix
	// is enough to spot them.
	keySecrets := []string{key.D.String()[:24], key.Primes[0].String()[:24], key.Primes[1].String()[:24]}
	const tokSecret, consumerSecret = "TOKEN-SECRET-x1", "CONSUMER-SECRET-x2"

	tok := oauth1.Token{Token: "public-token", Secret: tokSecret}
	cfg := oauth1.Config{ConsumerKey: "ck", ConsumerSecret: consumerSecret, Method: oauth1.RSASHA256(key)}
	cfgEndpoint := oauth1.Config{ConsumerKey: "ck", ConsumerSecret: consumerSecret,
		Endpoint: oauth1.Endpoint{Method: oauth1.RSASHA1(key)}}
	type holder struct {
		Tok oauth1.Token
		Cfg oauth1.Config
	}
	all := append([]string{tokSecret, consumerSecret}, keySecrets...)
	tests := []struct {
		name string
		v    any
		// fmtOnly: slog's JSON handler marshals a value nested in a
		// slice or map with encoding/json, which does not call
		// LogValue; a Token's JSON form keeps its secret on purpose
		// (it is how a token is saved).
		fmtOnly bool
	}{
		{"Token", tok, false},
		{"*Token", &tok, false},
		{"Config", cfg, false},
		{"*Config", &cfg, false},
		{"Config with Endpoint.Method", cfgEndpoint, false},
		{"struct holding Token and Config", holder{tok, cfg}, false},
		{"*struct holding Token and Config", &holder{tok, cfg}, false},
		{"Transport", &oauth1.Transport{Config: &cfg, Token: &tok}, false},
		{"RSA method", oauth1.RSASHA512(key), false},
		{"Endpoint", cfgEndpoint.Endpoint, false},
		{"Consumer", oauth1.Consumer{Secret: consumerSecret, PublicKey: &key.PublicKey}, false},
		{"[]Token", []oauth1.Token{tok}, true},
		{"map of *Token", map[string]*oauth1.Token{"k": &tok}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkRedacted(t, tt.name, tt.v, !tt.fmtOnly, all...)
		})
	}
}

func TestRedactedForms(t *testing.T) {
	tok := oauth1.Token{Token: "public-token", Secret: "s3cr3t"}
	if got, want := fmt.Sprint(tok), `oauth1.Token{Token:"public-token" Secret:<redacted>}`; got != want {
		t.Errorf("Sprint(Token) = %s, want %s", got, want)
	}
	if got, want := fmt.Sprint(oauth1.Token{Token: "t"}), `oauth1.Token{Token:"t" Secret:""}`; got != want {
		t.Errorf("Sprint(Token without secret) = %s, want %s", got, want)
	}
	var nilTok *oauth1.Token
	if got := fmt.Sprint(nilTok); got != "<nil>" {
		t.Errorf("Sprint(nil *Token) = %s, want <nil>", got)
	}
	if got, want := oauth1.RSASHA256(nil), "RSA-SHA256"; fmt.Sprint(got) != want {
		t.Errorf("Sprint(RSASHA256(nil)) = %s, want %s", got, want)
	}
	cfg := oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "cs"}
	got := fmt.Sprintf("%+v", cfg)
	for _, want := range []string{`ConsumerKey:"ck"`, `ConsumerSecret:<redacted>`, `Method:"HMAC-SHA1"`} {
		if !strings.Contains(got, want) {
			t.Errorf("Sprintf(%%+v, Config) = %s, want it to contain %s", got, want)
		}
	}
}
