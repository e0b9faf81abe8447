package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/dpop"
	"github.com/oauthkit/oauth/oauth2/oidc"
	"github.com/oauthkit/oauth/signer/jose"
)

// dpop signs in as the AT Protocol's OAuth profile (Bluesky) asks, at a
// provider that requires all of it: a pushed request (RFC 9126) with
// PKCE, DPoP-bound tokens (RFC 9449) with server nonces, and
// private_key_jwt; then DPoP-bound API calls, a refresh, and two misuses
// of the token, refused.
func (d *demo) dpop(ctx context.Context) {
	d.section("AT Protocol style sign-in: PAR (RFC 9126) + PKCE + DPoP (RFC 9449) + private_key_jwt")

	// A provider of its own, which requires what the profile requires.
	atp := fakeprovider.NewTLSServer()
	defer atp.Close()
	atp.OAuth2.RequirePAR = true
	atp.OAuth2.RequireDPoP = true
	atp.OAuth2.RequireDPoPNonce = true
	atp.OAuth2.RequireResourceDPoPNonce = true
	atp.OAuth2.RequireIssuerAudience = true // client assertions must name the issuer
	api := atp.URL + fakeprovider.OAuth2ResourcePath

	var key *dpop.Key
	if !d.step("make the client's DPoP key (ES256); it is saved with the tokens, which are useless without it", func() (string, error) {
		var err error
		if key, err = dpop.GenerateKey(); err != nil {
			return "", err
		}
		return fmt.Sprintf("%v", key), nil
	}) {
		return
	}

	var cfg *oauth2.Config
	if !d.step("discover the provider: pushed requests required, DPoP algorithms listed", func() (string, error) {
		p, err := oidc.NewProvider(ctx, atp.URL+"/oauth2", &oidc.Options{HTTPClient: d.http})
		if err != nil {
			return "", err
		}
		clientKey, err := jose.NewECDSASigner(jose.ES256, fakeprovider.OAuth2TestKey) // the client's registered key
		if err != nil {
			return "", err
		}
		cfg, err = p.Metadata().Config(oauth2.Config{
			ClientID:    "pkjwt-client",
			Signer:      clientKey, // private_key_jwt
			RedirectURL: "http://127.0.0.1:8080/callback",
			Scopes:      []string{"atproto", "transition:generic"},
			HTTPClient:  d.http,
			DPoP:        key,
		})
		if err != nil {
			return "", err
		}
		// The AT Protocol wants the issuer as the audience of client
		// assertions, not the URL of the endpoint they are sent to.
		cfg.Endpoint.AssertionAudience = cfg.Endpoint.Issuer
		d.printf("require_pushed_authorization_requests: %t; dpop_signing_alg_values_supported: %s",
			cfg.Endpoint.RequirePushedAuth, strings.Join(p.Metadata().DPoPSigningAlgValuesSupported, " "))
		return fmt.Sprintf("client authentication %q", cfg.AuthMethod), nil
	}) {
		return
	}

	var tok *oauth2.Token
	if !d.step("sign in: the request is pushed with a client assertion and a DPoP proof; the browser gets client_id and request_uri only", func() (string, error) {
		login, err := cfg.NewLogin(ctx) // pushed: the server requires it
		if err != nil {
			return "", err
		}
		u, err := url.Parse(login.URL)
		if err != nil {
			return "", err
		}
		var keys []string
		for k := range u.Query() {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		d.printf("authorization URL parameters: %s; to be used within %v", strings.Join(keys, ", "), time.Until(login.Expiry).Round(time.Second))
		callback, err := d.follow(login.URL)
		if err != nil {
			return "", err
		}
		if tok, err = cfg.CompleteLoginURL(ctx, login, callback); err != nil {
			return "", err
		}
		if tok.DPoPJKT != key.Thumbprint() {
			return "", fmt.Errorf("token bound to %q, not to the key", tok.DPoPJKT)
		}
		return fmt.Sprintf("token: %v", tok), nil
	}) {
		return
	}

	s := cfg.NewSession(tok)
	d.step("call the API twice: Authorization: DPoP with a fresh proof each time; its nonce demand answered once", func() (string, error) {
		var who string
		for i := 0; i < 2; i++ {
			e, err := getEcho(s.Client(), api)
			if err != nil {
				return "", err
			}
			who = fmt.Sprintf("%s token of %s, bound to %s", e.TokenType, e.Username, e.JKT)
		}
		d.printf("nonce demands answered: %d (pushed request, whose nonce the token request reuses; API); proofs refused otherwise: %d",
			atp.OAuth2.DPoPNonceChallenges(), atp.OAuth2.DPoPProofsRefused()-atp.OAuth2.DPoPNonceChallenges())
		return who, nil
	})
	d.step("refresh, with a proof of the same key: the new token is bound to it too", func() (string, error) {
		next, err := s.Refresh(ctx)
		if err != nil {
			return "", err
		}
		if _, err := getEcho(s.Client(), api); err != nil {
			return "", err
		}
		return fmt.Sprintf("token: %v", next), nil
	})
	d.step("the token restored with another key is refused before it is sent", func() (string, error) {
		other, err := dpop.GenerateKey()
		if err != nil {
			return "", err
		}
		c2 := *cfg
		c2.DPoP = other
		before := atp.OAuth2.ResourceRequests()
		_, err = getEcho(c2.NewSession(s.CachedToken()).Client(), api)
		if !errors.Is(err, oauth2.ErrDPoPKeyMismatch) || atp.OAuth2.ResourceRequests() != before {
			return "", fmt.Errorf("want ErrDPoPKeyMismatch and nothing sent, got %v", err)
		}
		return fmt.Sprintf("error: %v", err), nil
	})
	d.step("the token stolen and sent as a Bearer token is refused by the API", func() (string, error) {
		req, err := http.NewRequestWithContext(ctx, "GET", api, nil)
		if err != nil {
			return "", err
		}
		req.Header.Set("Authorization", "Bearer "+s.CachedToken().AccessToken)
		resp, err := d.http.Do(req)
		if err != nil {
			return "", err
		}
		resp.Body.Close()
		err = oauth2.CheckResponse(resp)
		if !errors.Is(err, oauth2.ErrInvalidToken) {
			return "", fmt.Errorf("want the API's invalid_token, got %v", err)
		}
		return fmt.Sprintf("error: %v", err), nil
	})
}

// getEcho GETs the fake provider's resource with c and decodes its echo.
func getEcho(c *http.Client, api string) (*fakeprovider.OAuth2Echo, error) {
	resp, err := c.Get(api)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if err := oauth2.CheckResponse(resp); err != nil {
		return nil, err
	}
	var e fakeprovider.OAuth2Echo
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&e); err != nil {
		return nil, err
	}
	return &e, nil
}
