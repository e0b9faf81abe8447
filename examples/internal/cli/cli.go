// Package cli is the plumbing the example programs share and that has
// nothing to do with OAuth: running a command, and a loopback redirect URI
// (RFC 8252 §7.3) that receives the browser's callback. The library calls
// stay in each program's main.go.
package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"time"
)

// Main runs run with the command-line arguments and os.Stdout, on a
// context that Ctrl-C cancels, and exits: 0 on success or -h, 1 on an
// error, which it prints to os.Stderr prefixed with the program's name.
func Main(run func(ctx context.Context, args []string, stdout io.Writer) error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		fmt.Fprintf(os.Stderr, "%s: %v\n", commandName(), err)
		os.Exit(1)
	}
}

// NewFlagSet returns a flag set named after the program whose -h prints
// usage, then the flags, to out.
func NewFlagSet(out io.Writer, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(commandName(), flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprint(out, usage)
		fmt.Fprintln(out, "\nFlags:")
		fs.PrintDefaults()
	}
	return fs
}

func commandName() string {
	name := "example"
	if len(os.Args) > 0 {
		name = os.Args[0]
	}
	if i := lastSlash(name); i >= 0 {
		name = name[i+1:]
	}
	return name
}

func lastSlash(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '/' || s[i] == '\\' {
			return i
		}
	}
	return -1
}

// Callback is a loopback redirect URI: an HTTP server on a local address
// whose /callback receives the browser after the user approved (or
// denied) at the provider.
type Callback struct {
	// URL is the redirect URI to register with the provider and to put
	// in the Config: http://127.0.0.1:port/callback.
	URL string

	srv  *http.Server
	reqs chan callbackRequest
	errs chan error
	done chan struct{}
}

type callbackRequest struct {
	r     *http.Request
	reply chan error
}

// Listen starts a Callback on addr ("127.0.0.1:8080"; port 0 picks a free
// one). Close it when done. addr must be a loopback IP address, as RFC
// 8252 §7.3 and §8.3 ask: a callback server on ":8080" or "0.0.0.0:8080"
// would take requests from the whole network.
func Listen(addr string) (*Callback, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("callback address %q is not a loopback IP address such as 127.0.0.1 or [::1]", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	c := &Callback{
		URL:  "http://" + ln.Addr().String() + "/callback",
		reqs: make(chan callbackRequest),
		errs: make(chan error, 1),
		done: make(chan struct{}),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/callback", c.serve)
	c.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go c.srv.Serve(ln)
	return c, nil
}

func (c *Callback) serve(w http.ResponseWriter, r *http.Request) {
	req := callbackRequest{r: r, reply: make(chan error, 1)}
	select {
	case c.reqs <- req:
	case <-c.done:
		http.Error(w, "no sign-in is under way", http.StatusGone)
		return
	case <-r.Context().Done():
		return
	}
	if err := <-req.reply; err != nil {
		http.Error(w, "Sign-in failed: see the terminal.", http.StatusBadRequest)
		return
	}
	io.WriteString(w, "Signed in. You can close this window.\n")
}

// ErrStray is what the function given to [Wait] returns for a request
// that is not the answer to this sign-in (a stray or forged callback).
var ErrStray = errors.New("not the callback of this sign-in")

// Wait waits for the browser's request to c and returns what complete
// returns for it: complete reads the request (with the Config's
// CompleteLogin, for example), and the browser is shown whether it
// worked. A request for which complete returns [ErrStray] is refused and
// Wait keeps waiting. Wait returns ctx's error when ctx ends first, and
// the error of a [Callback.Visit] that failed.
func Wait[T any](ctx context.Context, c *Callback, complete func(*http.Request) (T, error)) (T, error) {
	for {
		select {
		case req := <-c.reqs:
			v, err := complete(req.r)
			req.reply <- err
			if errors.Is(err, ErrStray) {
				continue
			}
			return v, err
		case err := <-c.errs:
			var zero T
			return zero, err
		case <-ctx.Done():
			var zero T
			return zero, fmt.Errorf("waiting for the browser: %w", ctx.Err())
		}
	}
}

// Visit plays the user's browser arriving at callbackURL, where the
// provider redirected it: it GETs the URL in the background, and a
// failure is returned by [Wait].
func (c *Callback) Visit(callbackURL string) {
	go func() {
		resp, err := http.Get(callbackURL)
		if err == nil {
			resp.Body.Close()
			return
		}
		select {
		case c.errs <- err:
		default:
		}
	}()
}

// Close stops the server.
func (c *Callback) Close() error {
	select {
	case <-c.done:
	default:
		close(c.done)
	}
	return c.srv.Close()
}

// ReadLine reads a line that the user types, such as a PIN, and returns it
// without surrounding spaces.
func ReadLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", err
	}
	return strings.TrimSpace(line), nil
}
