package tokenstore_test

// Adversarial tests of session 20 (fleet): processes with many
// goroutines each, all finding the shared token expired at once.

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/tokenstore"
)

// goroutinesEnv is how many goroutines a storm child runs.
const goroutinesEnv = "TOKENSTORE_TEST_GOROUTINES"

// lineReady is what a storm child prints once its goroutines wait for the
// line "go" on its standard input.
const lineReady = "child: ready"

// stormResult is what a storm child's goroutines got.
type stormResult struct {
	AccessTokens []string // distinct, sorted
	Errors       []string
	Updates      int // OnTokenUpdate calls
}

// stormChild runs a session on the store whose goroutines all ask for a
// token once the parent says go, and prints what they got.
func stormChild() error {
	n, err := strconv.Atoi(os.Getenv(goroutinesEnv))
	if err != nil {
		return err
	}
	cfg := &oauth2.Config{
		ClientID: "basic-client", ClientSecret: "basic-secret",
		Endpoint: oauth2.Endpoint{TokenURL: os.Getenv(urlEnv) + fakeprovider.OAuth2TokenPath},
		Timeout:  20 * time.Second,
	}
	s := cfg.NewSession(nil)
	s.Store = &tokenstore.File{Path: os.Getenv(storeEnv)}
	var updates atomic.Int32
	s.OnTokenUpdate = func(context.Context, *oauth2.Token) error { updates.Add(1); return nil }
	start := make(chan struct{})
	var mu sync.Mutex
	seen := map[string]bool{}
	var res stormResult
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			tok, err := s.Token(context.Background())
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				res.Errors = append(res.Errors, err.Error())
				return
			}
			if !seen[tok.AccessToken] {
				seen[tok.AccessToken] = true
				res.AccessTokens = append(res.AccessTokens, tok.AccessToken)
			}
		}()
	}
	fmt.Println(lineReady)
	in := bufio.NewScanner(os.Stdin)
	if !in.Scan() || in.Text() != "go" {
		return fmt.Errorf("no go line: %v", in.Err())
	}
	close(start)
	wg.Wait()
	sort.Strings(res.AccessTokens)
	res.Updates = int(updates.Load())
	b, err := json.Marshal(res)
	if err != nil {
		return err
	}
	fmt.Println(lineResult + string(b))
	return nil
}

// Processes of many goroutines each, sharing one File, all find the
// stored token expired at once: the provider serves exactly one refresh,
// no refresh token is spent twice, and every goroutine of every process
// gets the one token that refresh issued, which the file holds.
func TestFleetStormProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("runs processes")
	}
	const procs, goroutines = 4, 50
	ctx := context.Background()
	srv := fakeprovider.NewServer()
	t.Cleanup(srv.Close)
	cfg := &oauth2.Config{ClientID: "basic-client", ClientSecret: "basic-secret",
		Endpoint: oauth2.Endpoint{TokenURL: srv.URL + fakeprovider.OAuth2TokenPath}}
	seed, err := cfg.PasswordCredentialsToken(ctx, "alice", "wonderland")
	if err != nil {
		t.Fatal(err)
	}
	seed.Expiry = time.Now().Add(-time.Minute) // expired for every process
	file := &tokenstore.File{Path: filepath.Join(t.TempDir(), "token.json")}
	if _, err := file.Save(ctx, seed, ""); err != nil {
		t.Fatal(err)
	}
	env := []string{urlEnv + "=" + srv.URL, storeEnv + "=" + file.Path, goroutinesEnv + "=" + strconv.Itoa(goroutines)}
	ps := make([]*proc, procs)
	ready := make(chan event, procs)
	for i := range ps {
		ps[i] = start(t, "storm", env, ready)
	}
	for range ps {
		if e := <-ready; e.line != lineReady {
			t.Fatalf("child printed %q, want %q", e.line, lineReady)
		}
	}
	for _, p := range ps {
		if _, err := io.WriteString(p.stdin, "go\n"); err != nil {
			t.Fatal(err)
		}
	}
	results := make([]stormResult, procs)
	for i, p := range ps {
		p.waitJSON(t, &results[i])
	}
	stored, _, err := file.Load(ctx)
	if err != nil || stored == nil {
		t.Fatalf("stored token: %v, %v", stored, err)
	}
	updates := 0
	for i, r := range results {
		updates += r.Updates
		want := stormResult{AccessTokens: []string{stored.AccessToken}, Updates: r.Updates}
		if diff := cmp.Diff(want, r); diff != "" {
			t.Errorf("child %d mismatch (-want +got):\n%s", i, diff)
		}
	}
	if updates != 1 {
		t.Errorf("OnTokenUpdate called %d times across the processes, want 1", updates)
	}
	if got := srv.OAuth2.Refreshes(); got != 1 {
		t.Errorf("provider served %d refreshes, want 1", got)
	}
	if r, g := srv.OAuth2.RefreshTokenReuses(), srv.OAuth2.GrantsRevoked(); r != 0 || g != 0 {
		t.Errorf("%d refresh tokens reused, %d grants revoked; want 0 and 0", r, g)
	}
}
