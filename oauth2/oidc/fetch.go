package oidc

// Fetching the documents of a provider (discovery, JWK Set, UserInfo):
// the HTTPS rule, redirects kept to one origin, bounded reads and time,
// and a cache that honours Cache-Control.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
	"github.com/oauthkit/oauth/oauth2"
)

// Options configure how a [Provider] or a [RemoteKeySet] talks to the
// server. A nil *Options, and the zero value of each field, is a safe
// default. Options are copied by the constructors that take them.
type Options struct {
	// HTTPClient makes the requests; if nil, http.DefaultClient. Its
	// Transport, Jar and Timeout are used; its CheckRedirect is not: a
	// redirect is followed only to the same origin (scheme, host and
	// port), at most 10 times, and a redirect elsewhere is answered as
	// the *oauth2.Error of its 3xx status.
	HTTPClient *http.Client
	// InsecureAllowHTTP allows plain http URLs (issuer, endpoints, JWK
	// Set) on hosts that are not loopback addresses. Without it such a
	// URL gives an error wrapping oauth2.ErrInsecureTransport. Never set it
	// in production.
	InsecureAllowHTTP bool
	// Timeout bounds each request and the reading of its response when
	// the caller's context has no deadline; if 0, oauth2.DefaultTimeout;
	// if negative, only the context bounds it. A fetch that refreshes a
	// cached document runs detached from the caller's context (callers
	// waiting for it each wait on their own) and is bounded by Timeout,
	// or oauth2.DefaultTimeout when Timeout is not positive.
	Timeout time.Duration
	// MaxBodyBytes bounds every response body read; if 0,
	// oauth2.DefaultMaxBodyBytes (1 MiB). A longer body is an error
	// wrapping *http.MaxBytesError, never a truncated parse.
	MaxBodyBytes int64
	// RefetchInterval is the least time between two fetches of a JWK Set
	// caused by a token whose key it lacks (see [RemoteKeySet]); if 0,
	// [DefaultRefetchInterval]; if negative, such fetches are not limited
	// (for tests).
	RefetchInterval time.Duration
	// Now returns the current time, by which cached discovery documents
	// and JWK Sets expire; if nil, time.Now. Set it in tests to fix the
	// clock.
	Now func() time.Time
}

// Cache lifetimes of discovery documents and JWK Sets: a response's
// Cache-Control max-age, clamped to [MinCacheAge, MaxCacheAge]. A response
// without max-age is kept for DefaultCacheAge; one with no-store or
// no-cache, or max-age=0, for MinCacheAge, so that no request makes a
// fetch of its own.
const (
	MinCacheAge     = time.Minute
	MaxCacheAge     = 24 * time.Hour
	DefaultCacheAge = time.Hour
)

// DefaultRefetchInterval is the least time between two fetches of a JWK
// Set caused by tokens whose key it lacks, when Options.RefetchInterval is
// 0: long enough that a flood of forged tokens costs the provider one
// request per interval, short enough that a key rotation the client has
// not seen yet delays a login by seconds at worst.
const DefaultRefetchInterval = 10 * time.Second

// maxErrorText bounds the text of a failed request's error (net/http's,
// which may quote what the server sent), as package oauth2 does.
const maxErrorText = 1024

// fetcher is the copy of Options a Provider or RemoteKeySet keeps.
type fetcher struct {
	client   *http.Client
	insecure bool
	timeout  time.Duration
	maxBody  int64
	interval time.Duration
	now      func() time.Time
}

func newFetcher(o *Options) *fetcher {
	if o == nil {
		o = &Options{}
	}
	base := o.HTTPClient
	if base == nil {
		base = http.DefaultClient
	}
	c := *base
	c.CheckRedirect = sameOrigin
	f := &fetcher{client: &c, insecure: o.InsecureAllowHTTP, timeout: o.Timeout, maxBody: o.MaxBodyBytes,
		interval: o.RefetchInterval, now: o.Now}
	if f.timeout == 0 {
		f.timeout = oauth2.DefaultTimeout
	}
	if f.maxBody <= 0 {
		f.maxBody = oauth2.DefaultMaxBodyBytes
	}
	if f.interval == 0 {
		f.interval = DefaultRefetchInterval
	}
	if f.now == nil {
		f.now = time.Now
	}
	return f
}

// sameOrigin is the CheckRedirect of every request: a redirect to another
// origin is not followed, and its 3xx answer becomes an *oauth2.Error.
func sameOrigin(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("oidc: stopped after 10 redirects")
	}
	from, to := via[0].URL, req.URL
	if !strings.EqualFold(from.Scheme, to.Scheme) || !strings.EqualFold(from.Host, to.Host) {
		return http.ErrUseLastResponse
	}
	return nil
}

// checkTransport refuses a plain http URL to a host that is not a
// loopback address, unless insecure.
func checkTransport(u *url.URL, insecure bool) error {
	switch {
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && (insecure || urlenc.IsLoopback(u.Hostname())):
		return nil
	case u.Scheme == "http":
		return fmt.Errorf("%w: %s", oauth2.ErrInsecureTransport, quote(u.Redacted()))
	}
	return fmt.Errorf("oidc: url scheme %s is neither https nor http", quote(u.Scheme))
}

// request describes one GET (or, with a form, POST) to a provider.
type request struct {
	endpoint string // "discovery", "jwks", "userinfo": the *oauth2.Error's Endpoint
	url      string
	accept   string
	bearer   string // an access token for the Authorization header, or ""
	// session, if not nil, places its token instead: the request goes
	// through an oauth2.Transport whose Source is session (token, DPoP
	// proof and nonce, resend of a refused token), over the fetcher's
	// client (its Transport as Base, its redirect policy, Jar and
	// Timeout).
	session *oauth2.Session
}

// do makes r and returns the body of its 2xx response, read through the
// size limit, and its header. A non-2xx answer is an *oauth2.Error (see
// oauth2.CheckResponse) with Endpoint r.endpoint, whose fields never hold
// the token; nor does the error of a request that failed on the way,
// whose text is bounded to maxErrorText bytes.
func (f *fetcher) do(ctx context.Context, r request) ([]byte, http.Header, error) {
	u, err := url.Parse(r.url)
	if err != nil {
		return nil, nil, fmt.Errorf("oidc: %s: malformed url", r.endpoint)
	}
	if err := checkTransport(u, f.insecure); err != nil {
		return nil, nil, fmt.Errorf("oidc: %s: %w", r.endpoint, err)
	}
	if _, ok := ctx.Deadline(); !ok && f.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, nil, fmt.Errorf("oidc: %s: %w", r.endpoint, err)
	}
	req.Header.Set("Accept", r.accept)
	if r.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+r.bearer)
	}
	client := f.client
	var sent *sentCredentials
	if r.session != nil {
		// The session may send a token it renewed during the call, and
		// DPoP proofs: the client's error may quote them (a Location that
		// echoes them), so what every request carried is kept to be
		// scrubbed.
		base := *f.client
		sent = &sentCredentials{base: base.Transport}
		base.Transport = sent
		client = oauth2.NewClient(r.session, &base)
		if t, ok := client.Transport.(*oauth2.Transport); ok {
			// Plain http to a host that is not a loopback address needs
			// Options.InsecureAllowHTTP too, where Hooks.ProtectedRequest
			// sends the request as well.
			t.InsecureAllowHTTP = t.InsecureAllowHTTP && f.insecure
		}
	}
	resp, err := client.Do(req)
	if err != nil {
		// net/http's error may quote what the server sent (a malformed
		// status line, whole, or a Location): scrubbed of the token, and
		// bounded.
		var secrets []string
		if r.bearer != "" {
			secrets = append(secrets, "Bearer "+r.bearer, r.bearer)
		}
		if sent != nil {
			secrets = append(secrets, sent.all()...)
		}
		return nil, nil, fmt.Errorf("oidc: %s: %w", r.endpoint, urlenc.ScrubError(err, secrets, maxErrorText))
	}
	defer resp.Body.Close()
	if err := oauth2.CheckResponse(resp); err != nil {
		var e *oauth2.Error
		if errors.As(err, &e) {
			e.Endpoint = r.endpoint
		}
		return nil, nil, err
	}
	// One byte more tells a larger body; at math.MaxInt64 it would wrap
	// around and read nothing.
	body, err := io.ReadAll(io.LimitReader(resp.Body, min(f.maxBody, math.MaxInt64-1)+1))
	if err != nil {
		return nil, nil, fmt.Errorf("oidc: %s: reading response: %w", r.endpoint, err)
	}
	if int64(len(body)) > f.maxBody {
		return nil, nil, fmt.Errorf("oidc: %s: %w", r.endpoint, urlenc.TooLarge("response body", f.maxBody))
	}
	return body, resp.Header, nil
}

// sentCredentials is an http.RoundTripper that sends with base (if nil,
// http.DefaultTransport) and keeps the credentials each request carried:
// its Authorization value and the token in it, its DPoP proofs and its
// access_token query parameters. It is safe for concurrent use.
type sentCredentials struct {
	base http.RoundTripper

	mu   sync.Mutex
	seen []string
}

func (s *sentCredentials) RoundTrip(req *http.Request) (*http.Response, error) {
	var add []string
	if a := req.Header.Get("Authorization"); a != "" {
		add = append(add, a)
		if _, tok, ok := strings.Cut(a, " "); ok {
			add = append(add, strings.TrimSpace(tok))
		}
	}
	add = append(add, req.Header.Values("DPoP")...)
	if req.URL != nil {
		q, _ := url.ParseQuery(req.URL.RawQuery) // the pairs before an error
		add = append(add, q["access_token"]...)
	}
	s.mu.Lock()
	for _, v := range add {
		if v != "" {
			s.seen = append(s.seen, v)
		}
	}
	s.mu.Unlock()
	base := s.base
	if base == nil {
		base = http.DefaultTransport
	}
	return base.RoundTrip(req)
}

// all returns the credentials kept so far.
func (s *sentCredentials) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.seen...)
}

// cacheAge returns how long a response with header h may be used: its
// Cache-Control max-age clamped to [MinCacheAge, MaxCacheAge],
// DefaultCacheAge without one, MinCacheAge with no-store or no-cache.
func cacheAge(h http.Header) time.Duration {
	age, found := time.Duration(-1), false
	for _, field := range h.Values("Cache-Control") {
		for _, d := range strings.Split(field, ",") {
			name, value, _ := strings.Cut(strings.TrimSpace(d), "=")
			switch strings.ToLower(name) {
			case "no-store", "no-cache":
				return MinCacheAge
			case "max-age":
				n, err := strconv.ParseInt(strings.Trim(value, `"`), 10, 64)
				if err != nil || n < 0 {
					return MinCacheAge // a malformed max-age is stale (RFC 9111 §4.2.1)
				}
				if n > int64(MaxCacheAge/time.Second) {
					n = int64(MaxCacheAge / time.Second)
				}
				if d := time.Duration(n) * time.Second; !found || d < age {
					age, found = d, true
				}
			}
		}
	}
	switch {
	case !found:
		return DefaultCacheAge
	case age < MinCacheAge:
		return MinCacheAge
	}
	return age
}

// cache holds one fetched value, shared by concurrent callers: a fetch in
// flight is joined, never duplicated; no lock is held while fetching; the
// fetch runs detached from any one caller's context.
type cache[T any] struct {
	f     *fetcher
	fetch func(ctx context.Context) (T, time.Duration, error)

	mu      sync.Mutex
	val     T
	have    bool
	gen     uint64    // incremented by every fetch that stores a value
	expires time.Time // when val is due to be fetched again
	forced  time.Time // when the last refetch outside the schedule started
	call    *cacheCall[T]
	// failed and err are the time and error of the last fetch that failed
	// while no value was cached: until the fetcher's interval has passed,
	// get returns err rather than fetching again.
	failed time.Time
	err    error
}

type cacheCall[T any] struct {
	done  chan struct{}
	val   T
	gen   uint64
	err   error
	fresh bool // val was fetched by this call
}

// set stores v, fetched now, for age.
func (c *cache[T]) set(v T, age time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.val, c.have = v, true
	c.gen++
	c.expires = c.f.now().Add(age)
}

// get returns the cached value, fetching it first when there is none or
// it has expired; fresh reports that it was fetched for this call. When a
// value has expired and fetching it again fails, the old value is kept for
// MinCacheAge more and, with serveStale, returned instead of the error.
// When there is no value and the last fetch failed less than the
// fetcher's interval ago, its error is returned without a fetch, so that
// requests to a provider that is down, however many, cost one fetch per
// interval.
func (c *cache[T]) get(ctx context.Context, serveStale bool) (val T, gen uint64, fresh bool, err error) {
	c.mu.Lock()
	now := c.f.now()
	if c.have && now.Before(c.expires) {
		defer c.mu.Unlock()
		return c.val, c.gen, false, nil
	}
	if !c.have && c.err != nil && c.call == nil && c.f.interval > 0 && now.Sub(c.failed) < c.f.interval {
		defer c.mu.Unlock()
		return val, 0, false, c.err
	}
	call := c.call
	if call == nil {
		call = c.startLocked(ctx, serveStale)
	}
	c.mu.Unlock()
	return c.wait(ctx, call)
}

// refetch fetches the value again, out of schedule, unless the cache
// already holds a value newer than generation seen (returned as it is),
// or the last such refetch started less than the fetcher's interval ago
// (the current value is returned). A fetch in flight is joined. A failed
// refetch returns its error and leaves the cached value as it was.
func (c *cache[T]) refetch(ctx context.Context, seen uint64) (T, uint64, error) {
	c.mu.Lock()
	if c.have && c.gen > seen {
		defer c.mu.Unlock()
		return c.val, c.gen, nil
	}
	call := c.call
	if call == nil {
		now := c.f.now()
		if c.f.interval > 0 && !c.forced.IsZero() && now.Sub(c.forced) < c.f.interval {
			defer c.mu.Unlock()
			return c.val, c.gen, nil
		}
		c.forced = now
		call = c.startLocked(ctx, false)
	}
	c.mu.Unlock()
	v, g, _, err := c.wait(ctx, call)
	return v, g, err
}

// startLocked starts a fetch; c.mu must be held. With serveStale, a
// failure while a value is cached returns that value instead of the
// error.
func (c *cache[T]) startLocked(ctx context.Context, serveStale bool) *cacheCall[T] {
	call := &cacheCall[T]{done: make(chan struct{})}
	c.call = call
	timeout := c.f.timeout
	if timeout <= 0 {
		timeout = oauth2.DefaultTimeout
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	go func() {
		defer cancel()
		v, age, err := c.fetchNoPanic(fctx)
		c.mu.Lock()
		defer c.mu.Unlock()
		c.call = nil
		now := c.f.now()
		switch {
		case err == nil:
			c.val, c.have = v, true
			c.gen++
			c.expires = now.Add(age)
			call.val, call.fresh = v, true
		case c.have:
			// Keep the value, and try again no sooner than MinCacheAge.
			if retry := now.Add(MinCacheAge); c.expires.Before(retry) {
				c.expires = retry
			}
			if serveStale {
				call.val = c.val
			} else {
				call.err = err
			}
		default:
			call.err = err
			c.failed, c.err = now, err
		}
		call.gen = c.gen
		close(call.done)
	}()
	return call
}

// fetchNoPanic runs c.fetch, turning a panic (in an HTTP client's
// Transport, say) into an error: the fetch runs on a goroutine of the
// package's, where a panic would end the program. The panic's value is
// not printed; it may hold anything.
func (c *cache[T]) fetchNoPanic(ctx context.Context) (v T, age time.Duration, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("oidc: panic while fetching (%T)", p)
		}
	}()
	return c.fetch(ctx)
}

func (c *cache[T]) wait(ctx context.Context, call *cacheCall[T]) (T, uint64, bool, error) {
	select {
	case <-call.done:
		if call.err != nil {
			var zero T
			return zero, 0, false, call.err
		}
		return call.val, call.gen, call.fresh, nil
	case <-ctx.Done():
		var zero T
		return zero, 0, false, ctx.Err()
	}
}
