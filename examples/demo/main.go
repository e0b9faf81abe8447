// Command demo walks through OAuth 1.0a and OAuth 2.0 against the in-repo
// fake provider (internal/fakeprovider), printing what is sent and what
// comes back, with secrets redacted. It needs no account anywhere:
//
//	go run ./examples/demo             # every step
//	go run ./examples/demo -v          # with the full HTTP exchanges
//	go run ./examples/demo -only oauth2  # or oauth1, oidc, dpop
//
// It always runs against the fake provider, so -fake, which the other
// examples take, is accepted and changes nothing. It exits with status 1
// if any step fails.
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

	"github.com/oauthkit/oauth/examples/internal/cli"
	"github.com/oauthkit/oauth/internal/fakeprovider"
)

const usage = `demo walks through OAuth 1.0a and OAuth 2.0 against a fake provider it
starts on loopback, printing what is sent and what comes back, with
secrets redacted. It exits with status 1 if any step fails.

Environment:
  none: the demo always runs against its own fake provider, needs no
  account, and reads no variables (-fake is accepted and changes nothing)

Usage:
  go run ./examples/demo               # every step
  go run ./examples/demo -v            # with the full HTTP exchanges
  go run ./examples/demo -only oauth2  # one part only

Parts (-only):
  oauth1  the three-legged flow; every signature method in every placement
  oauth2  authorization code + PKCE, client credentials, device grant,
          revocation and introspection
  oidc    sign-in with OpenID Connect: discovery, ID token, UserInfo
  dpop    AT Protocol style sign-in: PAR, PKCE, DPoP, private_key_jwt
`

func main() {
	verbose, only, err := parseArgs(os.Args[1:], os.Stdout)
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case err != nil:
		fmt.Fprintf(os.Stderr, "demo: %v\n", err)
		os.Exit(2)
	}
	os.Exit(run(os.Stdout, verbose, only))
}

// parseArgs parses the command line; -h prints the usage to out and
// returns flag.ErrHelp.
func parseArgs(args []string, out io.Writer) (verbose bool, only string, err error) {
	fs := cli.NewFlagSet(out, usage)
	v := fs.Bool("v", false, "print every HTTP exchange (secrets redacted)")
	o := fs.String("only", "", "run only `part`: oauth1, oauth2, oidc or dpop")
	fs.Bool("fake", false, "accepted for symmetry with the other examples; the demo always uses its fake provider")
	if err := fs.Parse(args); err != nil {
		return false, "", err
	}
	if fs.NArg() > 0 {
		return false, "", fmt.Errorf("unexpected argument %q (see -h)", fs.Arg(0))
	}
	switch *o {
	case "", "oauth1", "oauth2", "oidc", "dpop":
	default:
		return false, "", fmt.Errorf("-only takes oauth1, oauth2, oidc or dpop, not %q", *o)
	}
	return *v, *o, nil
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
