package oauth2

import (
	"net/url"
	"testing"
)

func TestNewSessionCopiesScopes(t *testing.T) {
	cfg := &Config{ClientID: "id", Endpoint: Endpoint{AuthURL: "https://as.example/auth"}, Scopes: []string{"read"}}
	s := cfg.NewSession(nil)
	cfg.Scopes[0] = "admin"
	cfg.Scopes = append(cfg.Scopes[:1], "write")
	got := s.Config()
	got.Scopes[0] = "root"
	if got := s.Config().Scopes; len(got) != 1 || got[0] != "read" {
		t.Errorf("session Scopes = %q, want [read]", got)
	}
	u, _, err := s.AuthorizationURL()
	if err != nil {
		t.Fatal(err)
	}
	pu, _ := url.Parse(u)
	if scope := pu.Query().Get("scope"); scope != "read" {
		t.Errorf("authorization URL scope = %q, want %q", scope, "read")
	}
}
