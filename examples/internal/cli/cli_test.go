package cli

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a bound, not a wait
	t.Cleanup(cancel)
	return ctx
}

func listen(t *testing.T) *Callback {
	t.Helper()
	cb, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cb.Close() })
	if !strings.HasPrefix(cb.URL, "http://127.0.0.1:") || !strings.HasSuffix(cb.URL, "/callback") {
		t.Fatalf("URL = %q, want http://127.0.0.1:port/callback", cb.URL)
	}
	return cb
}

// A stray callback is refused and Wait keeps waiting for the right one.
func TestWaitSkipsStray(t *testing.T) {
	cb := listen(t)
	cb.Visit(cb.URL + "?state=stray")
	var seen []string
	got, err := Wait(testContext(t), cb, func(r *http.Request) (string, error) {
		state := r.URL.Query().Get("state")
		seen = append(seen, state)
		if state == "stray" {
			cb.Visit(cb.URL + "?state=ok") // the browser that was expected
			return "", ErrStray
		}
		return state, nil
	})
	if err != nil || got != "ok" {
		t.Fatalf("Wait = %q, %v; want %q, nil", got, err, "ok")
	}
	if diff := cmp.Diff([]string{"stray", "ok"}, seen); diff != "" {
		t.Errorf("callbacks seen (-want +got):\n%s", diff)
	}
}

// The error of the request that completes the sign-in is Wait's.
func TestWaitReturnsError(t *testing.T) {
	cb := listen(t)
	errDenied := errors.New("denied")
	cb.Visit(cb.URL + "?error=access_denied")
	_, err := Wait(testContext(t), cb, func(r *http.Request) (string, error) { return "", errDenied })
	if !errors.Is(err, errDenied) {
		t.Errorf("Wait error = %v, want %v", err, errDenied)
	}
}

func TestWaitVisitFails(t *testing.T) {
	cb := listen(t)
	cb.Visit("http://[::1]:0/unreachable")
	_, err := Wait(testContext(t), cb, func(r *http.Request) (string, error) {
		t.Error("complete called without a callback")
		return "", nil
	})
	if err == nil {
		t.Error("Wait succeeded after the browser failed")
	}
}

func TestWaitCancelled(t *testing.T) {
	cb := listen(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Wait(ctx, cb, func(r *http.Request) (string, error) { return "", nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Wait error = %v, want context.Canceled", err)
	}
}

func TestReadLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{" 1234 \n", "1234"},
		{"5678", "5678"}, // no newline before EOF
		{"ab\ncd\n", "ab"},
	}
	for _, tt := range tests {
		got, err := ReadLine(strings.NewReader(tt.in))
		if err != nil || got != tt.want {
			t.Errorf("ReadLine(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if _, err := ReadLine(strings.NewReader("")); err == nil {
		t.Error("ReadLine of nothing succeeded")
	}
}

// Listen refuses an address that is not a loopback IP: the callback
// server would take requests from the network.
func TestListenLoopbackOnly(t *testing.T) {
	for _, addr := range []string{":0", "0.0.0.0:0", "[::]:0", "localhost:0", "192.0.2.1:0", "127.0.0.1"} {
		t.Run(addr, func(t *testing.T) {
			cb, err := Listen(addr)
			if err == nil {
				cb.Close()
				t.Fatalf("Listen(%q) succeeded, want an error", addr)
			}
		})
	}
}
