// Command demo walks through OAuth 1.0a and OAuth 2.0 against the in-repo
// fake provider (internal/fakeprovider), printing what is sent and what
// comes back, with secrets redacted. It needs no account anywhere:
//
//	go run ./examples/demo             # every step
//	go run ./examples/demo -v          # with the full HTTP exchanges
//	go run ./examples/demo -only oauth2  # or oauth1, oidc, dpop
//
// It exits with status 1 if any step fails.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/oauthkit/oauth/internal/fakeprovider"
)

func main() {
	verbose := flag.Bool("v", false, "print every HTTP exchange (secrets redacted)")
	only := flag.String("only", "", "run only `oauth1`, oauth2, oidc or dpop")
	flag.Parse()
	if *only != "" && *only != "oauth1" && *only != "oauth2" && *only != "oidc" && *only != "dpop" {
		fmt.Fprintf(os.Stderr, "demo: -only takes oauth1, oauth2, oidc or dpop, not %q\n", *only)
		os.Exit(2)
	}
	os.Exit(run(os.Stdout, *verbose, *only))
}

// run starts a provider, runs the selected parts and returns the exit code.
func run(out io.Writer, verbose bool, only string) int {
	// TLS, as real providers use it: PLAINTEXT signatures and bearer tokens
	// are only sent over HTTPS.
	srv := fakeprovider.NewTLSServer()
	defer srv.Close()

	d := &demo{out: out, srv: srv}
	d.wire = &wire{base: srv.Client().Transport, out: out, verbose: verbose}
	d.http = &http.Client{Transport: d.wire, Timeout: 30 * time.Second}
	fmt.Fprintf(out, "oauthkit demo: fake provider at %s (TLS, loopback)\n", srv.URL)

	ctx := context.Background()
	if only == "" || only == "oauth1" {
		d.oauth1(ctx)
	}
	if only == "" || only == "oauth2" {
		d.oauth2(ctx)
	}
	if only == "" || only == "oidc" {
		d.oidc(ctx)
	}
	if only == "" || only == "dpop" {
		d.dpop(ctx)
	}

	fmt.Fprintln(out)
	if d.failed > 0 {
		fmt.Fprintf(out, "demo: %d of %d steps FAILED\n", d.failed, d.steps)
		return 1
	}
	fmt.Fprintf(out, "demo: all %d steps succeeded\n", d.steps)
	return 0
}

// demo holds what the steps share.
type demo struct {
	out    io.Writer
	srv    *fakeprovider.Server
	http   *http.Client // trusts the provider's certificate; logs with -v
	wire   *wire        // d.http's transport
	steps  int
	failed int
}

// section prints a heading.
func (d *demo) section(title string) {
	fmt.Fprintf(d.out, "\n== %s\n", title)
}

// step runs one step, printing its name and outcome. f returns a short
// description of what came back, or an error.
func (d *demo) step(name string, f func() (string, error)) bool {
	d.steps++
	fmt.Fprintf(d.out, "-> %s\n", name)
	res, err := f()
	if err != nil {
		d.failed++
		fmt.Fprintf(d.out, "   FAIL: %v\n", err)
		return false
	}
	if res != "" {
		fmt.Fprintf(d.out, "   %s\n", res)
	}
	return true
}

// printf prints an indented detail line.
func (d *demo) printf(format string, args ...any) {
	fmt.Fprintf(d.out, "   "+format+"\n", args...)
}

// errorsIs is errors.Is, named so the steps read as sentences.
func errorsIs(err, target error) bool { return errors.Is(err, target) }
