package main

// Adversarial tests of session 20 (fleet): real processes sharing one
// grant through one Store. The test binary plays the children: TestMain
// runs a child's part when childEnv is set, and exits.

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
)

// The environment of a child.
const (
	childEnv      = "REDISSTORE_TEST_CHILD" // "storm" or "victim"
	urlEnv        = "REDISSTORE_TEST_URL"   // the provider
	keyEnv        = "REDISSTORE_TEST_KEY"   // the Store's Key
	goroutinesEnv = "REDISSTORE_TEST_GOROUTINES"
)

// What children print, one line each.
const (
	lineReady  = "child: ready"   // a storm child waits for "go" on its standard input
	lineLocked = "child: locked"  // a victim holds the lock
	lineResult = "child: result " // a storm child's stormResult, in JSON
)

// victimTimeout bounds a victim's refresh: its lease lasts that plus
// the Store's default Margin.
const victimTimeout = 20 * time.Second

func TestMain(m *testing.M) {
	if part := os.Getenv(childEnv); part != "" {
		if err := runChild(part); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// stormResult is what a storm child's goroutines got.
type stormResult struct {
	AccessTokens []string // distinct, sorted
	Errors       []string
	Updates      int // OnTokenUpdate calls
}

func runChild(part string) error {
	opt, err := redis.ParseURL(os.Getenv("REDIS_URL"))
	if err != nil {
		return err
	}
	client := redis.NewClient(opt)
	defer client.Close()
	store := &Store{Client: client, Key: os.Getenv(keyEnv)}
	if part == "victim" {
		// A process that dies holding the lease of a refresh bounded by
		// victimTimeout.
		ctx, cancel := context.WithTimeout(context.Background(), victimTimeout)
		defer cancel()
		if _, err := store.Lock(ctx); err != nil {
			return err
		}
		fmt.Println(lineLocked)
		select {} // until killed
	}
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
	s.Store = store
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

// proc is a running child.
type proc struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stderr strings.Builder
	done   chan struct{} // closed when its output has been read
	result []byte        // its result line's JSON, once done
}

// start runs the test binary as a child playing part, with env added to
// its environment; the lines it prints but its result go to lines.
func start(t *testing.T, part string, env []string, lines chan<- string) *proc {
	t.Helper()
	p := &proc{done: make(chan struct{})}
	p.cmd = exec.Command(os.Args[0])
	p.cmd.Env = append(append(os.Environ(), childEnv+"="+part), env...)
	p.cmd.Stderr = &p.stderr
	var err error
	if p.stdin, err = p.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill(); p.cmd.Wait() })
	go func() {
		defer close(p.done)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if r, ok := strings.CutPrefix(sc.Text(), lineResult); ok {
				p.result = []byte(r)
				continue
			}
			select {
			case lines <- sc.Text():
			default:
			}
		}
	}()
	return p
}

// wait waits for p to exit and returns its result.
func (p *proc) wait(t *testing.T) stormResult {
	t.Helper()
	<-p.done
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("child: %v; stderr:\n%s", err, p.stderr.String())
	}
	var r stormResult
	if err := json.Unmarshal(p.result, &r); err != nil {
		t.Fatalf("child result %q: %v", p.result, err)
	}
	return r
}

// Processes of many goroutines each, sharing one Store, all find the
// stored token expired at once, while a process that died (SIGKILL)
// holding the lock left its lease behind: once the lease expires, the
// provider serves exactly one refresh, no refresh token is spent twice,
// and every goroutine of every process gets the one token that refresh
// issued, which the store holds.
func TestFleetStormProcesses(t *testing.T) {
	const procs, goroutines = 4, 50
	ctx := context.Background()
	c, key := redisClient(t)
	srv := fakeprovider.NewServer()
	t.Cleanup(srv.Close)
	cfg := &oauth2.Config{ClientID: "basic-client", ClientSecret: "basic-secret",
		Endpoint: oauth2.Endpoint{TokenURL: srv.URL + fakeprovider.OAuth2TokenPath}}
	seed, err := cfg.PasswordCredentialsToken(ctx, "alice", "wonderland")
	if err != nil {
		t.Fatal(err)
	}
	seed.Expiry = time.Now().Add(-time.Minute) // expired for every process
	store := &Store{Client: c, Key: key}
	if _, err := store.Save(ctx, seed, ""); err != nil {
		t.Fatal(err)
	}
	env := []string{urlEnv + "=" + srv.URL, keyEnv + "=" + key, goroutinesEnv + "=" + strconv.Itoa(goroutines)}
	lines := make(chan string, procs+1)
	victim := start(t, "victim", env, lines)
	if line := <-lines; line != lineLocked {
		t.Fatalf("victim printed %q, want %q; stderr:\n%s", line, lineLocked, victim.stderr.String())
	}
	ps := make([]*proc, procs)
	for i := range ps {
		ps[i] = start(t, "storm", env, lines)
	}
	for range ps {
		if line := <-lines; line != lineReady {
			t.Fatalf("child printed %q, want %q", line, lineReady)
		}
	}
	for _, p := range ps {
		if _, err := io.WriteString(p.stdin, "go\n"); err != nil {
			t.Fatal(err)
		}
	}
	if err := victim.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	// The dead victim's lease is bounded as the Store says; the test
	// brings its end forward rather than wait for it.
	ttl, err := c.PTTL(ctx, key+":lock").Result()
	if err != nil || ttl <= 0 || ttl > victimTimeout+5*time.Second {
		t.Fatalf("the victim's lease lasts %v (%v), want at most %v", ttl, err, victimTimeout+5*time.Second)
	}
	if err := c.PExpire(ctx, key+":lock", time.Millisecond).Err(); err != nil {
		t.Fatal(err)
	}
	results := make([]stormResult, procs)
	for i, p := range ps {
		results[i] = p.wait(t)
	}
	stored, _, err := store.Load(ctx)
	if err != nil || stored == nil {
		t.Fatalf("stored token: %v, %v", stored, err)
	}
	updates := 0
	for i, r := range results {
		updates += r.Updates
		if len(r.Errors) != 0 {
			t.Errorf("child %d: %d of %d calls failed, first: %s", i, len(r.Errors), goroutines, r.Errors[0])
		}
		if len(r.AccessTokens) != 1 || r.AccessTokens[0] != stored.AccessToken {
			t.Errorf("child %d got %d distinct tokens, want 1: the stored one", i, len(r.AccessTokens))
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
