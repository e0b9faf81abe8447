package oauth1_test

import (
	"context"
	"crypto"
	"crypto/hmac"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/oauthkit/oauth/oauth1"
	"github.com/oauthkit/oauth/oauth1/oauth1test"
)

// Claims of README.md about package oauth1 that no other test checks.

// README, "Migrating": a token saved as JSON by dghubble/oauth1 loads
// with an empty Secret until the field is renamed. dghubble/oauth1
// v0.7.3's token.go declares `type Token struct { Token string;
// TokenSecret string }` without JSON tags, so encoding/json writes the
// field names as they are.
func TestREADMEDghubbleTokenJSON(t *testing.T) {
	tests := []struct {
		name, saved string
		want        oauth1.Token
	}{
		{"as dghubble saves it", `{"Token":"tok-1","TokenSecret":"sec-1"}`, oauth1.Token{Token: "tok-1"}},
		{"field renamed", `{"Token":"tok-1","Secret":"sec-1"}`, oauth1.Token{Token: "tok-1", Secret: "sec-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got oauth1.Token
			if err := json.Unmarshal([]byte(tt.saved), &got); err != nil {
				t.Fatal(err)
			}
			if got.Token != tt.want.Token || got.Secret != tt.want.Secret {
				t.Errorf("json.Unmarshal(%s) = {Token: %q, Secret: %q}, want {Token: %q, Secret: %q}",
					tt.saved, got.Token, got.Secret, tt.want.Token, tt.want.Secret)
			}
		})
	}
}

// hmacSHA384 is a signature method of the user's own, as the README's
// table allows: "HMAC-SHA384", which the package does not provide. It
// records the keys and base strings it was given.
type hmacSHA384 struct {
	mu    sync.Mutex
	keys  []string
	bases []string
}

func (*hmacSHA384) Name() string { return "HMAC-SHA384" }

func (m *hmacSHA384) AppendSign(dst, key, base []byte) ([]byte, error) {
	m.mu.Lock()
	m.keys = append(m.keys, string(key))
	m.bases = append(m.bases, string(base))
	m.mu.Unlock()
	h := hmac.New(sha512.New384, key)
	h.Write(base)
	return base64.StdEncoding.AppendEncode(dst, h.Sum(nil)), nil
}

func (m *hmacSHA384) Verify(key []byte, _ crypto.PublicKey, base, signature []byte) error {
	want, _ := m.AppendSign(nil, key, base)
	if !hmac.Equal(want, signature) {
		return oauth1.ErrInvalidSignature
	}
	return nil
}

// README, "What is supported": your own oauth1.SignatureMethod signs and
// verifies in the Authorization header, the query string and the form
// body. Its key is RFC 5849 §3.4.2's (each secret percent-encoded, joined
// with '&'), its base string covers every value of a repeated key, and
// what it returns is the oauth_signature sent.
func TestREADMECustomSignatureMethod(t *testing.T) {
	const (
		consumerSecret, tokenSecret = "cs 1", "ts&2"
		wantKey                     = "cs%201&ts%262" // RFC 5849 §3.4.2, §3.6
	)
	for _, placement := range []oauth1.Placement{oauth1.InHeader, oauth1.InQuery, oauth1.InFormBody} {
		t.Run(placement.String(), func(t *testing.T) {
			m := &hmacSHA384{}
			cfg := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: consumerSecret, Method: m, Placement: placement}
			tok := &oauth1.Token{Token: "tk", Secret: tokenSecret}
			newReq := func() *http.Request {
				req, err := http.NewRequest(http.MethodPost, "https://api.example.com/notes?q=x", strings.NewReader("a=1&a=2"))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				return req
			}
			req := newReq()
			if err := cfg.Sign(req, tok); err != nil {
				t.Fatalf("Sign: %v", err)
			}
			body, err := io.ReadAll(req.Body)
			if err != nil {
				t.Fatal(err)
			}
			params := signedParams(t, req, string(body))
			if got := params.Get("oauth_signature_method"); got != "HMAC-SHA384" {
				t.Errorf("oauth_signature_method = %q, want HMAC-SHA384", got)
			}
			if len(m.keys) != 1 || m.keys[0] != wantKey {
				t.Fatalf("AppendSign keys = %q, want one call with %q", m.keys, wantKey)
			}
			base := m.bases[0]
			for _, want := range []string{"POST&https%3A%2F%2Fapi.example.com%2Fnotes&", "a%3D1%26a%3D2", "q%3Dx", "oauth_signature_method%3DHMAC-SHA384"} {
				if !strings.Contains(base, want) {
					t.Errorf("base string %q lacks %q", base, want)
				}
			}
			mac := hmac.New(sha512.New384, []byte(wantKey))
			mac.Write([]byte(base))
			if got, want := params.Get("oauth_signature"), base64.StdEncoding.EncodeToString(mac.Sum(nil)); got != want {
				t.Errorf("oauth_signature = %q, want HMAC-SHA384 of the base string, %q", got, want)
			}

			v := &oauth1.Verifier{
				LookupConsumer: func(context.Context, string) (oauth1.Consumer, error) {
					return oauth1.Consumer{Secret: consumerSecret}, nil
				},
				LookupToken: func(context.Context, string, string) (string, error) { return tokenSecret, nil },
				Nonces:      oauth1.NewMemoryNonceStore(0),
				Methods:     []oauth1.SignatureMethod{m},
			}
			r := req.Clone(context.Background())
			r.Body = io.NopCloser(strings.NewReader(string(body)))
			got, err := v.Verify(context.Background(), r)
			if err != nil {
				t.Fatalf("Verify(signed request) = %v", err)
			}
			if got.Method != "HMAC-SHA384" || got.Placement != placement {
				t.Errorf("Verify: method %q, placement %v; want HMAC-SHA384, %v", got.Method, got.Placement, placement)
			}
			if diff := cmp.Diff(url.Values{"q": {"x"}, "a": {"1", "2"}}, got.Params); diff != "" {
				t.Errorf("verified parameters mismatch (-want +got):\n%s", diff)
			}
			// Another token secret: the custom method refuses it.
			req = newReq()
			if err := cfg.Sign(req, &oauth1.Token{Token: "tk", Secret: "wrong"}); err != nil {
				t.Fatal(err)
			}
			if _, err := v.Verify(context.Background(), req); !errors.Is(err, oauth1.ErrInvalidSignature) {
				t.Errorf("Verify(wrong secret) = %v, want ErrInvalidSignature", err)
			}
		})
	}
}

// signedParams returns the OAuth parameters of a signed request, from
// wherever they were placed, decoded.
func signedParams(t *testing.T, req *http.Request, body string) url.Values {
	t.Helper()
	out := url.Values{}
	for k, v := range req.URL.Query() {
		out[k] = v
	}
	if form, err := url.ParseQuery(body); err == nil {
		for k, v := range form {
			out[k] = append(out[k], v...)
		}
	}
	if h := req.Header.Get("Authorization"); h != "" {
		for _, kv := range strings.Split(strings.TrimPrefix(h, "OAuth "), ", ") {
			k, v, _ := strings.Cut(kv, "=")
			v, err := url.PathUnescape(strings.Trim(v, `"`))
			if err != nil {
				t.Fatalf("Authorization %q: %v", h, err)
			}
			out.Add(k, v)
		}
	}
	return out
}

// countingNonces is a NonceStore that counts its calls.
type countingNonces struct {
	calls atomic.Int32
	oauth1.NonceStore
}

func (c *countingNonces) UseNonce(ctx context.Context, ck, tok, nonce string, ts time.Time) error {
	c.calls.Add(1)
	return c.NonceStore.UseNonce(ctx, ck, tok, nonce, ts)
}

// README, "Security defaults": oauth1.Verifier checks nonce replay and the
// timestamp window, and a forged request never uses up a nonce: the
// genuine request with the nonce a forgery carried is accepted.
func TestREADMEForgedRequestKeepsNonce(t *testing.T) {
	now := time.Unix(1700000000, 0)
	nonces := &countingNonces{NonceStore: oauth1.NewMemoryNonceStore(0)}
	v := &oauth1.Verifier{
		LookupConsumer: func(context.Context, string) (oauth1.Consumer, error) {
			return oauth1.Consumer{Secret: "consumer-secret"}, nil
		},
		LookupToken: func(context.Context, string, string) (string, error) { return "token-secret", nil },
		Nonces:      nonces,
		Now:         func() time.Time { return now },
	}
	tok := &oauth1.Token{Token: "tk", Secret: "token-secret"}
	verify := func(secret string, at time.Time) error {
		cfg := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: secret,
			Now: func() time.Time { return at }, Nonce: func() (string, error) { return "the-nonce", nil }}
		req, _ := http.NewRequest(http.MethodGet, "https://api.example.com/r", nil)
		if err := cfg.Sign(req, tok); err != nil {
			t.Fatal(err)
		}
		_, err := v.Verify(context.Background(), req)
		return err
	}
	if err := verify("forged", now); !errors.Is(err, oauth1.ErrInvalidSignature) {
		t.Fatalf("forged request: %v, want ErrInvalidSignature", err)
	}
	if err := verify("consumer-secret", now.Add(-time.Hour)); !errors.Is(err, oauth1.ErrStaleTimestamp) {
		t.Fatalf("request an hour old: %v, want ErrStaleTimestamp", err)
	}
	if n := nonces.calls.Load(); n != 0 {
		t.Errorf("refused requests reached the nonce store %d times, want 0", n)
	}
	if err := verify("consumer-secret", now); err != nil {
		t.Fatalf("genuine request with the forged request's nonce: %v, want it accepted", err)
	}
	if err := verify("consumer-secret", now); !errors.Is(err, oauth1.ErrReplayedNonce) {
		t.Errorf("replayed request: %v, want ErrReplayedNonce", err)
	}
}

// README, "Migrating": the caller's Config is never modified (Rand and
// Nonce are never written, unlike dghubble/oauth1's Noncer), and
// Config.Client may be called from many goroutines at once (dghubble's
// races: run with -race).
func TestREADMEConfigNeverWritten(t *testing.T) {
	srv := oauth1test.NewServer(t)
	hc := &http.Client{Transport: http.DefaultTransport}
	cfg := &oauth1.Config{
		ConsumerKey:    oauth1test.ConsumerKey,
		ConsumerSecret: oauth1test.ConsumerSecret,
		CallbackURL:    "oob",
		Endpoint:       srv.Endpoint(),
		HTTPClient:     hc,
	}
	before, hcBefore := *cfg, *hc
	ctx := context.Background()
	rt, err := cfg.RequestToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	authURL, err := cfg.AuthorizationURL(rt, nil)
	if err != nil {
		t.Fatal(err)
	}
	at, err := cfg.AccessToken(ctx, rt, srv.AuthorizePIN(t, authURL))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := cfg.Client(at).Get(srv.ResourceURL() + fmt.Sprintf("?i=%d", i))
			if err == nil {
				err = oauth1.CheckResponse(resp)
				resp.Body.Close()
			}
			if err != nil {
				t.Errorf("request %d: %v", i, err)
			}
			req, _ := http.NewRequest(http.MethodGet, srv.ResourceURL(), nil)
			if err := cfg.Sign(req, at); err != nil {
				t.Errorf("Sign %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	// reflect.DeepEqual: the func fields are equal only while both are nil.
	if !reflect.DeepEqual(before, *cfg) {
		t.Errorf("Config changed:\nbefore %#v\nafter  %#v\n(Rand %v, Nonce nil %v, Now nil %v, Method %v)",
			before, *cfg, cfg.Rand, cfg.Nonce == nil, cfg.Now == nil, cfg.Method)
	}
	if !reflect.DeepEqual(hcBefore, *hc) {
		t.Errorf("Config.HTTPClient changed: before %+v, after %+v", hcBefore, *hc)
	}
}

// README, "Migrating": oauth1.Discogs(userAgent) signs with PLAINTEXT and
// sends the User-Agent, as Discogs requires ("Discogs Auth Flow":
// signature method PLAINTEXT; "Your application must provide a
// User-Agent string"), on the token requests and the API calls.
func TestREADMEDiscogs(t *testing.T) {
	const ua = "MyDiscogsApp/1.0 +https://myapp.example"
	var mu sync.Mutex
	var got []*http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Clone(context.Background()))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
		io.WriteString(w, "oauth_token=rt&oauth_token_secret=rts&oauth_callback_confirmed=true")
	}))
	defer srv.Close()
	e := oauth1.Discogs(ua)
	for _, u := range []string{e.RequestTokenURL, e.AuthorizeURL, e.AccessTokenURL} {
		if !strings.HasPrefix(u, "https://") || !strings.Contains(u, "discogs.com/") {
			t.Errorf("Discogs URL %q, want https on discogs.com", u)
		}
	}
	e.RequestTokenURL = srv.URL + "/oauth/request_token" // loopback: PLAINTEXT over http is allowed
	cfg := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "cs", CallbackURL: "oob", Endpoint: e}
	if _, err := cfg.RequestToken(context.Background()); err != nil {
		t.Fatal(err)
	}
	resp, err := cfg.Client(&oauth1.Token{Token: "at", Secret: "ats"}).Get(srv.URL + "/database/search")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// RFC 5849 §3.4.4: the PLAINTEXT signature is the encoded consumer
	// secret, '&', the encoded token secret; in the header, encoded again.
	wantSig := []string{`oauth_signature="cs%26"`, `oauth_signature="cs%26ats"`}
	if len(got) != 2 {
		t.Fatalf("%d requests, want 2", len(got))
	}
	for i, r := range got {
		if r.UserAgent() != ua {
			t.Errorf("%s: User-Agent %q, want %q", r.URL.Path, r.UserAgent(), ua)
		}
		h := r.Header.Get("Authorization")
		if !strings.Contains(h, `oauth_signature_method="PLAINTEXT"`) || !strings.Contains(h, wantSig[i]) {
			t.Errorf("%s: Authorization %q, want PLAINTEXT and %s", r.URL.Path, h, wantSig[i])
		}
	}
}

// README, "Security defaults": response bodies are read through a 1 MiB
// limit by default.
func TestREADMEDefaultBodyLimit(t *testing.T) {
	if oauth1.DefaultMaxBodyBytes != 1<<20 {
		t.Errorf("DefaultMaxBodyBytes = %d, want 1 MiB (%d), as the README says", oauth1.DefaultMaxBodyBytes, 1<<20)
	}
}
