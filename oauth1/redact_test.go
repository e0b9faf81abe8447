package oauth1_test

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/oauthkit/oauth/oauth1"
)

// printedForms returns v as every fmt verb prints it, and as log/slog's
// text handler logs it (through Format). slog's JSON handler is left out:
// it marshals with encoding/json, which keeps a Token's secret on purpose
// (it is how a token is saved), as the Token documentation says.
func printedForms(tb testing.TB, v any) map[string]string {
	tb.Helper()
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		out[verb] = fmt.Sprintf(verb, v)
	}
	var text bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("m", "v", v)
	out["slog text"] = text.String()
	return out
}

// checkRedacted fails if any printed form of v contains one of secrets.
func checkRedacted(t *testing.T, name string, v any, secrets ...string) {
	t.Helper()
	for how, s := range printedForms(t, v) {
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
	}{
		{"Token", tok},
		{"*Token", &tok},
		{"Config", cfg},
		{"*Config", &cfg},
		{"Config with Endpoint.Method", cfgEndpoint},
		{"struct holding Token and Config", holder{tok, cfg}},
		{"*struct holding Token and Config", &holder{tok, cfg}},
		{"Transport", &oauth1.Transport{Config: &cfg, Token: &tok}},
		{"RSA method", oauth1.RSASHA512(key)},
		{"HMAC method", oauth1.HMACSHA1},
		{"Endpoint", cfgEndpoint.Endpoint},
		{"Consumer", oauth1.Consumer{Secret: consumerSecret, PublicKey: &key.PublicKey}},
		{"[]Token", []oauth1.Token{tok}},
		{"map of *Token", map[string]*oauth1.Token{"k": &tok}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkRedacted(t, tt.name, tt.v, all...)
		})
	}
}

// TestNoGoStringOrLogValue checks the package's source: Format covers
// every fmt verb, %#v included, so no type has a GoString method, and none
// has a LogValue method. The package imports neither log/slog nor
// encoding/json nor hash/maphash, whose weight every program that signs
// would carry.
func TestNoGoStringOrLogValue(t *testing.T) {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	files := 0
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		files++
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv != nil && (fd.Name.Name == "GoString" || fd.Name.Name == "LogValue") {
				t.Errorf("%s: method %s", fset.Position(fd.Pos()), fd.Name.Name)
			}
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == "log/slog" || p == "encoding/json" || p == "hash/maphash" {
				t.Errorf("%s imports %s", name, p)
			}
		}
	}
	if files < 5 {
		t.Fatalf("parsed %d files: the check sees nothing", files)
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
