package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/oauthkit/oauth/internal/fakeprovider"
	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/signer/jose"
)

// oauth2 runs a login (the authorization code flow with PKCE and state),
// an automatic refresh with the token updater, client credentials
// sessions (with a secret and with a private key JWT), the device flow,
// then revocation and introspection.
func (d *demo) oauth2(ctx context.Context) {
	endpoint := oauth2.Endpoint{
		AuthURL:          d.srv.URL + fakeprovider.OAuth2AuthorizePath,
		TokenURL:         d.srv.URL + fakeprovider.OAuth2TokenPath,
		DeviceAuthURL:    d.srv.URL + fakeprovider.OAuth2DevicePath,
		RevocationURL:    d.srv.URL + fakeprovider.OAuth2RevokePath,
		IntrospectionURL: d.srv.URL + fakeprovider.OAuth2IntrospectPath,
	}
	api := d.srv.URL + fakeprovider.OAuth2ResourcePath

	// The session's clock, so that the demo can let an hour pass.
	var skew atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }

	d.section("OAuth 2.0 (RFC 6749): authorization code flow with PKCE (RFC 7636) and state")
	cfg := &oauth2.Config{
		ClientID:     "basic-client",
		ClientSecret: "basic-secret",
		Endpoint:     endpoint,
		RedirectURL:  "http://127.0.0.1:8080/callback",
		Scopes:       []string{"read", "write"},
		HTTPClient:   d.http,
		Now:          now,
	}
	fmt.Fprintf(d.out, "   config: %v\n", cfg)

	var login *oauth2.Login
	var callback string
	if !d.step("start a login: state and an S256 code challenge, kept server-side for this user", func() (string, error) {
		var err error
		if login, err = cfg.NewLogin(ctx); err != nil {
			return "", err
		}
		u, err := url.Parse(login.URL)
		if err != nil {
			return "", err
		}
		q := u.Query()
		d.printf("%s?response_type=%s&client_id=%s&scope=%s&state=%s&code_challenge_method=%s&code_challenge=%s…",
			endpoint.AuthURL, q.Get("response_type"), q.Get("client_id"), url.QueryEscape(q.Get("scope")),
			short(login.State), q.Get("code_challenge_method"), q.Get("code_challenge")[:8])
		callback, err = d.follow(login.URL)
		if err != nil {
			return "", err
		}
		return "the user approves; the browser comes back to http://127.0.0.1:8080/callback?code=…&state=…", nil
	}) {
		return
	}
	d.step("a forged callback (wrong state) is refused before any token request", func() (string, error) {
		forged := strings.Replace(callback, "state=", "state=x", 1)
		_, err := cfg.CompleteLoginURL(ctx, login, forged)
		if err == nil {
			return "", fmt.Errorf("forged callback accepted")
		}
		if !errorsIs(err, oauth2.ErrStateMismatch) {
			return "", fmt.Errorf("want ErrStateMismatch, got %w", err)
		}
		return fmt.Sprintf("error: %v", err), nil
	})
	var s *oauth2.Session
	updates := 0
	if !d.step("complete the login (state compared in constant time, code_verifier sent)", func() (string, error) {
		tok, err := cfg.CompleteLoginURL(ctx, login, callback)
		if err != nil {
			return "", err
		}
		s = cfg.NewSession(tok)
		s.OnTokenUpdate = func(ctx context.Context, tok *oauth2.Token) error {
			updates++ // in real code: persist tok (json.Marshal)
			d.printf("OnTokenUpdate #%d: %v", updates, tok)
			return nil
		}
		d.printf("client authentication: %s (AuthMethod %q: the default for a client with a secret)", d.wire.lastAuth(), cfg.AuthMethod)
		return fmt.Sprintf("token: %v", tok), nil
	}) {
		return
	}
	d.step("call the API through s.Client()", func() (string, error) {
		return d.bearerCall(s.Client(), api)
	})
	d.step("an hour passes (simulated: the session's Config.Now jumps ahead); the next call refreshes the token first, once, and the updater sees it", func() (string, error) {
		skew.Store(int64(2 * time.Hour))
		before, refreshes := updates, d.srv.OAuth2.Refreshes()
		res, err := d.bearerCall(s.Client(), api)
		if err != nil {
			return "", err
		}
		if updates != before+1 || d.srv.OAuth2.Refreshes() != refreshes+1 {
			return "", fmt.Errorf("want one refresh and one update, got %d and %d", d.srv.OAuth2.Refreshes()-refreshes, updates-before)
		}
		return res + " (after refresh_token grant; the provider rotated the refresh token)", nil
	})

	d.section("OAuth 2.0: client credentials (RFC 6749 §4.4), a session that renews itself")
	d.step("client_secret_post, with a resource indicator (RFC 8707) on every token request", func() (string, error) {
		cc := &oauth2.Config{ClientID: "post-client", ClientSecret: "post-secret", AuthMethod: oauth2.AuthClientSecretPost,
			Endpoint: endpoint, Scopes: []string{"read"}, HTTPClient: d.http}
		return d.clientCredentials(cc.ClientCredentials(oauth2.SetParam("resource", api)), api)
	})
	d.step("private_key_jwt (RFC 7523 assertion signed with ES256)", func() (string, error) {
		key, err := jose.NewECDSASigner(jose.ES256, fakeprovider.OAuth2TestKey)
		if err != nil {
			return "", err
		}
		cc := &oauth2.Config{ClientID: "pkjwt-client", AuthMethod: oauth2.AuthPrivateKeyJWT, Signer: key,
			Endpoint: endpoint, Scopes: []string{"read"}, HTTPClient: d.http}
		return d.clientCredentials(cc.ClientCredentials(), api)
	})

	d.section("OAuth 2.0: device authorization grant (RFC 8628)")
	d.srv.OAuth2.DeviceInterval = 1
	d.srv.OAuth2.DeviceScript = []string{"authorization_pending", "slow_down", "authorization_pending", "approve"}
	d.step("device authorization, then polling: pending, slow_down (+5 s), pending, approved", func() (string, error) {
		tap := &pollTap{base: d.http.Transport, out: d.out}
		dc := &oauth2.Config{ClientID: "public-client", Endpoint: endpoint, Scopes: []string{"read"},
			HTTPClient: &http.Client{Transport: tap},
			// The demo does not wait for real: its clock is simulated.
			// It prints each interval and waits a fiftieth of it.
			Sleep: func(ctx context.Context, dur time.Duration) error {
				d.printf("wait %v (simulated: the demo's Config.Sleep waits %v)", dur, dur/50)
				t := time.NewTimer(dur / 50)
				defer t.Stop()
				select {
				case <-t.C:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			},
		}
		da, err := dc.DeviceAuth(ctx)
		if err != nil {
			return "", err
		}
		d.printf("show the user: visit %s and enter %s (interval %ds)", da.VerificationURI, da.UserCode, da.Interval)
		tok, err := dc.DeviceAccessToken(ctx, da)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("token: %v", tok), nil
	})

	d.section("OAuth 2.0: revocation (RFC 7009) and introspection (RFC 7662)")
	d.step("introspect the access token", func() (string, error) {
		in, err := s.Introspect(ctx, oauth2.HintAccessToken)
		if err != nil {
			return "", err
		}
		if !in.Active {
			return "", fmt.Errorf("live token reported inactive")
		}
		return fmt.Sprintf("active=%t client_id=%s scope=%v", in.Active, in.ClientID, in.Scope), nil
	})
	d.step("revoke it, introspect again", func() (string, error) {
		if err := s.Revoke(ctx, oauth2.HintAccessToken); err != nil {
			return "", err
		}
		in, err := s.Introspect(ctx, oauth2.HintAccessToken)
		if err != nil {
			return "", err
		}
		if in.Active {
			return "", fmt.Errorf("revoked token still active")
		}
		return fmt.Sprintf("revoked; active=%t", in.Active), nil
	})
}

// clientCredentials calls the API through s, which gets its first token
// on first use.
func (d *demo) clientCredentials(s *oauth2.Session, api string) (string, error) {
	res, err := d.bearerCall(s.Client(), api)
	if err != nil {
		return "", err
	}
	d.printf("token: %v", s.CachedToken())
	d.printf("client authentication: %s", d.wire.lastAuth())
	return res, nil
}

// bearerCall calls the provider's bearer-protected resource.
func (d *demo) bearerCall(c *http.Client, api string) (string, error) {
	resp, err := c.Get(api)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var echo struct {
		OK       bool   `json:"ok"`
		ClientID string `json:"client_id"`
		Method   string `json:"method"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&echo); err != nil {
		return "", fmt.Errorf("%s: %w", resp.Status, err)
	}
	if resp.StatusCode != http.StatusOK || !echo.OK {
		return "", fmt.Errorf("api answered %s", resp.Status)
	}
	return fmt.Sprintf("GET %s: %s (client %s, token in the %s)", fakeprovider.OAuth2ResourcePath, resp.Status, echo.ClientID, echo.Method), nil
}

// pollTap prints what each device-code poll of the token endpoint answered.
type pollTap struct {
	base http.RoundTripper
	out  io.Writer
}

func (p *pollTap) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := p.base.RoundTrip(req)
	if err != nil || !strings.HasSuffix(req.URL.Path, fakeprovider.OAuth2TokenPath) {
		return resp, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var e struct {
		Error string `json:"error"`
	}
	_ = json.Unmarshal(body, &e)
	if e.Error == "" {
		e.Error = "approved"
	}
	fmt.Fprintf(p.out, "   poll: %d %s\n", resp.StatusCode, e.Error)
	return resp, nil
}
