package oauth2_test

// Adversarial tests of session 20's changes (review).

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/oauthkit/oauth/oauth2"
)

// With InQuery, net/http's Client quotes the URL of the request a
// redirect answers (resp.Request, the one the Transport sent, token in
// its query) in the error of a redirect it cannot follow for another
// reason than the Location: here the body of a 307, which it must send
// again, cannot be had again (GetBody fails). The token must not be in
// that error.
func TestQueryTokenNotInRedirectGetBodyError(t *testing.T) {
	for _, status := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			base := reply(status, http.Header{"Location": {"/next"}}, "")
			s := (&oauth2.Config{Placement: oauth2.InQuery}).NewSession(&oauth2.Token{AccessToken: "AT-SECRET"})
			c := oauth2.NewClient(s, &http.Client{Transport: base})
			req, err := http.NewRequest(http.MethodPost, "https://api.example.com/things?page=2", strings.NewReader("x=1"))
			if err != nil {
				t.Fatal(err)
			}
			errReopen := errors.New("cannot reopen the body")
			req.GetBody = func() (io.ReadCloser, error) { return nil, errReopen }
			resp, err := c.Do(req)
			if err == nil {
				resp.Body.Close()
				t.Fatal("Do() succeeded, want GetBody's error")
			}
			if !errors.Is(err, errReopen) {
				t.Errorf("Do() error = %v, want GetBody's", err)
			}
			checkNoCredential(t, err, "AT-SECRET")
		})
	}
}

// conflictingStore is a store whose Save never matches the version its
// Load reports, as a store does whose Load reads what is stored as ""
// (a bug redisstore had): every Save conflicts. After giveUp Saves it
// fails otherwise, so that a test of a loop that never ends does end.
type conflictingStore struct {
	m     *memStore
	saves int
}

const giveUp = 1000

var errGaveUp = errors.New("conflictingStore: too many saves")

func (c *conflictingStore) Load(ctx context.Context) (*oauth2.Token, string, error) {
	tok, _, err := c.m.Load(ctx)
	return tok, "", err
}

func (c *conflictingStore) Save(ctx context.Context, tok *oauth2.Token, prev string) (string, error) {
	if c.saves++; c.saves > giveUp {
		return "", errGaveUp
	}
	return c.m.Save(ctx, tok, prev)
}

type lockingConflictingStore struct{ *conflictingStore }

func (l lockingConflictingStore) Lock(ctx context.Context) (func(), error) { return l.m.Lock(ctx) }

// nilUnlockStore is a TokenLocker whose Lock returns no unlock function.
type nilUnlockStore struct{ unlockedStore }

func (nilUnlockStore) Lock(context.Context) (func(), error) { return nil, nil }

// ReplaceStoredToken with a context that is never done gives up on a
// store whose every Save conflicts, rather than loading and saving
// forever; and a Lock that returns a nil unlock does not make it panic
// once it has saved.
func TestReplaceStoredTokenEnds(t *testing.T) {
	ctx := context.Background()
	tok := &oauth2.Token{AccessToken: "login", RefreshToken: "login-rt"}
	for _, locked := range []bool{false, true} {
		t.Run(fmt.Sprintf("conflicts forever, locked=%v", locked), func(t *testing.T) {
			m := newMemStore()
			m.put(t, &oauth2.Token{AccessToken: "old", RefreshToken: "old-rt"})
			cs := &conflictingStore{m: m}
			var st oauth2.TokenStore = cs
			if locked {
				st = lockingConflictingStore{cs}
			}
			err := oauth2.ReplaceStoredToken(ctx, st, tok)
			if !errors.Is(err, oauth2.ErrStoreConflict) {
				t.Errorf("ReplaceStoredToken() error = %v after %d saves, want ErrStoreConflict", err, cs.saves)
			}
			if locked && !m.free() {
				t.Error("the lock was not released")
			}
		})
	}
	t.Run("nil unlock", func(t *testing.T) {
		m := newMemStore()
		defer func() {
			if v := recover(); v != nil {
				t.Errorf("ReplaceStoredToken() panicked: %v", v)
			}
		}()
		if err := oauth2.ReplaceStoredToken(ctx, nilUnlockStore{unlockedStore{m}}, tok); err != nil {
			t.Errorf("ReplaceStoredToken() error = %v", err)
		}
		if got := m.stored(t); got.AccessToken != "login" {
			t.Errorf("stored token %q, want the login's", got.AccessToken)
		}
	})
}

// With InQuery, a redirect to a query-only reference that holds nothing
// but the token ("?access_token=..." : this path, that query) is still
// followed, to this path with an empty query, and the token reaches the
// next hop (the same host) again. Removing the parameter must not leave
// an empty Location, which net/http's Client does not follow (it returns
// the 302), nor a fragment-only one, which keeps the old query.
func TestQueryTokenRedirectToQueryOnly(t *testing.T) {
	tests := []struct{ location, wantQuery string }{
		{"?access_token=AT-SECRET", "access_token=AT-SECRET"},
		{"?access_token=AT-SECRET#top", "access_token=AT-SECRET"},
		{"?access_token=AT-SECRET&next=1", "next=1&access_token=AT-SECRET"},
	}
	for _, tt := range tests {
		t.Run(tt.location, func(t *testing.T) {
			var hops []string
			base := rtFunc(func(r *http.Request) (*http.Response, error) {
				hops = append(hops, r.URL.RawQuery)
				if len(hops) == 1 {
					return reply(http.StatusFound, http.Header{"Location": {tt.location}}, "")(r)
				}
				return reply(http.StatusOK, nil, "{}")(r)
			})
			s := (&oauth2.Config{Placement: oauth2.InQuery}).NewSession(&oauth2.Token{AccessToken: "AT-SECRET"})
			resp, err := oauth2.NewClient(s, &http.Client{Transport: base}).Get("https://api.example.com/things?page=2")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || len(hops) != 2 {
				t.Fatalf("status %d after %d hops, want 200 after 2 (the redirect followed)", resp.StatusCode, len(hops))
			}
			if hops[1] != tt.wantQuery {
				t.Errorf("next hop's query = %q, want %q", hops[1], tt.wantQuery)
			}
		})
	}
}
