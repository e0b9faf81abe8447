package tokenstore_test

// The proof of issue 15: real processes sharing one grant through one
// File, against the fake provider with strict rotation and reuse
// detection. The test binary plays the children: TestMain runs a child's
// part when childEnv is set, and exits.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/tokenstore"
)

// The environment of a child: its part, and what it needs.
const (
	childEnv = "TOKENSTORE_TEST_CHILD" // "worker", "victim", "hold" or "storm"
	urlEnv   = "TOKENSTORE_TEST_URL"   // the provider
	storeEnv = "TOKENSTORE_TEST_STORE" // the token file; a worker without one uses seedEnv
	seedEnv  = "TOKENSTORE_TEST_SEED"  // the token's JSON
	runEnv   = "TOKENSTORE_TEST_RUN"   // how long a worker calls the resource
)

// What children print, one line each, on their standard output.
const (
	lineLocked   = "child: locked"    // a victim or holder holds the lock
	lineLockWait = "child: lock wait" // a worker waits for the lock
	lineResult   = "child: result "   // a worker's childResult, in JSON
)

// childResult is what a worker did.
type childResult struct {
	OK, Failed int // requests to the resource
	Refused    int // 401 answers, retried or not
	Refreshed  int // tokens its session obtained (OnTokenUpdate calls)
	FirstError string
}

func TestMain(m *testing.M) {
	if part := os.Getenv(childEnv); part != "" {
		os.Exit(child(part))
	}
	os.Exit(m.Run())
}

// child plays part and returns the exit code.
func child(part string) int {
	if err := runChild(part); err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 1
	}
	return 0
}

func runChild(part string) error {
	if part == "storm" {
		return stormChild()
	}
	ctx := context.Background()
	base := os.Getenv(urlEnv)
	file := &tokenstore.File{Path: os.Getenv(storeEnv)}
	if part == "hold" {
		if _, err := file.Lock(ctx); err != nil {
			return err
		}
		fmt.Println(lineLocked)
		select {} // until killed
	}
	cfg := &oauth2.Config{
		ClientID: "basic-client", ClientSecret: "basic-secret",
		Endpoint: oauth2.Endpoint{TokenURL: base + fakeprovider.OAuth2TokenPath},
		Timeout:  10 * time.Second,
	}
	var s *oauth2.Session
	switch {
	case part == "victim":
		s = cfg.NewSession(nil)
		s.Store = victimStore{file}
		_, err := s.Refresh(ctx) // takes the lock, and never returns
		return err
	case file.Path != "":
		s = cfg.NewSession(nil)
		s.Store = reportingStore{file}
	default:
		var tok oauth2.Token
		if err := json.Unmarshal([]byte(os.Getenv(seedEnv)), &tok); err != nil {
			return err
		}
		s = cfg.NewSession(&tok)
	}
	var res childResult
	var refreshed atomic.Int32
	s.OnTokenUpdate = func(context.Context, *oauth2.Token) error { refreshed.Add(1); return nil }
	run, err := time.ParseDuration(os.Getenv(runEnv))
	if err != nil {
		return err
	}
	refusals := &countRefusals{base: http.DefaultTransport}
	c := oauth2.NewClient(s, &http.Client{Transport: refusals})
	for end := time.Now().Add(run); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if err := call(c, base+fakeprovider.OAuth2ResourcePath); err != nil {
			if res.Failed == 0 {
				res.FirstError = err.Error()
			}
			res.Failed++
			continue
		}
		res.OK++
	}
	res.Refreshed = int(refreshed.Load())
	res.Refused = int(refusals.n.Load())
	b, err := json.Marshal(res)
	if err != nil {
		return err
	}
	fmt.Println(lineResult + string(b))
	return nil
}

func call(c *http.Client, url string) error {
	resp, err := c.Get(url)
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

// countRefusals counts the 401 answers of base.
type countRefusals struct {
	base http.RoundTripper
	n    atomic.Int32
}

func (c *countRefusals) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(req)
	if err == nil && resp.StatusCode == http.StatusUnauthorized {
		c.n.Add(1)
	}
	return resp, err
}

// reportingStore is a worker's store: it says when it waits for the lock.
type reportingStore struct{ *tokenstore.File }

func (r reportingStore) Lock(ctx context.Context) (func(), error) {
	fmt.Println(lineLockWait)
	return r.File.Lock(ctx)
}

// victimStore takes the lock, says so, and holds it until the process is
// killed: a process that dies in the middle of a refresh.
type victimStore struct{ *tokenstore.File }

func (v victimStore) Lock(ctx context.Context) (func(), error) {
	if _, err := v.File.Lock(ctx); err != nil {
		return nil, err
	}
	fmt.Println(lineLocked)
	select {}
}

// proc is a running child.
type proc struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stderr bytes.Buffer
	done   chan struct{} // closed when its output has been read
	result []byte        // its result line's JSON, once done, if it printed one
}

// event is a line a child printed, other than its result.
type event struct {
	from *proc
	line string
}

// start runs the test binary as a child playing part, with env added to
// its environment; its lines go to events, but for its result.
func start(t *testing.T, part string, env []string, events chan<- event) *proc {
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
			line := sc.Text()
			if r, ok := strings.CutPrefix(line, lineResult); ok {
				p.result = []byte(r)
				continue
			}
			select {
			case events <- event{p, line}:
			default: // nobody listens any more
			}
		}
	}()
	return p
}

// wait waits for p to exit and returns its result.
func (p *proc) wait(t *testing.T) childResult {
	t.Helper()
	var r childResult
	p.waitJSON(t, &r)
	return r
}

// waitJSON waits for p to exit and decodes its result into v.
func (p *proc) waitJSON(t *testing.T, v any) {
	t.Helper()
	<-p.done
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("child: %v; stderr:\n%s", err, p.stderr.String())
	}
	if err := json.Unmarshal(p.result, v); err != nil {
		t.Fatalf("child result %q: %v; stderr:\n%s", p.result, err, p.stderr.String())
	}
}

// fleetRun is what a run of workers did, summed.
type fleetRun struct {
	workers             int
	elapsed             time.Duration // from the seed token's issue to the last worker's exit
	ok, failed, refused int
	refreshed           int // sum of the workers' OnTokenUpdate calls
	refreshes, revoked  int // the provider's counters
	reuses              int
	refreshesAtKill     int // the provider's Refreshes when the victim died
	firstError          string
	victimKilledHolding bool
}

const (
	fleetWorkers = 8
	tokenTTL     = time.Second
)

// runFleet seeds a grant and runs fleetWorkers workers calling the
// resource for run, sharing the grant through the file store when
// shared, or each starting from the seed token without it. With a victim,
// one more child takes the lock and is killed (SIGKILL) while holding it,
// once a worker waits for it.
func runFleet(t *testing.T, shared, victim bool, run time.Duration) fleetRun {
	srv := fakeprovider.NewServer()
	t.Cleanup(srv.Close)
	srv.OAuth2.AccessTokenTTL = tokenTTL
	cfg := &oauth2.Config{ClientID: "basic-client", ClientSecret: "basic-secret",
		Endpoint: oauth2.Endpoint{TokenURL: srv.URL + fakeprovider.OAuth2TokenPath}}
	ctx := context.Background()
	begin := time.Now()
	seed, err := cfg.PasswordCredentialsToken(ctx, "alice", "wonderland")
	if err != nil {
		t.Fatal(err)
	}
	env := []string{urlEnv + "=" + srv.URL, runEnv + "=" + run.String()}
	if shared {
		path := filepath.Join(t.TempDir(), "token.json")
		if _, err := (&tokenstore.File{Path: path}).Save(ctx, seed, ""); err != nil {
			t.Fatal(err)
		}
		env = append(env, storeEnv+"="+path)
	} else {
		b, err := json.Marshal(seed)
		if err != nil {
			t.Fatal(err)
		}
		env = append(env, seedEnv+"="+string(b))
	}
	events := make(chan event, 4096)
	var victimProc *proc
	if victim {
		victimProc = start(t, "victim", env, events)
	}
	workers := make([]*proc, fleetWorkers)
	for i := range workers {
		workers[i] = start(t, "worker", env, events)
	}
	var r fleetRun
	var wg sync.WaitGroup
	finished := make(chan struct{})
	if victim {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.refreshesAtKill, r.victimKilledHolding = killVictim(victimProc, events, finished, srv)
		}()
	}
	for _, w := range workers {
		res := w.wait(t)
		r.ok += res.OK
		r.failed += res.Failed
		r.refused += res.Refused
		r.refreshed += res.Refreshed
		if r.firstError == "" {
			r.firstError = res.FirstError
		}
	}
	r.elapsed = time.Since(begin)
	r.workers = fleetWorkers
	close(finished)
	if victim {
		victimProc.cmd.Process.Kill() // if it was not killed holding the lock
		wg.Wait()
	}
	r.refreshes, r.revoked, r.reuses = srv.OAuth2.Refreshes(), srv.OAuth2.GrantsRevoked(), srv.OAuth2.RefreshTokenReuses()
	return r
}

// killVictim waits until the victim holds the lock and a worker then
// waits for it, and kills the victim with SIGKILL. It returns the
// provider's Refreshes at that moment, and whether it killed it so; it
// gives up when finished is closed.
func killVictim(v *proc, events <-chan event, finished <-chan struct{}, srv *fakeprovider.Server) (int, bool) {
	holding := false
	for {
		select {
		case <-finished:
			return 0, false
		case e := <-events:
			switch {
			case e.from == v && e.line == lineLocked:
				holding = true
			case holding && e.from != v && e.line == lineLockWait:
				n := srv.OAuth2.Refreshes()
				v.cmd.Process.Kill()
				return n, true
			}
		}
	}
}

// TestFleet runs fleetWorkers processes that share one grant, whose access
// tokens live a second and whose refresh tokens rotate with reuse
// detection, each calling the protected resource every 10 ms for several
// seconds. Through one File, no request fails, no grant is revoked, and
// refreshes track the tokens' lifetimes, whatever the number of
// processes; even when a process dies holding the lock. Without it, the
// processes spend one refresh token many times and the provider revokes
// the grant.
//
// Each session refreshes a token when half of the lifetime it had left on
// receipt has passed (a second is shorter than twice Config.Leeway), and
// one that takes the token from the store computes its refresh time from
// that token's expiry, so no token is replaced before half a lifetime has
// passed since its issue: over the elapsed time E, at most 2E/TTL + 1
// refreshes. A refusal (a 401, none expected, though a process that the
// machine's load holds up for half a second may send a token the server
// finds expired) forces at most one more refresh per process. And tokens
// must have been replaced at least every TTL while the workers ran. The children are the test binary itself,
// built with -race when the test is: the race detector watches them too.
func TestFleet(t *testing.T) {
	if testing.Short() {
		t.Skip("runs processes for several seconds")
	}
	t.Run("without a store", func(t *testing.T) {
		r := runFleet(t, false, false, 1500*time.Millisecond)
		t.Logf("%d processes, %v: %d requests, %d failed; %d refreshes, %d reuses, %d grants revoked",
			r.workers, r.elapsed.Round(time.Millisecond), r.ok+r.failed, r.failed, r.refreshes, r.reuses, r.revoked)
		if r.revoked == 0 || r.failed == 0 {
			t.Errorf("%d grants revoked, %d requests failed; want the grant revoked and requests failing: the test shows nothing", r.revoked, r.failed)
		}
	})
	t.Run("with a file store", func(t *testing.T) {
		const run = 4 * time.Second
		r := runFleet(t, true, true, run)
		lifetimes := float64(r.elapsed) / float64(tokenTTL)
		t.Logf("%d processes and a victim, %v (%.1f token lifetimes): %d requests, %d failed, %d refused; %d refreshes (%d when the victim died), %d reuses, %d grants revoked",
			r.workers, r.elapsed.Round(time.Millisecond), lifetimes, r.ok+r.failed, r.failed, r.refused, r.refreshes, r.refreshesAtKill, r.reuses, r.revoked)
		if r.failed != 0 {
			t.Errorf("%d of %d requests failed, want 0; first: %s", r.failed, r.ok+r.failed, r.firstError)
		}
		if r.revoked != 0 || r.reuses != 0 {
			t.Errorf("%d grants revoked, %d refresh tokens reused; want 0", r.revoked, r.reuses)
		}
		if r.refreshed != r.refreshes {
			t.Errorf("workers obtained %d tokens, provider served %d refreshes: want each refresh used by exactly one process", r.refreshed, r.refreshes)
		}
		maxRefreshes := int(2*lifetimes) + 1 + min(r.refused, r.workers)
		minRefreshes := int(run/tokenTTL) - 1
		if r.refreshes > maxRefreshes || r.refreshes < minRefreshes {
			t.Errorf("%d refreshes, want between %d and %d, whatever the number of processes", r.refreshes, minRefreshes, maxRefreshes)
		}
		if !r.victimKilledHolding {
			t.Fatal("the victim was not killed holding the lock")
		}
		if r.refreshes <= r.refreshesAtKill {
			t.Errorf("no refresh after the victim died holding the lock")
		}
	})
}

// A lock whose holder dies is free at once: the operating system releases
// it with the process.
func TestFileLockDiesWithHolder(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a process")
	}
	f := newFile(t)
	events := make(chan event, 16)
	p := start(t, "hold", []string{storeEnv + "=" + f.Path}, events)
	if e := <-events; e.line != lineLocked {
		t.Fatalf("holder printed %q", e.line)
	}
	done, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.Lock(done); !errors.Is(err, context.Canceled) {
		t.Fatalf("Lock while the holder lives: %v, want context.Canceled", err)
	}
	got := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		unlock, err := f.Lock(ctx)
		if err == nil {
			unlock()
		}
		got <- err
	}()
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	if err := <-got; err != nil {
		t.Errorf("Lock after the holder died: %v", err)
	}
}
