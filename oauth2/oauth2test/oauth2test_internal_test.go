package oauth2test

import (
	"testing"

	"github.com/oauthkit/oauth/internal/fakeprovider"
)

// The constants name what the provider registers and uses.
func TestConstantsMatchTheProvider(t *testing.T) {
	p := fakeprovider.NewProvider().OAuth2
	clients := []struct{ id, secret, method string }{
		{ClientID, ClientSecret, "client_secret_basic"},
		{PostClientID, PostClientSecret, "client_secret_post"},
		{PublicClientID, "", "none"},
		{JWTClientID, JWTClientSecret, "client_secret_jwt"},
		{KeyClientID, "", "private_key_jwt"},
	}
	for _, c := range clients {
		got := p.Clients[c.id]
		if got == nil || got.Secret != c.secret || got.AuthMethod != c.method {
			t.Errorf("client %q: registered as %+v, want secret %q and method %s", c.id, got, c.secret, c.method)
		}
	}
	if !ClientKey().PublicKey.Equal(p.Clients[KeyClientID].PublicKey) {
		t.Errorf("ClientKey is not the key registered for %s", KeyClientID)
	}
	if p.Users[Username] != Password || p.DefaultUser != Username {
		t.Errorf("users %v, default %q; want %s/%s, the default", p.Users, p.DefaultUser, Username, Password)
	}
	for _, c := range []struct{ got, want string }{
		{WrongIssuer, fakeprovider.WrongIssuer},
		{OtherSubject, fakeprovider.OtherSubject},
		{UserCookie, fakeprovider.OAuth2UserCookie},
	} {
		if c.got != c.want {
			t.Errorf("constant %q, the provider uses %q", c.got, c.want)
		}
	}
}
