// Package leaktest is test support for the library's leak tests: a
// scripted [http.RoundTripper] that answers as a hostile or broken server
// would and keeps every response body it hands out, so that a test can
// count the bodies left open, and a request body that records whether it
// was closed. Only tests import it.
package leaktest

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Mode says how a [Body]'s content ends.
type Mode int

const (
	// EOF ends the content with io.EOF.
	EOF Mode = iota
	// ReadErr ends the content with [ErrRead], as a connection reset
	// midway would.
	ReadErr
	// Cancel ends the content by calling the RoundTripper's Cancel (the
	// caller's context) and then waiting for the request's context to be
	// done, or for the RoundTripper's Release to be closed; the read then
	// fails with the context's error, or [ErrRead].
	Cancel
)

// ErrRead is the error a [Body] in mode [ReadErr] (or a released one in
// mode [Cancel]) returns at the end of its content.
var ErrRead = errors.New("leaktest: connection reset midway")

// Body is a response body that records whether it was closed. Its content
// ends as its [Mode] says. It is safe for concurrent use of Read by one
// goroutine with Close and Closed by others.
type Body struct {
	r       io.Reader
	mode    Mode
	req     *http.Request
	cancel  func()
	release <-chan struct{}
	closed  atomic.Bool
}

// Read reads the content, then ends it as the Body's [Mode] says.
func (b *Body) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != io.EOF {
		return n, err
	}
	switch b.mode {
	case ReadErr:
		return n, ErrRead
	case Cancel:
		if b.cancel != nil {
			b.cancel()
		}
		select {
		case <-b.req.Context().Done():
			return n, b.req.Context().Err()
		case <-b.release:
			return n, ErrRead
		}
	}
	return n, err
}

// Close records that the Body was closed. It returns nil.
func (b *Body) Close() error {
	b.closed.Store(true)
	return nil
}

// Closed reports whether Close was called.
func (b *Body) Closed() bool { return b.closed.Load() }

// Reply is what a [RoundTripper] answers: a status code, header fields
// (one value each; nil for none), the body's content and how it ends.
type Reply struct {
	Status int
	Header map[string]string
	Body   string
	Mode   Mode
}

// RoundTripper is an [http.RoundTripper] that answers from a script and
// keeps every [Body] it hands out. It reads and closes each request body,
// as a RoundTripper must, and never returns an error. Set Reply (and
// Cancel and Release if a [Cancel] reply is scripted) before the first
// request; it is then safe for concurrent use by multiple goroutines.
type RoundTripper struct {
	// Reply returns the answer to req, the n-th request (from 0). It must
	// be set, and be safe for concurrent use if requests are.
	Reply func(n int, req *http.Request) Reply
	// Cancel cancels the caller's context, for a [Cancel] body. If nil,
	// nothing is cancelled.
	Cancel func()
	// Release, when closed, ends the wait of every [Cancel] body, for a
	// request that outlives its caller's context. If nil, a Cancel body
	// waits only for the request's context.
	Release chan struct{}

	mu     sync.Mutex
	n      int
	bodies []*Body
}

// RoundTrip reads and closes req's body, and answers with what Reply
// returns for it.
func (rt *RoundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	rt.mu.Lock()
	n := rt.n
	rt.n++
	rt.mu.Unlock()
	r := rt.Reply(n, req)
	b := &Body{r: strings.NewReader(r.Body), mode: r.Mode, req: req, cancel: rt.Cancel, release: rt.Release}
	rt.mu.Lock()
	rt.bodies = append(rt.bodies, b)
	rt.mu.Unlock()
	h := make(http.Header)
	for k, v := range r.Header {
		h.Set(k, v)
	}
	return &http.Response{StatusCode: r.Status, Status: fmt.Sprintf("%d %s", r.Status, http.StatusText(r.Status)),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: h, Body: b, ContentLength: -1, Request: req}, nil
}

// Open returns how many bodies handed out are not closed, and how many
// were handed out. A request may run on a goroutine that outlives its
// caller (a refresh, a detached fetch): Open polls, for a second at most,
// until every body is closed, before it counts them, so it returns at
// once when none is left open.
func (rt *RoundTripper) Open() (open, total int) {
	deadline := time.Now().Add(time.Second)
	for {
		rt.mu.Lock()
		open, total = 0, len(rt.bodies)
		for _, b := range rt.bodies {
			if !b.Closed() {
				open++
			}
		}
		rt.mu.Unlock()
		if open == 0 || time.Now().After(deadline) {
			return open, total
		}
		time.Sleep(time.Millisecond)
	}
}

// ReqBody is a caller's request body that records whether it was closed.
// Set Reader to its content.
type ReqBody struct {
	io.Reader
	closed atomic.Bool
}

// Close records that the body was closed. It returns nil.
func (b *ReqBody) Close() error {
	b.closed.Store(true)
	return nil
}

// Closed reports whether Close was called.
func (b *ReqBody) Closed() bool { return b.closed.Load() }

// Check fails t unless a call that returned resp (closed here) and err
// left no response body of rt open and closed the caller's request body
// rb (if not nil); a response and an error together fail it too.
func (rt *RoundTripper) Check(t testing.TB, resp *http.Response, rb *ReqBody, err error) {
	t.Helper()
	if resp != nil {
		if err != nil {
			t.Errorf("both a response and an error: %v", err)
		}
		resp.Body.Close()
	}
	if open, total := rt.Open(); open != 0 {
		t.Errorf("%d of %d response bodies left open (err %v)", open, total, err)
	}
	if rb != nil && !rb.Closed() {
		t.Errorf("the caller's request body was not closed (err %v)", err)
	}
}
