// Package oauth1cli is the part the OAuth 1.0a example programs share: the
// flags, the three-legged flow from a terminal (a local callback server, or
// a PIN for out-of-band providers), and one signed API call.
package oauth1cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/oauthkit/oauth/oauth1"
)

// Program describes one example: the provider and the API call to make.
type Program struct {
	// Name prefixes error messages ("twitter").
	Name string
	// Endpoint is the provider preset.
	Endpoint oauth1.Endpoint
	// APIURL is fetched, signed, once authorized.
	APIURL string
	// Describe says who the token belongs to, from the token response's
	// extra fields; nil lists their names.
	Describe func(*oauth1.Token) string
}

// Main parses the flags, runs the flow and the API call, and exits on
// failure. Credentials come from flags or the environment
// (OAUTH1_CONSUMER_KEY, OAUTH1_CONSUMER_SECRET), never from the source.
func (p Program) Main() {
	key := flag.String("consumer-key", os.Getenv("OAUTH1_CONSUMER_KEY"), "consumer key (env OAUTH1_CONSUMER_KEY)")
	secret := flag.String("consumer-secret", os.Getenv("OAUTH1_CONSUMER_SECRET"), "consumer secret (env OAUTH1_CONSUMER_SECRET)")
	addr := flag.String("addr", "127.0.0.1:8080", "address of the local callback server")
	oob := flag.Bool("oob", false, "out-of-band flow: read the PIN from stdin instead of running a callback server")
	flag.Parse()
	if *key == "" || *secret == "" {
		log.Fatalf("%s: set -consumer-key and -consumer-secret (or OAUTH1_CONSUMER_KEY and OAUTH1_CONSUMER_SECRET)", p.Name)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()

	cfg := &oauth1.Config{
		ConsumerKey:    *key,
		ConsumerSecret: *secret,
		Endpoint:       p.Endpoint,
		HTTPClient:     &http.Client{Timeout: 30 * time.Second},
	}
	tok, err := Authorize(ctx, cfg, *addr, *oob)
	if err != nil {
		log.Fatalf("%s: %v", p.Name, err)
	}
	if p.Describe != nil {
		fmt.Println("authorized as", p.Describe(tok))
	} else {
		fmt.Printf("authorized (token response fields: %v)\n", extraNames(tok))
	}
	if err := Call(ctx, cfg, tok, p.APIURL); err != nil {
		log.Fatalf("%s: %v", p.Name, err)
	}
}

// Authorize runs the three-legged flow (RFC 5849 §2) with a local callback
// server on addr, or with a PIN read from stdin when oob is set, and
// returns the token credentials. It sets cfg.CallbackURL.
func Authorize(ctx context.Context, cfg *oauth1.Config, addr string, oob bool) (*oauth1.Token, error) {
	type result struct{ token, verifier string }
	results := make(chan result, 1)
	if oob {
		cfg.CallbackURL = "oob"
	} else {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return nil, err
		}
		cfg.CallbackURL = "http://" + ln.Addr().String() + "/callback"
		srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			token, verifier, err := oauth1.ParseAuthorizationRequest(r)
			if err != nil {
				http.Error(w, "authorization failed or was denied", http.StatusBadRequest)
				return
			}
			fmt.Fprintln(w, "Authorized. You can close this window.")
			select {
			case results <- result{token, verifier}:
			default:
			}
		})}
		go srv.Serve(ln)
		defer srv.Close()
	}
	rt, err := cfg.RequestToken(ctx)
	if err != nil {
		return nil, err
	}
	authURL, err := cfg.AuthorizationURL(rt, nil)
	if err != nil {
		return nil, err
	}
	fmt.Println("Open this URL in your browser and authorize the app:")
	fmt.Println(authURL)
	var verifier string
	if oob {
		fmt.Print("PIN: ")
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		verifier = strings.TrimSpace(line)
	} else {
		select {
		case r := <-results:
			if r.token != rt.Token {
				return nil, errors.New("callback for another request token")
			}
			verifier = r.verifier
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return cfg.AccessToken(ctx, rt, verifier)
}

// Call makes one signed GET and prints the status and the start of the body.
func Call(ctx context.Context, cfg *oauth1.Config, tok *oauth1.Token, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := cfg.Client(tok).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := oauth1.CheckResponse(resp); err != nil {
		return err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if err != nil {
		return err
	}
	fmt.Println(resp.Status)
	fmt.Println(string(body))
	return nil
}

// extraNames lists the names of the extra token-response fields, not their
// values.
func extraNames(tok *oauth1.Token) []string {
	var ks []string
	for k := range tok.Extras() {
		ks = append(ks, k)
	}
	return ks
}
