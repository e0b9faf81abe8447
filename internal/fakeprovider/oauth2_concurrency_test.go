package fakeprovider

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestOAuth2ConcurrentRefresh sends one refresh token 200 times at once:
// with rotation exactly one request wins, and every attempt is counted.
func TestOAuth2ConcurrentRefresh(t *testing.T) {
	const n = 200
	s := o2Server(t, nil)
	_, rt := s.OAuth2.IssueToken("basic-client", time.Hour)
	auth := basicAuth("basic-client", "basic-secret")
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := tryPost(t, s, OAuth2TokenPath, auth, params("grant_type", "refresh_token", "refresh_token", rt))
			if err != nil {
				t.Error(err)
			}
			statuses[i] = r.status
		}()
	}
	wg.Wait()
	won := 0
	for _, st := range statuses {
		switch st {
		case http.StatusOK:
			won++
		case http.StatusBadRequest:
		default:
			t.Errorf("status %d, want 200 or 400", st)
		}
	}
	if won != 1 || s.OAuth2.Refreshes() != n || s.OAuth2.TokensIssued() != 1 || s.OAuth2.TokenRequests() != n {
		t.Errorf("won %d, Refreshes %d, TokensIssued %d, TokenRequests %d; want 1, %d, 1, %d",
			won, s.OAuth2.Refreshes(), s.OAuth2.TokensIssued(), s.OAuth2.TokenRequests(), n, n)
	}
}

// TestOAuth2ConcurrentGrants runs grants, resource calls and introspection
// from 200 goroutines; counters must be exact (run with -race).
func TestOAuth2ConcurrentGrants(t *testing.T) {
	const n = 200
	s := o2Server(t, nil)
	auth := basicAuth("basic-client", "basic-secret")
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := tryPost(t, s, OAuth2TokenPath, auth, params("grant_type", "client_credentials"))
			var tok struct {
				AccessToken string `json:"access_token"`
			}
			if err != nil || r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &tok) != nil {
				t.Errorf("grant: %v %d %s", err, r.status, r.body)
				return
			}
			req, _ := http.NewRequest(http.MethodGet, s.URL+OAuth2ResourcePath, nil)
			req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
			if r, err := o2TryDo(s.Client(), req); err != nil || r.status != http.StatusOK {
				t.Errorf("resource: %v %d %s", err, r.status, r.body)
			}
			_ = s.OAuth2.TokensIssued() // counters may be read at any time
			if i%2 == 0 {
				if r, err := tryPost(t, s, OAuth2RevokePath, auth, params("token", tok.AccessToken)); err != nil || r.status != http.StatusOK {
					t.Errorf("revoke: %v %d %s", err, r.status, r.body)
				}
			}
		}()
	}
	wg.Wait()
	if s.OAuth2.TokensIssued() != n || s.OAuth2.ResourceRequests() != n || s.OAuth2.TokenRequests() != n {
		t.Errorf("TokensIssued %d, ResourceRequests %d, TokenRequests %d; want %d each",
			s.OAuth2.TokensIssued(), s.OAuth2.ResourceRequests(), s.OAuth2.TokenRequests(), n)
	}
	s.OAuth2.mu.Lock()
	left := len(s.OAuth2.access)
	s.OAuth2.mu.Unlock()
	if left != n/2 {
		t.Errorf("%d access tokens left, want %d", left, n/2)
	}
}

// BenchmarkOAuth2 measures the provider's handlers without a network:
// the client_credentials grant and a bearer-protected request.
func BenchmarkOAuth2(b *testing.B) {
	p := NewProvider()
	at, _ := p.OAuth2.IssueToken("basic-client", 0)
	basic := "Basic YmFzaWMtY2xpZW50OmJhc2ljLXNlY3JldA=="
	b.Run("Token/client_credentials", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			req := httptest.NewRequest(http.MethodPost, OAuth2TokenPath, strings.NewReader("grant_type=client_credentials"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Authorization", basic)
			w := httptest.NewRecorder()
			p.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("status %d", w.Code)
			}
		}
	})
	b.Run("Resource/header", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			req := httptest.NewRequest(http.MethodGet, OAuth2ResourcePath, nil)
			req.Header.Set("Authorization", "Bearer "+at)
			w := httptest.NewRecorder()
			p.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("status %d", w.Code)
			}
		}
	})
	b.Run("Resource/header/parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				req := httptest.NewRequest(http.MethodGet, OAuth2ResourcePath, nil)
				req.Header.Set("Authorization", "Bearer "+at)
				w := httptest.NewRecorder()
				p.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Errorf("status %d", w.Code)
					return
				}
			}
		})
	})
}
