package oauth1_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth1"
)

// TestTokenRequestTimeout runs both token requests against endpoints that
// never finish answering, with a context without deadline: Config.Timeout
// must end them with an error wrapping context.DeadlineExceeded.
func TestTokenRequestTimeout(t *testing.T) {
	done := make(chan struct{})
	defer close(done)
	handlers := map[string]http.HandlerFunc{
		"no answer": func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-done:
			}
		},
		"trickled body": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
			io.WriteString(w, "oauth_token=")
			tick := time.NewTicker(5 * time.Millisecond)
			defer tick.Stop()
			for {
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-done:
					return
				case <-tick.C:
					io.WriteString(w, "a")
				}
			}
		},
	}
	for name, h := range handlers {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(h)
			defer srv.Close()
			cfg := &oauth1.Config{ConsumerKey: "ck", ConsumerSecret: "cs", Timeout: 50 * time.Millisecond,
				Endpoint: oauth1.Endpoint{RequestTokenURL: srv.URL, AccessTokenURL: srv.URL}}
			ctx := context.Background()
			if _, err := cfg.RequestToken(ctx); !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("RequestToken() error = %v, want context.DeadlineExceeded", err)
			}
			if _, err := cfg.AccessToken(ctx, &oauth1.Token{Token: "rt", Secret: "rs"}, "v"); !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("AccessToken() error = %v, want context.DeadlineExceeded", err)
			}
		})
	}
}

// deadlineRT records the deadline of the request's context.
type deadlineRT struct {
	deadline time.Time
	has      bool
}

func (rt *deadlineRT) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.deadline, rt.has = r.Context().Deadline()
	return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader("oauth_token=t&oauth_token_secret=s")),
		Header: http.Header{}, Request: r}, nil
}

// TestTokenRequestDeadline pins which deadline a token request runs
// under: Config.Timeout (or DefaultTimeout) only when ctx has none.
func TestTokenRequestDeadline(t *testing.T) {
	ctxDeadline := time.Now().Add(time.Hour)
	withDeadline, cancel := context.WithDeadline(context.Background(), ctxDeadline)
	defer cancel()
	tests := []struct {
		name    string
		timeout time.Duration
		ctx     context.Context
		want    bool      // a deadline is set
		exactly time.Time // when non-zero, the deadline
	}{
		{"default", 0, context.Background(), true, time.Time{}},
		{"set", time.Minute, context.Background(), true, time.Time{}},
		{"negative: none", -1, context.Background(), false, time.Time{}},
		{"ctx deadline kept", time.Nanosecond, withDeadline, true, ctxDeadline},
		{"ctx deadline kept, no Timeout", -1, withDeadline, true, ctxDeadline},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt := &deadlineRT{}
			cfg := &oauth1.Config{ConsumerKey: "ck", Timeout: tt.timeout, HTTPClient: &http.Client{Transport: rt},
				Endpoint: oauth1.Endpoint{RequestTokenURL: "https://provider.example/request"}, CallbackURL: "oob"}
			if _, err := cfg.RequestToken(tt.ctx); err != nil {
				t.Fatalf("RequestToken() = %v", err)
			}
			if rt.has != tt.want || !tt.exactly.IsZero() && !rt.deadline.Equal(tt.exactly) {
				t.Errorf("request deadline = %v (set: %v), want set: %v, %v", rt.deadline, rt.has, tt.want, tt.exactly)
			}
		})
	}
}
