// Command redisstore runs a fleet of sessions that share one OAuth 2 grant
// through Redis, as replicas of a service on many hosts would: Store, in
// store.go, is an oauth2.TokenStore with a compare-and-swap save and a
// lease lock on Redis. Without an account anywhere, it plays the grant on
// the in-repo fake provider, whose access tokens live a second and whose
// refresh tokens rotate with reuse detection, and reports what happened:
//
//	redis-server --port 6379 &
//	go run . -redis redis://127.0.0.1:6379/0 -replicas 8 -for 5s
//
// In a service, each replica does what a replica here does:
//
//	s := cfg.NewSession(nil) // takes the stored token at its first use
//	s.Store = &Store{Client: redis.NewClient(opt), Key: "oauth:grant:billing"}
//	client := s.Client()
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
)

func main() {
	url := flag.String("redis", "", "Redis `URL` (redis://host:port/db or unix:///path); default $REDIS_URL, else redis://127.0.0.1:6379/0.\nA URL with a password belongs in $REDIS_URL: ps shows the command line")
	replicas := flag.Int("replicas", 8, "sessions sharing the grant, each renewing on its own")
	run := flag.Duration("for", 5*time.Second, "how long each replica calls the API")
	key := flag.String("key", "oauthkit:example:grant", "Redis key of the shared token")
	flag.Parse()
	if *url == "" {
		*url = os.Getenv("REDIS_URL")
	}
	if *url == "" {
		*url = "redis://127.0.0.1:6379/0"
	}
	opt, err := redis.ParseURL(*url)
	if err != nil {
		fmt.Fprintln(os.Stderr, "redisstore:", err)
		os.Exit(2)
	}
	client := redis.NewClient(opt)
	defer client.Close()
	r, err := runFleet(context.Background(), client, *key, *replicas, *run)
	if err != nil {
		fmt.Fprintln(os.Stderr, "redisstore:", err)
		os.Exit(1)
	}
	fmt.Println(r)
	if r.Failed > 0 || r.GrantsRevoked > 0 {
		os.Exit(1)
	}
}

// fleetResult is what a fleet did.
type fleetResult struct {
	Replicas      int
	Run           time.Duration
	Requests      int // calls to the protected resource
	Failed        int
	Refreshes     int // served by the provider
	GrantsRevoked int // by the provider's reuse detection
}

func (r fleetResult) String() string {
	return fmt.Sprintf("%d replicas for %v: %d requests, %d failed; %d refreshes for %.0f token lifetimes; %d grants revoked",
		r.Replicas, r.Run, r.Requests, r.Failed, r.Refreshes, r.Run.Seconds(), r.GrantsRevoked)
}

// runFleet starts the fake provider with one-second access tokens, stores
// a fresh grant's token under key, and runs replicas sessions on it, each
// with a Store of its own, calling the provider's protected resource every
// 10 ms for run.
func runFleet(ctx context.Context, client *redis.Client, key string, replicas int, run time.Duration) (fleetResult, error) {
	srv := fakeprovider.NewServer()
	defer srv.Close()
	srv.OAuth2.AccessTokenTTL = time.Second
	cfg := &oauth2.Config{
		ClientID:     "basic-client",
		ClientSecret: "basic-secret",
		Endpoint:     oauth2.Endpoint{TokenURL: srv.URL + fakeprovider.OAuth2TokenPath},
	}
	tok, err := cfg.PasswordCredentialsToken(ctx, "alice", "wonderland")
	if err != nil {
		return fleetResult{}, err
	}
	// Move the store to the new grant: save in place of whatever is there.
	seed := &Store{Client: client, Key: key}
	_, ver, err := seed.Load(ctx)
	if err != nil {
		return fleetResult{}, err
	}
	if _, err := seed.Save(ctx, tok, ver); err != nil {
		return fleetResult{}, err
	}

	var requests, failed atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < replicas; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := cfg.NewSession(nil)
			s.Store = &Store{Client: client, Key: key}
			c := s.Client()
			for end := time.Now().Add(run); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
				requests.Add(1)
				if err := get(ctx, c, srv.URL+fakeprovider.OAuth2ResourcePath); err != nil {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return fleetResult{
		Replicas: replicas, Run: run,
		Requests: int(requests.Load()), Failed: int(failed.Load()),
		Refreshes: srv.OAuth2.Refreshes(), GrantsRevoked: srv.OAuth2.GrantsRevoked(),
	}, nil
}

func get(ctx context.Context, c *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}
