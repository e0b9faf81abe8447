package oauth1test_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/oauthkit/oauth/oauth1"
	"github.com/oauthkit/oauth/oauth1/oauth1test"
)

// TestConsumerWithoutSecret registers a consumer with an RSA public key
// and no secret, as RSA consumers (Jira's application links) are: the
// server refuses the methods that sign with the secret, whose key anyone
// could compute ("&"), and still verifies the consumer's RSA signatures.
func TestConsumerWithoutSecret(t *testing.T) {
	srv := oauth1test.NewTLSServer(t)
	srv.AddConsumer(oauth1test.Consumer{Key: "rsa-only", PublicKey: &oauth1test.RSAKey().PublicKey})
	tests := []struct {
		name    string
		method  oauth1.SignatureMethod
		wantErr error
	}{
		{"HMAC-SHA1", oauth1.HMACSHA1, oauth1.ErrUnsupportedMethod},
		{"HMAC-SHA512", oauth1.HMACSHA512, oauth1.ErrUnsupportedMethod},
		{"PLAINTEXT", oauth1.Plaintext, oauth1.ErrUnsupportedMethod},
		{"RSA-SHA1", oauth1.RSASHA1(oauth1test.RSAKey()), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &oauth1.Config{ConsumerKey: "rsa-only", Method: tt.method, CallbackURL: "https://127.0.0.1/callback",
				Endpoint: srv.Endpoint(), HTTPClient: srv.Client()}
			rt, err := cfg.RequestToken(context.Background())
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("RequestToken() = %v, %v; want error %v", rt, err, tt.wantErr)
			}
		})
	}
}

// TestConcurrentFlows runs many three-legged flows at once against one
// server (run it with -race): each obtains its own tokens, a spent
// request token is refused, and the counters add up.
func TestConcurrentFlows(t *testing.T) {
	const n = 50
	srv := oauth1test.NewServer(t)
	cfg := &oauth1.Config{ConsumerKey: oauth1test.ConsumerKey, ConsumerSecret: oauth1test.ConsumerSecret,
		CallbackURL: "http://127.0.0.1/callback", Endpoint: srv.Endpoint()}
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	errs := make(chan error, 2*n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- flow(cfg, browser, srv.ResourceURL())
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	got := []int64{srv.Counters.RequestTokens.Load(), srv.Counters.Authorizations.Load(),
		srv.Counters.AccessTokens.Load(), srv.Counters.Resources.Load(), srv.Counters.Rejected.Load()}
	if diff := cmp.Diff([]int64{n, n, n, n, n}, got); diff != "" {
		t.Errorf("counters: request tokens, authorizations, access tokens, resources, rejected (-want +got):\n%s", diff)
	}
}

// flow runs the three-legged flow, tries to spend the request token twice,
// and reads the resource.
func flow(cfg *oauth1.Config, browser *http.Client, resource string) error {
	ctx := context.Background()
	rt, err := cfg.RequestToken(ctx)
	if err != nil {
		return err
	}
	authURL, err := cfg.AuthorizationURL(rt, nil)
	if err != nil {
		return err
	}
	resp, err := browser.Get(authURL)
	if err != nil {
		return err
	}
	resp.Body.Close()
	_, verifier, err := oauth1.ParseAuthorizationResponse(resp.Header.Get("Location"))
	if err != nil {
		return err
	}
	at, err := cfg.AccessToken(ctx, rt, verifier)
	if err != nil {
		return err
	}
	if _, err := cfg.AccessToken(ctx, rt, verifier); !errors.Is(err, oauth1.ErrUnknownToken) {
		return fmt.Errorf("AccessToken with a spent request token: %v, want %v", err, oauth1.ErrUnknownToken)
	}
	resp, err = cfg.Client(at).Get(resource)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var echo oauth1test.Echo
	if err := json.NewDecoder(resp.Body).Decode(&echo); err != nil || echo.Token != at.Token {
		return fmt.Errorf("resource: %s, echo %+v (%v), want token %q", resp.Status, echo, err, at.Token)
	}
	return nil
}
