package oauth2

import (
	"net/url"
	"testing"
)

// A Session copies its Config: later changes to the caller's Scopes and
// Params, or to what Config returns, do not reach it.
func TestNewSessionCopiesConfig(t *testing.T) {
	cfg := &Config{ClientID: "id", Scopes: []string{"read"}, Params: url.Values{"resource": {"https://a.example"}}}
	s := cfg.NewSession(nil)
	cfg.Scopes[0] = "admin"
	cfg.Scopes = append(cfg.Scopes[:1], "write")
	cfg.Params["resource"][0] = "https://evil.example"
	cfg.Params.Add("audience", "x")
	got := s.Config()
	got.Scopes[0] = "root"
	got.Params["resource"][0] = "https://root.example"
	got = s.Config()
	if len(got.Scopes) != 1 || got.Scopes[0] != "read" {
		t.Errorf("session Scopes = %q, want [read]", got.Scopes)
	}
	if len(got.Params) != 1 || got.Params.Get("resource") != "https://a.example" {
		t.Errorf("session Params = %v, want resource=https://a.example", got.Params)
	}
}
