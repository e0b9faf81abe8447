package main

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/oauthkit/oauth/oauth2"
)

// redisClient connects to the Redis at REDIS_URL (redis://host:port/db or
// unix:///path), skipping the test when it is not set, and returns a key
// of the test's own, deleted (with its lock) at the end.
func redisClient(t *testing.T) (*redis.Client, string) {
	t.Helper()
	u := os.Getenv("REDIS_URL")
	if u == "" {
		t.Skip("REDIS_URL is not set: start a Redis and set it (see README.md)")
	}
	opt, err := redis.ParseURL(u)
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opt)
	key := "oauthkit:test:" + t.Name()
	t.Cleanup(func() {
		c.Del(context.Background(), key, key+":lock")
		c.Close()
	})
	if err := c.Del(context.Background(), key, key+":lock").Err(); err != nil {
		t.Fatalf("Redis at %s: %v", u, err)
	}
	return c, key
}

// Save is a compare-and-swap on the version read.
func TestStoreCompareAndSwap(t *testing.T) {
	ctx := context.Background()
	c, key := redisClient(t)
	s := &Store{Client: c, Key: key}
	if tok, ver, err := s.Load(ctx); tok != nil || ver != "" || err != nil {
		t.Fatalf("Load of nothing = %v, %q, %v", tok, ver, err)
	}
	v1, err := s.Save(ctx, &oauth2.Token{AccessToken: "a1", RefreshToken: "r1"}, "")
	if err != nil || v1 == "" {
		t.Fatalf("first Save = %q, %v", v1, err)
	}
	if _, err := s.Save(ctx, &oauth2.Token{AccessToken: "x"}, ""); !errors.Is(err, oauth2.ErrStoreConflict) {
		t.Errorf("Save in place of nothing: %v, want ErrStoreConflict", err)
	}
	v2, err := s.Save(ctx, &oauth2.Token{AccessToken: "a2", RefreshToken: "r2"}, v1)
	if err != nil || v2 == v1 {
		t.Fatalf("Save in place of v1 = %q, %v", v2, err)
	}
	if _, err := s.Save(ctx, &oauth2.Token{AccessToken: "x"}, v1); !errors.Is(err, oauth2.ErrStoreConflict) {
		t.Errorf("Save in place of a stale version: %v, want ErrStoreConflict", err)
	}
	tok, ver, err := (&Store{Client: c, Key: key}).Load(ctx)
	if err != nil || ver != v2 || tok.AccessToken != "a2" || tok.RefreshToken != "r2" {
		t.Errorf("Load = %v, %q, %v; want a2/r2, %q", tok, ver, err, v2)
	}
}

// A lease whose holder went away expires and is taken over; the late
// release of the old holder leaves the new holder's lease alone.
func TestStoreLeaseTakeover(t *testing.T) {
	c, key := redisClient(t)
	a := &Store{Client: c, Key: key, Margin: time.Millisecond}
	b := &Store{Client: c, Key: key}
	short, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	unlockA, err := a.Lock(short) // a lease of about 200 ms, never released in time
	if err != nil {
		t.Fatal(err)
	}
	if !held(t, b) {
		t.Fatal("the lock is free while a holds it")
	}
	ctx, cancel2 := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel2()
	unlockB, err := b.Lock(ctx) // once the lease has expired
	if err != nil {
		t.Fatalf("Lock after the lease expired: %v", err)
	}
	unlockA() // late: must not release b's lease
	if !held(t, a) {
		t.Error("the old holder's late release freed the new holder's lock")
	}
	unlockB()
	unlock, err := a.Lock(ctx)
	if err != nil {
		t.Fatalf("Lock after the release: %v", err)
	}
	unlock()
}

// held reports whether s's lock is held: whether it stays out of reach
// for 100 ms. It releases the lock if it got it.
func held(t *testing.T, s *Store) bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	unlock, err := s.Lock(ctx)
	if err == nil {
		unlock()
		return false
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Lock: %v", err)
	}
	return true
}

// Eight sessions, each with its own single-flight as replicas on other
// hosts would have, share a grant whose access tokens live a second and
// whose refresh tokens rotate with reuse detection: no request fails, no
// grant is revoked, and refreshes follow the token lifetimes (at most one
// per half lifetime, see oauth2/tokenstore's TestFleet, plus one forced
// refresh per replica should a request be refused), not the replicas.
func TestFleet(t *testing.T) {
	if testing.Short() {
		t.Skip("runs for seconds")
	}
	c, key := redisClient(t)
	const replicas, run = 8, 3 * time.Second
	start := time.Now()
	r, err := runFleet(context.Background(), c, key, replicas, run)
	elapsed := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(r)
	if r.Failed != 0 || r.GrantsRevoked != 0 {
		t.Errorf("%d requests failed, %d grants revoked; want 0 and 0", r.Failed, r.GrantsRevoked)
	}
	lifetimes := elapsed.Seconds()
	if max, min := int(2*lifetimes)+1+replicas, int(run/time.Second)-1; r.Refreshes > max || r.Refreshes < min {
		t.Errorf("%d refreshes in %v, want between %d and %d", r.Refreshes, elapsed, min, max)
	}
}

// A Save whose context's deadline has just passed still saves, within
// Margin (the lease the caller holds lasts that long): a refresh whose
// answer came as its deadline ended must not leave the spent refresh
// token in the store. Past the Margin it fails.
func TestStoreSaveAfterDeadline(t *testing.T) {
	c, key := redisClient(t)
	s := &Store{Client: c, Key: key}
	tok := &oauth2.Token{AccessToken: "a1", RefreshToken: "r1"}
	ended, cancel := context.WithDeadline(context.Background(), time.Now().Add(-10*time.Millisecond))
	defer cancel()
	if _, err := s.Save(ended, tok, ""); err != nil {
		t.Fatalf("Save just after the deadline: %v, want it saved within Margin", err)
	}
	long, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Hour))
	defer cancel2()
	if _, err := s.Save(long, tok, ""); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Save an hour after the deadline: %v, want context.DeadlineExceeded", err)
	}
}
